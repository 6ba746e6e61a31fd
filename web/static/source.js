// dxtrack source page: the records a source sent per day, accepted and
// refused, as stacked bars. No inline scripts (the CSP forbids them): the
// data come from the <script type="application/json" id="source-data">
// island, labels already in the page's language. The form's pull settings
// show only when the source is pulled.
(function () {
  'use strict';

  var FONT = "'Be Vietnam Pro', system-ui, sans-serif";

  // Figures in the page's language: "1.200" in Vietnamese, "1,200" in
  // English.
  var NUM = new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-US' : 'vi-VN');
  function num(v) { return NUM.format(v); }

  function volume(el, d) {
    var narrow = el.clientWidth < 520;
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: num },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.labels, axisLabel: { hideOverlap: true, fontSize: narrow ? 10 : 12 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: num }, splitLine: { lineStyle: { color: '#eef1f5' } } },
      series: [
        { name: d.accepted_name, type: 'bar', stack: 'n', data: d.accepted, itemStyle: { color: '#1e8e4e' }, barMaxWidth: 18 },
        { name: d.refused_name, type: 'bar', stack: 'n', data: d.refused, itemStyle: { color: '#c0392b' }, barMaxWidth: 18 }
      ]
    });
    var t = null;
    window.addEventListener('resize', function () {
      clearTimeout(t);
      t = setTimeout(function () { chart.resize(); }, 150);
    });
  }

  function pullToggle() {
    var radios = document.querySelectorAll('input[name="mode"]');
    var box = document.getElementById('pull-settings');
    if (!radios.length || !box) return;
    function sync() {
      var pull = document.querySelector('input[name="mode"]:checked');
      box.hidden = !(pull && pull.value === 'pull');
    }
    Array.prototype.forEach.call(radios, function (r) { r.addEventListener('change', sync); });
    sync();
  }

  function init() {
    pullToggle();
    var el = document.querySelector('[data-source-chart="volume"]');
    var island = document.getElementById('source-data');
    if (!el || !island || typeof window.echarts === 'undefined') return;
    var d;
    try { d = JSON.parse(island.textContent); } catch (e) { return; }
    volume(el, d);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
