// Microseconds per `LiveForm#set` of the wasm package in Node (engine.live, issue 15's ≤ 5 µs goal),
// for a built-in rule set, including the change's JSON text → JS object.
//   ./build && python3 benches/make_submissions.py rules/subdistrict.json 2000 > target/subs.jsonl
//   node benches/node-live.mjs subdistrict target/subs.jsonl
// (KPI_PKG=path/to/index.js measures another build of the package.) The edits are a form filled
// in input after input with the values of unit after unit of the file (every input of the set, in
// the proportions the generated units give them; no value set twice in a row), 60,000 calls after
// a warm-up pass over the first 5,000. A refused value throws (value.range, value.type …) and
// changes nothing: those calls are timed apart. Each figure is the median and 95th percentile of
// the calls, measured with process.hrtime.
import { readFileSync } from 'node:fs';

const [id = 'subdistrict', file = 'target/subs.jsonl', count = '60000'] = process.argv.slice(2);
const { Engine } = await import(process.env.KPI_PKG ?? '../pkg/index.js');
const units = readFileSync(file, 'utf8').trim().split('\n').map((t) => JSON.parse(t));
const engine = new Engine(id);
const start = units.find((u) => {
  try {
    engine.score(u);
    return true;
  } catch {
    return false;
  }
});
const edits = units.flatMap((u) => Object.entries(u.values));
const live = engine.live(start);

function run(n, offset, record) {
  const ok = [];
  const refused = [];
  let check = 0;
  for (let k = 0; k < n; k++) {
    const [input, value] = edits[(offset + k) % edits.length];
    const t0 = process.hrtime.bigint();
    let change = null;
    try {
      change = live.set(input, value);
    } catch {
      // refused: timed apart
    }
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    if (!record) continue;
    if (change) {
      ok.push(us);
      check += change.items.length;
    } else {
      refused.push(us);
    }
  }
  return { ok, refused, check };
}

function stats(times) {
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  return `median ${q(0.5)} µs  p95 ${q(0.95)} µs  (${times.length} calls)`;
}

run(5000, 0, false); // warm-up
const { ok, refused, check } = run(Number(count), 5000, true);
console.log(`live.set, accepted → change object  ${stats(ok)}`);
if (refused.length > 0) console.log(`live.set, refused (throws)          ${stats(refused)}`);
console.log(`(${edits.length} edits from ${units.length} units; check ${check})`);
