// No argument can kill the wasm module (issue 13, finding 1). Calls every Engine method, the
// constructor and the free functions with every kind of JS value (primitives, BigInt, Symbol,
// functions, Proxies including revoked ones, throwing getters and toJSON, huge sparse arrays,
// frozen and cyclic objects, typed arrays, …) for 100,000 calls, seeded, and checks that each one
// either returns or throws an Error with `code`, `path` and `problems`; then that the module still
// scores the golden corpus exactly and `new Engine()` still works.
//
//   node --test js/test/api-hostile.test.mjs            (a fresh seed each run, printed)
//   KPI_HOSTILE_SEED=1234 node --test js/test/api-hostile.test.mjs     (replay one)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine, MAX_DOCUMENT_BYTES, MAX_BATCH, builtInRuleSets, builtInRuleSetSource } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const CALLS = Number(process.env.KPI_HOSTILE_CALLS ?? 100_000);
const SEED = Number(process.env.KPI_HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DQ = read('examples/subdistrict-dq.json');
const DQ_OBJECT = JSON.parse(DQ);
/** The example's total (`kpi score --rules subdistrict examples/subdistrict-dq.json`). */
const DQ_TOTAL = '89.15';
const RULES_2027 = read('examples/subdistrict-2027.json');
const thrower = () => {
  throw new TypeError('hostile getter');
};
const hostileThrow = () => {
  // Throws something that is not an Error and whose own conversion throws.
  throw new Proxy({}, { get: thrower, getPrototypeOf: thrower, has: thrower });
};

function revoked(target) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function cyclic() {
  const o = { format: 'kpi-submission/1', values: {} };
  o.values.self = o;
  return o;
}

// Over the document limit: each costs milliseconds to copy or stringify, so they are among the
// exact cases below rather than in the random mix.
const BIG = ' '.repeat(MAX_DOCUMENT_BYTES + 1);
const BIG_ARRAY = [BIG];

let deep = [];
for (let i = 0; i < 200_000; i += 1) deep = [deep];

/** Every kind of JS value, made fresh for each call (a revoked Proxy, a Map, a getter…). */
const VALUES = [
  () => undefined, () => null, () => true, () => false, () => 0, () => -0, () => NaN, () => Infinity, () => -1, () => 2 ** 53, () => 1e308, () => 3.5,
  () => '', () => ' ', () => '{', () => '[]', () => '{}', () => 'null', () => '0', () => 'subdistrict', () => ' department ', () => 'nope',
  () => '\u0000', () => '\ud800', () => '"\ud800"', () => '{"format":"kpi-submission/1"}', () => '[' + '['.repeat(300) + ']'.repeat(300) + ']',
  () => DQ, () => DQ_OBJECT, () => Object.freeze(structuredClone(DQ_OBJECT)), () => ({ ...DQ_OBJECT, values: { ...DQ_OBJECT.values, safety_meetings: 'x' } }),
  () => RULES_2027, () => JSON.parse(RULES_2027),
  () => 1n, () => 2n ** 70n, () => Symbol('s'), () => Symbol.iterator, () => () => 1, () => async () => 1, () => class A {}, () => function* g() {},
  () => new Date(0), () => new Date(NaN), () => new Map([[1, 2]]), () => new Set([1]), () => new WeakMap(), () => /x/g, () => new Error('e'), () => Promise.resolve(1),
  () => new Uint8Array(16), () => new Float64Array([1.5, NaN]), () => new BigInt64Array(2), () => new ArrayBuffer(8), () => new DataView(new ArrayBuffer(4)),
  () => new Array(2 ** 32 - 1), () => new Array(MAX_BATCH + 1), () => [, , 1], () => [DQ, DQ_OBJECT], () => [DQ, '{', 1n], () => [DQ, revoked({})],
  () => Object.defineProperty([DQ], 0, { get: thrower }), () => Object.defineProperty([DQ, DQ], 1, { get: hostileThrow }),
  () => Object.defineProperty({}, 'format', { get: thrower, enumerable: true }),
  () => ({ toJSON: thrower }), () => ({ toJSON: () => 1n }), () => ({ toJSON: hostileThrow }), () => ({ toJSON: () => DQ_OBJECT }),
  () => cyclic(), () => { const a = [DQ]; a.push(a); return a; }, () => Object.freeze({ a: Object.freeze([1]) }), () => Object.create(null), () => ({ [Symbol('k')]: 1 }),
  () => revoked({}), () => revoked([]), () => revoked(() => 1),
  () => new Proxy([DQ, DQ], { get: (t, k) => (k === 'length' ? thrower() : t[k]) }),
  () => new Proxy([DQ], { get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : t[k]) }),
  () => new Proxy([DQ], { get: (t, k) => (k === '0' ? hostileThrow() : t[k]) }),
  () => new Proxy({}, { ownKeys: thrower }), () => new Proxy({}, { get: thrower, getOwnPropertyDescriptor: thrower, ownKeys: thrower }),
  () => new Proxy(DQ_OBJECT, {}),
  () => ({ valueOf: thrower, toString: thrower }), () => ({ format: 'kpi-submission/1', values: new Array(2 ** 32 - 1) }),
  () => ({ format: 'kpi-submission/1', values: { a: 1n } }), () => ({ get big() { return 'x'.repeat(1000); } }),
  () => [[[[DQ]]]], () => deep,
];

