// Cockpit charts (驾驶舱): draws the stage bar chart and the funnel from the
// JSON in data-chart-json (the tables beside them hold the same numbers).
// Clicking a bar or funnel layer opens the filtered project list.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var colors = ["#2563eb", "#0891b2", "#059669", "#d97706", "#7c3aed", "#16a34a", "#9ca3af", "#dc2626"];

  function draw(el) {
    var data;
    try { data = JSON.parse(el.getAttribute("data-chart-json")); } catch (e) { return; }
    var kind = el.getAttribute("data-chart");
    var rows = data[kind] || [];
    var chart = window.echarts.init(el);
    var option;
    if (kind === "funnel") {
      option = {
        tooltip: { trigger: "item", formatter: "{b}：{c} 个" },
        series: [{
          type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: rows.map(function (r, i) { return { name: r.label, value: r.value, link: r.link, itemStyle: { color: colors[i % colors.length] } }; })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 32 },
        xAxis: { type: "category", axisLabel: { interval: 0, fontSize: 11 }, data: rows.map(function (r) { return r.label; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{
          type: "bar", label: { show: true, position: "top" },
          data: rows.map(function (r, i) { return { value: r.value, link: r.link, itemStyle: { color: colors[i % colors.length] } }; })
        }]
      };
    }
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data.link) { window.location.href = p.data.link; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
