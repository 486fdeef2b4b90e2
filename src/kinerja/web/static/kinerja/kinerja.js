/* Kinerja's own page behaviour. The Content-Security-Policy allows scripts from this site
   only (no inline <script>, no on*= attributes, no style= attributes), so pages mark
   elements with data- attributes and this file gives them their behaviour. */
(function () {
  "use strict";

  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });

  // <span data-bar-width="42">: a bar 42 % wide (set through the DOM, which CSP allows).
  function sizeBars(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-bar-width]") : [];
    Array.prototype.forEach.call(bars, function (bar) {
      var value = parseFloat(bar.getAttribute("data-bar-width"));
      if (!isNaN(value)) {
        bar.style.width = Math.max(0, Math.min(100, value)) + "%";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  } else {
    sizeBars(document);
  }
  // Content swapped in by htmx.
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
