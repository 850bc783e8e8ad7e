/* A filter box above each long list of checkboxes (class "choice-list--filter"): typing
   hides the choices whose label does not contain the text, accents and case aside. Ticked
   choices stay ticked, and are sent with the form, whether shown or not. Without scripts the
   whole list shows. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(list) {
    if (list.dataset.filterReady) {
      return;
    }
    list.dataset.filterReady = "1";
    var choices = Array.prototype.slice.call(list.querySelectorAll("label"));
    var wrapper = document.createElement("div");
    wrapper.className = "choice-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = list.id + "-filter";
    input.setAttribute("aria-controls", list.id);
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = list.closest("form").dataset.filterLabel || "Filter";
    var none = document.createElement("p");
    none.className = "choice-filter__none";
    none.hidden = true;
    none.setAttribute("role", "status");
    none.textContent = list.closest("form").dataset.filterNone || "No match.";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    list.parentNode.insertBefore(wrapper, list);
    list.parentNode.insertBefore(none, list.nextSibling);

    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      choices.forEach(function (choice) {
        var row = choice.parentElement === list ? choice : choice.parentElement;
        var match = !wanted || fold(choice.textContent).indexOf(wanted) !== -1;
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      none.hidden = shown > 0;
    });
    // Enter in the filter box must not submit the step.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function setUpAll(root) {
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("div.choice-list--filter"),
      setUp
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    setUpAll(event.target);
  });
})();
