// Median microseconds per `score` call of the wasm package in Node, for a built-in rule set.
//   ./build && python3 benches/make_submissions.py rules/subdistrict.json 2000 > target/subs.jsonl
//   node benches/node-score.mjs subdistrict target/subs.jsonl
// Every call scores a different submission (no caching); each figure is the median of all calls
// after a warm-up pass, measured with process.hrtime.
import { readFileSync } from 'node:fs';
import { Engine } from '../pkg/index.js';

const [id = 'subdistrict', file = 'target/subs.jsonl'] = process.argv.slice(2);
const texts = readFileSync(file, 'utf8').trim().split('\n');
const objects = texts.map((t) => JSON.parse(t));
const engine = new Engine(id);

function measure(label, fn, inputs) {
  for (const x of inputs.slice(0, 200)) fn(x); // warm-up
  const times = [];
  let check = 0;
  for (const x of inputs) {
    const t0 = process.hrtime.bigint();
    const r = fn(x);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    check += typeof r === 'string' ? r.length : r.sections.length;
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(`${label.padEnd(34)} median ${q(0.5)} µs  p90 ${q(0.9)} µs  (${inputs.length} calls, check ${check})`);
}

measure('score(text) → report object', (t) => engine.score(t), texts);
measure('score(object) → report object', (o) => engine.score(o), objects);
measure('scoreJson(text) → JSON text', (t) => engine.scoreJson(t), texts);
for (const [label, fn] of [['scoreBatch', (t) => engine.scoreBatch(t).length], ['scoreBatchJson', (t) => engine.scoreBatchJson(t).length]]) {
  fn(texts.slice(0, 200)); // warm-up
  const per = [];
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    fn(texts);
    per.push(Number(process.hrtime.bigint() - t0) / 1e3 / texts.length);
  }
  per.sort((a, b) => a - b);
  console.log(`${label}(${texts.length} texts)`.padEnd(34), `median ${per[1].toFixed(1)} µs per unit (3 runs)`);
}