const engines = [new Engine('subdistrict'), new Engine(RULES_2027)];
const freed = new Engine('department');
freed.free();

/** Every entry point, each taking values from `pick()`. */
const CALLS_TABLE = [
  ['new Engine', (v) => new Engine(v())],
  ['score', (v, e) => e.score(v())],
  ['scoreJson', (v, e) => e.scoreJson(v())],
  ['validate', (v, e) => e.validate(v())],
  ['form', (v, e) => e.form(v())],
  ['ruleSet', (v, e) => e.ruleSet(v())],
  ['scoreBatch', (v, e) => e.scoreBatch(v())],
  ['scoreBatchJson', (v, e) => e.scoreBatchJson(v())],
  ['batchCsv', (v, e) => e.batchCsv(v())],
  ['diff', (v, e) => e.diff(v(), v())],
  ['diffCsv', (v, e) => e.diffCsv(v(), v())],
  ['ruleChanges', (v, e) => e.ruleChanges(v())],
  ['freed engine', (v) => freed.score(v())],
  ['wrong this', (v) => Engine.prototype.score.call(v(), DQ)],
  ['free twice', () => { const e = new Engine('subdistrict'); e.free(); e.free(); return e.ruleSet(); }],
  ['builtInRuleSets', (v) => builtInRuleSets(v())],
  ['builtInRuleSetSource', (v) => builtInRuleSetSource(v())],
];

function checkError(err, where) {
  assert.ok(err instanceof Error, `${where}: threw a non-Error ${typeof err}`);
  assert.ok(!(err instanceof WebAssembly.RuntimeError), `${where}: the module trapped: ${err.message}`);
  assert.equal(typeof err.code, 'string', `${where}: no code on ${err.name}: ${err.message}`);
  assert.ok(err.code.length > 0, `${where}: empty code`);
  assert.equal(typeof err.path, 'string', `${where}: no path`);
  assert.ok(Array.isArray(err.problems) && err.problems.length > 0, `${where}: no problems`);
}

test(`${CALLS} calls with hostile arguments: every one returns or throws a coded Error; the module keeps scoring`, () => {
  console.log(`api-hostile: seed ${SEED} (KPI_HOSTILE_SEED=${SEED} to replay), ${CALLS} calls`);
  const random = rng(SEED);
  const pick = () => VALUES[Math.floor(random() * VALUES.length)]();
  const expected = engines[0].scoreJson(DQ);
  const counts = { returned: 0, threw: 0 };
  const codes = new Map();
  for (let i = 0; i < CALLS; i += 1) {
    const [name, call] = CALLS_TABLE[Math.floor(random() * CALLS_TABLE.length)];
    const engine = engines[Math.floor(random() * engines.length)];
    const where = `call ${i} ${name} (seed ${SEED})`;
    let result;
    try {
      result = call(pick, engine);
      counts.returned += 1;
    } catch (err) {
      checkError(err, where);
      counts.threw += 1;
      codes.set(`${name} ${err.code}`, (codes.get(`${name} ${err.code}`) ?? 0) + 1);
      continue;
    }
    if (name === 'new Engine') result.free();
    if (name === 'validate') assert.ok(Array.isArray(result), `${where}: validate returned ${typeof result}`);
    if (name === 'scoreBatch') assert.ok(Array.isArray(result), `${where}: scoreBatch returned ${result}`);
    if (i % 5000 === 0) assert.equal(engines[0].scoreJson(DQ), expected, `${where}: scoring changed`);
  }
  console.log(`api-hostile: ${counts.returned} returned, ${counts.threw} threw coded errors; ${codes.size} (method, code) pairs`);
  // The calls did reach every guard: argument, freed, limits and the engine's own codes.
  const seen = new Set([...codes.keys()].map((k) => k.split(' ').at(-1)));
  for (const code of ['js.argument', 'js.freed', 'limit.batch', 'json.syntax', 'json.too_deep']) assert.ok(seen.has(code), `no ${code} among ${[...seen].join(', ')}`);
  assert.equal(engines[0].scoreJson(DQ), expected);
  assert.equal(engines[1].ruleSet().version, '2027.1');
});

