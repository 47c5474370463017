// A live countdown for mock interviews. The deadline is kept on the server; this only
// shows the time left. Without JavaScript the page shows the end time instead.
// At zero it sends the answer form (`data-form`) as "timeout": everything typed is
// saved and the page moves on to the summary.
(function () {
  "use strict";
  function timeUp(el) {
    var form = el.dataset.form && document.getElementById(el.dataset.form);
    if (!form) { return; }
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "timeout";
    form.appendChild(action);
    form.requestSubmit();
  }
  function start(el) {
    var end = Date.now() + Number(el.dataset.seconds) * 1000;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = left > 0 ? m + ":" + String(s).padStart(2, "0") : "time is up";
      if (left > 0) { window.setTimeout(tick, 1000); } else { timeUp(el); }
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time.countdown").forEach(start);
  });
})();
