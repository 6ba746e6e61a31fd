// dxtrack composite-index charts: a unit's radar against the cohort mean,
// and the Monte Carlo rank intervals. No inline scripts (the CSP forbids
// them): the data come from <script type="application/json"
// id="indices-data">, figures already formatted by the server.
(function () {
  'use strict';

  var FONT = "'Be Vietnam Pro', system-ui, sans-serif";

  function island() {
    var el = document.getElementById('indices-data');
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function radarOption(d, narrow) {
    return {
      textStyle: { fontFamily: FONT },
      color: ['#0f5bb5', '#9aa5b1'],
      legend: { bottom: 0, data: [d.unit, d.mean] },
      tooltip: {
        trigger: 'item', renderMode: 'richText',
        formatter: function (p) {
          var texts = p.seriesIndex === 0 || p.name === d.unit ? d.texts : d.mean_texts;
          var lines = [p.name];
          for (var i = 0; i < d.indicators.length; i++) lines.push(d.indicators[i] + ': ' + texts[i]);
          return lines.join('\n');
        }
      },
      radar: {
        radius: narrow ? '58%' : '65%',
        axisName: { color: '#334155', fontSize: narrow ? 10 : 12, overflow: 'break', width: narrow ? 80 : 120 },
        indicator: d.indicators.map(function (name, i) { return { name: name, max: d.max[i], min: 0 }; })
      },
      series: [{
        type: 'radar',
        data: [
          { name: d.unit, value: d.values, areaStyle: { opacity: 0.18 }, lineStyle: { width: 2 } },
          { name: d.mean, value: d.mean_values, lineStyle: { type: 'dashed' }, symbol: 'none' }
        ]
      }]
    };
  }

  function short(name, n) {
    return name.length > n ? name.slice(0, n - 1) + '…' : name;
  }

  // Units down the left, best first; ranks along the bottom. A long
  // cohort scrolls with the zoom bar on the right.
  function uncertaintyOption(d, narrow) {
    var n = d.units.length;
    var shown = narrow ? 15 : 25;
    var bands = d.low.map(function (lo, i) { return [lo, i, d.high[i]]; });
    return {
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: n > shown ? 40 : 16, top: 40, bottom: 32, containLabel: true },
      legend: { bottom: 0, data: [d.labels.interval, d.labels.median, d.labels.nominal] },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText',
        formatter: function (ps) {
          var i = ps[0].dataIndex;
          return d.units[i] + '\n' + d.labels.nominal + ': ' + d.nominal[i] + '\n' + d.labels.median + ': ' + d.median[i] +
            '\nP5–P95: ' + d.low[i] + '–' + d.high[i];
        }
      },
      dataZoom: n > shown ? [{ type: 'slider', yAxisIndex: 0, right: 6, width: 16, startValue: 0, endValue: shown - 1, filterMode: 'filter' },
        { type: 'inside', yAxisIndex: 0, filterMode: 'filter' }] : [],
      yAxis: { type: 'category', inverse: true, data: d.units,
        axisLabel: { fontSize: narrow ? 10 : 12, formatter: function (v) { return short(v, narrow ? 14 : 26); } } },
      xAxis: { type: 'value', min: 1, name: d.labels.rank, nameLocation: 'middle', nameGap: 22, minInterval: 1, position: 'top' },
      series: [
        {
          name: d.labels.interval, type: 'custom', data: bands, itemStyle: { color: '#0f5bb5' },
          renderItem: function (params, api) {
            var a = api.coord([api.value(0), api.value(1)]);
            var b = api.coord([api.value(2), api.value(1)]);
            var h = Math.max(4, api.size([0, 1])[1] * 0.45);
            var style = { stroke: '#0f5bb5', lineWidth: 2 };
            return { type: 'group', children: [
              { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: style },
              { type: 'line', shape: { x1: a[0], y1: a[1] - h / 2, x2: a[0], y2: a[1] + h / 2 }, style: style },
              { type: 'line', shape: { x1: b[0], y1: b[1] - h / 2, x2: b[0], y2: b[1] + h / 2 }, style: style }
            ] };
          },
          encode: { x: [0, 2], y: 1 }
        },
        { name: d.labels.median, type: 'scatter', data: d.median.map(function (m, i) { return [m, i]; }), symbolSize: 9, itemStyle: { color: '#0f5bb5' }, z: 3 },
        { name: d.labels.nominal, type: 'scatter', data: d.nominal.map(function (m, i) { return [m, i]; }), symbol: 'diamond', symbolSize: 8, itemStyle: { color: '#d97706' }, z: 4 }
      ]
    };
  }

  function draw() {
    var d = island();
    var el = document.querySelector('[data-ix-chart]');
    if (!d || !el || typeof echarts === 'undefined') return;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var render = function () {
      var narrow = el.clientWidth < 520;
      chart.setOption(d.kind === 'radar' ? radarOption(d, narrow) : uncertaintyOption(d, narrow), true);
      chart.resize();
    };
    render();
    window.addEventListener('resize', render);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