test('the exact cases of issue 13: scoreJson of non-strings, lists that throw when read, a freed engine', () => {
  const engine = new Engine('subdistrict');
  for (const v of [0, NaN, true, 1n, {}, new Date(0), new Map(), undefined, null, [], [DQ], Symbol('x')]) {
    const err = assert.throws(() => engine.scoreJson(v), (e) => e.code === 'js.argument' && e.problems[0].code === 'js.argument' && e.path === '');
    void err;
  }
  for (const method of ['scoreBatch', 'scoreBatchJson', 'batchCsv']) {
    assert.throws(() => engine[method](revoked([])), (e) => e.code === 'js.argument', method);
    assert.throws(() => engine[method](new Array(2 ** 32 - 1)), (e) => e.code === 'limit.batch', method);
  }
  assert.throws(() => engine.diff('subdistrict', revoked([])), (e) => e.code === 'js.argument');
  // Texts over the limits: a document refused from its length, a list's text read and refused, an
  // element over the limit refused in its own entry.
  assert.throws(() => engine.score(BIG), (e) => e.code === 'json.too_large');
  assert.throws(() => new Engine(BIG), (e) => e.code === 'json.too_large');
  assert.throws(() => engine.scoreBatch(BIG), (e) => e.code === 'json.too_large');
  assert.throws(() => engine.scoreBatch(' '.repeat(65 * 1024 * 1024)), (e) => e.code === 'limit.batch');
  assert.equal(engine.scoreBatch(BIG_ARRAY)[0].error[0].code, 'json.too_large');
  assert.throws(() => engine.scoreBatch(new Array(9).fill(BIG)), (e) => e.code === 'limit.batch' && e.index === 7);
  // An element getter that throws: its own entry in a batch, a thrown error with its index elsewhere.
  const list = Object.defineProperty([DQ, DQ], 1, { get: thrower });
  const batch = engine.scoreBatch(list);
  assert.equal(batch[0].report.total, DQ_TOTAL);
  assert.equal(batch[1].error[0].code, 'js.argument');
  assert.throws(() => engine.batchCsv(list), (e) => e.code === 'js.argument' && e.index === 1 && e.path === '/1');
  assert.throws(() => engine.diff('subdistrict', list), (e) => e.code === 'js.argument' && e.index === 1);
  // 2,000 of them in a row (≈1,600 killed the module before): free() still works, and scoring.
  for (let i = 0; i < 2000; i += 1) {
    try {
      engine.scoreBatch(i % 2 ? revoked([]) : new Proxy([DQ], { get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : t[k]) }));
    } catch (err) {
      checkError(err, `round ${i}`);
    }
  }
  assert.equal(engine.score(DQ).total, DQ_TOTAL);
  engine.free();
  for (const method of ['score', 'scoreJson', 'form', 'ruleSet', 'scoreBatch', 'batchCsv', 'ruleChanges', 'validate']) {
    assert.throws(() => engine[method](DQ), (e) => e.code === 'js.freed' && e.problems[0].code === 'js.freed', method);
  }
  assert.throws(() => engine.diff('subdistrict', [DQ]), (e) => e.code === 'js.freed');
  engine.free(); // twice: nothing
  // A bad engine argument type is a coded error too, and the old numeric behaviour stays.
  assert.throws(() => new Engine(), (e) => e.code === 'js.argument');
  assert.throws(() => new Engine(1n), (e) => e.code === 'js.argument');
  assert.throws(() => new Engine(revoked({})), (e) => e.code === 'js.argument');
  assert.throws(() => new Engine(42), (e) => e.code === 'field.type');
  assert.equal(builtInRuleSetSource(revoked({})), undefined);
  assert.equal(builtInRuleSetSource({ toString: thrower }), undefined);
});

test('afterwards the module scores the golden corpus exactly and new Engine() works', () => {
  let compared = 0;
  for (const dir of readdirSync(`${root}tests/cases`).sort()) {
    const path = `tests/cases/${dir}`;
    if (existsSync(`${root}${path}/rules.out.json`)) continue;
    const rules = existsSync(`${root}${path}/rules.builtin`) ? read(`${path}/rules.builtin`).trim() : read(`${path}/rules.json`);
    const engine = new Engine(rules);
    for (const f of readdirSync(`${root}${path}`).filter((f) => f.endsWith('.sub.json')).sort()) {
      const expected = JSON.parse(read(`${path}/${f.replace('.sub.json', '.out.json')}`));
      const sub = read(`${path}/${f}`);
      if (expected.error) {
        assert.throws(() => engine.scoreJson(sub), (e) => e.code === expected.error[0].code, `${path}/${f}`);
      } else {
        assert.deepEqual(JSON.parse(engine.scoreJson(sub)), expected, `${path}/${f}`);
      }
      compared += 1;
    }
    engine.free();
  }
  assert.ok(compared >= 50, `compared only ${compared}`);
  for (const id of ['subdistrict', 'department', 'enterprise']) assert.equal(new Engine(id).ruleSet().id, id);
});
