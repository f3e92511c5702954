// Plan editor: turns a drag (mouse, pen or touch, via pointer events) into the same form post a
// person without JavaScript makes with the "Place" and "Move" forms below the grid.
(function () {
  "use strict";
  var grid = document.querySelector("[data-plan-grid]");
  if (!grid) return;
  var drag = null;

  function start(event) {
    var source = event.target.closest("[data-drag-workout], [data-drag-slot]");
    if (!source || event.button > 0 || event.target.closest("a, button, input, select")) return;
    drag = { source: source, ghost: null, x: event.clientX, y: event.clientY };
    event.preventDefault();
  }

  function targetAt(x, y) {
    var el = document.elementFromPoint(x, y);
    return el ? el.closest("td[data-slot]") : null;
  }

  function move(event) {
    if (!drag) return;
    if (!drag.ghost) {
      drag.ghost = drag.source.cloneNode(true);
      drag.ghost.className = "drag-ghost";
      document.body.appendChild(drag.ghost);
    }
    drag.ghost.style.left = event.clientX + 8 + "px";
    drag.ghost.style.top = event.clientY + 8 + "px";
    var over = targetAt(event.clientX, event.clientY);
    grid.querySelectorAll(".drop-target").forEach(function (cell) { cell.classList.remove("drop-target"); });
    if (over) over.classList.add("drop-target");
  }

  function end(event) {
    if (!drag) return;
    var source = drag.source;
    if (drag.ghost) drag.ghost.remove();
    drag = null;
    var target = targetAt(event.clientX, event.clientY);
    if (!target || target === source) return;
    var form;
    if (source.hasAttribute("data-drag-workout")) {
      form = document.getElementById("drag-place");
      form.elements.workout_id.value = source.getAttribute("data-drag-workout");
      form.elements.week.value = target.getAttribute("data-week");
      form.elements.day.value = target.getAttribute("data-day");
    } else {
      form = document.getElementById("drag-move");
      form.elements.from.value = source.getAttribute("data-week") + ":" + source.getAttribute("data-day");
      form.elements.to_week.value = target.getAttribute("data-week");
      form.elements.to_day.value = target.getAttribute("data-day");
    }
    form.submit();
  }

  document.addEventListener("pointerdown", start);
  document.addEventListener("pointermove", move);
  document.addEventListener("pointerup", end);
  document.addEventListener("pointercancel", function () { if (drag && drag.ghost) drag.ghost.remove(); drag = null; });
})();
