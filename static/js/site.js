// Every page: the menu folds behind a button on narrow screens, and on a municipality page the
// list and the map are one tap apart. Without JavaScript both stay open (the menu wraps instead).
(function () {
  "use strict";
  function menu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-menu");
    if (!button || !nav) {
      return;
    }
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }

  // <div data-view-switch> with buttons [data-view="list"|"map"] shows one panel on a phone.
  function viewSwitch(box) {
    var container = document.getElementById(box.dataset.viewSwitch);
    if (!container) {
      return;
    }
    var buttons = box.querySelectorAll("button[data-view]");
    function show(view) {
      container.dataset.view = view;
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
      });
      // Leaflet measures its box on resize: a map shown from display:none needs one.
      window.dispatchEvent(new Event("resize"));
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        show(button.dataset.view);
      });
    });
    show(container.dataset.view || "list");
  }

  // A field with a length limit says how much is left as one types (the browser enforces maxlength).
  function lengthHint(hint) {
    var field = document.getElementById(hint.dataset.lengthFor);
    var limit = field && Number(field.getAttribute("maxlength"));
    if (!limit) {
      return;
    }
    function update() {
      hint.textContent = hint.dataset.template.replace("{n}", String(limit - field.value.length));
    }
    field.addEventListener("input", update);
    update();
  }

  // The embed snippet follows the chosen height; a button copies it.
  function embedSnippet(box) {
    var select = box.querySelector("select");
    var snippet = box.querySelector("textarea");
    var copy = box.querySelector(".embed-copy");
    var status = box.querySelector(".embed-copied");
    if (!select || !snippet) {
      return;
    }
    select.addEventListener("change", function () {
      snippet.value = snippet.dataset.template.replace("{height}", select.value);
      if (status) {
        status.textContent = "";
      }
    });
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(snippet.value).then(function () {
          if (status) {
            status.textContent = copy.dataset.done;
          }
        });
      });
    }
  }

  function start() {
    menu();
    document.querySelectorAll("[data-embed-snippet]").forEach(embedSnippet);
    document.querySelectorAll("[data-length-for]").forEach(lengthHint);
    document.querySelectorAll("[data-view-switch]").forEach(viewSwitch);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
