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
  // Autosave. A box names the hidden field holding the version of the text it was
  // loaded with (data-base); each autosave sends it, so the server can tell a stale tab
  // from a current one. (The box's data-hx-params keep the request to the box itself.)
  document.addEventListener("htmx:configRequest", function (event) {
    var name = event.detail.elt.dataset && event.detail.elt.dataset.base;
    var field = name && document.getElementById(name);
    if (field) {
      event.detail.parameters[name] = field.value;
    }
  });

  // A failed autosave must say so: offline, timed out, signed out or a server error
  // all leave the text in its box, unsaved. The message goes where the request's
  // status would have gone.
  function notSaved(event) {
    var target = event.detail.target;
    if (!target || target.getAttribute("role") !== "status") {
      return;
    }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var message = document.createElement("p");
    message.className = "errorlist-box";
    if (status === 401) {
      message.textContent = "Not saved: you are signed out. Log in in another tab, then type again here; your text is still here. ";
      var link = document.createElement("a");
      link.href = "/accounts/login/";
      link.target = "_blank";
      link.textContent = "Log in";
      message.appendChild(link);
    } else if (status) {
      message.textContent = "Not saved \u2014 the server did not accept it; your text is still here. Try again in a moment.";
    } else {
      message.textContent = "Not saved \u2014 check your connection; your text is still here.";
    }
    target.replaceChildren(message);
  }
  ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, notSaved);
  });

  // A copy of every autosaved box in this browser (data-local-copy), until the server
  // has it: a box the page brings back empty gets the copy again, with a notice.
  function copyKey(box) {
    return "rampup-copy:" + window.location.pathname + ":" + box.name;
  }
  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: autosave alone
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (!store) {
      return;
    }
    // A page showing a handed-in text names its box (data-saved-copy): the server has
    // it, so the copy goes (it would otherwise come back in the next empty box).
    document.querySelectorAll("[data-saved-copy]").forEach(function (saved) {
      store.removeItem(copyKey({ name: saved.dataset.savedCopy }));
    });
    document.querySelectorAll("textarea[data-local-copy]").forEach(function (box) {
      var copy = store.getItem(copyKey(box));
      if (copy === null || copy === box.value) {
        store.removeItem(copyKey(box)); // the page holds it: the server has it
        return;
      }
      if (box.value === "" && copy !== "") {
        box.value = copy;
        var notice = document.createElement("p");
        notice.className = "notice small";
        notice.setAttribute("role", "status");
        notice.textContent = "Restored from this browser: this text had not been saved. Keep typing or press Save to save it.";
        box.insertAdjacentElement("afterend", notice);
      }
    });
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    var store = storage();
    if (store && box.matches && box.matches("textarea[data-local-copy]")) {
      try {
        store.setItem(copyKey(box), box.value);
      } catch (error) {
        // storage full: autosave alone
      }
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = event.detail.elt;
    var store = storage();
    if (!store || !event.detail.successful || !box.matches || !box.matches("textarea[data-local-copy]")) {
      return;
    }
    // The status now in the page (the old one was swapped out) says whether it was saved.
    var status = document.getElementById(event.detail.target.id);
    var sent = event.detail.requestConfig.formData.get(box.name);
    if (status && !status.querySelector(".errorlist-box") && sent === box.value) {
      store.removeItem(copyKey(box)); // a confirmed save of what the box holds
    }
  });
})();
