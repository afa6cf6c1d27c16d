// Side by side in Node: our package against peer rules engines doing the same scoring work.
//
//   node benches/compare.mjs            # N=2000 inputs, 3 interleaved rounds, 7 cold starts per engine
//   node benches/compare.mjs --n 5000 --rounds 5 --batch 50 --cold 9 --rules rules/subdistrict.json
//   node benches/compare.mjs --only zen,plain      # ours and just these engines (keys in ENGINES below)
//
// Uses the built pkg/ (run ./build first); installs the peers into benches/peers/ and benches/peers/wasi/
// on first run (npm install, keeping the committed lock files' versions; the wasm32-wasi build needs
// --force). The peers' rule definitions are translated from the rule set by
// benches/peers/translate.mjs and written to benches/peers/generated/ on every run. Every engine gets
// the same submission JSON texts (benches/make_submissions.py, seeded); before timing, every peer's
// total and grade are compared with ours on every input (a difference is reported, not fatal). Then
// rounds × batches, each batch through every engine in rotated order, one sample per call
// (process.hrtime via performance.now), medians and p90. Sizes of the files each engine loads (raw and
// gzip -9) and cold starts (import + instantiate, rules load, first call) in fresh child processes.
// Markdown on stdout, progress on stderr.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { checkPkg, ensurePeers, makeInputs, fileSizes, kb, machine, rel, oursFiles, peersDir, wasiDir, pkgDir, root } from './peers/setup.mjs';
import { generate, generatedDir, generatedNames } from './peers/generate.mjs';
import { translateZenExpression } from './peers/translate.mjs';
import { agreementInputs } from './peers/variants.mjs';
import {
  oursAdapters, zenGraphAdapter, zenExpressionSyncAdapter, zenWasmAdapter, jreAdapter, plainAdapter,
} from './peers/adapters.mjs';
import { agreement, measure, stats, tables, agreementDetails, fmtUs } from './peers/harness.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? argv[k + 1] : dflt;
};
const N = Number(opt('n', 2000));
const ROUNDS = Number(opt('rounds', 3));
const BATCH = Number(opt('batch', 50));
const COLD = Number(opt('cold', 7));
const RULES = join(root, opt('rules', 'rules/subdistrict.json'));
const ONLY = opt('only', null)?.split(',');
const log = (...a) => console.error(...a);

const peersRequire = createRequire(join(peersDir, 'package.json'));
const wasiRequire = createRequire(join(wasiDir, 'package.json'));
const now = () => performance.now();

// Node prints an ExperimentalWarning for WASI (through its own 'warning' listener, and in each worker
// thread the wasi build starts, which read NODE_NO_WARNINGS from the env they are given); keep stderr readable.
process.env.NODE_NO_WARNINGS = '1';
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w?.name === 'ExperimentalWarning' && String(w.message).includes('WASI')) return;
  for (const p of printers) p(w);
});

// ------------------------------------------------------------------------------------------------
// The engines. Each: key, label, load() (import + instantiate; returns a module), rules(mod, ctx)
// (load the rules; returns adapters), files(mod) (what it loads, for sizes). Peers that fail to
// load are reported and skipped.

function genFile(name) {
  return join(generatedDir, name);
}

function cjsFilesUnder(dir) {
  return Object.keys(peersRequire.cache).filter((f) => f.startsWith(dir + '/') && f.includes('/node_modules/'));
}

