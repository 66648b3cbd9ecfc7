// The timing-compliance dashboard's charts (ECharts from wwwroot/lib/echarts). The figures come from the page
// (script#compliance-data, computed on the server); every bar or point links to the cases behind it. The tables on
// the page hold the same numbers, for keyboards, screen readers and print.
(function () {
  'use strict';
  var source = document.getElementById('compliance-data');
  if (!source || typeof echarts === 'undefined') return;
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var green = '#2f855a', red = '#c53030', amber = '#b7791f', blue = '#2b6cb0', grey = '#718096';
  var charts = [];

  function draw(id, rows, option) {
    var element = document.getElementById(id);
    if (!element) return;
    if (!rows || rows.length === 0) {
      element.classList.add('chart-empty');
      element.textContent = L.empty;
      return;
    }
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    option.animation = false;
    option.textStyle = { fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' };
    chart.setOption(option);
    chart.on('click', function (event) {
      var row = rows[event.dataIndex];
      if (row && row.link) window.location.href = row.link;
    });
    charts.push(chart);
  }

  function names(rows) { return rows.map(function (r) { return r.name; }); }
  function values(rows, key) { return rows.map(function (r) { return r[key]; }); }
  var axisLabel = { interval: 0, width: 120, overflow: 'break', lineHeight: 14 };
  var percentAxis = { type: 'value', min: 0, max: 100, name: L.onTimeRate, axisLabel: { formatter: '{value}%' } };

  draw('chart-steps', data.steps, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 50, bottom: 70, top: 40 },
    xAxis: { type: 'category', data: names(data.steps), axisLabel: axisLabel },
    yAxis: [percentAxis, { type: 'value', name: L.decided, minInterval: 1 }],
    series: [
      { name: L.onTimeRate, type: 'bar', data: values(data.steps, 'rate'), itemStyle: { color: green }, label: { show: true, position: 'top', formatter: '{c}%' } },
      { name: L.overdueNow, type: 'bar', yAxisIndex: 1, data: values(data.steps, 'overdueNow'), itemStyle: { color: red } }
    ]
  });

  draw('chart-cities', data.cities, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 50, bottom: 40, top: 40 },
    xAxis: { type: 'category', data: names(data.cities), axisLabel: { interval: 0, rotate: data.cities.length > 6 ? 30 : 0 } },
    yAxis: [percentAxis, { type: 'value', name: L.decided, minInterval: 1 }],
    series: [
      { name: L.onTimeRate, type: 'bar', data: values(data.cities, 'rate'), itemStyle: { color: green } },
      { name: L.late, type: 'bar', yAxisIndex: 1, data: values(data.cities, 'late'), itemStyle: { color: amber } },
      { name: L.overdueNow, type: 'bar', yAxisIndex: 1, data: values(data.cities, 'overdueNow'), itemStyle: { color: red } }
    ]
  });

  draw('chart-months', data.months, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 50, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: names(data.months) },
    yAxis: [{ type: 'value', name: L.decided, minInterval: 1 }, percentAxis],
    series: [
      { name: L.onTime, type: 'bar', stack: 'decided', data: values(data.months, 'onTime'), itemStyle: { color: green } },
      { name: L.late, type: 'bar', stack: 'decided', data: values(data.months, 'late'), itemStyle: { color: red } },
      { name: L.onTimeRate, type: 'line', yAxisIndex: 1, data: values(data.months, 'rate'), itemStyle: { color: blue } }
    ]
  });

  draw('chart-tracks', data.steps, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, bottom: 70, top: 50 },
    xAxis: { type: 'category', data: names(data.steps), axisLabel: axisLabel },
    yAxis: { type: 'value', name: L.workingDays },
    series: [
      { name: L.fastUsed, type: 'bar', data: values(data.steps, 'fastUsed'), itemStyle: { color: green } },
      { name: L.standardUsed, type: 'bar', data: values(data.steps, 'standardUsed'), itemStyle: { color: blue } },
      { name: L.fastLimit, type: 'scatter', symbol: 'rect', symbolSize: [28, 3], data: values(data.steps, 'fastLimit'), itemStyle: { color: green } },
      { name: L.standardLimit, type: 'scatter', symbol: 'rect', symbolSize: [28, 3], data: values(data.steps, 'standardLimit'), itemStyle: { color: blue } }
    ]
  });

  draw('chart-breaches', data.breaches, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 20, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: names(data.breaches) },
    yAxis: { type: 'value', name: L.breaches, minInterval: 1 },
    series: [
      { name: L.explained, type: 'bar', stack: 'b', data: values(data.breaches, 'explained'), itemStyle: { color: amber } },
      { name: L.unexplained, type: 'bar', stack: 'b', data: values(data.breaches, 'unexplained'), itemStyle: { color: red } }
    ]
  });

  draw('chart-pauses', data.pauses, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 140, right: 30, bottom: 30, top: 40 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names(data.pauses), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [
      { name: L.pausedDays, type: 'bar', data: values(data.pauses, 'days'), itemStyle: { color: blue } },
      { name: L.pauses, type: 'bar', data: values(data.pauses, 'count'), itemStyle: { color: grey } }
    ]
  });

  draw('chart-extensions', data.approvers, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 130, right: 30, bottom: 30, top: 40 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names(data.approvers) },
    series: [
      { name: L.extensionDays, type: 'bar', data: values(data.approvers, 'days'), itemStyle: { color: amber } },
      { name: L.extensions, type: 'bar', data: values(data.approvers, 'count'), itemStyle: { color: grey } }
    ]
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
})();
