// Browser tests of issue 14's form parts (js/records-view.js through form-view.js), in headless
// Chromium through playwright-core, on a bare page holding one <kpi-assessment> (js/test/
// e2e-fidelity/) served by tools/serve.mjs: record lists (add, fill, move, remove rows; an error
// per cell), judged score lists, assessor-marked 不涉及 with its reason, a self-assessment beside
// each item, line-group headings, a withheld grade, a required note. Every expected number and
// message comes from the engine (pkg/index.js in Node) or the committed cases, never typed in.
// Like e2e.test.mjs: no request may leave 127.0.0.1, nothing may break the CSP, no page may throw.
//
//   node --test js/test/fidelity.test.mjs        (./test runs it with the other js/test/*.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(`${root}pkg/records-view.js`)) throw new Error('pkg/records-view.js is missing: run ./build first');
const { Engine } = await import('../../pkg/index.js');
// The form shows engine messages in the assessor's words (fields by label), as e2e.test.mjs checks.
const { plainWords } = await import('../../pkg/form-view.js');
const { createAppServer, listen } = await import('../../tools/serve.mjs');
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const LIUCHI = read('examples/published/liuchi-2016.json');
const sub = (p) => JSON.parse(read(p));

let server, base, browser;

before(async () => {
  server = createAppServer({ www: `${root}js/test/e2e-fidelity` });
  base = await listen(server, 0);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The bare page with `rules` (JSON text) loaded into its element, and watchers as in e2e.test.mjs. */
async function open(rules) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const outside = [];
  const errors = [];
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
  });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => customElements.get('kpi-assessment') !== undefined);
  await page.evaluate((text) => { document.querySelector('kpi-assessment').rules = text; }, rules);
  await page.getByTestId('total').waitFor();
  return {
    page,
    async done() {
      const violations = await page.evaluate(() => window.__cspViolations).catch(() => []);
      await context.close();
      assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
      assert.deepEqual(errors, [], 'no page errors');
    },
  };
}

const text = async (page, testid) => (await page.getByTestId(testid).textContent()).trim();
const submission = (page) => page.evaluate(() => document.querySelector('kpi-assessment').submission);
const load = (page, doc) => page.evaluate((d) => { document.querySelector('kpi-assessment').submission = d; }, doc);

/** Fills row `r` of a record list from an object of cell values, by each cell's label. */
async function fillRow(page, form, listId, r, row) {
  const list = form.inputs.find((i) => i.id === listId);
  for (const field of list.fields) {
    const value = row[field.id];
    if (value === undefined) continue;
    const cell = page.getByLabel(`${list.label} 第${r + 1}${list.unit ?? '条'} ${field.label}`, { exact: true });
    if (field.type === 'bool') await cell.selectOption(value ? '是' : '否');
    else if (field.type === 'choice') await cell.selectOption(String(value));
    else await cell.fill(String(value));
  }
}

test('a record list: rows added, filled by label, moved and removed; totals, lines and group headings as the engine gives', async () => {
  const engine = new Engine(LIUCHI);
  const form = engine.form();
  const shimen = sub('examples/published/liuchi-2016/shimen.json');
  const { page, done } = await open(LIUCHI);
  // Nothing filled in yet: the lists are pending.
  assert.equal(await text(page, 'rows-accidents'), '（尚未填写）');
  assert.equal(await text(page, 'status'), '暂定');
  assert.equal(await text(page, 'grade'), '不评等次', 'a rule set without grades grades nothing');

  await page.getByLabel('被考核单位名称').fill(shimen.unit.name);
  await page.getByLabel('被考核单位编号').fill(shimen.unit.id);
  for (const list of ['accidents', 'house_fires', 'forest_fires']) {
    for (const [r, row] of shimen.values[list].entries()) {
      await page.getByTestId(`add-row-${list}`).click();
      await fillRow(page, form, list, r, row);
    }
    if (shimen.values[list].length === 0) await page.getByTestId(`no-rows-${list}`).click();
  }
  const expected = engine.score(shimen);
  assert.equal(await text(page, 'total'), expected.total);
  assert.equal(await text(page, 'status'), '最终');
  assert.equal(await text(page, 'rows-accidents'), '共2起');
  const item = expected.sections[0].items[0];
  assert.equal(await text(page, 'item-score-1'), item.score);
  const lines = page.getByTestId('item-lines-1').locator('li');
  const shown = await lines.allTextContents();
  for (const line of item.lines) assert.ok(shown.some((t) => t.includes(line.reason)), line.reason);
  // Each group's heading comes before its first line.
  const groups = await page.getByTestId('item-lines-1').locator('li.kpi-line-group').allTextContents();
  assert.deepEqual(groups, [...new Set(item.lines.filter((l) => l.group).map((l) => l.group))]);
  // The document the form builds is the one scored.
  const doc = await submission(page);
  assert.deepEqual(doc.values.accidents.map((r) => r.place), shimen.values.accidents.map((r) => r.place));
  assert.equal(engine.score(doc).total, expected.total);

  // Moving a row changes the order, not the score.
  await page.getByTestId('down-accidents-0').click();
  const moved = await submission(page);
  assert.deepEqual(moved.values.accidents.map((r) => r.place), [shimen.values.accidents[1].place, shimen.values.accidents[0].place]);
  assert.equal(await text(page, 'total'), expected.total);
  await page.getByTestId('up-accidents-1').click();
  assert.deepEqual((await submission(page)).values.accidents.map((r) => r.place), shimen.values.accidents.map((r) => r.place));

  // Removing rows gives points back, as the engine says.
  await page.getByTestId('remove-accidents-0').click();
  await page.getByTestId('remove-house_fires-0').click();
  const fewer = { ...shimen, values: { ...shimen.values, accidents: shimen.values.accidents.slice(1), house_fires: [] } };
  assert.equal(await text(page, 'total'), engine.score(fewer).total);
  assert.equal(await text(page, 'rows-house_fires'), '无记录（0起）');
  await done();
  engine.free();
});

