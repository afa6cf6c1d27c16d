// The threshold probe (engine.probe, `kpi diff --probe`) off the page's thread: on a large rule set
// and many submissions it takes seconds (the engine bounds it), and the author keeps editing.
// Messages: {old, new, submissions} in; {findings, ms} or {error, problems} out.
//
// The listener is registered before anything is awaited (the package loads its wasm with a
// top-level await, and a message arriving meanwhile would find no listener); the package is
// imported inside it.
self.addEventListener('message', async (event) => {
  const { old, new: rules, submissions } = event.data;
  let engine = null;
  try {
    const { Engine, loadTools } = await import('/pkg/index.js');
    await loadTools(); // probe is in the package's tools module
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
