// Practice keys, as in Anki: Space or Enter shows the key points and the model answer,
// 1–4 rate. Ctrl+Enter in the answer box hands the answer in. Nothing is taken while
// the learner types in a box, or while another control has focus. Each key presses a
// real button (listed with aria-keyshortcuts), so the page works without this file.
(function () {
  "use strict";

  var NOT_TEXT = ["checkbox", "radio", "button", "submit", "reset"];

  // A box that takes text: every key belongs to it.
  function typing(target) {
    if (target.closest("textarea, select, [contenteditable]")) {
      return true;
    }
    return target.tagName === "INPUT" && NOT_TEXT.indexOf(target.type) === -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    if (event.ctrlKey) {
      if (event.key === "Enter" && target.id === "answer-body") {
        var handIn = target.form.querySelector('button[value="submit"]');
        event.preventDefault();
        handIn.click();
      }
      return;
    }
    if (typing(target)) {
      return;
    }
    var button = null;
    if (event.key === " " || event.key === "Enter") {
      // Controls that Space and Enter already press (a checkbox, a link) keep them.
      if (target.closest("input, button, a, summary, label")) {
        return;
      }
      button = document.querySelector("button[data-reveal]");
    } else if (/^[1-4]$/.test(event.key)) {
      button = document.querySelector('button[data-rate="' + event.key + '"]');
    }
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  // A page opened at #check (after handing in) skips autofocus: focus the reveal button
  // (or the answer box) anyway, so the next key goes where the learner expects.
  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("[autofocus]");
    var active = document.activeElement;
    // Nothing focused yet, or only the #check panel the address pointed at.
    if (first && (active === document.body || active.contains(first))) {
      first.focus();
    }
  });

  // After the reveal swaps in, move focus to it so a screen reader reads what opened.
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = document.getElementById("check");
    if (panel && event.detail.target.id === "check") {
      panel.focus();
    }
  });
})();
