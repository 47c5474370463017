// Spoken answers: record in the browser (MediaRecorder), with a visible timer, then
// upload with progress. The server checks the file (tracker/recordings.py) and answers
// with the takes list, which replaces the old one; a refusal comes back as plain text
// and is shown as such. Without a microphone, or a browser that cannot record WebM or
// Ogg audio, the page says so; the written answer never depends on any of this.
(function () {
  "use strict";
  if (window.rampupRecorder) { return; } // the partial may load this file more than once
  window.rampupRecorder = true;

  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg"];

  function csrfToken() {
    try {
      return JSON.parse(document.body.dataset.hxHeaders || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function supportedType() {
    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return null;
    }
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) { return TYPES[i]; }
    }
    return null;
  }

  function setup(box) {
    var section = box.closest(".recorder");
    var off = section.querySelector("[data-recorder-off]");
    var type = supportedType();
    if (!type) {
      off.textContent = "This browser cannot record WebM or Ogg audio here. Your written answer works as before.";
      return;
    }
    var record = box.querySelector("[data-record]");
    var stop = box.querySelector("[data-stop]");
    var timer = box.querySelector("[data-timer]");
    var status = box.querySelector("[data-status]");
    var progress = box.querySelector("[data-progress]");
    var retry = box.querySelector("[data-retry]");
    var maxSeconds = Number(box.dataset.maxSeconds) || 600;
    var recorder = null, stream = null, chunks = [], started = 0, ticking = null, lastBlob = null;

    off.hidden = true;
    box.hidden = false;

    function say(text) { status.textContent = text; }

    function tick() {
      var elapsed = (Date.now() - started) / 1000;
      timer.textContent = clock(elapsed);
      if (elapsed >= maxSeconds && recorder && recorder.state === "recording") {
        say("Ten minutes is the most one answer takes: the recording stopped.");
        recorder.stop();
      }
    }

    function upload(blob) {
      lastBlob = blob;
      retry.hidden = true;
      progress.hidden = false;
      progress.value = 0;
      say("Saving the recording…");
      var data = new FormData();
      data.append("audio", blob, type.indexOf("ogg") >= 0 ? "answer.ogg" : "answer.webm");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", box.dataset.upload);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { progress.value = Math.round((event.loaded / event.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        progress.hidden = true;
        if (xhr.status === 201) {
          var holder = document.createElement("div");
          holder.innerHTML = xhr.responseText;
          var fresh = holder.querySelector("[data-takes]");
          var old = section.querySelector("[data-takes]");
          if (fresh && old) { old.replaceWith(fresh); }
          lastBlob = null;
          say("Recording saved. Listen to it, then check it against the key points.");
        } else if (xhr.status === 400) {
          say(xhr.responseText);
        } else {
          say("The recording was not saved (error " + xhr.status + ").");
          retry.hidden = false;
        }
      });
      xhr.addEventListener("error", function () {
        progress.hidden = true;
        say("The recording was not saved: the connection failed.");
        retry.hidden = false;
      });
      xhr.send(data);
    }

    record.addEventListener("click", function () {
      record.disabled = true;
      say("Asking for the microphone…");
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
        stream = s;
        chunks = [];
        recorder = new MediaRecorder(stream, { mimeType: type });
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) { chunks.push(event.data); }
        });
        recorder.addEventListener("stop", function () {
          window.clearInterval(ticking);
          stream.getTracks().forEach(function (track) { track.stop(); });
          section.classList.remove("is-recording");
          stop.disabled = true;
          record.disabled = false;
          record.textContent = "Record again";
          upload(new Blob(chunks, { type: type.split(";")[0] }));
        });
        recorder.start(1000);
        started = Date.now();
        timer.textContent = "0:00";
        ticking = window.setInterval(tick, 250);
        section.classList.add("is-recording");
        stop.disabled = false;
        stop.focus();
        say("Recording. Press Stop when you have finished.");
      }).catch(function (error) {
        record.disabled = false;
        var none = error && (error.name === "NotFoundError" || error.name === "OverconstrainedError");
        say(none
          ? "No microphone was found. Your written answer works as before."
          : "The microphone is blocked for this site: allow it in the browser to record. Your written answer works as before.");
      });
    });

    stop.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") { recorder.stop(); }
    });

    retry.addEventListener("click", function () {
      if (lastBlob) { upload(lastBlob); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-recorder]").forEach(setup);
  });
})();
