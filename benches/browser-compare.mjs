// Side by side in headless Chromium: the same comparison as benches/compare.mjs with the engines a web
// page can load: our package (pkg/), @gorules/zen-engine-wasm (expressions only; no special headers
// needed), json-rules-engine and big.js bundled and minified by Vite, and the generated plain JS.
//
//   node benches/browser-compare.mjs            # N=2000, 3 rounds, samples = means of 20 calls, 5 cold starts
//   node benches/browser-compare.mjs --n 2000 --rounds 3 --batch 20 --cold 5
//
// Needs pkg/ (./build) and tools/node_modules (playwright-core, vite: installed by ./build); uses the
// system Chromium at /usr/bin/chromium (no browser download). Files are served by a small server on
// 127.0.0.1 (application/wasm for .wasm). Pages are cross-origin isolated (COOP/COEP headers) only so
// that performance.now() has 5 µs resolution instead of 100 µs; no engine needs it. Even so, a single
// call of the fastest engines is below the timer's resolution, so a sample is the mean of a batch of
// calls (per-call p90 is therefore the p90 of batch means). Markdown on stdout, progress on stderr.
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { checkPkg, ensurePeers, makeInputs, fileSizes, kb, machine, rel, oursFiles, peersDir, pkgDir, root } from './peers/setup.mjs';
import { generate, generatedDir } from './peers/generate.mjs';
import { stats, tables, agreementDetails } from './peers/harness.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? argv[k + 1] : dflt;
};
const N = Number(opt('n', 2000));
const ROUNDS = Number(opt('rounds', 3));
const BATCH = Number(opt('batch', 20));
const COLD = Number(opt('cold', 5));
const RULES = join(root, opt('rules', 'rules/subdistrict.json'));
const log = (...a) => console.error(...a);
const bundleDir = join(root, 'target', 'peers-browser');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
};

function page(script) {
  return `<!doctype html><meta charset="utf-8"><title>kpi-wasm peers</title><script type="module" src="${script}"></script>`;
}

function serve(dynamic) {
  const roots = { '/pkg/': pkgDir, '/peers/': peersDir, '/bundle/': bundleDir };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    const send = (status, type, body) => { res.writeHead(status, { ...headers, 'Content-Type': type }); res.end(body); };
    if (dynamic.has(url.pathname)) {
      const [type, body] = dynamic.get(url.pathname);
      return send(200, type, body);
    }
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
    if (!prefix) return send(404, 'text/plain', 'not found');
    let path;
    try { path = decodeURIComponent(url.pathname.slice(prefix.length)); } catch { return send(400, 'text/plain', 'bad path'); }
    const base = resolve(roots[prefix]);
    const file = resolve(base, path);
    if (path.includes('\0') || (file !== base && !file.startsWith(base + sep))) return send(403, 'text/plain', 'forbidden');
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, 'text/plain', 'not found');
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function waitResult(p, what) {
  await p.waitForFunction(() => window.__result || window.__error, null, { timeout: 0, polling: 200 });
  const r = await p.evaluate(() => ({ result: window.__result, error: window.__error }));
  if (r.error) throw new Error(`${what}: ${r.error}`);
  return r.result;
}

