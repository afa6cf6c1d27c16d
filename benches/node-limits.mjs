// The largest input the limits accept (SECURITY.md), in the wasm package in Node: loading the rule
// set and scoring one submission. Inputs come from the Rust generator (benches/worst_case.rs):
//   cargo test --test limits -- --ignored && node benches/node-limits.mjs
import { readFileSync } from 'node:fs';
import { Engine } from '../pkg/index.js';

const rules = readFileSync('target/worst-case/rules.json', 'utf8');
const subs = readFileSync('target/worst-case/subs.jsonl', 'utf8').trim().split('\n');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const loads = [];
let engine;
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  engine?.free();
  engine = new Engine(rules);
  loads.push(ms(t0));
}
const scores = [];
let size = 0;
for (let i = 0; i < 10; i++) {
  const t0 = process.hrtime.bigint();
  size = engine.scoreJson(subs[i % subs.length]).length;
  scores.push(ms(t0));
}
console.log(`rule set ${(rules.length / 1e6).toFixed(1)} MB: load median ${median(loads).toFixed(0)} ms (5 runs)`);
console.log(`scoreJson: median ${median(scores).toFixed(0)} ms (10 runs), report ${(size / 1e6).toFixed(1)} M characters`);
