// The live form in the built package (Node): engine.live(submission), set(inputId, value) with the
// changed items only, report() equal to score() of the same submission, the previous report patched
// with each change equal to the new one (applyChange: the reference the browser form mirrors),
// refused values changing nothing, and hostile arguments refused with js.argument before the
// module is entered.
// Run by ./test after ./build:  node --test js/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine, LiveForm, builtInRuleSetSource } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = readFileSync(`${root}examples/subdistrict-dq.json`, 'utf8');

/**
 * The report after a change, from the report before it and the change (docs/SPEC.md, "Live
 * forms"): what a form holding the last report does instead of calling report(). Returns a new
 * object; `report` is not modified. The fingerprint is left as it was (a change does not carry it).
 */
export function applyChange(report, change) {
  const r = structuredClone(report);
  for (const key of ['total', 'grade', 'status', 'subtotal', 'grade_by_score']) r[key] = change[key];
  if (change.grade_text === null) delete r.grade_text;
  else r.grade_text = change.grade_text;
  const byId = (list, id) => list.findIndex((x) => x.id === id);
  for (const item of change.items) {
    const section = r.sections.find((s) => byId(s.items, item.id) >= 0);
    section.items[byId(section.items, item.id)] = item;
  }
  for (const { id, score, status, lines } of change.sections) {
    const section = r.sections[byId(r.sections, id)];
    section.score = score;
    if (status === null) delete section.status;
    else section.status = status;
    section.lines = lines;
  }
  for (const key of ['adjustments', 'vetoes']) {
    for (const part of change[key]) r[key][byId(r[key], part.id)] = part;
  }
  for (const [from, to] of [['bonus', 'bonus'], ['lines', 'lines'], ['pending', 'pending'], ['warnings', 'warnings'], ['self_assessment', 'self'], ['lists', 'lists']]) {
    if (Object.hasOwn(change, from)) r[to] = change[from];
  }
  return r;
}

/** A report without its fingerprint, for comparing with a patched one. */
function unprinted(report) {
  const { fingerprint: _, ...rest } = report;
  return rest;
}

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
    assert.deepEqual(unprinted(applyChange(before, change)), unprinted(after), `${id} = ${value}`);
  }
  live.free();
  live.free();
  expectCode(() => live.report(), 'js.freed');
  engine.free();
});

test('patching the previous report with each change gives the new report', () => {
  // Every input of the set in turn, with values from example units and edge values (empty, zero,
  // out of range: refused ones change nothing), checked change by change; the sections, the
  // adjustments, the bonus, vetoes, pending entries and lines all change along the way.
  const engine = new Engine('subdistrict');
  const live = engine.live(example);
  const { inputs } = JSON.parse(builtInRuleSetSource('subdistrict'));
  let report = live.report();
  const seen = new Set();
  let k = 0;
  for (const round of [0, 1, 2]) {
    for (const { id, type, options } of inputs) {
      k += 1;
      const candidates = type === 'bool' ? [k % 2 === 0, null, true]
        : type === 'choice' ? [...options, null]
        : type === 'text' || type === 'date' ? [null]
        : [String((k * 7 + round * 3) % 40), '0', null, '100000', String(k % 5), '2.5', '95.5'];
      const value = candidates[(k + round) % candidates.length];
      let change;
      try {
        change = live.set(id, value);
      } catch (e) {
        assert.ok(/^value\.|^score\./.test(e.code), `${id} = ${value}: ${e.code}`);
        assert.deepEqual(live.report(), report, 'a refused value changes nothing');
        continue;
      }
      const after = live.report();
      assert.deepEqual(unprinted(applyChange(report, change)), unprinted(after), `${id} = ${value}`);
      for (const key of ['bonus', 'lines', 'pending', 'warnings']) {
        if (Object.hasOwn(change, key)) {
          seen.add(key);
          assert.notDeepEqual(after[key], report[key], `${key} sent unchanged`);
        }
      }
      if (change.sections.length) seen.add('sections');
      if (change.adjustments.length) seen.add('adjustments');
      if (change.vetoes.length) seen.add('vetoes');
      report = after;
    }
  }
  // The walk reached every kind of part (else it proves less than it says).
  assert.deepEqual([...seen].sort(), ['adjustments', 'bonus', 'lines', 'pending', 'sections', 'vetoes']);
  live.free();
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
