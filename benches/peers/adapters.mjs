// Engine adapters for the side-by-side benchmark, shared by benches/compare.mjs (Node) and
// benches/browser-compare.mjs (Chromium). Pure ESM: the caller loads the modules and passes them in.
//
// Every adapter takes a submission's JSON text (what a form or an HTTP body gives), as our
// `engine.score(text)` does, so JSON.parse and value conversion are part of every peer's timed call.
// An adapter: {name, group: 'ours' | 'peer', async, batch?, check, call(text) or callBatch(texts),
// pick(result) -> {total, grade} (untimed, for the agreement check), note?, timed? (false: checked only)}.

/**
 * Our package's calls. Adding a variant (e.g. a values-only or total-only path) is one entry here:
 * `method` is the Engine method, `pick` turns its result into {total, grade} for the agreement check
 * (null: not comparable with a single-unit score), `batch: true` times one call over a batch of texts
 * and reports it per unit. An entry whose method the built package lacks is skipped with a note.
 */
export const OURS = [
  { name: 'ours: score(text) → report object', method: 'score', pick: (r) => r },
  { name: 'ours: scoreJson(text) → report JSON text', method: 'scoreJson', pick: (s) => JSON.parse(s) },
  {
    name: 'ours: scoreBatch(texts), per unit', method: 'scoreBatch', batch: true, pick: null,
    note: 'a batch scores the rank item 2.5 and applies grade quotas, so its totals differ from single-unit scores by design (not compared)',
  },
];

export function oursAdapters(engine) {
  const out = [];
  for (const v of OURS) {
    if (typeof engine[v.method] !== 'function') {
      out.push({ name: v.name, group: 'ours', unavailable: `the built package has no Engine.${v.method}` });
      continue;
    }
    const m = engine[v.method].bind(engine);
    out.push({
      name: v.name, group: 'ours', async: false, batch: !!v.batch, check: !!v.pick, note: v.note,
      call: v.batch ? undefined : m,
      callBatch: v.batch ? m : undefined,
      pick: v.pick ? (r) => { const x = v.pick(r); return { total: x.total, grade: x.grade }; } : null,
    });
  }
  return out;
}

/** values (decimals as strings or numbers) -> a context of JS numbers, booleans and strings. */
export function numberContext(inputs) {
  const conv = inputs.filter((i) => i.type !== 'text').map((i) => [i.id, ['count', 'number', 'percent'].includes(i.type)]);
  return (values) => {
    const c = {};
    for (const [id, numeric] of conv) c[id] = numeric ? Number(values[id]) : values[id];
    return c;
  };
}

/** GoRules ZEN: the JDM decision graph, evaluated by a ZenDecision (async in the Node bindings). */
export function zenGraphAdapter({ name, zen, jdm, inputs, scale, note }) {
  const decision = new zen.ZenEngine().createDecision(jdm);
  const ctx = numberContext(inputs);
  return {
    name, group: 'peer', async: true, check: true, note,
    call: async (text) => {
      const r = (await decision.evaluate(ctx(JSON.parse(text).values))).result;
      return { total: r.total.toFixed(scale), grade: r.grade, lines: r.lines };
    },
    pick: (r) => r,
    // Untimed diagnosis: ZEN's own timing of the whole graph and of each node (trace: true).
    trace: async (text, trace) => decision.evaluate(ctx(JSON.parse(text).values), { trace }),
  };
}

/** A ZEN total (decimal text such as "91.5", or a number) as text with `scale` places. */
export function zenTotal(t, scale) {
  if (typeof t === 'number') return t.toFixed(scale);
  const [i, f = ''] = String(t).split('.');
  if (f.length > scale && /[^0]/.test(f.slice(scale))) throw new Error(`total ${t} has more than ${scale} places`);
  return scale ? `${i}.${f.slice(0, scale).padEnd(scale, '0')}` : i;
}

/** GoRules ZEN: the single expression through evaluateExpressionSync of the Node bindings. */
export function zenExpressionSyncAdapter({ name, zen, expression, inputs, scale, note }) {
  const ctx = numberContext(inputs);
  return {
    name, group: 'peer', async: false, check: true, note,
    call: (text) => {
      const r = zen.evaluateExpressionSync(expression, ctx(JSON.parse(text).values));
      return { total: zenTotal(r.total, scale), grade: r.grade };
    },
    pick: (r) => r,
  };
}

/** @gorules/zen-engine-wasm: expressions only; the same single expression, parsed on every call. */
export function zenWasmAdapter({ name, zenWasm, expression, inputs, scale, note, timed = true }) {
  const ctx = numberContext(inputs);
  return {
    name, group: 'peer', async: false, check: true, note, timed,
    call: (text) => {
      const r = zenWasm.evaluateExpression(expression, ctx(JSON.parse(text).values));
      return { total: zenTotal(r.total, scale), grade: r.grade };
    },
    pick: (r) => r,
  };
}

export const BIG_OPERATORS = [
  ['bigLt', (a, b) => a.lt(b)], ['bigLe', (a, b) => a.lte(b)], ['bigGt', (a, b) => a.gt(b)],
  ['bigGe', (a, b) => a.gte(b)], ['bigEq', (a, b) => a.eq(b)], ['bigNe', (a, b) => !a.eq(b)],
];

/**
 * json-rules-engine: one rule per line and per veto (generated), run with the submission's facts;
 * the generated glue sums the fired lines per item, computes the items rules cannot express, caps,
 * rounding, bonus and the grade. mode 'number' (plain JS numbers) or 'big' (big.js, custom operators).
 */
export function jreAdapter({ name, JEngine, Big, def, makeGlue, mode, note }) {
  const big = mode === 'big';
  const engine = new JEngine(def.rules, { allowUndefinedFacts: false });
  if (big) for (const [op, fn] of BIG_OPERATORS) engine.addOperator(op, fn);
  const glue = makeGlue(Big);
  const lines = def.lines.map((l) => ({
    ...l,
    points: big ? new Big(l.points) : Number(l.points),
    free: l.free === null ? null : big ? new Big(l.free) : Number(l.free),
  }));
  return {
    name, group: 'peer', async: true, check: true, note,
    call: async (text) => {
      const f = glue.facts(JSON.parse(text).values);
      const { events } = await engine.run(f);
      const sums = {};
      const hits = {};
      for (const e of events) {
        if (e.type === 'veto') { hits[e.params.id] = true; continue; }
        const l = lines[e.params.line];
        let a = l.fact === null ? l.points : big ? f[l.fact].minus(l.free).times(l.points) : (f[l.fact] - l.free) * l.points;
        if (l.round) a = glue.round(a); // a quotient's product, rounded as the engine's decimals round it
        const cur = sums[l.key];
        if (cur === undefined) sums[l.key] = a;
        else if (l.combine === 'max') sums[l.key] = (big ? a.gt(cur) : a > cur) ? a : cur;
        else sums[l.key] = big ? cur.plus(a) : cur + a;
      }
      const r = glue.finish(f, sums, hits);
      r.events = events;
      return r;
    },
    pick: (r) => ({ total: r.total, grade: r.grade }),
  };
}

/** A generated plain JS function (numbers or big.js). */
export function plainAdapter({ name, make, Big, note }) {
  const score = make(Big);
  return {
    name, group: 'peer', async: false, check: true, note,
    call: (text) => score(JSON.parse(text).values),
    pick: (r) => r,
  };
}
