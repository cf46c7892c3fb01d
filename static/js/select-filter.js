// A search box above every <select data-filterable>: typing hides the options that do not match
// (ё = е, any case), so a municipality is found among hundreds by a few letters of its name.
(function () {
  "use strict";
  function fold(text) {
    return text.toLowerCase().replace(/ё/g, "е");
  }
  function attach(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.placeholder = select.getAttribute("data-filter-placeholder") || "Поиск…";
    input.setAttribute("aria-label", input.placeholder);
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
        var match = !query || !option.value || fold(option.textContent).indexOf(query) !== -1;
        option.hidden = !match;
        if (match && option.value && first === null) first = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first !== null && query && (!select.value || select.options[select.selectedIndex].hidden)) {
        first.selected = true;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-filterable]"), attach);
  });
})();
