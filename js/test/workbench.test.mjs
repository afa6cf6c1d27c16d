// End-to-end tests of 细则编辑, the rule authors' workbench (www/editor/), in headless Chromium
// through playwright-core. Every expected problem, test verdict, figure and sentence comes from
// the engine itself (pkg/index.js in Node) on the text the page holds, never typed in here. As in
// e2e.test.mjs, no request may leave 127.0.0.1, nothing may break the Content-Security-Policy and
// no page may throw (`done()`).
//
//   node --test js/test/workbench.test.mjs        (./test runs it with the other js/test/*.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, root } from './browser-helpers.mjs';

if (!existsSync(`${root}pkg/element.js`)) throw new Error('pkg/element.js is missing: run ./build first');
if (!existsSync(`${root}www/vendor/codemirror.js`)) throw new Error('www/vendor/codemirror.js is missing: run ./build first');
const { Engine } = await import('../../pkg/index.js');
const { createAppServer, listen } = await import('../../tools/serve.mjs');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const UNIT_FILES = readdirSync(`${root}examples/units`).sort().map((f) => ({ name: f, text: read(`examples/units/${f}`) }));

let server, base, browser;

before(async () => {
  server = createAppServer();
  base = await listen(server, 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh context on the workbench, with the watchers of e2e.test.mjs; `done()` checks them. */
async function open(hash = '#workbench', { width = 1366, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });
  context.setDefaultTimeout(20000);
  const outside = [];
  const errors = [];
  const requests = [];
  context.on('request', (r) => {
    const u = r.url();
    requests.push(u);
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${base}/${hash}`);
  if (hash === '#workbench') await ready(page);
  return {
    page, context, requests,
    async done() {
      const violations = await page.evaluate(() => window.__cspViolations);
      await context.close();
      assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
      assert.deepEqual(errors, [], 'no page errors');
    },
  };
}

async function ready(page) {
  await page.waitForFunction(() => Number(document.getElementById('view-workbench')?.dataset.generation ?? 0) > 0, null, { timeout: 30000 });
}

/** What the workbench last gave the engine, and what the engine said (the page's own module). */
function wbState(page) {
  return page.evaluate(() => import('/editor/workbench.js').then((m) => JSON.parse(JSON.stringify(m.workbenchState()))));
}

/** Runs `action` and waits until the workbench has reloaded the rule set after it. */
async function edit(page, action) {
  const before = await page.evaluate(() => Number(document.getElementById('view-workbench').dataset.generation));
  await action();
  await page.waitForFunction((g) => Number(document.getElementById('view-workbench').dataset.generation) > g, before);
  // Edits arriving together are taken together: wait for the last one.
  await page.waitForTimeout(30);
  await page.waitForFunction(() => true);
}

const field = (page, path) => page.locator(`#wb-structured [data-path="${path}"]:is(input, select, textarea)`);

async function group(page, id) {
  await page.locator(`#wb-group-${id}`).click();
}

async function openBuiltin(page, id = 'subdistrict') {
  await edit(page, () => page.getByTestId('wb-builtin').selectOption(id));
}

async function downloadOf(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

function problemsOf(text) {
  try {
    new Engine(text).free();
    return [];
  } catch (err) {
    return err.problems;
  }
}

// ------------------------------------------------------------------------------------------------

test('the editor code is fetched only when 细则编辑 opens: CodeMirror, the view\'s modules and the package\'s tools module', async () => {
  const { page, requests, done } = await open('#form');
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.querySelector('kpi-assessment')?.form);
  await page.getByTestId('tab-batch').click();
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('tab-form').click();
  const early = requests.filter((u) => /\/vendor\/codemirror\.js|\/editor\//.test(u));
  assert.deepEqual(early, [], 'nothing of the editor before the view opens');
  // The form, batch and compare tabs score with the scoring module alone (compare loads the tools
  // module only once a second rule set is chosen).
  assert.deepEqual(requests.filter((u) => /kpi_wasm_tools/.test(u)), [], 'no tools module before it is needed');
  await page.getByTestId('tab-workbench').click();
  await ready(page);
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/vendor/codemirror.js')));
  assert.ok(requests.some((u) => u.endsWith('/editor/workbench.js')));
  assert.ok(requests.some((u) => u.endsWith('/vendor/codemirror.js')));
  assert.ok(requests.some((u) => u.endsWith('/pkg/kpi_wasm_tools_bg.wasm')), 'the workbench loads the tools module');
  await done();
});

test('a small rule set built from nothing in the structured editor; the preview\'s total is the engine\'s', async () => {
  const { page, done } = await open();
  await edit(page, () => page.getByTestId('wb-new').click());
  await edit(page, () => field(page, '/title').fill('某街道安全生产考核细则（测试）'));
  await edit(page, () => field(page, '/id').fill('mini'));
  await group(page, 'inputs');
  await edit(page, () => page.getByTestId('add-input').click());
  await edit(page, () => page.getByTestId('add-input').click());
  await edit(page, () => field(page, '/inputs/0/id').fill('plan_made'));
  await edit(page, () => field(page, '/inputs/0/label').fill('已制定年度工作计划'));
  await edit(page, () => field(page, '/inputs/0/type').selectOption('bool'));
  await edit(page, () => field(page, '/inputs/1/id').fill('deaths'));
  await edit(page, () => field(page, '/inputs/1/label').fill('生产安全事故死亡人数'));
  await edit(page, () => field(page, '/inputs/1/unit').fill('人'));
  await group(page, 'sections');
  await edit(page, () => field(page, '/sections/0/title').fill('安全生产工作'));
  await edit(page, () => page.getByTestId('add-item').click());
  await edit(page, () => page.getByTestId('add-item').click());
  const item = (i, rest) => field(page, `/sections/0/items/${i}/${rest}`);
  await edit(page, () => item(0, 'title').fill('年度工作计划'));
  await edit(page, () => item(0, 'points').fill('60'));
  await page.locator('#wb-structured details.item-detail').nth(0).locator('summary').click();
  // The condition is picked from the inputs list, then negated: no JSON anywhere.
  await item(0, 'deduct/0/if').focus();
  await edit(page, () => page.locator('#wb-structured .fld[data-path="/sections/0/items/0/deduct/0/if"] .pick-input').selectOption('plan_made'));
  await item(0, 'deduct/0/if').press('Home');
  await edit(page, () => page.keyboard.type('!'));
  await edit(page, () => item(0, 'deduct/0/points').fill('10'));
  await edit(page, () => item(0, 'deduct/0/reason').fill('未制定年度工作计划'));
  await edit(page, () => item(1, 'title').fill('生产安全事故'));
  await edit(page, () => item(1, 'points').fill('40'));
  await page.locator('#wb-structured details.item-detail').nth(1).locator('summary').click();
  await edit(page, () => page.locator('#wb-structured tr[data-path="/sections/0/items/1/deduct/0"] select').first().selectOption('per'));
  await edit(page, () => item(1, 'deduct/0/per').fill('deaths'));
  await edit(page, () => item(1, 'deduct/0/points').fill('5'));
  await edit(page, () => item(1, 'deduct/0/reason').fill('生产安全事故死亡'));
  await page.waitForFunction(() => document.querySelector('[data-testid=wb-status]').textContent.includes('没有问题'));
  const { text, problems } = await wbState(page);
  assert.deepEqual(problems, []);
  assert.deepEqual(problemsOf(text), []);
  // The downloaded file is the rule set the page holds.
  const file = await downloadOf(page, () => page.getByTestId('wb-download').click());
  assert.equal(file.name, 'mini-1.json');
  assert.equal(file.bytes.toString('utf8'), `${text}\n`);
  // Fill the preview as an assessor would; its total is the engine's for the same values.
  const preview = page.locator('#wb-preview');
  await preview.locator('[data-input="plan_made"]').selectOption('false');
  await preview.locator('[data-input="deaths"]').fill('2');
  const engine = new Engine(text);
  const report = engine.score({ format: 'kpi-submission/1', rules: { id: 'mini', version: '1' }, unit: { id: 'x', name: 'x' }, values: { plan_made: false, deaths: '2' } });
  assert.equal(report.total, '80.00');
  await page.waitForFunction((t) => document.querySelector('#wb-preview').shadowRoot.querySelector('[data-testid=total]').textContent.trim() === t, report.total);
  assert.equal(report.sections[0].items[1].lines[0].points, '-10.00');
  await done();
});

/** The structured view's tab that shows a pointer (www/editor/structured.js GROUPS). */
function groupOf(path) {
  const first = path.split('/')[1] ?? '';
  const groups = { sections: 'sections', inputs: 'inputs', adjustments: 'totals', bonus: 'totals', vetoes: 'vetoes', grades: 'grades', quotas: 'grades', documents: 'sources', unit_tags: 'sources' };
  return groups[first] ?? 'general';
}

// Each kind of field, an error in it, and where the engine's pointer puts it.
const ERRORS = [
  { what: 'a decimal (points)', group: 'sections', path: '/sections/0/items/0/points', value: '两分', code: 'decimal.invalid' },
  { what: 'an expression (a deduction condition)', group: 'sections', path: '/sections/0/items/0/deduct/0/if', value: '!plan_mad', code: 'expr.unknown_id', open: 0 },
  { what: 'a reason (text)', group: 'sections', path: '/sections/0/items/0/deduct/0/reason', value: '   ', code: 'field.empty', open: 0 },
  { what: 'an id', group: 'inputs', path: '/inputs/1/id', value: 'plan_made', code: 'id.duplicate' },
  { what: 'an input bound', group: 'inputs', path: '/inputs/2/min', value: 'no_such_input', code: 'input.unknown_ref' },
  { what: 'a section\'s points (sums)', group: 'sections', path: '/sections/0/points', value: '13', code: 'points.sections_sum' },
  { what: 'a veto condition', group: 'vetoes', path: '/vetoes/0/when', value: 'major_accidents >=', code: 'expr.syntax' },
  { what: 'a grade bound', group: 'grades', path: '/grades/1/min', value: '95', code: 'grades.order' },
  { what: 'a quota share', group: 'grades', path: '/quotas/0/max_share', value: '1.5', code: 'decimal.range' },
  { what: 'the full score', group: 'general', path: '/full_score', value: '0', code: 'decimal.range' },
  { what: 'a bonus cap', group: 'totals', path: '/bonus/cap', value: '-1', code: 'decimal.range' },
];

test('an error in each kind of field is marked at that field, in the engine\'s words, in the structured and the source view', async () => {
  const { page, done } = await open();
  await openBuiltin(page);
  for (const e of ERRORS.filter((x) => !process.env.WB_ONLY || new RegExp(process.env.WB_ONLY).test(x.path))) {
    await group(page, e.group);
    if (e.open !== undefined) await page.locator('#wb-structured details.item-detail').nth(e.open).evaluate((d) => { d.open = true; });
    await edit(page, () => field(page, e.path).fill(e.value));
    const { text, problems } = await wbState(page);
    const expected = problemsOf(text);
    assert.deepEqual(problems, expected, e.what);
    const mine = expected.filter((p) => p.code === e.code);
    assert.ok(mine.length > 0, `${e.what}: the engine reports ${e.code}: ${JSON.stringify(expected)}`);
    // Marked where the pointer points: the field itself when the pointer names it.
    for (const p of mine) {
      // A problem of another group (a section's points that no longer add up to the full score)
      // is counted on that group's tab, and marked when it is shown.
      const where = groupOf(p.path);
      if (where !== e.group) {
        assert.match(await page.locator(`#wb-group-${where}`).textContent(), /（\d+）/, e.what);
        await group(page, where);
      }
      const marked = page.locator(`#wb-structured [data-testid=field-problem][data-path="${p.path}"]`);
      await marked.first().waitFor();
      assert.equal((await marked.first().textContent()).trim(), p.message, e.what);
      if (p.path === e.path) {
        assert.equal(await page.locator(`#wb-structured .fld[data-path="${e.path}"]`).evaluate((el) => el.classList.contains('has-problem')), true, e.what);
        assert.equal(await field(page, e.path).getAttribute('aria-invalid'), 'true', e.what);
      }
      if (where !== e.group) await group(page, e.group);
    }
    // The problems list has them too, each a link to its field.
    const listed = await page.locator('#wb-problems li[data-code]').evaluateAll((lis) => lis.map((li) => [li.dataset.code, li.dataset.path]));
    assert.deepEqual(listed, expected.map((p) => [p.code, p.path]), e.what);
    // The source view marks the same problems at the text their pointers name.
    // The problem's link in the list shows it there: the editor scrolls to it and selects it.
    await page.locator('#wb-mode-source').click();
    await page.locator('.cm-editor').waitFor();
    await page.locator('#wb-problems-tab').click();
    await page.locator(`#wb-problems li[data-path="${mine[0].path}"] button`).first().click();
    await page.waitForFunction(() => document.querySelector('#wb-source').shadowRoot.querySelectorAll('.cm-lintRange-error').length >= 1);
    if (mine[0].path === e.path && e.value.trim() !== '') {
      const marks = await page.locator('#wb-source .cm-lintRange-error').allTextContents();
      assert.ok(marks.some((m) => m.includes(e.value.trim())), `${e.what}: ${JSON.stringify(marks)}`);
      const selected = await page.evaluate(() => document.querySelector('#wb-source').shadowRoot.getSelection?.()?.toString() ?? '');
      assert.ok(selected === '' || selected.includes(e.value.trim()), selected);
    }
    await page.locator('#wb-preview-tab').click();
    await page.locator('#wb-mode-structured').click();
    // Undo brings the set back to no problems.
    await page.locator(`#wb-group-${e.group}`).focus();
    await edit(page, () => page.getByTestId('wb-undo').click());
    assert.deepEqual((await wbState(page)).problems, [], `${e.what}: undone`);
  }
  // An error typed in the source view: the JSON breaks, the structured view waits for it to be mended.
  await page.locator('#wb-mode-source').click();
  await page.locator('#wb-source .cm-content').click();
  await page.keyboard.press('Control+End');
  await edit(page, () => page.keyboard.type(','));
  const broken = await wbState(page);
  assert.equal(broken.problems[0].code, 'json.syntax');
  assert.deepEqual(broken.problems, problemsOf(broken.text));
  assert.match(await page.getByTestId('wb-status').textContent(), /源文件不是有效的 JSON/);
  // Marked where the engine's message says it is (line and column), which is where the cursor is.
  await page.waitForFunction(() => document.querySelector('#wb-source').shadowRoot.querySelectorAll('.cm-lintRange-error, .cm-lintPoint-error').length >= 1);
  await page.locator('#wb-mode-structured').click();
  assert.match(await page.locator('#wb-mode-note').textContent(), /源文件不是有效的 JSON/);
  await page.locator('#wb-source .cm-content').focus();
  await edit(page, () => page.keyboard.press('Backspace'));
  assert.deepEqual((await wbState(page)).problems, []);
  await page.locator('#wb-mode-structured').click();
  assert.equal(await page.locator('#wb-pane-structured').isVisible(), true);
  await done();
});

test('source and structured views round-trip; fields the editor does not know are kept', async () => {
  const { page, done } = await open();
  await openBuiltin(page);
  const original = (await wbState(page)).text;
  // The built-in set's meaning, unchanged by the editor's formatting.
  assert.deepEqual(JSON.parse(original), JSON.parse(read('rules/subdistrict.json')));
  await page.locator('#wb-mode-source').click();
  await page.locator('.cm-editor').waitFor();
  // A construct this editor does not know (a newer engine's), typed in the source view.
  const doc = JSON.parse(original);
  doc.sections[0].items[0].records = { label: '事故台账', fields: [{ id: 'date', type: 'text' }] };
  const typed = JSON.stringify(doc, null, 2);
  await page.locator('#wb-source .cm-content').click();
  await page.keyboard.press('Control+A');
  // Pasted, as an author would bring in a block written elsewhere (typing 140 KB key by key is slow).
  await page.evaluate((t) => navigator.clipboard.writeText(t), typed);
  await edit(page, () => page.keyboard.press('Control+V'));
  assert.equal((await wbState(page)).text, typed);
  // Formatting rewrites the layout (short lists on one line), never the meaning.
  await edit(page, () => page.getByTestId('wb-format').click());
  const formatted = await wbState(page);
  assert.notEqual(formatted.text, typed);
  assert.equal(formatted.sourceText, formatted.text);
  assert.deepEqual(JSON.parse(formatted.text), JSON.parse(typed));
  await page.locator('#wb-mode-structured').click();
  await group(page, 'sections');
  await page.locator('#wb-structured details.item-detail').nth(0).evaluate((d) => { d.open = true; });
  assert.match(await page.locator('#wb-structured .others[data-path="/sections/0/items/0"]').textContent(), /records/);
  // An edit in the structured view changes that field only; the source view shows it.
  await edit(page, () => field(page, '/sections/0/items/0/title').fill('年度工作要点'));
  const after = (await wbState(page)).text;
  const expected = JSON.parse(typed);
  expected.sections[0].items[0].title = '年度工作要点';
  assert.deepEqual(JSON.parse(after), expected);
  await page.locator('#wb-mode-source').click();
  assert.equal((await wbState(page)).sourceText, after);
  // Completion from the schema: property names of an item, with their Chinese descriptions.
  await page.locator('#wb-mode-structured').click();
  await page.locator('#wb-mode-source').click();
  await page.locator('#wb-source .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('"unit_t');
  await page.keyboard.press('Control+Space');
  const option = page.locator('#wb-source .cm-tooltip-autocomplete li', { hasText: '"unit_tags"' });
  await option.waitFor();
  // Taken with Enter: the key and its colon; the schema's description shows beside it.
  assert.match(await page.locator('#wb-source .cm-completionInfo').textContent(), /单位标签|unit_tags/);
  await done();
});

test('a test case from the preview passes; after a point value changes it fails with the differing figures', async () => {
  const { page, done } = await open();
  await openBuiltin(page);
  const preview = page.locator('#wb-preview');
  await preview.locator('[data-input="plan_made"]').selectOption('false');
  await preview.locator('[data-input="task_list"]').selectOption('true');
  await preview.locator('[data-input="unfinished_tasks"]').fill('1');
  await page.waitForTimeout(100);
  await page.getByTestId('wb-test-name').fill('未制定工作要点的街道');
  await edit(page, () => page.getByTestId('wb-save-test').click());
  let state = await wbState(page);
  assert.equal(state.tests.cases.length, 13);
  assert.equal(state.tests.failed, 0);
  assert.deepEqual(state.tests, new Engine(state.text).runTests());
  const mine = page.locator('[data-testid=test-case][data-name="未制定工作要点的街道"]');
  assert.equal(await mine.getAttribute('data-passed'), 'true');
  // The case holds the engine's result for those values.
  const saved = JSON.parse(state.text).tests.at(-1);
  assert.equal(saved.values.plan_made, false);
  assert.equal(saved.expect.items['1.1'], '0.00');
  // 1.5 → 1 for 未制定年度安全生产工作要点: the case now fails on item 1.1 and the total.
  await group(page, 'sections');
  await page.locator('#wb-structured details.item-detail').nth(0).evaluate((d) => { d.open = true; });
  await edit(page, () => field(page, '/sections/0/items/0/deduct/0/points').fill('1'));
  state = await wbState(page);
  const run = new Engine(state.text).runTests();
  assert.deepEqual(state.tests, run);
  assert.equal(run.failed, 1);
  const failed = run.cases.find((c) => !c.passed);
  assert.equal(failed.name, '未制定工作要点的街道');
  assert.equal(await mine.getAttribute('data-passed'), 'false');
  const rows = await mine.locator('[data-testid=test-difference]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.what, tr.dataset.id, ...[...tr.cells].slice(1).map((c) => c.textContent)]));
  assert.deepEqual(rows, failed.differences.map((d) => [d.what, d.id ?? '', d.expected, d.actual]));
  assert.deepEqual(rows.find((r) => r[0] === 'item'), ['item', '1.1', '0', '0.50']);
  assert.ok(rows.some((r) => r[0] === 'total'));
  assert.match(await page.getByTestId('wb-status').textContent(), /1 个未通过/);
  // Publishing refuses while a case fails.
  await page.locator('#wb-mode-publish').click();
  await page.getByTestId('pub-download').click();
  assert.match(await page.getByTestId('pub-alert').textContent(), /测试用例未通过/);
  await done();
});

test('loading a rule file whose embedded tests fail says so in the 考核表 view', async () => {
  const doc = JSON.parse(read('rules/subdistrict.json'));
  doc.tests[0].expect.total = '99';
  const { page, done } = await open('#form');
  await page.waitForFunction(() => document.querySelector('kpi-assessment')?.form);
  await page.getByTestId('load-rules').setInputFiles({ name: 'bad-tests.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  const alert = page.getByTestId('alert');
  await alert.waitFor();
  const run = new Engine(JSON.stringify(doc)).runTests();
  assert.equal(run.failed, 1);
  const text = await alert.textContent();
  assert.match(text, /内嵌测试用例有1个未通过/);
  assert.ok(text.includes(run.cases[0].failures[0]), text);
  await done();
});

test('compare before publishing: against the built-in version on the example units, and the threshold probe', async () => {
  const { page, done } = await open();
  await openBuiltin(page);
  await group(page, 'sections');
  // 2.1 网格化覆盖: 1 point per percentage point instead of 0.2; 优秀 from 90 to 92.
  await page.locator('#wb-structured details.item-detail[data-path="/sections/1/items/0"]').evaluate((d) => { d.open = true; });
  await edit(page, () => field(page, '/sections/1/items/0/rate/points_per_step').fill('1'));
  await group(page, 'grades');
  await edit(page, () => field(page, '/grades/0/min').fill('92'));
  await group(page, 'general');
  await edit(page, () => field(page, '/version').fill('2027.1'));
  const { text } = await wbState(page);
  await page.locator('#wb-mode-compare').click();
  assert.match(await page.getByTestId('cmp-old-name').textContent(), /内置/);
  await page.getByTestId('cmp-files').setInputFiles(UNIT_FILES.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) })));
  await page.getByTestId('cmp-subs-name').filter({ hasText: '6份' }).waitFor();
  await page.getByTestId('cmp-run').click();
  const old = new Engine('subdistrict');
  const changes = old.ruleChanges(text);
  assert.deepEqual(await page.locator('[data-testid=cmp-rule-changes] li').allTextContents(), changes);
  assert.ok(changes.some((c) => c.includes('优秀') && c.includes('92')));
  const diff = old.diff(text, UNIT_FILES.map((f) => f.text));
  const changed = diff.units.filter((u) => u.changed);
  assert.ok(changed.length > 0);
  const rows = await page.locator('[data-testid=cmp-unit]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.unit, tr.cells[1].textContent, tr.cells[2].textContent, tr.cells[3].textContent]));
  const s = (x, f) => (x ? (x[f] === null || x[f] === undefined ? '不排名' : String(x[f])) : '—');
  assert.deepEqual(rows, changed.map((u) => [u.unit.id, `${s(u.old, 'total')} → ${s(u.new, 'total')}`, `${s(u.old, 'grade')} → ${s(u.new, 'grade')}`, `${s(u.old, 'rank')} → ${s(u.new, 'rank')}`]));
  assert.match(await page.getByTestId('cmp-summary').textContent(), new RegExp(`共${diff.summary.units}个单位，${diff.summary.changed}个有变化`));
  // The probe, from one unit (in a worker; the engine bounds it).
  const one = UNIT_FILES.find((f) => f.name === 'cbxc.json');
  await page.getByTestId('cmp-files').setInputFiles([{ name: one.name, mimeType: 'application/json', buffer: Buffer.from(one.text) }]);
  await page.getByTestId('cmp-subs-name').filter({ hasText: '1份' }).waitFor();
  const findings = old.probe(text, [one.text]);
  assert.ok(findings.length > 0);
  await page.getByTestId('cmp-probe').click();
  await page.getByTestId('cmp-probe-summary').waitFor({ timeout: 120000 });
  const summary = await page.getByTestId('cmp-probe-summary').textContent();
  if (findings.length === 0) assert.match(summary, /完全相同/);
  else assert.match(summary, new RegExp(`共${findings.length}份`));
  const probeRows = await page.locator('[data-testid=cmp-probe-table] tbody tr').count();
  assert.equal(probeRows, Math.min(findings.length, 200));
  await done();
});

test('publish: a new version, and the 考核细则 as a print view and XLSX that match the rule set', async () => {
  const { page, done } = await open();
  await openBuiltin(page);
  await page.locator('#wb-mode-publish').click();
  assert.equal(await page.getByTestId('pub-version').inputValue(), '2026.3');
  await edit(page, () => page.getByTestId('pub-apply-version').click());
  const { text } = await wbState(page);
  assert.equal(JSON.parse(text).version, '2026.3');
  const file = await downloadOf(page, () => page.getByTestId('pub-download').click());
  assert.equal(file.name, 'subdistrict-2026.3.json');
  assert.equal(JSON.parse(file.bytes.toString('utf8')).version, '2026.3');
  const engine = new Engine(text);
  const form = engine.form();
  const words = engine.criteria();
  // The table on the page: every item, its points and the engine's words for its rule.
  await page.getByTestId('pub-doc').waitFor();
  const rows = await page.locator('[data-testid=pub-item]').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.cells[0].textContent, title: tr.cells[1].textContent.replace(/＊$/, ''), points: tr.cells[2].textContent, text: [...tr.cells[3].querySelectorAll('p')].map((p) => p.textContent),
  })));
  const items = form.sections.flatMap((s) => s.items);
  assert.equal(rows.length, 47);
  assert.deepEqual(rows, items.map((it) => ({ id: it.id, title: it.title, points: it.points, text: words.items.find((w) => w.id === it.id).text })));
  const grades = await page.locator('[data-testid=pub-grades] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[1].textContent));
  assert.deepEqual(grades, words.grades.map((g) => g.text.join('；')));
  assert.deepEqual(await page.locator('[data-testid=pub-vetoes] tbody tr td:nth-child(3)').allTextContents(), words.vetoes.map((v) => v.text.join('')));
  assert.match(await page.getByTestId('pub-quotas').textContent(), /30%/);
  // XLSX, read back with openpyxl.
  const xlsx = await downloadOf(page, () => page.getByTestId('pub-xlsx').click());
  assert.equal(xlsx.name, '考核细则-subdistrict-2026.3.xlsx');
  const dir = mkdtempSync(join(tmpdir(), 'kpi-pub-'));
  writeFileSync(join(dir, 'rules.xlsx'), xlsx.bytes);
  const sheets = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[None if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
print(json.dumps(out, ensure_ascii=False))
`, join(dir, 'rules.xlsx')], { encoding: 'utf8' }));
  assert.deepEqual(Object.keys(sheets), ['考核细则', '扣分加分与否决', '等次与比例', '依据文件']);
  const table = sheets['考核细则'];
  assert.equal(table[0][0], form.rules.title);
  assert.deepEqual(table[2], ['序号', '考核内容', '分值', '评分标准', '依据']);
  const itemRows = table.filter((r) => r[1] !== null && r[0] !== '序号' && r[2] !== null);
  const num = (x) => String(Number(x));
  assert.deepEqual(itemRows.map((r) => [r[0], r[1].replace(/＊$/, ''), num(r[2]), r[3]]),
    items.map((it) => [it.id, it.title, num(it.points), words.items.find((w) => w.id === it.id).text.join('\n')]));
  const sectionRows = table.filter((r) => r[1] === null && r[0] && /^[一二三四五六七八九十]+、/.test(r[0]));
  assert.equal(sectionRows.length, form.sections.length);
  assert.deepEqual(sheets['等次与比例'].slice(1, 1 + words.grades.length).map((r) => r[1]), words.grades.map((g) => g.text.join('；')));
  const vetoRows = sheets['扣分加分与否决'].filter((r) => r[0] === '一票否决');
  assert.deepEqual(vetoRows.map((r) => [r[1], r[4]]), words.vetoes.map((v) => [v.id, v.text.join('\n')]));
  assert.equal(sheets['依据文件'].length, form.documents.length + 1);
  // The print view: A4 pages with the table, and nothing else of the page.
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => document.body.classList.add('printing-rules'));
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  await page.evaluate(() => document.body.classList.remove('printing-rules'));
  await page.emulateMedia({ media: 'screen' });
  writeFileSync(join(dir, 'rules.pdf'), pdf);
  const printed = execFileSync('pdftotext', ['-layout', join(dir, 'rules.pdf'), '-'], { encoding: 'utf8' });
  assert.ok(printed.includes(form.rules.title.slice(0, 12)), printed.slice(0, 300));
  assert.ok(printed.includes('考核内容与评分标准'));
  assert.ok(printed.includes('一票否决'));
  assert.ok(!printed.includes('存为测试用例'), 'the editor is not printed');
  await done();
});

test('compare on a workspace\'s submissions and on a folder\'s', async () => {
  const { page, done } = await open();
  // A workspace as the 考核任务 view stores it (IndexedDB), with the example units.
  await page.evaluate(async (units) => {
    const { openStore } = await import('/ws/store.js');
    const store = await openStore();
    const now = new Date().toISOString();
    const ws = { id: 'ws-test', name: '2026年度街镇考核', rules: { id: 'subdistrict', version: '2026.2', title: '街镇', source: 'builtin' }, createdAt: now, updatedAt: now };
    await store.putAll(ws, units.map((text, i) => ({ key: `ws-test:${i}`, workspace: 'ws-test', order: i, submission: JSON.parse(text), updatedAt: now, rev: 1 })));
  }, UNIT_FILES.map((f) => f.text));
  await group(page, 'sections');
  await page.locator('#wb-structured details.item-detail[data-path="/sections/1/items/0"]').evaluate((d) => { d.open = true; });
  await edit(page, () => field(page, '/sections/1/items/0/rate/points_per_step').fill('1'));
  const { text } = await wbState(page);
  await page.locator('#wb-mode-compare').click();
  await page.getByTestId('cmp-workspace').locator('option[value="ws-test"]').waitFor({ state: 'attached' });
  await page.getByTestId('cmp-workspace').selectOption('ws-test');
  await page.getByTestId('cmp-subs-name').filter({ hasText: `考核任务「2026年度街镇考核` }).waitFor();
  await page.getByTestId('cmp-run').click();
  const diff = new Engine('subdistrict').diff(text, UNIT_FILES.map((f) => f.text));
  const changed = diff.units.filter((u) => u.changed).map((u) => u.unit.id);
  assert.ok(changed.length > 0);
  await page.locator('[data-testid=cmp-unit]').first().waitFor();
  assert.deepEqual(await page.locator('[data-testid=cmp-unit]').evaluateAll((trs) => trs.map((tr) => tr.dataset.unit)), changed);
  // The same from the folder examples/units.
  await page.getByTestId('cmp-folder').setInputFiles(`${root}examples/units`);
  await page.getByTestId('cmp-subs-name').filter({ hasText: '文件夹「units」，6份' }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=cmp-unit]').length === n, changed.length);
  assert.deepEqual(await page.locator('[data-testid=cmp-unit]').evaluateAll((trs) => trs.map((tr) => tr.dataset.unit)), changed);
  await done();
});
