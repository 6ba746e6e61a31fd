// Periodic reporting: upload progress for the Excel form and the autosave
// status. No inline scripts (the CSP forbids them); htmx does the requests.
(function () {
  'use strict';

  function progressOf(el) {
    var form = el && el.closest && el.closest('.upload-form');
    return form ? form.querySelector('.upload-progress') : null;
  }

  // A large workbook takes a while to send: show how far it got.
  document.addEventListener('htmx:xhr:loadstart', function (e) {
    var bar = progressOf(e.target);
    if (bar) { bar.value = 0; bar.hidden = false; }
  });
  document.addEventListener('htmx:xhr:progress', function (e) {
    var bar = progressOf(e.target);
    var d = e.detail || {};
    if (bar && d.lengthComputable && d.total > 0) {
      bar.value = Math.max(bar.value, Math.round(100 * d.loaded / d.total));
    }
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    var bar = progressOf(e.target);
    if (bar) { bar.hidden = true; bar.value = 0; }
  });

  // While an autosave is on its way, say so.
  document.addEventListener('htmx:beforeRequest', function (e) {
    if (!e.target || e.target.id !== 'report-form') return;
    var st = document.getElementById('save-status');
    if (st) { st.classList.add('saving'); }
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    if (!e.target || e.target.id !== 'report-form') return;
    var st = document.getElementById('save-status');
    if (st) { st.classList.remove('saving'); }
    if (!e.detail.successful && st) {
      st.classList.add('save-error');
      st.textContent = st.getAttribute('data-offline') || st.textContent;
    }
  });
})();
