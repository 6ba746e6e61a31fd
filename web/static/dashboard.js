// dxtrack dashboard charts: trend with the target path, ranking bars and
// the choropleth map. No inline scripts (the CSP forbids them): the data
// come from the <script type="application/json" id="dashboard-data">
// island, figures already formatted by the server in the page's language.
// Clicking a unit drills down to its own dashboard.
(function () {
  'use strict';

  var FONT = "'Be Vietnam Pro', system-ui, sans-serif";
  var charts = [];

  function island() {
    var el = document.getElementById('dashboard-data');
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function drill(d, code) {
    if (code) window.location.href = d.drill + encodeURIComponent(code);
  }

  function trendOption(d, narrow) {
    var t = d.trend;
    return {
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'axis', renderMode: 'richText',
        formatter: function (ps) {
          var i = ps[0].dataIndex;
          var lines = [t.labels[i]];
          if (t.texts[i]) lines.push(t.name + ': ' + t.texts[i]);
          if (t.target_texts[i]) lines.push(t.target_name + ': ' + t.target_texts[i]);
          return lines.join('\n');
        }
      },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: t.labels, axisLabel: { hideOverlap: true, fontSize: narrow ? 10 : 12 } },
      yAxis: { type: 'value', scale: true, name: d.measure, splitLine: { lineStyle: { color: '#eef1f5' } } },
      series: [
        { name: t.name, type: 'line', data: t.values, connectNulls: false, symbolSize: 6,
          lineStyle: { width: 3, color: '#0f5bb5' }, itemStyle: { color: '#0f5bb5' } },
        { name: t.target_name, type: 'line', data: t.target, connectNulls: true, showSymbol: false,
          lineStyle: { width: 2, type: 'dashed', color: '#1e8e4e' }, itemStyle: { color: '#1e8e4e' } }
      ]
    };
  }

  function rankingOption(d, narrow) {
    var r = d.ranking;
    // Best first from the top, as in the grid below.
    var names = r.names.slice().reverse();
    var values = r.values.slice().reverse();
    var texts = r.texts.slice().reverse();
    return {
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText',
        formatter: function (ps) { return ps[0].name + ': ' + texts[ps[0].dataIndex]; }
      },
      grid: { left: 8, right: narrow ? 16 : 70, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef1f5' } } },
      yAxis: {
        type: 'category', data: names, axisTick: { show: false },
        axisLabel: { width: narrow ? 100 : 180, overflow: 'truncate', fontFamily: FONT, color: '#1b2430' }
      },
      dataZoom: names.length > 15 ? [{ type: 'slider', yAxisIndex: 0, right: 0, width: 14, startValue: Math.max(0, names.length - 15), endValue: names.length - 1, showDetail: false }] : [],
      series: [{
        type: 'bar', data: values, barMaxWidth: 14, cursor: 'pointer',
        itemStyle: { color: '#0f5bb5', borderRadius: [0, 4, 4, 0] },
        label: { show: !narrow, position: 'right', fontSize: 11, color: '#5d6b7d', formatter: function (p) { return texts[p.dataIndex]; } }
      }]
    };
  }

  function mapOption(d) {
    var m = d.map;
    var data = [];
    var lo = Infinity, hi = -Infinity;
    m.codes.forEach(function (code, i) {
      var v = m.values[i];
      if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      data.push({ name: code, value: v === null ? NaN : v, label_: m.names[i], text_: m.texts[i] || d.no_data });
    });
    if (lo === Infinity) { lo = 0; hi = 1; }
    var colors = ['#c0392b', '#e08a00', '#f2d16b', '#7cc47f', '#1e8e4e'];
    if (m.better === 'down') colors = colors.slice().reverse();
    return {
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'item', renderMode: 'richText',
        formatter: function (p) { return ((p.data && p.data.label_) || p.name) + ': ' + ((p.data && p.data.text_) || d.no_data); }
      },
      visualMap: { min: lo, max: hi, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
        text: [m.high, m.low], inRange: { color: colors }, outOfRange: { color: '#e6e9ee' } },
      series: [{
        type: 'map', map: 'dxtrack', nameProperty: 'code', roam: true, cursor: 'pointer',
        itemStyle: { areaColor: '#e6e9ee', borderColor: '#fff', borderWidth: 0.6 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#35a4c4' } },
        label: { show: false }, data: data
      }]
    };
  }

  function draw(el, option, d) {
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option);
    chart.on('click', function (p) {
      if (el.getAttribute('data-dash') === 'ranking') {
        var codes = d.ranking.codes.slice().reverse();
        drill(d, codes[p.dataIndex]);
      } else if (el.getAttribute('data-dash') === 'map' && p.data) {
        drill(d, p.name);
      }
    });
    charts.push(chart);
  }

  function init() {
    if (typeof window.echarts === 'undefined') return;
    var d = island();
    if (!d) return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-dash]'), function (el) {
      var kind = el.getAttribute('data-dash');
      var narrow = el.clientWidth < 520;
      if (kind === 'trend') draw(el, trendOption(d, narrow), d);
      else if (kind === 'ranking') draw(el, rankingOption(d, narrow), d);
      else if (kind === 'map' && d.map.url) {
        fetch(d.map.url, { credentials: 'same-origin' }).then(function (res) {
          if (!res.ok) throw new Error(res.status);
          return res.json();
        }).then(function (geo) {
          window.echarts.registerMap('dxtrack', geo);
          draw(el, mapOption(d), d);
        }).catch(function () { el.hidden = true; });
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
