/* Grassroots shell: small progressive enhancements. Everything works without it. */
(function () {
  "use strict";

  // Bar charts declared in templates: <div class="gr-chart" data-chart-source="ID"> where ID is the id of a
  // {{ data|json_script:"ID" }} holding {"labels": [...], "values": [...], "name": "..."}.
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart-source]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chartSource);
      if (!source || el.dataset.chartDrawn) return;
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
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

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
})();
