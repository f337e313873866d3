// Kanban: drag a card to another stage column. The server runs the stage
// gates (the only place stage rules live); a blocked move shows the unmet
// condition and the card snaps back to where it was.
(function () {
  "use strict";
  var dragged = null, origin = null, originNext = null;

  function message(text, ok) {
    var box = document.getElementById("board-message");
    if (!box) { return; }
    box.textContent = text;
    box.className = ok ? "flash flash-ok" : "flash flash-error";
    box.hidden = false;
  }

  function wan(n) {
    return (Math.round(n * 100) / 100).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function adjust(col, dCount, dSum) {
    var c = col.querySelector("[data-count]"), s = col.querySelector("[data-sum]");
    if (c) { c.textContent = String(parseInt(c.textContent, 10) + dCount); }
    if (s) {
      var cur = parseFloat(s.getAttribute("data-raw") || s.textContent.replace(/,/g, "")) || 0;
      var next = cur + dSum;
      s.setAttribute("data-raw", String(next));
      s.textContent = wan(next);
    }
  }

  function snapBack() {
    if (dragged && origin) { origin.insertBefore(dragged, originNext); }
  }

  document.addEventListener("dragstart", function (evt) {
    var card = evt.target.closest && evt.target.closest(".kanban-card");
    if (!card) { return; }
    dragged = card; origin = card.parentNode; originNext = card.nextSibling;
    evt.dataTransfer.effectAllowed = "move";
    evt.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
  });

  document.addEventListener("dragover", function (evt) {
    if (dragged && evt.target.closest && evt.target.closest("[data-dropzone]")) { evt.preventDefault(); }
  });

  document.addEventListener("drop", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-dropzone]");
    if (!zone || !dragged) { return; }
    evt.preventDefault();
    var to = zone.getAttribute("data-dropzone");
    var fromCol = origin.closest(".kanban-col"), toCol = zone.closest(".kanban-col");
    if (fromCol === toCol) { return; }
    moveCard(dragged, to, zone, fromCol, toCol);
  });

  // moveCard is also used by tests and keyboard users (data-move buttons).
  function moveCard(card, to, zone, fromCol, toCol) {
    var note = "";
    if (to === "paused" || to === "dropped") {
      note = window.prompt(to === "paused" ? "请填写暂缓原因" : "请填写终止原因", "") || "";
    }
    var id = card.getAttribute("data-id");
    var inv = parseFloat(card.getAttribute("data-investment")) || 0;
    zone.insertBefore(card, zone.firstChild);
    window.zs.fetch("/api/v1/projects/" + encodeURIComponent(id) + "/stage", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ to: to, version: parseInt(card.getAttribute("data-version"), 10), note: note })
    }).then(function (resp) {
      return resp.json().then(function (body) { return { status: resp.status, body: body }; });
    }).then(function (r) {
      if (r.status === 200) {
        card.setAttribute("data-version", String(r.body.version));
        adjust(fromCol, -1, -inv);
        adjust(toCol, 1, inv);
        message("已将“" + (r.body.name || id) + "”转入新阶段", true);
        return;
      }
      snapBack();
      var err = (r.body && r.body.error) || {};
      message(err.message || ("操作失败（" + r.status + "）"), false);
    }).catch(function () {
      snapBack();
      message("网络错误，阶段未变更", false);
    }).then(function () { dragged = null; });
  }

  window.zsBoard = { move: function (id, to) {
    var card = document.querySelector('.kanban-card[data-id="' + id + '"]');
    var zone = document.querySelector('[data-dropzone="' + to + '"]');
    if (!card || !zone) { return false; }
    dragged = card; origin = card.parentNode; originNext = card.nextSibling;
    moveCard(card, to, zone, origin.closest(".kanban-col"), zone.closest(".kanban-col"));
    return true;
  } };
})();
