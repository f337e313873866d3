// 科技招商平台 — as-you-type suggestions for search boxes marked
// data-suggest="/api/v1/search/suggest" (the top-bar search). Loaded by the
// layout; no inline script or style (CSP). The list is built with DOM
// methods and textContent, never innerHTML.
(function () {
  "use strict";

  var DELAY = 120; // ms after the last keystroke
  var seq = 0;

  function setup(input) {
    var form = input.form;
    if (!form || input.getAttribute("data-suggest-ready")) {
      return;
    }
    input.setAttribute("data-suggest-ready", "1");
    input.setAttribute("autocomplete", "off");
    var listID = "suggest-" + (++seq);
    var list = document.createElement("ul");
    list.id = listID;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    form.classList.add("has-suggest");
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listID);
    input.setAttribute("aria-expanded", "false");

    var timer = 0;
    var pending = null;
    var active = -1;
    var lastQuery = "";

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function hide() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function mark(i) {
      var opts = options();
      if (!opts.length) {
        return;
      }
      active = (i + opts.length) % opts.length;
      for (var j = 0; j < opts.length; j++) {
        opts[j].setAttribute("aria-selected", j === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", opts[active].id);
    }

    function render(items) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      active = -1;
      if (!items.length) {
        hide();
        return;
      }
      items.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = listID + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var a = document.createElement("a");
        a.href = it.url;
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = it.kind_label || it.kind;
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.textContent = it.title;
        a.appendChild(badge);
        a.appendChild(title);
        li.appendChild(a);
        list.appendChild(li);
      });
      var all = document.createElement("li");
      all.className = "suggest-all";
      var more = document.createElement("a");
      more.href = "/search?q=" + encodeURIComponent(lastQuery);
      more.textContent = "查看全部结果";
      all.appendChild(more);
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function load() {
      var q = input.value.trim();
      if (q === lastQuery && !list.hidden) {
        return;
      }
      lastQuery = q;
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (!q || q.length > 200) {
        hide();
        return;
      }
      var ctrl = new AbortController();
      pending = ctrl;
      var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q);
      window.fetch(url, { credentials: "same-origin", signal: ctrl.signal, headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : { items: [] };
        })
        .then(function (body) {
          if (pending === ctrl) {
            pending = null;
            render((body && body.items) || []);
          }
        })
        .catch(function () {
          /* aborted or offline: keep the box usable as a plain form */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY);
    });
    input.addEventListener("keydown", function (evt) {
      if (list.hidden) {
        return;
      }
      if (evt.key === "ArrowDown") {
        evt.preventDefault();
        mark(active + 1);
      } else if (evt.key === "ArrowUp") {
        evt.preventDefault();
        mark(active - 1);
      } else if (evt.key === "Escape") {
        hide();
      }
    });
    // Enter on a highlighted suggestion opens it instead of searching. This
    // is decided at submit (not keydown): the browser submits the form on
    // Enter even when keydown was cancelled, and two navigations would race.
    form.addEventListener("submit", function (evt) {
      var link = list.hidden ? null : list.querySelector('[role=option][aria-selected="true"] a');
      if (link) {
        evt.preventDefault();
        window.location.assign(link.href);
      }
    });
    input.addEventListener("focus", function () {
      if (list.firstChild && input.value.trim() === lastQuery && lastQuery) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
    // Hide when focus leaves the form (a click on a suggestion follows the
    // link first: mousedown keeps the focus in the list).
    list.addEventListener("mousedown", function (evt) {
      evt.preventDefault();
    });
    input.addEventListener("blur", function () {
      window.setTimeout(hide, 100);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) {
      setup(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
