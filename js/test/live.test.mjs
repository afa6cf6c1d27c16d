// The live form in the built package (Node): engine.live(submission), set(inputId, value) with the
// changed items only, report() equal to score() of the same submission, refused values changing
// nothing, and hostile arguments refused with js.argument before the module is entered.
// Run by ./test after ./build:  node --test js/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine, LiveForm } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = readFileSync(`${root}examples/subdistrict-dq.json`, 'utf8');

function expectCode(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, e.message);
    assert.ok(Array.isArray(e.problems) && e.problems.length > 0);
    return e;
  }
  assert.fail(`expected a thrown error with code ${code}`);
}

test('a live form reports what score gives after every change', () => {
  const engine = new Engine('subdistrict');
  const sub = JSON.parse(example);
  const live = engine.live(example);
  assert.deepEqual(live.report(), engine.score(sub));
  const edits = [
    ['unfinished_tasks', 3],
    ['unfinished_tasks', '0'],
    ['hazards_found', 40],
    ['plan_made', false],
    ['plan_made', null],
    ['plan_made', true],
  ];
  for (const [id, value] of edits) {
    const before = engine.score(sub);
    const change = live.set(id, value);
    sub.values[id] = value;
    const after = engine.score(sub);
    assert.deepEqual(live.report(), after, `${id} = ${value}`);
    assert.equal(change.total, after.total);
    assert.equal(change.grade, after.grade);
    assert.equal(change.status, after.status);
    // Exactly the items whose result changed.
    const old = new Map(before.sections.flatMap((s) => s.items).map((i) => [i.id, JSON.stringify(i)]));
    const changed = after.sections.flatMap((s) => s.items).filter((i) => old.get(i.id) !== JSON.stringify(i));
    assert.deepEqual(change.items, changed);
  }
  live.free();
  live.free();
  expectCode(() => live.report(), 'js.freed');
  engine.free();
});

test('a refused value changes nothing; the form keeps working', () => {
  const engine = new Engine('subdistrict');
  const live = engine.live(example);
  const report = live.report();
  expectCode(() => live.set('unfinished_tasks', -1), 'value.range');
  expectCode(() => live.set('unfinished_tasks', '2.5'), 'value.type');
  expectCode(() => live.set('no_such_input', 1), 'value.unknown');
  // A bound naming another input: fixed hazards may not exceed those found.
  expectCode(() => live.set('hazards_fixed', 100000), 'value.range');
  assert.deepEqual(live.report(), report);
  assert.equal(live.set('unfinished_tasks', 1).items.length, 1);
});

test('hostile arguments are refused before the module is entered', () => {
  const engine = new Engine('subdistrict');
  expectCode(() => engine.live(undefined), 'js.argument');
  expectCode(() => engine.live('{'), 'json.syntax');
  const live = engine.live(example);
  expectCode(() => live.set(42, 1), 'js.argument');
  expectCode(() => live.set('unfinished_tasks', undefined), 'js.argument');
  expectCode(() => live.set('unfinished_tasks', NaN), 'js.argument');
  expectCode(() => live.set('unfinished_tasks', 10n), 'js.argument');
  expectCode(() => live.set('unfinished_tasks', () => 1), 'js.argument');
  const evil = [{ get x() { throw new Error('boom'); } }];
  expectCode(() => live.set('unfinished_tasks', evil), 'js.argument');
  expectCode(() => LiveForm.prototype.set.call({}, 'unfinished_tasks', 1), 'js.argument');
  expectCode(() => new LiveForm(), 'js.argument');
  // Still working after all of that.
  assert.equal(live.set('unfinished_tasks', '2').status, live.report().status);
  // A live form outlives its engine's free (it holds its own copy of the rule set).
  engine.free();
  assert.equal(live.report().rules.id, 'subdistrict');
});
