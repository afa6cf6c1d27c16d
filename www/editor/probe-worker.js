// The threshold probe (engine.probe, `kpi diff --probe`) off the page's thread: on a large rule set
// and many submissions it takes seconds (the engine bounds it), and the author keeps editing.
// Messages: {old, new, submissions} in; {findings} or {error, problems} out.
import { Engine } from '/pkg/index.js';

self.addEventListener('message', (event) => {
  const { old, new: rules, submissions } = event.data;
  let engine = null;
  try {
    engine = new Engine(old);
    const started = performance.now();
    const findings = engine.probe(rules, submissions);
    self.postMessage({ findings, ms: Math.round(performance.now() - started) });
  } catch (err) {
    self.postMessage({ error: String(err?.message ?? err), problems: (err?.problems ?? []).map((p) => ({ code: p.code, path: p.path, message: p.message })) });
  } finally {
    engine?.free();
  }
});