const ENGINES = [
  {
    key: 'ours', label: 'ours (kpi-wasm, built-in rule set)', group: 'ours',
    load: async () => import(pathToFileURL(join(pkgDir, 'index.js')).href),
    // By id when the rule set is the built-in one of that id, else (--rules of another file) its text.
    rules: (m, c) => oursAdapters(new m.Engine(m.builtInRuleSets().some((b) => b.id === c.rules.id && b.version === c.rules.version) ? c.rules.id : c.rulesText)),
    files: () => oursFiles(),
  },
  {
    key: 'ours-json', label: 'ours (kpi-wasm, rule set JSON text)', group: 'ours', coldOnly: true,
    load: async () => import(pathToFileURL(join(pkgDir, 'index.js')).href),
    rules: (m, c) => oursAdapters(new m.Engine(c.rulesText)).slice(0, 1),
    files: () => oursFiles(),
  },
  {
    key: 'zen', label: 'ZEN 0.54.0 native: JDM graph', group: 'peer',
    load: async () => peersRequire('@gorules/zen-engine'),
    rules: (zen, c) => [zenGraphAdapter({
      name: 'ZEN 0.54.0 native: JDM graph (async evaluate)', zen, jdm: JSON.parse(c.text.jdm), inputs: c.rules.inputs, scale: c.scale,
    })],
    files: () => cjsFilesUnder(join(peersDir, 'node_modules', '@gorules')),
  },
  {
    key: 'zen-expr', label: 'ZEN 0.54.0 native: one expression', group: 'peer',
    load: async () => peersRequire('@gorules/zen-engine'),
    rules: (zen, c) => [zenExpressionSyncAdapter({
      name: 'ZEN 0.54.0 native: one expression (evaluateExpressionSync)', zen, expression: c.text.zenExpression.trim(), inputs: c.rules.inputs, scale: c.scale,
    })],
    files: () => cjsFilesUnder(join(peersDir, 'node_modules', '@gorules')),
  },
  {
    key: 'zen-052', label: 'ZEN 0.52.1 native: JDM graph', group: 'peer',
    load: async () => wasiRequire('@gorules/zen-engine-linux-x64-gnu'),
    rules: (zen, c) => [zenGraphAdapter({
      name: 'ZEN 0.52.1 native: JDM graph (async evaluate)', zen, jdm: JSON.parse(c.text.jdm), inputs: c.rules.inputs, scale: c.scale,
    })],
    files: () => cjsFilesUnder(join(wasiDir, 'node_modules', '@gorules')),
  },
  {
    key: 'zen-wasi', label: 'ZEN 0.52.1 wasm32-wasi: JDM graph', group: 'peer',
    load: async (cold) => {
      // The way the docs say: NAPI_RS_FORCE_WASI=1 and the main package. Its generated loader only
      // falls back to wasi when no native binding loaded, so with the linux-x64-gnu package installed
      // (an optional dependency npm installs) it still returns the native binding; then load the wasi
      // package itself, which is what the loader would have returned.
      let viaLoader = null;
      if (cold) {
        process.env.NAPI_RS_FORCE_WASI = '1';
        viaLoader = wasiRequire('@gorules/zen-engine');
        delete process.env.NAPI_RS_FORCE_WASI;
      }
      const wasi = wasiRequire('@gorules/zen-engine-wasm32-wasi');
      if (viaLoader) wasi.__loaderGaveWasi = viaLoader.ZenEngine === wasi.ZenEngine;
      return wasi;
    },
    rules: (zen, c) => [zenGraphAdapter({
      name: 'ZEN 0.52.1 wasm32-wasi: JDM graph (async evaluate)', zen, jdm: JSON.parse(c.text.jdm), inputs: c.rules.inputs, scale: c.scale,
    })],
    files: () => [
      ...cjsFilesUnder(join(wasiDir, 'node_modules')).filter((f) => !f.includes('/@gorules/zen-engine/') && !f.includes('linux-x64-gnu')),
      join(wasiDir, 'node_modules', '@gorules', 'zen-engine-wasm32-wasi', 'zen-engine.wasm32-wasi.wasm'),
      join(wasiDir, 'node_modules', '@gorules', 'zen-engine-wasm32-wasi', 'wasi-worker.mjs'),
    ],
  },
  {
    key: 'zen-wasm', label: '@gorules/zen-engine-wasm 0.23.1: one expression', group: 'peer',
    load: async () => {
      const dir = join(peersDir, 'node_modules', '@gorules', 'zen-engine-wasm');
      const m = await import(pathToFileURL(join(dir, 'index.js')).href);
      m.initSync({ module: readFileSync(join(dir, 'dist', 'zen_engine_wasm_bg.wasm')) });
      return m;
    },
    rules: (zenWasm, c) => [
      zenWasmAdapter({
        name: '@gorules/zen-engine-wasm 0.23.1: one expression', zenWasm, expression: c.text.zenExpression.trim(), inputs: c.rules.inputs, scale: c.scale,
        note: 'the expression returns the total as text (string(#)): 0.23.1 truncates every non-integer number it returns to JS (1.5 → 1; 0.22.1 does not)',
      }),
      zenWasmAdapter({
        name: '@gorules/zen-engine-wasm 0.23.1: the same, total returned as a number', zenWasm, timed: false,
        expression: translateZenExpression(c.rules, { totalAs: 'number' }), inputs: c.rules.inputs, scale: c.scale,
      }),
    ],
    files: () => {
      const dir = join(peersDir, 'node_modules', '@gorules', 'zen-engine-wasm');
      return ['index.js', 'dist/zen_engine_wasm.js', 'dist/zen_engine_wasm_bg.wasm', 'util/index.js', 'util/variable-type.js'].map((f) => join(dir, f));
    },
  },
  ...['number', 'big'].map((mode) => ({
    key: `jre-${mode}`, label: `json-rules-engine 7.3.1, ${mode === 'big' ? 'big.js' : 'plain numbers'}`, group: 'peer',
    load: async () => ({ JEngine: peersRequire('json-rules-engine').Engine, Big: mode === 'big' ? peersRequire('big.js') : null }),
    rules: async (m, c) => {
      const glue = await import(pathToFileURL(genFile(c.names[mode === 'big' ? 'jreBigGlue' : 'jreNumberGlue'])).href);
      return [jreAdapter({
        name: `json-rules-engine 7.3.1 + JS glue, ${mode === 'big' ? 'big.js 7.0.1' : 'plain numbers'}`,
        JEngine: m.JEngine, Big: m.Big, def: JSON.parse(c.text[mode === 'big' ? 'jreBig' : 'jreNumber']), makeGlue: glue.default, mode,
      })];
    },
    files: (c) => [...cjsFilesUnder(join(peersDir, 'node_modules')).filter((f) => !f.includes('@gorules')),
      genFile(c.names[mode === 'big' ? 'jreBigGlue' : 'jreNumberGlue'])],
  })),
  ...[['plain', 'plain JS (numbers, exact rounding on integer hundredths)'], ['plainNaive', 'plain JS (numbers, Math.round(x * 100) / 100)'], ['plainBig', 'plain JS (big.js)']].map(([k, name]) => ({
    key: k, label: name, group: 'peer',
    load: async () => ({ Big: k === 'plainBig' ? peersRequire('big.js') : null }),
    rules: async (m, c) => {
      const mod = await import(pathToFileURL(genFile(c.names[k])).href);
      return [plainAdapter({ name, make: mod.default, Big: m.Big })];
    },
    files: (c) => [...(k === 'plainBig' ? cjsFilesUnder(join(peersDir, 'node_modules', 'big.js')) : []), genFile(c.names[k])],
  })),
];

