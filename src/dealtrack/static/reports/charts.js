// Draws the report charts from the JSON the page embeds (#report-charts) into [data-chart] elements.
(function () {
  "use strict";
  function money(v) { return v == null ? "" : Number(v).toLocaleString(undefined, {maximumFractionDigits: 0}); }
  var builders = {
    by_month: function (d) {
      return {
        tooltip: {trigger: "axis"}, legend: {},
        xAxis: {type: "category", data: d.months}, yAxis: {type: "value", axisLabel: {formatter: money}},
        series: [{name: d.labels[0], type: "bar", data: d.now}, {name: d.labels[1], type: "bar", data: d.before}]
      };
    },
    by_stage: function (d) {
      return {
        tooltip: {trigger: "axis"}, legend: {},
        xAxis: {type: "category", data: d.stages, axisLabel: {interval: 0, rotate: 20}},
        yAxis: {type: "value", axisLabel: {formatter: money}},
        series: [{name: d.labels[0], type: "bar", data: d.values}, {name: d.labels[1], type: "bar", data: d.weighted}]
      };
    },
    funnel: function (d) {
      return {tooltip: {trigger: "item"}, series: [{type: "funnel", sort: "none", data: d, label: {show: true}}]};
    },
    lost: function (d) {
      return {tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "70%"], data: d}]};
    },
    waterfall: function (d) {
      return {
        tooltip: {trigger: "axis", formatter: function (p) { return p[1].name + ": " + money(p[1].value); }},
        xAxis: {type: "category", data: d.map(function (b) { return b.name; }), axisLabel: {interval: 0, rotate: 20}},
        yAxis: {type: "value", axisLabel: {formatter: money}},
        series: [
          {type: "bar", stack: "w", itemStyle: {color: "transparent"}, data: d.map(function (b) { return b.base; })},
          {type: "bar", stack: "w", data: d.map(function (b) { return b.value; })}
        ]
      };
    },
    forecast: function (d) {
      return {
        tooltip: {trigger: "axis"}, legend: {},
        xAxis: {type: "category", data: d.months}, yAxis: {type: "value", axisLabel: {formatter: money}},
        series: [
          {name: d.labels[0], type: "bar", stack: "f", data: d.commit},
          {name: d.labels[1], type: "bar", stack: "f", data: d.best_case},
          {name: d.labels[2], type: "bar", stack: "f", data: d.pipeline},
          {name: d.labels[3], type: "bar", data: d.won},
          {name: d.labels[4], type: "line", data: d.quota}
        ]
      };
    }
  };
  function draw() {
    var source = document.getElementById("report-charts");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      if (!builders[name] || data[name] == null) { return; }
      var chart = window.echarts.init(el);
      chart.setOption(builders[name](data[name]));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
