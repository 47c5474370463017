// Drafts kept in this browser. A form marked data-draft keeps what is typed into it in
// localStorage, so Back, a reload or a closed tab loses nothing the server has not got
// yet. data-draft names the form's version field (the version of the stored values
// the page was loaded with): a draft typed on top of the version the page now shows
// comes back by itself; one typed on an older version (the work was saved from another
// tab since) is offered, never forced over the newer text.
(function () {
  "use strict";

  var KEEP_MS = 14 * 24 * 3600 * 1000;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: the server's copy alone
    }
  }

  function draftKey(form) {
    return "rampup-draft:" + window.location.pathname + ":" + (form.id || form.getAttribute("action") || "");
  }

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") {
        return false;
      }
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") {
        return true;
      }
      return el.tagName === "INPUT" && ["hidden", "file", "submit", "button", "password", "checkbox"].indexOf(el.type) === -1;
    });
  }

  function snapshot(form) {
    var values = {};
    typedFields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) {
          values[el.name] = el.value;
        } else if (!(el.name in values)) {
          values[el.name] = "";
        }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    var changed = [];
    typedFields(form).forEach(function (el) {
      if (!(el.name in values)) {
        return;
      }
      if (el.type === "radio") {
        var on = el.value === values[el.name];
        if (el.checked !== on) {
          el.checked = on;
          changed.push(el);
        }
      } else if (el.value !== values[el.name]) {
        el.value = values[el.name];
        changed.push(el);
      }
    });
    return changed;
  }

  function same(a, b) {
    return Object.keys(a).every(function (k) {
      return !(k in b) || a[k] === b[k];
    });
  }

  function versionOf(form) {
    var name = form.dataset.draft;
    var field = name && form.elements.namedItem(name);
    return field && field.value ? field.value : "";
  }

  function notice(form, text, offer) {
    var box = document.createElement("div");
    box.className = "notice small draft-notice";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (offer) {
      var put = document.createElement("button");
      put.type = "button";
      put.className = "button button-small";
      put.textContent = "Put back what I typed";
      put.addEventListener("click", function () {
        offer();
        box.remove();
      });
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "link-button small";
      drop.textContent = "Discard it";
      drop.addEventListener("click", function () {
        var store = storage();
        if (store) {
          store.removeItem(draftKey(form));
        }
        box.remove();
      });
      var actions = document.createElement("p");
      actions.className = "actions";
      actions.appendChild(put);
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(drop);
      box.appendChild(actions);
    }
    form.insertAdjacentElement("afterbegin", box);
  }

  function changedAll(elements) {
    // Tell the page (and htmx's autosave) that these fields changed.
    elements.forEach(function (el) {
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function restore(form) {
    var store = storage();
    if (!store) {
      return;
    }
    var draft;
    try {
      draft = JSON.parse(store.getItem(draftKey(form)) || "null");
    } catch (error) {
      draft = null;
    }
    if (!draft || !draft.values || Date.now() - (draft.at || 0) > KEEP_MS || same(draft.values, snapshot(form))) {
      store.removeItem(draftKey(form));
      return;
    }
    if (draft.version === versionOf(form)) {
      changedAll(apply(form, draft.values));
      notice(form, "Restored what you typed here before you left, which had not been saved. " + (form.dataset.draftSaves || "Press Save to keep it."));
    } else {
      notice(form, "This browser kept text you typed here earlier, but the saved version has changed since (in another tab or on another device).", function () {
        var changed = apply(form, draft.values);
        store.setItem(draftKey(form), JSON.stringify({ version: versionOf(form), values: draft.values, at: Date.now() }));
        changedAll(changed);
      });
    }
  }

  function remember(event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    var store = storage();
    if (!form || !store || !form.matches("form[data-draft]")) {
      return;
    }
    try {
      store.setItem(draftKey(form), JSON.stringify({ version: versionOf(form), values: snapshot(form), at: Date.now() }));
    } catch (error) {
      // storage full: the server's copy alone
    }
  }

  document.addEventListener("input", remember);
  document.addEventListener("change", remember);
  document.addEventListener("submit", function (event) {
    var store = storage();
    if (store && event.target.matches("form[data-draft]")) {
      store.removeItem(draftKey(event.target)); // the server has it now, or shows it back
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(restore);
  });
})();
