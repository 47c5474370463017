// Copy buttons for read-only link fields. Without JavaScript the buttons stay hidden and
// the field itself is selectable; a click on it selects the whole link.
(function () {
  "use strict";
  function copy(input) {
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http (a dev server on a LAN address): the older API still copies a selection.
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-copy-status]");
    document.querySelectorAll("[data-copy-source]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.dataset.copy);
      if (!input) { return; }
      var label = button.firstChild.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(input).then(function () {
          button.firstChild.textContent = "Copied";
          if (status) { status.textContent = "Link copied."; }
          window.setTimeout(function () { button.firstChild.textContent = label; }, 2000);
        }, function () {
          if (status) { status.textContent = "Copying failed: the link is selected, copy it with your keyboard."; }
        });
      });
    });
  });
})();
