// After a refused submit, take the person to the first field with a problem: scroll it into view
// and put the cursor there. Every field's message is already next to it; this only saves the search.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector('[aria-invalid="true"]');
    if (!first || document.querySelector("[autofocus]")) { return; }
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  });
})();

// "Copy" buttons: shown only where a script can copy (they are hidden without one).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        field.select();
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
        } else {
          document.execCommand("copy"); done();
        }
      });
    });
  });
})();

// A list with a "find" box: typing hides the entries that do not match (the list works without it).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-filter]").forEach(function (box) {
      var list = document.getElementById(box.getAttribute("data-filter"));
      if (!list) { return; }
      box.hidden = false;
      box.addEventListener("input", function () {
        var needle = box.value.trim().toLowerCase();
        list.querySelectorAll("li").forEach(function (item) {
          item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) < 0;
        });
      });
    });
  });
})();
