// What an OA page adds around <kpi-assessment>: listen for its events (the e2e test reads these).
const el = document.querySelector('kpi-assessment');
window.kpiEvents = [];
for (const type of ['change', 'score', 'error']) {
  el.addEventListener(type, (event) => {
    window.kpiEvents.push({ type, total: event.detail.report?.total ?? null, grade: event.detail.report?.grade ?? null, cause: event.detail.cause ?? null });
  });
}
