/*
 * Autosave for draft forms (<form data-autosave="URL">).
 *
 * Saves while the person types (a short pause after the last keystroke), and before they
 * leave: a click on a link waits for the save, and a closing or hidden tab sends what is
 * left with a keepalive request. Until the server confirms a save, the form's content is
 * also kept in this tab's sessionStorage, so a lost connection or an expired session loses
 * nothing: the status line says "Signed out: sign in to save", and once the person is back on
 * the page after signing in, the text is put back into the form and saved.
 *
 * The texts shown come from data- attributes of the form, which the template translates.
 */
(function () {
  "use strict";

  var PAUSE_MS = 800;
  var LEAVE_WAIT_MS = 2500;
  var RETRY_MS = 5000;

  function storageKey(form) {
    return "autosave:" + form.getAttribute("action");
  }

  function readStore(form) {
    try {
      var raw = window.sessionStorage.getItem(storageKey(form));
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  function writeStore(form, data) {
    try {
      window.sessionStorage.setItem(storageKey(form), JSON.stringify(data));
    } catch (error) {
      // Storage full or refused: the server copy is all there is.
    }
  }

  function clearStore(form) {
    try {
      window.sessionStorage.removeItem(storageKey(form));
    } catch (error) {
      // Nothing to clear.
    }
  }

  function snapshot(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") {
        return;
      }
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }

  function restore(form, data) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "file") {
        return;
      }
      // Hidden fields (the review's version) stay as the server sent them with this page.
      if (field.type === "submit" || field.type === "button" || field.type === "hidden") {
        return;
      }
      var values = data[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else if (values.length) {
        field.value = values[0];
      }
    });
  }

  function setup(form) {
    var url = form.getAttribute("data-autosave");
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    var edits = 0;
    var savedEdits = 0;
    var timer = null;
    var pending = null;
    var signedOut = false;

    function dirty() {
      return edits !== savedEdits;
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function saySignedOut(loginUrl) {
      if (!status) {
        return;
      }
      status.textContent = "";
      var message = document.createElement("span");
      message.className = "message message--warning";
      message.textContent = form.getAttribute("data-signed-out") + " ";
      var link = document.createElement("a");
      link.href = loginUrl;
      link.textContent = form.getAttribute("data-sign-in");
      message.appendChild(link);
      status.appendChild(message);
    }

    // The answer is the status partial; after a save, elements marked hx-swap-oob (the
    // review's version field) replace their namesakes in the page. A refused save leaves
    // them, so a stale tab stays stale until the person compares the versions.
    function showSaved(html, saved) {
      var template = document.createElement("template");
      template.innerHTML = html;
      Array.prototype.forEach.call(
        template.content.querySelectorAll("[hx-swap-oob][id]"),
        function (element) {
          var current = document.getElementById(element.id);
          element.removeAttribute("hx-swap-oob");
          if (current && saved) {
            current.replaceWith(element);
          } else {
            element.remove();
          }
        }
      );
      if (status) {
        status.replaceChildren(template.content);
      }
    }

    function save(options) {
      window.clearTimeout(timer);
      if (!dirty() || signedOut) {
        return pending || Promise.resolve();
      }
      var keepalive = Boolean(options && options.keepalive);
      var sent = edits;
      var request = fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        keepalive: keepalive,
        headers: { "HX-Request": "true", Accept: "text/html, application/json" },
      })
        .then(function (response) {
          if (response.status === 401) {
            signedOut = true;
            return response.json().then(function (body) {
              saySignedOut(body.login_url);
            });
          }
          if ([200, 409, 422].indexOf(response.status) === -1) {
            // Not an answer about the draft (a refused page, a server error): say so briefly.
            say(form.getAttribute("data-refused"));
            return null;
          }
          return response.text().then(function (html) {
            showSaved(html, response.ok);
            if (response.ok && sent === edits) {
              savedEdits = sent;
              clearStore(form);
            }
          });
        })
        .catch(function () {
          say(form.getAttribute("data-offline"));
          window.clearTimeout(timer);
          timer = window.setTimeout(save, RETRY_MS);
        })
        .finally(function () {
          if (pending === request) {
            pending = null;
          }
        });
      pending = request;
      return request;
    }

    function changed() {
      edits += 1;
      writeStore(form, snapshot(form));
      window.clearTimeout(timer);
      timer = window.setTimeout(save, PAUSE_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.addEventListener("submit", function () {
      // The full POST carries everything; a session that expired meanwhile keeps it server side.
      window.clearTimeout(timer);
      savedEdits = edits;
      clearStore(form);
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || !dirty() || signedOut || event.defaultPrevented || event.button !== 0) {
        return;
      }
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      if ((link.target && link.target !== "_self") || link.hasAttribute("download")) {
        return;
      }
      event.preventDefault();
      var leave = function () {
        window.location.assign(link.href);
      };
      var wait = new Promise(function (resolve) {
        window.setTimeout(resolve, LEAVE_WAIT_MS);
      });
      Promise.race([save(), wait]).then(leave, leave);
    });

    window.addEventListener("online", function () {
      save();
    });
    window.addEventListener("pagehide", function () {
      save({ keepalive: true });
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save({ keepalive: true });
      }
    });

    var kept = readStore(form);
    if (kept) {
      restore(form, kept);
      say(form.getAttribute("data-restored"));
      edits += 1;
      save();
    } else if (form.hasAttribute("data-unsaved")) {
      // The server put back what a form POST could not save when the session had expired.
      edits += 1;
      save();
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