async function main() {
  await checkPkg();
  const installNotes = ensurePeers();
  const vite = join(root, 'tools', 'node_modules', '.bin', 'vite');
  const toolsRequire = createRequire(join(root, 'tools', 'package.json'));
  if (!existsSync(vite) || !existsSync(join(root, 'tools', 'node_modules', 'playwright-core'))) {
    log('tools/node_modules (vite, playwright-core) is missing: run ./build first (it installs tools/).');
    process.exit(2);
  }
  const gen = generate(RULES);
  if (gen.changed.length) log(`regenerated benches/peers/generated/: ${gen.changed.join(', ')} (commit them)`);
  log('$ tools/node_modules/.bin/vite build --config benches/peers/browser/vite.config.mjs');
  const b = spawnSync(vite, ['build', '--config', join(peersDir, 'browser', 'vite.config.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (b.status !== 0) { log('vite build failed'); process.exit(1); }

  const rulesText = readFileSync(RULES, 'utf8');
  const rules = JSON.parse(rulesText);
  log(`inputs: python3 benches/make_submissions.py ${rel(RULES)} ${N}`);
  const texts = makeInputs(RULES, N);
  const config = { names: gen.names, scale: rules.scale ?? 2, rounds: ROUNDS, batch: BATCH, n: N };
  const dynamic = new Map([
    ['/', [TYPES['.html'], page('/peers/browser/page.mjs')]],
    ['/cold.html', [TYPES['.html'], page('/peers/browser/cold.mjs')]],
    ['/config.json', [TYPES['.json'], JSON.stringify(config)]],
    ['/rules.json', [TYPES['.json'], rulesText]],
    ['/inputs.json', [TYPES['.json'], JSON.stringify(texts)]],
    ['/inputs1.json', [TYPES['.json'], JSON.stringify(texts.slice(0, 1))]],
  ]);
  const server = await serve(dynamic);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = toolsRequire('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const m0 = machine();
  let result;
  const cold = new Map();
  const coldErrors = new Map();
  const coldKeys = ['ours', 'ours-json', 'zen-wasm', 'jre-number', 'jre-big', 'plain', 'plainBig'];
  try {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    p.on('console', (m) => log(`[page] ${m.text()}`));
    p.on('pageerror', (e) => log(`[page error] ${e.message}`));
    await p.goto(`${origin}/`);
    result = await waitResult(p, 'comparison page');
    await ctx.close();
    log(`cold starts: ${COLD} fresh browser contexts per engine …`);
    for (const k of coldKeys) cold.set(k, []);
    // One untimed page first (the browser's first fresh context costs more), then the engines in an
    // order rotated from round to round.
    {
      const c = await browser.newContext();
      const cp = await c.newPage();
      await cp.goto(`${origin}/cold.html?engine=plain`);
      await waitResult(cp, 'warm-up');
      await c.close();
    }
    for (let r = 0; r < COLD; r++) {
      for (const k of coldKeys.map((_, i) => coldKeys[(i + r) % coldKeys.length])) {
        if (coldErrors.has(k)) continue;
        const c = await browser.newContext();
        const cp = await c.newPage();
        try {
          await cp.goto(`${origin}/cold.html?engine=${k}`);
          cold.get(k).push(await waitResult(cp, `cold ${k}`));
        } catch (e) {
          coldErrors.set(k, String(e.message).split('\n')[0]);
        }
        await c.close();
      }
      log(`cold starts: round ${r + 1}/${COLD}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const m1 = machine();

  // ---------------------------------------------------------------- report
  const adapters = result.adapters;
  const samples = new Map(result.samples);
  const agree = new Map(result.agree);
  const agree2 = new Map(result.agree2);
  const out = [];
  out.push(`### Headless Chromium: ${rules.id} ${rules.version}, ${N} submissions`, '');
  out.push(`Machine: ${m0.cpu}, ${m0.mem}, ${m0.os}; ${result.userAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? result.userAgent}; load average ${m0.load} at start, ${m1.load} at the end.`);
  out.push(`Command: \`node benches/browser-compare.mjs --n ${N} --rounds ${ROUNDS} --batch ${BATCH} --cold ${COLD}\`; cross-origin isolated: ${result.crossOriginIsolated}.`, '');
  out.push(tables({
    adapters, samples, agree, agree2, unit: 'µs per call',
    perCallNote: `A sample is the mean of a batch of ${BATCH} calls (the browser's timer is too coarse for single calls of the fast engines), so p90 is over batch means.`,
  }), '');
  out.push(`Agreement as in Node: the timed inputs${result.dropped ? ` (${result.dropped} refused by our engine as invalid and left out)` : ''}, and (untimed) ${N} milder submissions, the rule set's embedded tests and the known cases (${result.mildCount} in all${result.mildDropped ? `; ${result.mildDropped} known cases written for another version of the rule set, refused by our engine, left out` : ''}).`, '');
  const details = [agreementDetails(adapters, agree, ' (timed inputs)'), agreementDetails(adapters, agree2, ' (mild inputs)')].filter(Boolean).join('\n');
  if (details) out.push('Differences (checked before timing):', '', details, '');
  for (const a of adapters) if (a.note) out.push(`- ${a.name}: ${a.note}`);
  for (const u of [...result.unavailable, ...installNotes]) out.push(`- not run: ${u}`);
  out.push('');
  out.push(`Cold start (fresh browser context each, nothing cached; median of ${COLD}; ms):`, '');
  out.push('| engine | import + instantiate (fetch, compile) | rules load | first call | total |');
  out.push('|---|---:|---:|---:|---:|');
  const labels = {
    ours: 'ours (built-in rule set)', 'ours-json': 'ours (rule set JSON text)', 'zen-wasm': '@gorules/zen-engine-wasm 0.23.1',
    'jre-number': 'json-rules-engine 7.3.1, numbers', 'jre-big': 'json-rules-engine 7.3.1 + big.js', plain: 'plain JS (numbers)', plainBig: 'plain JS (big.js)',
  };
  for (const k of coldKeys) {
    const rs = cold.get(k) ?? [];
    if (coldErrors.has(k) || !rs.length) { out.push(`| ${labels[k]} | failed: ${coldErrors.get(k) ?? '?'} | | | |`); continue; }
    const med = (f) => stats(rs.map(f)).median.toFixed(1);
    out.push(`| ${labels[k]} | ${med((r) => r.load)} | ${med((r) => r.rules)} | ${med((r) => r.first)} | ${med((r) => r.load + r.rules + r.first)} |`);
  }
  out.push('', 'What a page ships (raw and gzip -9):', '');
  out.push('| engine | files | raw | gzip -9 |', '|---|---|---:|---:|');
  const zw = join(peersDir, 'node_modules', '@gorules', 'zen-engine-wasm');
  const rowsSz = [
    ['ours', oursFiles()],
    ['@gorules/zen-engine-wasm 0.23.1', ['index.js', 'dist/zen_engine_wasm.js', 'dist/zen_engine_wasm_bg.wasm', 'util/index.js', 'util/variable-type.js'].map((f) => join(zw, f))],
    ['json-rules-engine 7.3.1 (Vite bundle, minified)', [join(bundleDir, 'jre.js')]],
    ['big.js 7.0.1 (Vite bundle, minified)', [join(bundleDir, 'big.js')]],
    ['json-rules-engine rules + glue (numbers; rules JSON, glue unminified)', [join(generatedDir, gen.names.jreNumber), join(generatedDir, gen.names.jreNumberGlue)]],
    ['plain JS function (numbers; unminified)', [join(generatedDir, gen.names.plain)]],
  ];
  for (const [label, files] of rowsSz) {
    const fz = fileSizes(files);
    out.push(`| ${label} | ${files.map((f) => rel(f).replace(/^.*node_modules\//, '').replace('benches/peers/', '')).join(', ')} | ${kb(fz.raw)} | ${kb(fz.gz)} |`);
  }
  console.log(out.join('\n'));
}

await main();
