// The API docs page (/api/docs/): what Swagger UI draws without a name or a keyboard stop gets one, as it
// appears (axe-core: select-name, scrollable-region-focusable; docs/e2e.md). A parameter's choice list is
// named after its parameter; an example's scrolling box can be reached with the Tab key.
(function () {
  "use strict";
  function mend(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  var target = document.getElementById("swagger-ui");
  if (!target) {
    return;
  }
  new MutationObserver(function () {
    mend(target);
  }).observe(target, { childList: true, subtree: true });
})();
