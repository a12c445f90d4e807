// Material wraps each content table in a box that scrolls sideways
// (.md-typeset__scrollwrap) once the page has loaded. A box that scrolls must be
// reachable by keyboard (WCAG 2.1.1; axe-core's scrollable-region-focusable):
// each one that holds nothing focusable of its own becomes a tab stop. Loaded
// only on pages with a table (theme/main.html).
window.addEventListener("load", () => {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (!box.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
      box.tabIndex = 0;
    }
  }
});