function context({ regenerate = true } = {}) {
  const rulesText = readFileSync(RULES, 'utf8');
  const rules = JSON.parse(rulesText);
  const gen = regenerate ? generate(RULES) : { names: generatedNames(rules.id), changed: [] };
  const text = {};
  for (const [k, f] of Object.entries(gen.names)) if (!f.endsWith('.mjs') && existsSync(genFile(f))) text[k] = readFileSync(genFile(f), 'utf8');
  return { rules, rulesText, scale: rules.scale ?? 2, names: gen.names, text, gen };
}

// Where a ZEN graph evaluation spends its time, by ZEN's own clock (trace: true; untimed here).
async function zenBreakdown(adapters, texts) {
  const us = (s) => (s.endsWith('ns') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) * 1000 : s.endsWith('µs') ? parseFloat(s) : parseFloat(s) * 1e6);
  const notes = [];
  for (const a of adapters.filter((x) => x.trace)) {
    const total = [];
    const nodes = new Map();
    const some = texts.slice(0, 500);
    for (const t of some) total.push(us((await a.trace(t, false)).performance));
    for (const t of some) {
      const r = await a.trace(t, true);
      for (const n of Object.values(r.trace ?? {})) {
        if (!nodes.has(n.name)) nodes.set(n.name, []);
        if (n.performance) nodes.get(n.name).push(us(n.performance));
      }
    }
    const parts = [...nodes.entries()].filter(([, v]) => v.length).map(([k, v]) => `${k} ${fmtUs(stats(v).median)}`);
    notes.push(`${a.name}: by ZEN's own clock (its \`performance\` field, ${some.length} inputs, median) the graph takes ${fmtUs(stats(total).median)} µs; per node (with \`trace: true\`, which adds its own cost): ${parts.join(', ')} µs. The rest of the per-call time is moving the input and result between JS and Rust and the hop to another thread and back (\`evaluate\` is async only: libuv's thread pool natively, emnapi's worker threads in the wasi build)`);
  }
  return notes;
}

