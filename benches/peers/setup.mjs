// Node-side helpers for benches/compare.mjs and benches/browser-compare.mjs: the package check, the peer
// installs, the inputs, file sizes and the machine description.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import os from 'node:os';

export const peersDir = dirname(fileURLToPath(import.meta.url));
export const wasiDir = join(peersDir, 'wasi');
export const root = join(peersDir, '..', '..');
export const pkgDir = join(root, 'pkg');

const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The files our package's entry loads: pkg/index.js and every module it imports (statically or with a
 * literal dynamic import), followed through, plus the .wasm files they reference with new URL(…).
 * Not the optional form element (element.js, form-view.js, element.css), which index.js does not load.
 */
export function oursFiles() {
  const seen = new Set();
  const wasm = new Set();
  const queue = [join(pkgDir, 'index.js')];
  while (queue.length) {
    const f = queue.shift();
    if (seen.has(f) || !existsSync(f)) continue;
    seen.add(f);
    const src = readFileSync(f, 'utf8');
    // The tools module (kpi_wasm_tools*) is loaded only by loadTools(), never to score: not counted.
    for (const m of src.matchAll(/(?:from\s*|import\s*\(\s*)['"](\.\/[^'"]+\.m?js)['"]/g)) if (!m[1].includes('_tools')) queue.push(join(dirname(f), m[1]));
    for (const m of src.matchAll(/new URL\(\s*['"](\.?\/?[^'"]+\.wasm)['"]/g)) if (!m[1].includes('_tools')) wasm.add(join(dirname(f), m[1]));
  }
  return [...seen, ...[...wasm].filter((w) => existsSync(w))];
}

/** pkg/ must exist (./build writes it; it is swapped in whole now and then, so wait briefly). */
export async function checkPkg() {
  const need = ['index.js', 'kpi_wasm.js', 'kpi_wasm_bg.wasm'].map((f) => join(pkgDir, f));
  for (let k = 0; k < 20; k++) {
    if (need.every((f) => existsSync(f))) return;
    if (k === 0 && !existsSync(pkgDir)) break;
    await sleep(500);
  }
  log(`pkg/ is missing or incomplete (${need.filter((f) => !existsSync(f)).map((f) => f.slice(root.length + 1)).join(', ')}): run ./build first.`);
  process.exit(2);
}

function npm(args, cwd) {
  log(`$ (cd ${cwd.slice(root.length + 1)} && npm ${args.join(' ')})`);
  const r = spawnSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

/**
 * Installs the peers on first run (npm install, which keeps the versions of the committed lock files;
 * not npm ci, which refuses these locks: the registry they were made with lacks most of zen-engine
 * 0.54.0's optional platform packages, so the lock files have no entries for them). Returns notes on
 * what did not install; the run goes on without it.
 */
export function ensurePeers() {
  const notes = [];
  const mainOk = ['@gorules/zen-engine', '@gorules/zen-engine-wasm', 'json-rules-engine', 'big.js']
    .every((p) => existsSync(join(peersDir, 'node_modules', p, 'package.json')));
  if (!mainOk && !npm(['install', '--no-audit', '--no-fund'], peersDir)) {
    notes.push('npm install in benches/peers failed: peers missing from this run');
  }
  // The wasm32-wasi package declares cpu: wasm32, so npm refuses it on x64 without --force.
  if (!existsSync(join(wasiDir, 'node_modules', '@gorules', 'zen-engine-wasm32-wasi', 'package.json'))
    && !npm(['install', '--force', '--no-audit', '--no-fund'], wasiDir)) {
    notes.push('npm install --force in benches/peers/wasi failed: no ZEN wasm32-wasi in this run');
  }
  return notes;
}

/** N submissions, one JSON text each, from benches/make_submissions.py (seeded). */
export function makeInputs(rulesPath, n, seed) {
  const args = [join(root, 'benches', 'make_submissions.py'), rulesPath, String(n)];
  if (seed !== undefined) args.push(String(seed));
  const out = execFileSync('python3', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return out.trim().split('\n');
}

export function fileSizes(files) {
  let raw = 0;
  let gz = 0;
  const rows = [];
  for (const f of files) {
    const buf = readFileSync(f);
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    rows.push({ file: f, raw: buf.length, gz: g });
  }
  return { raw, gz, rows };
}

export const kb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} KB`);

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? '?'}`,
    mem: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

export function rel(f) {
  return f.startsWith(root) ? f.slice(root.length + 1) : f;
}

export function exists(f) {
  try { return statSync(f).isFile(); } catch { return false; }
}
