// Cockpit charts (驾驶舱): draws the stage bar chart, the funnel and the
// monthly trends from the JSON in data-chart-json (the tables beside them
// hold the same numbers). Clicking a bar, funnel layer or point opens the
// filtered list it counts.
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
    if (kind === "trends") {
      // Monthly trends: counts on the left axis, 万元 on the right; each
      // point carries the link of the list it counts.
      var t = data.trends || { months: [], series: [] };
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 64, top: 32, bottom: 32 },
        xAxis: { type: "category", data: t.months },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: "万元" }],
        series: t.series.map(function (s, i) {
          return {
            name: s.name, type: s.axis ? "line" : "bar", yAxisIndex: s.axis, itemStyle: { color: colors[i % colors.length] },
            data: s.values.map(function (v, j) { return { value: v, link: s.links[j] }; })
          };
        })
      };
    } else if (kind === "funnel") {
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

// Monthly report (月度报告): the 打印 button opens the browser's print
// dialog (the print stylesheet lays the report out on A4).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
