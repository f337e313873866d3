// 科技招商平台 — page behaviour. No inline scripts or handlers anywhere: the pages
// run under a Content-Security-Policy without 'unsafe-inline', so behaviour is
// attached here through data-* attributes.
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") || "" : "";
  }

  // The token only ever goes to our own origin.
  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  // htmx requests carry the CSRF token as a header.
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = csrfToken();
    if (token && sameOrigin(evt.detail.path)) {
      evt.detail.headers["X-CSRF-Token"] = token;
    }
  });

  var zs = window.zs || {};
  zs.csrfToken = csrfToken;

  // zs.fetch(url, opts): window.fetch with the session cookie and X-CSRF-Token
  // for same-origin URLs. Returns the fetch Promise unchanged.
  zs.fetch = function (url, opts) {
    opts = Object.assign({}, opts || {});
    var headers = new Headers(opts.headers || {});
    var token = csrfToken();
    if (token && sameOrigin(url) && !headers.has("X-CSRF-Token")) {
      headers.set("X-CSRF-Token", token);
    }
    opts.headers = headers;
    if (!opts.credentials) {
      opts.credentials = "same-origin";
    }
    return window.fetch(url, opts);
  };
  window.zs = zs;

  // data-confirm="确定删除？" on a link, button or form asks before going on.
  // Capture phase, so htmx and form submission never see a cancelled action.
  function confirmed(el) {
    var msg = el.getAttribute("data-confirm");
    return !msg || window.confirm(msg);
  }

  document.addEventListener("click", function (evt) {
    var el = evt.target instanceof Element ? evt.target.closest("[data-confirm]") : null;
    if (!el || el.tagName === "FORM") {
      return;
    }
    if (!confirmed(el)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    } else if (el.form && el.type === "submit") {
      // The form's own data-confirm should not ask a second time for this submit.
      el.form.setAttribute("data-confirmed", "1");
    }
  }, true);

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    if (form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");
      return;
    }
    if (!confirmed(form)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit> submits its form on change (filters, page size).
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-autosubmit") || !el.form) {
      return;
    }
    if (typeof el.form.requestSubmit === "function") {
      el.form.requestSubmit(); // fires "submit", so htmx-enhanced forms keep working
    } else {
      el.form.submit();
    }
  });

  // Elements marked data-js-hide (e.g. the 筛选 button next to autosubmit
  // selects) are only needed without JavaScript.
  function hideNoJS(root) {
    var els = (root || document).querySelectorAll("[data-js-hide]");
    for (var i = 0; i < els.length; i++) {
      els[i].hidden = true;
    }
  }
  // Repeating rows (a project's contacts): <fieldset data-rows> holds rows
  // marked data-row, a <template data-row-template> for a new one and a
  // data-add-row button; each row's data-remove-row button takes it out.
  // Without JavaScript the page still works: the last row is blank for a new
  // entry and clearing a row removes it.
  var rowSeq = 0;
  function showRowButtons(root) {
    var els = (root || document).querySelectorAll("[data-rows] [data-add-row], [data-rows] [data-row] [data-remove-row]");
    for (var i = 0; i < els.length; i++) {
      els[i].hidden = false;
    }
  }
  document.addEventListener("click", function (evt) {
    var el = evt.target instanceof Element ? evt.target.closest("[data-add-row], [data-remove-row]") : null;
    var box = el ? el.closest("[data-rows]") : null;
    if (!box) {
      return;
    }
    evt.preventDefault();
    if (el.hasAttribute("data-remove-row")) {
      var row = el.closest("[data-row]");
      if (row) {
        row.remove();
      }
      return;
    }
    var tpl = box.querySelector("template[data-row-template]");
    if (!tpl) {
      return;
    }
    var frag = tpl.content.cloneNode(true);
    rowSeq++;
    var ids = frag.querySelectorAll("[id]");
    for (var i = 0; i < ids.length; i++) {
      var old = ids[i].id, id = old + "-" + rowSeq;
      ids[i].id = id;
      var label = frag.querySelector('label[for="' + old + '"]');
      if (label) {
        label.setAttribute("for", id);
      }
    }
    var rows = box.querySelectorAll("[data-row]");
    var last = rows.length ? rows[rows.length - 1] : null;
    var first = frag.querySelector("input");
    if (last) {
      last.after(frag);
    } else {
      box.insertBefore(frag, el);
    }
    showRowButtons(box);
    if (first) {
      first.focus();
    }
  });

  function ready() {
    hideNoJS();
    showRowButtons();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:load", function (evt) { hideNoJS(evt.target); showRowButtons(evt.target); });
})();