test('a record list: a wrong cell is shown at the cell with the engine\'s message; its items wait; a veto over rows', async () => {
  const engine = new Engine(LIUCHI);
  const { page, done } = await open(LIUCHI);
  const bad = sub('tests/cases/published-liuchi/bad.sub.json');
  // A file whose cell is text where a count belongs loads, the cell flagged.
  await load(page, bad);
  const problem = engine.validate(bad).find((p) => p.path === '/values/house_fires/0/households');
  assert.ok(problem, 'the engine finds the cell');
  assert.equal(await text(page, 'error-house_fires-0-households'), plainWords(problem.message));
  assert.equal(await page.getByTestId('cell-house_fires-0-households').getAttribute('aria-invalid'), 'true');
  assert.equal(await text(page, 'status'), '暂定');
  assert.equal(await page.locator('[data-testid="problems"]').isHidden(), false);
  // Fixed in place: the error goes, the score is the engine's.
  await page.getByTestId('cell-house_fires-0-households').fill('2');
  assert.equal(await page.getByTestId('error-house_fires-0-households').isHidden(), true);
  const fixed = { ...bad, values: { ...bad.values, house_fires: [{ ...bad.values.house_fires[0], households: 2 }] } };
  assert.equal(await text(page, 'total'), engine.score(fixed).total);

  // An empty required cell makes the item wait, without an error.
  await page.getByTestId('add-row-accidents').click();
  assert.equal(await text(page, 'status'), '暂定');
  assert.equal(await page.getByTestId('error-accidents-0-deaths').isHidden(), true);

  // 一次死亡2人：the veto's banner; no grade.
  const xintian = sub('examples/published/liuchi-2016/xintian.json');
  await load(page, xintian);
  const vetoed = engine.score(xintian);
  assert.equal(await text(page, 'total'), vetoed.total);
  assert.match(await text(page, 'veto-banner-deaths2'), /一次死亡2人及以上/);
  assert.equal(await page.getByTestId('row-accidents-0').count(), 1);
  await done();
  engine.free();
});

test('a judged list: several assessors\' scores, one input each, an error at the score that is out of range', async () => {
  const rules = read('tests/cases/judged-aggregate/rules.json');
  const engine = new Engine(rules);
  const five = sub('tests/cases/judged-aggregate/five.sub.json');
  const { page, done } = await open(rules);
  await page.getByLabel('被考核单位名称').fill(five.unit.name);
  await page.getByLabel('被考核单位编号').fill(five.unit.id);
  for (const input of engine.form().inputs) {
    for (const [k, v] of five.values[input.id].entries()) {
      await page.getByTestId(`add-row-${input.id}`).click();
      await page.getByLabel(`${input.label} 第${k + 1}个评议分`, { exact: true }).fill(String(v));
    }
  }
  const expected = engine.score(five);
  assert.equal(await text(page, 'total'), expected.total);
  for (const item of expected.sections.flatMap((s) => s.items)) assert.equal(await text(page, `item-score-${item.id}`), item.score);
  // A score above the item's points: the engine's message at that score.
  await page.getByTestId('cell-panel-1').fill('12');
  const doc = await submission(page);
  const problem = engine.validate(doc).find((p) => p.path === '/values/panel/1');
  assert.ok(problem, 'the engine refuses the score');
  assert.equal(await text(page, 'error-panel-1'), plainWords(problem.message));
  // An empty score is left out (its neighbours keep their places for errors).
  await page.getByTestId('cell-panel-1').fill('');
  await page.getByTestId('cell-panel-2').fill('11');
  const later = engine.validate(await submission(page)).find((p) => p.path === '/values/panel/1');
  assert.ok(later, 'the third score is the second given');
  assert.equal(await text(page, 'error-panel-2'), plainWords(later.message));
  assert.equal(await page.getByTestId('error-panel-1').isHidden(), true);
  await done();
  engine.free();
});

