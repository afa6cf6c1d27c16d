// A host page on another origin: embeds /embed.html with kpi-wasm/host.js and drives it only by
// postMessage (through the helper). The test reads window.kpi and window.kpiLog.
import { createEmbed } from '/pkg/host.js';

const params = new URLSearchParams(location.search);
window.kpiLog = [];
const kpi = createEmbed(document.getElementById('slot'), { src: params.get('embed'), timeout: Number(params.get('timeout') ?? 20000) });
for (const type of ['ready', 'change', 'score', 'submission', 'error', 'resize']) {
  kpi.addEventListener(type, (e) => window.kpiLog.push({ type, detail: e.detail }));
}
window.kpi = kpi;
// A third-party frame on the same page (another origin), for the test that it cannot drive the form.
if (params.get('evil')) {
  const frame = document.createElement('iframe');
  frame.src = params.get('evil');
  frame.title = 'third party';
  document.getElementById('other').append(frame);
}
