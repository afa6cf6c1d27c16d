// Counts what the host page's own handlers see, as an OA page's jQuery-style delegation would.
window.hostEvents = { change: 0, kpiChange: 0, kpiScore: 0, input: 0, submit: 0, invalid: 0, changeTargets: [] };
const f = document.getElementById('f');
f.addEventListener('change', (e) => { window.hostEvents.change += 1; window.hostEvents.changeTargets.push(e.target.localName); });
f.addEventListener('kpi-change', () => { window.hostEvents.kpiChange += 1; });
f.addEventListener('kpi-score', () => { window.hostEvents.kpiScore += 1; });
f.addEventListener('input', () => { window.hostEvents.input += 1; });
f.addEventListener('submit', () => { window.hostEvents.submit += 1; });
document.getElementById('kpi').addEventListener('invalid', () => { window.hostEvents.invalid += 1; });
