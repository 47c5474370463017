// Small behaviours every page shares. Everything here is an enhancement: each page
// works without it.
(function () {
  "use strict";

  // A page restored from the back-forward cache shows the data as it was when the
  // page was left: fetch it again, so Back and Forward never show stale progress.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body.dataset.private === "true") {
      window.location.reload();
    }
  });

  // A form that comes back with errors: move focus to its error summary, so a phone
  // user sees what went wrong even when the form sits far below the fold.
  function focusErrors(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrors(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrors(event.detail.target.parentNode || document);
  });

  // One menu open at a time; Escape or a click elsewhere closes it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.nav-drop[open], details.nav-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.nav-drop[open], details.nav-menu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      });
    }
  });
})();