// ------------------------------------------------------------------------------------------------
// Cold start: one engine in a fresh process.

async function coldChild(key) {
  const e = ENGINES.find((x) => x.key === key);
  // The parent has regenerated the files and passes one input, so nothing but the engine runs here
  // between process start and the first result (besides Node's own start and this script's imports).
  const c = context({ regenerate: false });
  const texts = [process.env.KPI_COLD_INPUT];
  const t0 = now();
  const m = await e.load(true);
  const t1 = now();
  const adapters = await e.rules(m, c);
  const t2 = now();
  const a = adapters[0];
  const r = a.async ? await a.call(texts[0]) : a.call(texts[0]);
  const t3 = now();
  if (!a.pick(r).total) throw new Error('no total');
  const out = { key, load: t1 - t0, rules: t2 - t1, first: t3 - t2, sinceStart: t3, files: e.files(c) };
  if (m && '__loaderGaveWasi' in m) out.loaderGaveWasi = m.__loaderGaveWasi;
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

function coldStarts(keys, input) {
  const runs = new Map(keys.map((k) => [k, []]));
  const errors = new Map();
  for (let r = 0; r < COLD; r++) {
    for (const k of keys.map((_, i) => keys[(i + r) % keys.length])) {
      if (errors.has(k)) continue;
      const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', k, '--rules', rel(RULES)], { encoding: 'utf8', timeout: 120000, env: { ...process.env, KPI_COLD_INPUT: input } });
      const line = p.stdout.trim().split('\n').pop();
      try {
        runs.get(k).push(JSON.parse(line));
      } catch {
        errors.set(k, (p.stderr || p.error?.message || 'no output').trim().split('\n').slice(-3).join(' '));
      }
    }
    log(`cold starts: round ${r + 1}/${COLD}`);
  }
  return { runs, errors };
}

// ------------------------------------------------------------------------------------------------

async function main() {
  await checkPkg();
  const installNotes = ensurePeers();
  const m0 = machine();
  const c = context();
  for (const [k, why] of Object.entries(c.gen.untranslated ?? {})) log(`not translated: ${k}: ${why}`);
  if (c.gen.changed.length) log(`regenerated benches/peers/generated/: ${c.gen.changed.join(', ')} (from ${rel(RULES)}; commit them)`);
  const hasRank = c.rules.sections.some((s) => s.items.some((it) => 'rank' in it));
  log(`inputs: python3 benches/make_submissions.py ${rel(RULES)} ${N}`);
  const texts = makeInputs(RULES, N);

  // Load every engine in this process.
  const adapters = [];
  const unavailable = [];
  for (const e of ENGINES) {
    if (e.coldOnly || (ONLY && !ONLY.includes(e.key) && e.key !== 'ours')) continue;
    try {
      const m = await e.load(false);
      for (const a of await e.rules(m, c)) {
        if (a.unavailable) unavailable.push(`${a.name}: ${a.unavailable}`);
        else adapters.push(a);
      }
    } catch (err) {
      unavailable.push(`${e.label}: ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  const reference = adapters.find((a) => a.name.startsWith('ours: score('));
  // Inputs our engine refuses (make_submissions.py ignores literal count maxima, which matters for
  // rules/department.json) are left out for every engine, and counted.
  const valid = texts.filter((t) => { try { reference.call(t); return true; } catch { return false; } });
  const dropped = texts.length - valid.length;
  if (dropped) { log(`${dropped} of ${texts.length} inputs are refused by our engine (invalid values): left out`); texts.length = 0; texts.push(...valid); }
  log(`engines: ${adapters.map((a) => a.name).join('; ')}`);
  for (const u of unavailable) log(`not run: ${u}`);

  log(`agreement check over ${N} inputs …`);
  const agree = await agreement(adapters, texts, reference);
  const casesFile = join(peersDir, 'cases', `${c.rules.id}.json`);
  const cases = existsSync(casesFile) ? JSON.parse(readFileSync(casesFile, 'utf8')) : [];
  const mildAll = agreementInputs(c.rules, N, 7, cases);
  // The known cases are written for one version of the rule set; those our engine refuses (another
  // version, inputs it no longer has) are left out, and counted.
  const mild = mildAll.filter((t) => { try { reference.call(t); return true; } catch { return false; } });
  if (mild.length < mildAll.length) log(`${mildAll.length - mild.length} of ${mildAll.length} milder inputs and cases are refused by our engine (written for another version of the rule set): left out`);
  log(`agreement check over ${mild.length} milder inputs and the rule set's tests (untimed) …`);
  const agree2 = await agreement(adapters, mild, reference);
  log(`timing: ${ROUNDS} rounds × ${Math.ceil(N / BATCH)} batches of ${BATCH}, ${adapters.length} engines interleaved …`);
  const samples = await measure(adapters, texts, {
    rounds: ROUNDS, batchSize: BATCH, warm: 200, perCall: true, now,
    onRound: (r, n) => log(`  round ${r}/${n} done`),
  });
  const m1 = machine();
  const zenNotes = await zenBreakdown(adapters, texts);

  const keys = ENGINES.filter((e) => !ONLY || ONLY.includes(e.key) || e.key.startsWith('ours')).map((e) => e.key);
  log(`cold starts: ${COLD} fresh processes per engine …`);
  const cold = coldStarts(keys, texts[0]);

  // ---------------------------------------------------------------- report
  const out = [];
  out.push(`### Node: ${c.rules.id} ${c.rules.version}, ${N} submissions`, '');
  out.push(`Machine: ${m0.cpu}, ${m0.mem}, ${m0.os}, Node ${m0.node}; load average ${m0.load} at start, ${m1.load} after timing.`);
  out.push(`Command: \`node benches/compare.mjs --n ${N} --rounds ${ROUNDS} --batch ${BATCH} --cold ${COLD}\` (inputs: \`python3 benches/make_submissions.py ${rel(RULES)} ${N}\`${dropped ? `; ${dropped} refused by our engine as invalid and left out` : ''}).`, '');
  if (hasRank) {
    out.push(`The rule set has a \`rank\` item (${c.rules.sections.flatMap((s) => s.items).filter((it) => 'rank' in it).map((it) => it.id).join(', ')}): scored only in a batch, so \`engine.score\` of one submission is "provisional" with it at full points; the peers reproduce exactly that.`, '');
  }
  out.push(tables({ adapters, samples, agree, agree2 }), '');
  out.push(`Agreement is checked before timing on the timed inputs and, untimed, on ${N} milder seeded submissions (benches/peers/variants.mjs: vetoes rarely trigger, so totals and grades spread; the timed inputs trip the 弄虚作假 veto, total 0, in about half the cases and are nearly all 不合格), the rule set's ${(c.rules.tests ?? []).length} embedded test cases and ${cases.length} known cases (${rel(casesFile)}).`, '');
  const details = [agreementDetails(adapters, agree, ' (timed inputs)'), agreementDetails(adapters, agree2, ' (mild inputs)')].filter(Boolean).join('\n');
  if (details) out.push('Differences (checked before timing):', '', details, '');
  for (const a of adapters) if (a.note) out.push(`- ${a.name}: ${a.note}`);
  for (const n of zenNotes) out.push(`- ${n}`);
  for (const u of [...unavailable, ...installNotes]) out.push(`- not run: ${u}`);
  out.push('');

  out.push('Cold start (fresh `node` process each; median of ' + COLD + '; ms):', '');
  out.push('| engine | import + instantiate | rules load | first call | total | process start → first result |');
  out.push('|---|---:|---:|---:|---:|---:|');
  const sizes = [];
  const coldNotes = [];
  for (const k of keys) {
    const e = ENGINES.find((x) => x.key === k);
    const rs = cold.runs.get(k);
    if (cold.errors.has(k) || !rs.length) {
      out.push(`| ${e.label} | failed: ${cold.errors.get(k) ?? '?'} | | | | |`);
      continue;
    }
    const med = (f) => stats(rs.map(f)).median;
    out.push(`| ${e.label} | ${med((r) => r.load).toFixed(1)} | ${med((r) => r.rules).toFixed(1)} | ${med((r) => r.first).toFixed(1)} | ${med((r) => r.load + r.rules + r.first).toFixed(1)} | ${med((r) => r.sinceStart).toFixed(0)} |`);
    if (k === 'zen-wasi' && rs[0].loaderGaveWasi === false) {
      coldNotes.push('ZEN wasi: with `NAPI_RS_FORCE_WASI=1` the 0.52.1 loader (`require(\'@gorules/zen-engine\')`) still returned the native binding: its generated code tries wasi only when no native binding loaded, and npm installs the linux-x64-gnu optional dependency. The wasi package was loaded directly (what the loader would have returned).');
    }
    if (!e.coldOnly && !['zen-expr', 'plainNaive'].includes(k)) sizes.push({ label: e.label, files: rs[0].files });
  }
  if (coldNotes.length) out.push('', ...coldNotes.map((n) => `- ${n}`));
  out.push('', 'Size of what each engine loads (raw and gzip -9, per file then summed); rule definitions separately:', '');
  out.push('| engine | files | raw | gzip -9 | largest file |');
  out.push('|---|---:|---:|---:|---|');
  for (const s of sizes) {
    const fz = fileSizes([...new Set(s.files)]);
    const big = fz.rows.sort((a, b) => b.raw - a.raw)[0];
    out.push(`| ${s.label} | ${fz.rows.length} | ${kb(fz.raw)} | ${kb(fz.gz)} | ${rel(big.file).replace('benches/peers/', '').replace(/^.*node_modules\//, '')} (${kb(big.raw)}, ${kb(big.gz)} gz) |`);
  }
  out.push('');
  out.push('| rule definitions | raw | gzip -9 |', '|---|---:|---:|');
  const defRows = [
    [`${rel(RULES)} (ours; the package also ships the built-in rule sets, counted above)`, [RULES]],
    ['JDM graph (ZEN)', [genFile(c.names.jdm)]],
    ['ZEN expression (zen-engine-wasm)', [genFile(c.names.zenExpression)]],
    ['json-rules-engine rules + glue (numbers)', [genFile(c.names.jreNumber), genFile(c.names.jreNumberGlue)]],
    ['json-rules-engine rules + glue (big.js)', [genFile(c.names.jreBig), genFile(c.names.jreBigGlue)]],
    ['plain JS function (numbers)', [genFile(c.names.plain)]],
  ];
  for (const [label, files] of defRows) {
    if (!files.every((f) => existsSync(f))) {
      out.push(`| ${label} | not translated | |`);
      continue;
    }
    const fz = fileSizes(files);
    out.push(`| ${label} | ${kb(fz.raw)} | ${kb(fz.gz)} |`);
  }
  console.log(out.join('\n'));
}

if (argv[0] === '--cold-child') await coldChild(argv[1]);
else await main();
