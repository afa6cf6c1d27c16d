// oa.js: the OA page's own script. It runs while kpi-wasm is still loading, before
// <kpi-assessment> is defined: properties set now are taken over when it is.
var form = document.querySelector('kpi-assessment');
form.unit = { id: 'yp-dq', name: '大桥街道' };
// Values as the OA system stores them: strings are converted by each field's type.
form.values = { plan_made: 'true', safety_meetings: '4', gdp: '186.5', self_check_rate: '94.5' };

// kpi-score: every recomputation (loads and edits); kpi-change: the user's edits only.
form.addEventListener('kpi-score', function (e) {
  document.getElementById('oa-total').value = e.detail.report ? e.detail.report.total : '';
});
form.addEventListener('kpi-change', function (e) {
  sessionStorage.setItem('kpi-draft', JSON.stringify(e.detail.submission));
});

// Once defined and loaded: the real properties.
customElements.whenDefined('kpi-assessment').then(function () {
  return form.ready;
}).then(function () {
  form.notes = { '1.1': '年度计划已于 2 月印发' };
  document.title = '考核表已就绪：' + form.report.total + ' 分';
});
