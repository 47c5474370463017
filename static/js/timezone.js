// The browser's time zone, for sign-up and settings. Without JavaScript sign-up saves
// UTC and settings show no suggestion; the server checks every zone name it gets.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  if (!zone) { return; }
  document.addEventListener("DOMContentLoaded", function () {
    // Sign-up: fill the hidden field.
    document.querySelectorAll("input[type=hidden][name=time_zone]").forEach(function (el) {
      el.value = zone;
    });
    // Settings: offer the switch when the browser is elsewhere than the saved zone.
    document.querySelectorAll("[data-saved-zone]").forEach(function (el) {
      if (el.dataset.savedZone === zone) { return; }
      el.querySelectorAll("[data-browser-zone]").forEach(function (slot) {
        slot.textContent = zone;
      });
      el.querySelectorAll("button[name=switch_time_zone]").forEach(function (button) {
        button.value = zone;
      });
      el.hidden = false;
    });
  });
})();
