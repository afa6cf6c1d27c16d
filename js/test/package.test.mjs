// Tests of the built package (pkg/) in Node: the JS-facing API, errors, hostile inputs, and the
// whole golden corpus scored through wasm byte-identical to the native CLI.
// Run by ./test after ./build:  node --test js/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Engine, MAX_DOCUMENT_BYTES, builtInRuleSets, builtInRuleSetSource } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kpi = `${root}target/release/kpi`;
const read = (p) => readFileSync(`${root}${p}`, 'utf8');

function expectKpiError(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, 'throws a JS Error');
    assert.equal(typeof e.code, 'string');
    assert.equal(typeof e.path, 'string');
    assert.ok(Array.isArray(e.problems) && e.problems.length > 0);
    if (code) assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected a thrown error${code ? ` with code ${code}` : ''}`);
}

test('built-in rule sets are listed and load by id', () => {
  const ids = builtInRuleSets().map((r) => r.id);
  assert.deepEqual(ids, ['subdistrict', 'department', 'enterprise']);
  for (const id of ids) {
    const engine = new Engine(id);
    assert.equal(engine.ruleSet().id, id);
    assert.equal(JSON.parse(builtInRuleSetSource(id)).format, 'kpi-rules/1');
  }
  assert.equal(builtInRuleSetSource('nope'), undefined);
});

test('score takes text or objects and returns decimals as strings', () => {
  const engine = new Engine('subdistrict');
  const text = read('examples/subdistrict-dq.json');
  const fromText = engine.score(text);
  const fromObject = engine.score(JSON.parse(text));
  assert.deepEqual(fromObject, fromText);
  assert.equal(fromText.total, '89.15');
  assert.equal(typeof fromText.total, 'string');
  assert.equal(fromText.status, 'final');
  assert.equal(fromText.sections[1].items[1].score, '0.83');
});

test('rules may be given as an object too', () => {
  const engine = new Engine(JSON.parse(read('tests/cases/deduct/rules.json')));
  const report = engine.score(read('tests/cases/deduct/caps-and-max.sub.json'));
  assert.equal(report.total, '5.00');
  assert.equal(report.grade, '不合格');
});

test('validate lists problems without throwing, including empty required fields', () => {
  const engine = new Engine('subdistrict');
  const problems = engine.validate({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: '2026.1' }, unit: { id: 'x', name: '某街道' }, values: { plan_made: 'yes', bogus: 1 } });
  const codes = new Set(problems.map((p) => p.code));
  assert.ok(codes.has('value.type') && codes.has('value.unknown') && codes.has('value.missing'), [...codes].join());
  assert.ok(problems.find((p) => p.code === 'value.type').message.includes('plan_made'));
  assert.deepEqual(engine.validate('{not json').map((p) => p.code), ['json.syntax']);
});

test('form describes fields with labels, ranges and rule wording', () => {
  const form = new Engine('subdistrict').form();
  assert.equal(form.format, 'kpi-form/1');
  const fixed = form.inputs.find((i) => i.id === 'hazards_fixed');
  assert.deepEqual(fixed.max, { input: 'hazards_found' });
  assert.equal(form.inputs.find((i) => i.id === 'four_lists').max, '4');
  assert.ok(form.sections[0].items[0].basis.length > 0);
  const ranked = new Engine(read('tests/cases/bands-judged-formula-rank/rules.json')).form();
  assert.equal(ranked.sections.flatMap((s) => s.items).find((i) => i.rule === 'rank').batch_only, true);
});

test('scoreBatch ranks units; diff compares rule sets', () => {
  const units = read('tests/batches/ranks-quotas/units.jsonl').trim().split('\n');
  const engine = new Engine(read('tests/batches/ranks-quotas/rules.json'));
  const batch = engine.scoreBatch(units);
  assert.equal(batch.length, 11);
  assert.equal(batch[0].report.rank, 2);
  assert.equal(batch[9].report.rank, 1);
  assert.equal(batch[10].report.rank, null);
  assert.ok(engine.batchCsv(units).startsWith('\ufeff单位编号'));
  // The same entries as JSON text, whether the list is texts, objects or the text of an array.
  assert.deepEqual(JSON.parse(engine.scoreBatchJson(units)), batch);
  assert.deepEqual(engine.scoreBatch(units.map((u) => JSON.parse(u))), batch);
  assert.deepEqual(engine.scoreBatch(`[${units.join(',')}]`), batch);
  const old = new Engine(read('tests/diffs/rate-and-grade/old.json'));
  const diff = old.diff(read('tests/diffs/rate-and-grade/new.json'), read('tests/diffs/rate-and-grade/units.jsonl').trim().split('\n'));
  const expected = JSON.parse(read('tests/diffs/rate-and-grade/expected.json'));
  assert.deepEqual(diff, expected);
  assert.equal(old.ruleChanges(read('tests/diffs/rate-and-grade/new.json')).length, 2);
  // The diff CSV is the CLI's, byte for byte.
  const d = `${root}tests/diffs/rate-and-grade`;
  const csv = old.diffCsv(read('tests/diffs/rate-and-grade/new.json'), read('tests/diffs/rate-and-grade/units.jsonl').trim().split('\n'));
  assert.ok(csv.startsWith('\ufeff'));
  const cliCsv = execFileSync(kpi, ['diff', '--old', `${d}/old.json`, '--new', `${d}/new.json`, `${d}/units.jsonl`, '--format', 'csv'], { encoding: 'utf8' });
  assert.equal(csv, cliCsv);
});

test('bad rules, bad submissions and hostile inputs throw coded errors; the engine keeps working', () => {
  expectKpiError(() => new Engine('{"format": "kpi-rules/1"'), 'json.syntax');
  expectKpiError(() => new Engine(read('tests/cases/load-items-sum/rules.json')), 'points.items_sum');
  expectKpiError(() => new Engine('['.repeat(100000) + ']'.repeat(100000)), 'json.too_deep');
  expectKpiError(() => new Engine(read('tests/cases/load-expr-hostile-nesting/rules.json')), 'expr.too_long');
  expectKpiError(() => new Engine(read('tests/cases/load-expr-too-deep/rules.json')), 'expr.too_deep');
  expectKpiError(() => new Engine(42), 'field.type');

  const engine = new Engine(read('tests/cases/submission-errors/rules.json'));
  const e = expectKpiError(() => engine.score(read('tests/cases/submission-errors/overflowing-count.sub.json')), 'value.range');
  assert.equal(e.path, '/values/hazards_found');
  expectKpiError(() => engine.score(read('tests/cases/submission-errors/wrong-types.sub.json')), 'value.type');
  expectKpiError(() => engine.score(read('tests/cases/submission-errors/other-version.sub.json')), 'submission.rules_mismatch');
  expectKpiError(() => engine.score('{"format":'), 'json.syntax');
  expectKpiError(() => engine.score(undefined));
  const deep = '{"format":"kpi-submission/1","values":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
  expectKpiError(() => engine.score(deep), 'json.too_deep');
  // A batch keeps going past a submission it cannot read: that one gets its problems, in place.
  const good = read('tests/cases/submission-errors/period-mismatch.sub.json');
  const entries = engine.scoreBatch([good, '{', good.replace('"x"', '"y"')]);
  assert.deepEqual(entries.map((e) => (e.report ? e.report.rank : e.error[0].code)), [1, 'json.syntax', 1]);
  // Calls that need every submission still throw, naming the one that failed.
  const batchErr = expectKpiError(() => engine.batchCsv([good, '{']), 'json.syntax');
  assert.equal(batchErr.index, 1);
  // validate reports everything at once: a missing unit does not hide the values' problems.
  const noUnit = JSON.parse(read('tests/cases/submission-errors/wrong-types.sub.json'));
  delete noUnit.unit;
  const codes = engine.validate(noUnit).map((p) => `${p.code} ${p.path}`);
  assert.ok(codes.includes('field.missing /unit'), codes.join('\n'));
  assert.ok(codes.some((c) => c.startsWith('value.type /values/')), codes.join('\n'));

  assert.equal(MAX_DOCUMENT_BYTES, 8 * 1024 * 1024);
  expectKpiError(() => engine.score(' '.repeat(MAX_DOCUMENT_BYTES + 1)), 'json.too_large');

  // Still scoring correctly after all of that.
  const again = engine.score(read('tests/cases/submission-errors/period-mismatch.sub.json'));
  assert.equal(again.total, '56.00');
});

test('the golden corpus scores byte-identically in wasm and in the native CLI', () => {
  assert.ok(existsSync(kpi), 'target/release/kpi is built');
  let compared = 0;
  for (const dir of readdirSync(`${root}tests/cases`).sort()) {
    const path = `tests/cases/${dir}`;
    if (existsSync(`${root}${path}/rules.out.json`)) continue;
    const rulesArg = existsSync(`${root}${path}/rules.builtin`) ? read(`${path}/rules.builtin`).trim() : `${path}/rules.json`;
    const engine = new Engine(rulesArg.endsWith('.json') ? read(rulesArg) : rulesArg);
    for (const f of readdirSync(`${root}${path}`).filter((f) => f.endsWith('.sub.json')).sort()) {
      const expected = JSON.parse(read(`${path}/${f.replace('.sub.json', '.out.json')}`));
      if (expected.error) continue;
      const rulesForCli = rulesArg.endsWith('.json') ? `${root}${rulesArg}` : rulesArg;
      const native = execFileSync(kpi, ['score', '--rules', rulesForCli, `${root}${path}/${f}`, '--format', 'jsonl', '--provisional'], { encoding: 'utf8' });
      const wasm = engine.scoreJson(read(`${path}/${f}`)) + '\n';
      assert.equal(wasm, native, `${path}/${f}`);
      assert.equal(JSON.stringify(engine.score(read(`${path}/${f}`))) + '\n', native, `${path}/${f} (object)`);
      compared += 1;
    }
  }
  for (const id of ['subdistrict', 'department', 'enterprise']) {
    const rules = JSON.parse(builtInRuleSetSource(id));
    const engine = new Engine(id);
    for (const t of rules.tests) {
      const sub = JSON.stringify({ format: 'kpi-submission/1', rules: { id, version: rules.version }, unit: { id: 'case', name: t.name }, period: rules.period, values: t.values, notes: t.notes });
      const native = execFileSync(kpi, ['score', '--rules', id, '-', '--format', 'jsonl', '--provisional'], { input: sub, encoding: 'utf8' });
      assert.equal(engine.scoreJson(sub) + '\n', native, `${id}: ${t.name}`);
      compared += 1;
    }
  }
  assert.ok(compared >= 70, `compared only ${compared} reports`);
});

test('pkg/package.json version matches Cargo.toml', () => {
  const pkg = JSON.parse(read('pkg/package.json'));
  const cargo = read('Cargo.toml').match(/^version = "([^"]+)"/m)[1];
  assert.equal(pkg.version, cargo);
  assert.equal(JSON.parse(read('pkg.json')).version, cargo);
});
