// The side-by-side benchmark's agreement check, timing loop and tables, shared by benches/compare.mjs
// (Node) and benches/browser-compare.mjs (Chromium). Pure ESM; `now()` (milliseconds) is passed in.

/**
 * Runs every checked adapter over every text and compares {total, grade} with the reference adapter's.
 * Returns Map name -> {checked, differ, totalDiffer, gradeDiffer, errors, examples: [...]}.
 */
export async function agreement(adapters, texts, reference) {
  const want = [];
  for (const t of texts) want.push(reference.pick(reference.call(t)));
  const out = new Map();
  for (const a of adapters) {
    if (!a.check) continue;
    const r = { checked: 0, differ: 0, totalDiffer: 0, gradeDiffer: 0, errors: 0, examples: [] };
    for (let k = 0; k < texts.length; k++) {
      let got;
      try {
        got = a.pick(a.async ? await a.call(texts[k]) : a.call(texts[k]));
      } catch (e) {
        r.errors++;
        if (r.examples.length < 3) r.examples.push({ k, error: String(e?.message ?? e).split('\n')[0].slice(0, 200) });
        continue;
      }
      r.checked++;
      const w = want[k];
      const dt = got.total !== w.total;
      const dg = got.grade !== w.grade;
      if (dt || dg) {
        r.differ++;
        if (dt) r.totalDiffer++;
        if (dg) r.gradeDiffer++;
        // Keep the first two differences, and the first two that change the grade.
        const gradeShown = r.examples.filter((e) => e.grade).length;
        if (r.examples.length < 2 || (dg && gradeShown < 2)) {
          const unit = JSON.parse(texts[k]).unit?.id;
          r.examples.push({ k, unit, grade: dg, ours: `${w.total} ${w.grade}`, peer: `${got.total} ${got.grade}` });
        }
      }
    }
    out.set(a.name, r);
  }
  return out;
}

/**
 * Interleaved timing: `rounds` passes over the texts in batches of `batchSize`; for every batch each
 * adapter runs the whole batch, in an order rotated from batch to batch (round robin). With perCall,
 * every call is timed on its own; otherwise a batch's mean is one sample. A batch adapter (scoreBatch)
 * is timed once per batch and gives one per-unit sample. Returns Map name -> samples (µs per call).
 */
export async function measure(all, texts, { rounds = 3, batchSize = 50, warm = 200, perCall = true, now, onRound } = {}) {
  const adapters = all.filter((a) => a.timed !== false);
  const samples = new Map(adapters.map((a) => [a.name, []]));
  let sink = 0;
  const runBatch = async (a, batch, record) => {
    if (a.batch) {
      const t0 = now();
      const r = a.callBatch(batch);
      const dt = now() - t0;
      sink += r.length;
      if (record) samples.get(a.name).push((dt * 1000) / batch.length);
      return;
    }
    if (perCall || !record) {
      for (const t of batch) {
        const t0 = now();
        const r = a.async ? await a.call(t) : a.call(t);
        const dt = now() - t0;
        sink += r ? 1 : 0;
        if (record) samples.get(a.name).push(dt * 1000);
      }
      return;
    }
    const t0 = now();
    if (a.async) for (const t of batch) sink += (await a.call(t)) ? 1 : 0;
    else for (const t of batch) sink += a.call(t) ? 1 : 0;
    samples.get(a.name).push(((now() - t0) * 1000) / batch.length);
  };
  const n = adapters.length;
  // Warm-up (not recorded): the first `warm` texts through every adapter.
  for (let b = 0; b * batchSize < Math.min(warm, texts.length); b++) {
    const batch = texts.slice(b * batchSize, Math.min((b + 1) * batchSize, warm));
    for (const a of adapters) await runBatch(a, batch, false);
  }
  const nb = Math.ceil(texts.length / batchSize);
  for (let r = 0; r < rounds; r++) {
    for (let b = 0; b < nb; b++) {
      const batch = texts.slice(b * batchSize, (b + 1) * batchSize);
      const start = (r * nb + b) % n;
      for (let i = 0; i < n; i++) await runBatch(adapters[(start + i) % n], batch, true);
    }
    if (onRound) onRound(r + 1, rounds);
  }
  if (sink === -1) console.log(sink);
  return samples;
}

export function stats(xs) {
  if (!xs || xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), mean: s.reduce((a, b) => a + b, 0) / s.length, n: s.length };
}

export function fmtUs(x) {
  if (x === undefined || x === null) return '–';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function agreementText(a, r) {
  if (!a.check) return 'not compared';
  if (!r) return '–';
  if (r.differ === 0 && r.errors === 0) return `all ${r.checked} agree`;
  const parts = [];
  if (r.differ) parts.push(`**${r.differ} of ${r.checked + r.errors} differ** (${r.totalDiffer} totals, ${r.gradeDiffer} grades)`);
  if (r.errors) parts.push(`**${r.errors} errors**`);
  return parts.join(', ');
}

/** Markdown: per-call table, then the ratio table ours/peer (ratio of medians). */
export function tables({ adapters, samples, agree, agree2 = null, unit = 'µs per call', perCallNote = '' }) {
  const st = new Map(adapters.map((a) => [a.name, stats(samples.get(a.name))]));
  const out = [];
  out.push(`| engine | median ${unit} | p90 | samples | same total and grade as ours: timed inputs |${agree2 ? ' mild inputs, rule-set tests, known cases |' : ''}`);
  out.push(`|---|---:|---:|---:|---|${agree2 ? '---|' : ''}`);
  for (const a of adapters) {
    const s = st.get(a.name);
    const t = a.timed === false ? ['not timed', '', ''] : [fmtUs(s?.median), fmtUs(s?.p90), s?.n ?? 0];
    out.push(`| ${a.name} | ${t.join(' | ')} | ${agreementText(a, agree.get(a.name))} |${agree2 ? ` ${agreementText(a, agree2.get(a.name))} |` : ''}`);
  }
  if (perCallNote) out.push('', perCallNote);
  const ours = adapters.filter((a) => a.group === 'ours');
  const peers = adapters.filter((a) => a.group === 'peer' && a.timed !== false);
  out.push('', 'Ratio of medians, ours / peer (below 1: ours is faster; above 1: ours is slower):', '');
  out.push(`| peer | ${ours.map((o) => o.name.replace(/^ours: /, '')).join(' | ')} |`);
  out.push(`|---|${ours.map(() => '---:').join('|')}|`);
  for (const p of peers) {
    const ps = st.get(p.name);
    const cells = ours.map((o) => {
      const os = st.get(o.name);
      if (!os || !ps) return '–';
      const x = os.median / ps.median;
      return x >= 10 ? `${x.toFixed(0)}×` : x >= 1 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
    });
    out.push(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

export function agreementDetails(adapters, agree, label = '') {
  const out = [];
  for (const a of adapters) {
    const r = agree.get(a.name);
    if (!r || (r.differ === 0 && r.errors === 0)) continue;
    out.push(`- ${a.name}${label}: ${r.differ} differ, ${r.errors} errors of ${texts(r)}; e.g. ` +
      r.examples.map((e) => (e.error ? `input #${e.k}: ${e.error}` : `input #${e.k} (${e.unit}): ours ${e.ours}, peer ${e.peer}`)).join('; '));
  }
  return out.join('\n');
}
const texts = (r) => r.checked + r.errors;