test('assessor-marked 不涉及: a reason is required; the item and an all-不涉及 section are not scored', async () => {
  const rules = read('tests/cases/assessor-na/rules.json');
  const engine = new Engine(rules);
  const section = sub('tests/cases/assessor-na/section.sub.json');
  const { page, done } = await open(rules);
  // Only the items the rule set allows can be marked.
  assert.equal(await page.getByTestId('na-1.1').count(), 0);
  await page.getByLabel('被考核单位名称').fill(section.unit.name);
  await page.getByLabel('被考核单位编号').fill(section.unit.id);
  await page.getByLabel('问题数（项）', { exact: true }).fill(String(section.values.a));
  await page.getByLabel('获表彰', { exact: true }).selectOption(section.values.award ? '是' : '否');
  await page.getByTestId('na-2.1').check();
  const noReason = engine.validate({ ...(await submission(page)) }).find((p) => p.path === '/not_applicable/2.1');
  assert.ok(noReason, 'the engine wants a reason');
  assert.equal(await text(page, 'na-error-2.1'), plainWords(noReason.message));
  for (const [id, reason] of Object.entries(section.not_applicable)) {
    if (id !== '2.1') await page.getByTestId(`na-${id}`).check();
    await page.getByTestId(`na-reason-${id}`).fill(reason);
  }
  assert.equal(await page.getByTestId('na-error-2.1').isHidden(), true);
  const expected = engine.score(section);
  assert.equal(await text(page, 'total'), expected.total);
  const special = expected.sections.find((s) => s.id === 'special');
  assert.equal(special.score, null);
  assert.equal(await text(page, 'section-score-special'), '不涉及');
  assert.equal(await text(page, 'item-score-2.1'), '不计分');
  assert.deepEqual((await submission(page)).not_applicable, section.not_applicable);
  // Unmarking scores the item again.
  await page.getByTestId('na-2.2').uncheck();
  assert.equal(await page.getByTestId('na-reason-2.2').isHidden(), true);
  assert.notEqual(await text(page, 'item-score-2.2'), '不计分');
  await done();
  engine.free();
});

test('a self-assessment: the unit\'s own score beside each item and its total beside the assessors\'', async () => {
  const rules = read('tests/cases/self-assessment/rules.json');
  const engine = new Engine(rules);
  const items = sub('tests/cases/self-assessment/items.sub.json');
  const { page, done } = await open(rules);
  assert.equal(await page.getByTestId('self-total').count(), 0, 'nothing without a self-assessment');
  await load(page, items);
  const report = engine.score(items);
  for (const item of report.sections.flatMap((s) => s.items)) {
    const shown = await text(page, `self-score-${item.id}`);
    assert.ok(shown.includes(item.self_score), `${item.id}: ${shown}`);
    assert.ok(shown.includes(item.self_difference), `${item.id}: ${shown}`);
  }
  const total = await text(page, 'self-total');
  assert.ok(total.includes(report.self.total) && total.includes(report.self.difference), total);
  // The self-assessment stays in the document the form gives back.
  assert.deepEqual((await submission(page)).self, items.self);
  await done();
  engine.free();
});

test('a required note: the engine\'s reason at the note of an item that lost points', async () => {
  const rules = read('tests/cases/notes-required/rules.json');
  const engine = new Engine(rules);
  const missing = sub('tests/cases/notes-required/missing.sub.json');
  const { page, done } = await open(rules);
  await load(page, missing);
  const problem = engine.validate(missing).find((p) => p.path === '/notes/1');
  assert.ok(problem, 'the engine wants a note');
  assert.equal(await text(page, 'status'), '暂定');
  const warning = page.locator('[data-entry="1"] .kpi-warning');
  assert.equal((await warning.textContent()).trim(), plainWords(problem.message));
  await page.getByTestId('note-1').fill('未完成的任务已列入下年度计划');
  assert.equal(await warning.isHidden(), true);
  await done();
  engine.free();
});
