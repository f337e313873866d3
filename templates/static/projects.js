// Project list: "select all" checkbox for the bulk actions.
(function () {
  "use strict";
  document.addEventListener("change", function (evt) {
    var all = evt.target.closest("[data-check-all]");
    if (!all) { return; }
    var name = all.getAttribute("data-check-all");
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    for (var i = 0; i < boxes.length; i++) { boxes[i].checked = all.checked; }
  });
})();
