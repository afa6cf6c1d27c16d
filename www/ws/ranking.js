// Live ranking across a workspace: every unit's submission (as the form scores it: a value the
// engine refused is left out, so its items stay pending) goes into one `scoreBatchJson` call,
// debounced after the last change and run outside the input event, so typing is never held up.
// The engine decides every rank, quota move, rank-scored item, peer aggregate and whether a
// report is final; this module only keeps the texts and hands the results out.

export class Ranker {
  /** `onResult(result)` runs after each batch; see `run()` for the result. */
  constructor(engine, { delay = 150, onResult = () => {} } = {}) {
    this.engine = engine;
    this.delay = delay;
    this.onResult = onResult;
    this.texts = new Map(); // unit key -> submission JSON text
    this.order = [];
    this.timer = null;
    this.result = null;
    this.changed = 0;
  }

  /** Sets every unit at once (in roster order) and ranks now. */
  reset(units) {
    this.texts = new Map(units.map((u) => [u.key, u.text]));
    this.order = units.map((u) => u.key);
    return this.run();
  }

  /** One unit changed: rank again after a pause. */
  update(key, text) {
    if (!this.texts.has(key)) this.order.push(key);
    this.texts.set(key, text);
    this.schedule();
  }

  remove(key) {
    this.texts.delete(key);
    this.order = this.order.filter((k) => k !== key);
    this.schedule();
  }

  setOrder(keys) {
    this.order = keys.filter((k) => this.texts.has(k));
    this.schedule();
  }

  schedule() {
    this.changed = performance.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.delay);
  }

  /** Whether a change is waiting to be ranked. */
  get pending() {
    return this.timer !== null;
  }

  /**
   * Ranks now: `{keys, texts, json, reports: Map key -> report, errors: Map key -> problems, ms}`;
   * `json` is the engine's own output (an array of `{report}` / `{error}` in `keys` order).
   */
  run() {
    clearTimeout(this.timer);
    this.timer = null;
    const keys = [...this.order];
    const texts = keys.map((k) => this.texts.get(k));
    const t0 = performance.now();
    let json = '[]';
    let failure = null;
    try {
      if (texts.length > 0) json = this.engine.scoreBatchJson(texts);
    } catch (err) {
      failure = err;
    }
    const entries = JSON.parse(json);
    const reports = new Map();
    const errors = new Map();
    entries.forEach((e, i) => {
      if (e.report) reports.set(keys[i], e.report);
      else errors.set(keys[i], e.error ?? []);
    });
    this.result = { keys, texts, json, entries, reports, errors, failure, ms: performance.now() - t0, at: Date.now() };
    this.onResult(this.result);
    return this.result;
  }

  /** The batch reports as `kpi score --format json` prints them: compact, in roster order. */
  reportsJson() {
    const r = this.result;
    if (!r) return '[]\n';
    const items = r.entries.filter((e) => e.report).map((e) => JSON.stringify(e.report));
    return `[${items.join(',\n')}]\n`;
  }
}
