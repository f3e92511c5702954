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
