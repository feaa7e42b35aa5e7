/* Grassroots shell: small progressive enhancements. Everything works without it. */
(function () {
  "use strict";

  // data-chart-ready="1" once ECharts has drawn the chart (its "finished" event: the animation done), which the
  // screenshots wait for (tests/e2e/test_screenshots.py)
  function ready(chart, el) {
    chart.on("finished", function () { el.dataset.chartReady = "1"; });
  }

  // Bar charts declared in templates: <div class="gr-chart" data-chart-source="ID"> where ID is the id of a
  // {{ data|json_script:"ID" }} holding {"labels": [...], "values": [...], "name": "..."}.
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart-source]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chartSource);
      if (!source || el.dataset.chartDrawn) return;
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      ready(chart, el);
      chart.setOption({
        color: ["#b3121b"],
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: {
          type: "category",
          data: data.labels,
          axisTick: { show: false },
          // every label, without the parenthesised alternative ("街道（乡镇）" → "街道")
          axisLabel: { interval: 0, formatter: function (v) { return v.replace(/\s*[（(].*[)）]$/, ""); } },
        },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: data.name || "", type: "bar", data: data.values, barMaxWidth: 36,
                   label: { show: true, position: "top" } }],
      });
      el.dataset.chartDrawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Stacked bars with an optional rate line (grassroots.pages.stack_chart): <div data-stack-chart="ID"> where ID
  // holds {"labels", "bars": [{"name", "values", "color"}], "line": {"name", "values"} (percentages), "unit"},
  // the names already translated.
  function drawStackCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-stack-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.stackChart);
      if (!source || el.dataset.chartDrawn) return;
      var data = JSON.parse(source.textContent);
      var series = data.bars.map(function (bar) {
        return { name: bar.name, type: "bar", stack: "n", data: bar.values, barMaxWidth: 36,
                 itemStyle: { color: bar.color } };
      });
      var yAxis = [{ type: "value", name: data.unit || "", minInterval: 1 }];
      if (data.line) {
        series.push({ name: data.line.name, type: "line", yAxisIndex: 1, data: data.line.values });
        yAxis.push({ type: "value", name: "%", min: 0, max: 100 });
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      ready(chart, el);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
        yAxis: yAxis,
        series: series,
      });
      el.dataset.chartDrawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Behaviour declared by attributes instead of inline handlers (the Content-Security-Policy forbids those):
  // data-autosubmit on a select submits its form on change; data-confirm on a form asks before submitting;
  // data-history-back on a button goes back; data-print prints the page.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
    // A whole-street box ([data-select-street]) ticks its group's boxes; unticking one of them unticks it.
    var group = el.closest && el.closest("[data-street-group]");
    if (group && el.matches("[data-select-street]")) {
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = el.checked; });
    } else if (group && !el.checked) {
      var street = group.querySelector("[data-select-street]");
      if (street) street.checked = false;
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Against a double click (the server's rule stays: portal/submissions.py, docs/decisions.md "Double
  // submission"): a form posted disables its submit buttons until the answer — the new page, or, for a download
  // that leaves the page as it is, 10 seconds; a second submit meanwhile is dropped. The buttons are disabled
  // after the submit event, so the pressed one's name and value are still sent. Forms htmx posts (it prevents
  // the browser's submit) are left to htmx.
  function buttonsOf(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("button, input[type=submit]"));
    var outside = form.id ? document.querySelectorAll('[form="' + form.id + '"]') : [];
    return inside.concat(Array.prototype.slice.call(outside)).filter(function (b) {
      return b.type === "submit" || b.type === "image";
    });
  }
  function release(form) {
    if (!form || !form.dataset.submitting) return;
    delete form.dataset.submitting;
    buttonsOf(form).forEach(function (b) {
      if (b.dataset.guarded) { b.disabled = false; delete b.dataset.guarded; }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || (form.method || "").toLowerCase() !== "post") return;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (b) {
        if (!b.disabled) { b.disabled = true; b.dataset.guarded = "1"; }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, 10000);
  });
  window.addEventListener("pageshow", function () {  // back to a page kept in the browser's cache
    document.querySelectorAll("form[data-submitting]").forEach(release);
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-history-back]");
    if (el) { event.preventDefault(); window.history.back(); }
    var printer = event.target.closest && event.target.closest("[data-print]");
    if (printer) { event.preventDefault(); window.print(); }
  });

  // A link to a step's form folded in <details> (a workflow button's `#anchor`) unfolds it: on arrival and
  // when the link points into the same page (the browser only scrolls to a closed <details>).
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var folded = target && target.closest && target.closest("details");
    if (folded) folded.open = true;
  }
  document.addEventListener("DOMContentLoaded", openTarget);
  window.addEventListener("hashchange", openTarget);

  function draw(root) { drawCharts(root); drawStackCharts(root); }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
  // A home block that did not load (portal/_home_block.html): say so in its place, with a link to the block as
  // a page of its own, instead of a placeholder that waits for ever.
  function lazyBlockFailed(event) {
    var el = event.detail && event.detail.elt;
    if (!el || !el.dataset || el.dataset.lazyBlock === undefined) return;
    el.removeAttribute("aria-busy");
    var waiting = el.querySelector("[data-lazy-waiting]");
    var failed = el.querySelector("[data-lazy-failed]");
    if (waiting) waiting.classList.add("d-none");
    if (failed) failed.classList.remove("d-none");
  }
  document.addEventListener("htmx:responseError", lazyBlockFailed);
  document.addEventListener("htmx:sendError", lazyBlockFailed);
})();
