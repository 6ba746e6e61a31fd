// dxtrack UI behaviour. No inline scripts (the CSP forbids them): charts
// read their data from <script type="application/json"> islands, whose
// labels the server has already formatted ("40,7%" or "40.7%").
(function () {
  'use strict';

  var STATUS_COLORS = {
    completed: '#1e8e4e',
    on_track: '#1565c0',
    at_risk: '#e08a00',
    overdue: '#c0392b',
    not_started: '#9aa6b5'
  };
  var FONT = "'Be Vietnam Pro', system-ui, sans-serif";
  var charts = [];

  function readIsland(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function statusOption(d) {
    function ring(key, name, center) {
      return {
        name: name,
        type: 'pie',
        radius: ['42%', '66%'],
        center: center,
        avoidLabelOverlap: true,
        label: { show: true, position: 'center', formatter: name, fontFamily: FONT, fontWeight: 600, fontSize: 13, color: '#1b2430' },
        labelLine: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: d.status.filter(function (s) { return s[key] > 0; }).map(function (s) {
          return { name: s.name, value: s[key], itemStyle: { color: STATUS_COLORS[s.key] } };
        })
      };
    }
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: '{a}\n{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll', textStyle: { fontFamily: FONT } },
      series: [ring('targets', d.targets, ['25%', '45%']), ring('tasks', d.tasks, ['75%', '45%'])]
    };
  }

  // narrow charts (phones) drop the value labels, which would overlap;
  // the tables below and the tooltip give the figures.
  function barsOption(d, bars, narrow) {
    function series(name, values, labels, color) {
      return {
        name: name,
        type: 'bar',
        barMaxWidth: 14,
        itemStyle: { color: color, borderRadius: [0, 4, 4, 0] },
        label: {
          show: !narrow, position: 'right', fontFamily: FONT, fontSize: 11, color: '#5d6b7d',
          formatter: function (p) { return labels[p.dataIndex]; }
        },
        data: values
      };
    }
    // Categories run top-down as in the tables.
    var names = bars.names.slice().reverse();
    function rev(a) { return a.slice().reverse(); }
    return {
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText',
        formatter: function (ps) {
          return ps.map(function (p, i) {
            var labels = p.seriesIndex === 0 ? rev(bars.target_labels) : rev(bars.task_labels);
            return (i === 0 ? p.name + '\n' : '') + p.seriesName + ': ' + labels[p.dataIndex];
          }).join('\n');
        }
      },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 8, right: narrow ? 16 : 110, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value', min: 0, max: 100, interval: narrow ? 50 : 20,
        axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#eef1f5' } }
      },
      yAxis: {
        type: 'category', data: names,
        axisLabel: { width: narrow ? 110 : 210, overflow: 'truncate', fontFamily: FONT, color: '#1b2430' },
        axisTick: { show: false }
      },
      series: [
        series(d.targets, rev(bars.targets), rev(bars.target_labels), '#0f5bb5'),
        series(d.tasks, rev(bars.tasks), rev(bars.task_labels), '#35a4c4')
      ]
    };
  }

  function drawCharts(root) {
    if (typeof window.echarts === 'undefined') return;
    var els = (root || document).querySelectorAll('[data-chart]');
    Array.prototype.forEach.call(els, function (el) {
      if (el.getAttribute('data-drawn')) return;
      var d = readIsland(el.getAttribute('data-source'));
      if (!d) return;
      var kind = el.getAttribute('data-chart');
      var narrow = el.clientWidth < 520;
      var option = null;
      if (kind === 'status') option = statusOption(d);
      else if (kind === 'pillars') option = barsOption(d, d.pillars, narrow);
      else if (kind === 'units') option = barsOption(d, d.units, narrow);
      if (!option) return;
      if (kind !== 'status' && option.yAxis.data.length === 0) return;
      var chart = window.echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(option);
      charts.push(chart);
      el.setAttribute('data-drawn', '1');
    });
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { c.resize(); });
    }, 150);
  });

  // Unit tree: htmx loads a branch on the first click; later clicks fold
  // and unfold it without asking the server again.
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('.tree-toggle');
    if (!btn || !btn.hasAttribute('data-loaded')) return;
    var branch = document.getElementById(btn.getAttribute('aria-controls'));
    if (!branch) return;
    var open = btn.getAttribute('aria-expanded') === 'true';
    branch.hidden = open;
    btn.setAttribute('aria-expanded', open ? 'false' : 'true');
  });

  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail && e.detail.target;
    if (target && target.classList && target.classList.contains('tree')) {
      var btn = document.querySelector('[aria-controls="' + target.id + '"]');
      if (btn) {
        btn.setAttribute('data-loaded', '1');
        btn.setAttribute('aria-expanded', 'true');
      }
      target.hidden = false;
    }
    drawCharts(target);
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { drawCharts(); });
  } else {
    drawCharts();
  }
})();
