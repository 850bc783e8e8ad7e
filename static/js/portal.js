/* ClusterPortal's few behaviours that need a script. Every page works without it: the menu
   then stays open and the directory's filters stay unfolded. */
(function () {
  "use strict";

  // The width below which the header folds its menu and the directory folds its filters;
  // portal.css uses the same breakpoint.
  var narrow = window.matchMedia("(max-width: 48rem)");

  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-button");
    if (!button) {
      return;
    }
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    setOpen(false);
    // The stylesheet shows the button, and hides a closed menu, only once this class is set.
    header.classList.add("site-header--foldable");
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // htmx replaces the directory's filters with every change; the new disclosure keeps the
  // state the person left the old one in, instead of the server's default.
  function setUpFilters() {
    var filters = document.getElementById("directory-filters");
    if (!filters) {
      return;
    }
    if (narrow.matches) {
      filters.open = false;
    }
    // Turning a tablet or widening the window brings the sidebar back unfolded.
    narrow.addEventListener("change", function (event) {
      var current = document.getElementById("directory-filters");
      if (current) {
        current.open = !event.matches;
      }
    });
    var wasOpen = null;
    document.body.addEventListener("htmx:beforeSwap", function () {
      var current = document.getElementById("directory-filters");
      wasOpen = current ? current.open : null;
    });
    document.body.addEventListener("htmx:afterSwap", function () {
      var current = document.getElementById("directory-filters");
      if (current && wasOpen !== null) {
        current.open = wasOpen;
      }
    });
  }

  // A page of the hotspots' region table replaces the section that held the page link just
  // used; the focus moves to the table's heading instead of falling back to the page's start.
  function setUpRegionPages() {
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var table = document.getElementById("hotspots-regions");
      if (table && event.target === table && !table.contains(document.activeElement)) {
        document.getElementById("hotspots-table").focus();
      }
    });
  }

  setUpMenu();
  setUpFilters();
  setUpRegionPages();
})();
