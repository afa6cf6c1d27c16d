// End-to-end tests of the browser form (www/ served by tools/serve.mjs, the <kpi-assessment>
// element from pkg/) in headless Chromium through playwright-core. Every expected number comes
// from the engine itself (pkg/index.js in Node) or the committed examples, never typed in here.
// No request may leave 127.0.0.1, nothing may break the Content-Security-Policy, and no page may
// throw: every test checks all three through `open()`'s `done()`.
//
//   node --test js/test/e2e.test.mjs        (./test runs it with the other js/test/*.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(`${root}pkg/element.js`)) throw new Error('pkg/element.js is missing: run ./build first');
const { Engine, MAX_DOCUMENT_BYTES, builtInRuleSets } = await import('../../pkg/index.js');
const { createAppServer, listen, CSP } = await import('../../tools/serve.mjs');
const { plainWords } = await import('../../pkg/form-view.js');
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const DQ = read('examples/subdistrict-dq.json');
const UNIT_FILES = readdirSync(`${root}examples/units`).sort().map((f) => ({ name: f, text: read(`examples/units/${f}`) }));
/** The version of each built-in rule set the package ships. */
const VERSIONS = Object.fromEntries(builtInRuleSets().map((r) => [r.id, r.version]));
/** A small rule set with a rank item (no built-in has one): pending outside a batch. */
const RANK_RULES = 'tests/cases/bands-judged-formula-rank';

let server, base, bareServer, bareBase, browser;

before(async () => {
  server = createAppServer();
  base = await listen(server, 0);
  bareServer = createAppServer({ www: `${root}js/test/e2e-bare` });
  bareBase = await listen(bareServer, 0);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  bareServer?.close();
});

/**
 * A fresh browser context (its own storage) on `url`, with watchers: requests leaving
 * 127.0.0.1, CSP violations and page errors. `done()` asserts there were none and closes it.
 */
async function open(url = `${base}/#form`, { width = 1366, height = 768, waitReady = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true });
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
  await page.goto(url);
  if (waitReady) await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20000 });
  return {
    page,
    context,
    async done() {
      const violations = await page.evaluate(() => window.__cspViolations).catch(() => []);
      await context.close();
      assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
      assert.deepEqual(errors, [], 'no page errors');
    },
  };
}

const emptySub = (rules = 'subdistrict', version = VERSIONS[rules]) => ({ format: 'kpi-submission/1', rules: { id: rules, version }, unit: { id: 'u', name: 'n' }, values: {} });

/** Fills every field of `doc.values` by its label, as an assessor would. */
async function fillByLabel(page, form, values) {
  for (const input of form.inputs) {
    const value = values[input.id];
    if (value === undefined || value === null) continue;
    const field = page.getByLabel(input.label, { exact: true });
    if (input.type === 'bool') await field.selectOption(value ? '是' : '否');
    else if (input.type === 'choice') await field.selectOption(String(value));
    else await field.fill(String(value));
  }
}

/** Opens an item's note (the engine's warning may have opened it already). */
async function openNote(page, id) {
  const details = page.locator(`[data-entry="${id}"] details.kpi-note`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
}

const text = async (page, testid) => (await page.getByTestId(testid).textContent()).trim();

async function chooseFile(page, testid, files) {
  await page.getByTestId(testid).setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) })));
}

async function downloadText(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

// ------------------------------------------------------------------------------------------------

test('the server: the CSP on every response, wasm as application/wasm, 127.0.0.1 only, no path escapes', async () => {
  assert.equal(server.address().address, '127.0.0.1');
  for (const path of ['/', '/app.js', '/app.css', '/pkg/index.js', '/pkg/element.js', '/pkg/element.css', '/nope']) {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.headers.get('content-security-policy'), CSP, path);
    assert.equal(res.status, path === '/nope' ? 404 : 200, path);
  }
  assert.equal(CSP, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'");
  const wasm = await fetch(`${base}/pkg/kpi_wasm_bg.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const raw = (path) => new Promise((ok, fail) => {
    const req = request(`${base}${path}`, { method: 'GET' }, (res) => { res.resume(); ok(res.statusCode); });
    req.on('error', fail);
    req.end();
  });
  for (const path of ['/../Cargo.toml', '/pkg/../Cargo.toml', '/%2e%2e/Cargo.toml', '/pkg/%2e%2e/%2e%2e/Cargo.toml', '/..%2fCargo.toml', '/%00']) {
    assert.equal(await raw(path), 404, path);
  }
  // The page itself: no inline script or style, so the CSP needs no exceptions.
  for (const file of ['www/index.html', 'js/test/e2e-bare/index.html']) {
    const html = read(file);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${file}: inline <script>`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${file}: inline style or handler`);
  }
});

test('no request leaves 127.0.0.1: the page, its styles, the package and the wasm all come from the server', async () => {
  const { page, context, done } = await open(`${base}/`, { waitReady: false });
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  for (const tab of ['tab-batch', 'tab-compare', 'tab-form']) await page.getByTestId(tab).click();
  await page.emulateMedia({ media: 'print' });
  await page.emulateMedia({ media: 'screen' });
  assert.ok(urls.length >= 6, urls.join('\n'));
  for (const u of urls) assert.ok(u.startsWith(`${base}/`), u);
  for (const path of ['/app.js', '/app.css', '/pkg/index.js', '/pkg/element.js', '/pkg/element.css', '/pkg/kpi_wasm_bg.wasm']) {
    assert.ok(urls.includes(`${base}${path}`), path);
  }
  await done(); // and, like every test here: no CSP violation, no page error
});

test('fill the subdistrict form by label: total, grade, every item and reason as the engine gives', async () => {
  const engine = new Engine('subdistrict');
  const doc = JSON.parse(DQ);
  const expected = engine.score(DQ);
  const { page, done } = await open();
  assert.equal(await text(page, 'status'), '暂定');
  await page.getByLabel('被考核单位名称').fill(doc.unit.name);
  await page.getByLabel('被考核单位编号').fill(doc.unit.id);
  await fillByLabel(page, engine.form(), doc.values);
  for (const [item, note] of Object.entries(doc.notes)) {
    await openNote(page, item);
    await page.getByLabel(`项目${item}情况说明`).fill(note);
  }

  assert.equal(await text(page, 'total'), expected.total);
  // Every field filled: a final report shows its grade and the engine's word for final.
  assert.equal(expected.status, 'final');
  assert.equal(await text(page, 'grade'), expected.grade);
  assert.equal(await text(page, 'status'), engine.form().status_labels.final);
  for (const section of expected.sections) {
    assert.equal(await text(page, `section-score-${section.id}`), section.score, section.title);
    for (const item of section.items) {
      assert.equal(await text(page, `item-score-${item.id}`), item.score, `${item.id} ${item.title}`);
      const lines = await text(page, `item-lines-${item.id}`);
      for (const line of item.lines) {
        assert.ok(lines.includes(line.reason), `${item.id}: ${line.reason}`);
        // An information line (e.g. 不涉及，按满分计) is its reason only; every other shows its points.
        if (line.kind === 'info') assert.match(line.points, /^0(\.0+)?$/, `${item.id}: an information line moves no points`);
        else assert.ok(lines.includes(line.points.startsWith('-') ? line.points : `+${line.points}`), `${item.id}: ${line.points}`);
      }
    }
  }
  for (const a of expected.adjustments) {
    assert.equal(await text(page, `adjustment-score-${a.id}`), a.amount);
    for (const line of a.lines) assert.ok((await text(page, `adjustment-lines-${a.id}`)).includes(line.reason));
  }
  // A veto: the banner and the grade follow the engine.
  const vetoed = engine.score({ ...doc, values: { ...doc.values, major_accidents: 1 } });
  await page.getByLabel('较大及以上生产安全事故（起）', { exact: true }).fill('1');
  assert.equal(vetoed.status, 'final');
  assert.equal(await text(page, 'grade'), vetoed.grade);
  const triggered = vetoed.vetoes.filter((v) => v.triggered);
  assert.ok(triggered.length > 0);
  for (const v of triggered) assert.match(await text(page, `veto-banner-${v.id}`), new RegExp(v.title));

  // A rule set with a rank item (loaded from a file), every field filled: the rank item is pending
  // outside a batch and the form says why; provisional, so no grade word that reads as final, only a hint.
  const rankRules = read(`${RANK_RULES}/rules.json`);
  const rankEngine = new Engine(rankRules);
  const rankSub = JSON.parse(read(`${RANK_RULES}/band-edges.sub.json`));
  const rankExpected = rankEngine.score(rankSub);
  await chooseFile(page, 'load-rules', [{ name: 'rules.json', text: rankRules }]);
  await page.getByLabel(rankEngine.form().inputs[0].label, { exact: true }).waitFor();
  await fillByLabel(page, rankEngine.form(), rankSub.values);
  assert.equal(await text(page, 'total'), rankExpected.total);
  assert.equal(rankExpected.status, 'provisional');
  assert.equal(await text(page, 'grade'), '待定');
  assert.equal(await text(page, 'grade-hint'), `暂计分对应「${rankExpected.grade}」`);
  assert.equal(await text(page, 'status'), '暂定');
  const rankItem = rankEngine.form().sections.flatMap((s) => s.items).find((i) => i.batch_only);
  assert.match(await page.locator(`[data-entry="${rankItem.id}"]`).textContent(), /排名赋分项目需在批量评分中计算/);
  const pendingIds = rankExpected.pending.map((p) => p.id);
  assert.deepEqual(pendingIds, [rankItem.id]);
  await done();
});

test('each built-in form, filled by label with its rule authors\' "一般水平" case, gives the expected total and grade', async () => {
  const { page, done } = await open();
  for (const id of ['subdistrict', 'department', 'enterprise']) {
    const rules = JSON.parse(read(`rules/${id}.json`));
    const cases = rules.tests.filter((t) => t.name.startsWith('一般水平'));
    assert.equal(cases.length, 1, id);
    const [c] = cases;
    const engine = new Engine(id);
    // The case's unit where it gives one (a department's tags choose its sector items).
    const unit = c.unit ?? emptySub().unit;
    const expected = engine.score({ ...emptySub(id, rules.version), unit, values: c.values, notes: c.notes ?? {} });
    assert.equal(expected.total, c.expect.total, `${id}: the engine agrees with the rule set's own case`);
    await page.getByTestId('rules-picker').selectOption(`builtin:${id}`);
    // The unit's name and id as an OA page gives them; its tags ticked in the form, by label.
    if (c.unit) {
      const { tags = [], ...named } = c.unit;
      await page.evaluate((u) => { document.querySelector('kpi-assessment').unit = u; }, named);
      for (const tag of tags) {
        const label = engine.form().unit_tags.find((t) => t.id === tag).label;
        await page.getByRole('checkbox', { name: label, exact: true }).check();
      }
      // Kept in the rule set's order (the case lists them in its own).
      const given = await page.evaluate(() => document.querySelector('kpi-assessment').submission.unit.tags ?? []);
      assert.deepEqual([...given].sort(), [...tags].sort(), id);
    }
    await fillByLabel(page, engine.form(), c.values);
    for (const [item, note] of Object.entries(c.notes ?? {})) {
      await openNote(page, item);
      await page.getByLabel(`项目${item}情况说明`).fill(note);
    }
    assert.equal(await text(page, 'total'), c.expect.total, id);
    // A final report shows its grade; a provisional one says 待定 and what its score reads now.
    const shown = expected.status === 'final' ? await text(page, 'grade') : (await text(page, 'grade-hint')).replace(/^暂计分对应「(.*)」$/, '$1');
    assert.equal(await text(page, 'grade'), expected.status === 'final' ? expected.grade : '待定', id);
    assert.equal(shown, expected.grade, id);
    if (c.expect.grade) assert.equal(shown, c.expect.grade, id);
  }
  await done();
});

test('every validation message shows next to the field it names, and goes when fixed', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open();
  const cases = [
    ['safety_meetings', 'abc'], // not a number
    ['training_absent', '1.5'], // a count given as a decimal
    ['leader_inspections', '-1'], // a negative count
    ['self_check_rate', '101'], // a percent over 100
    ['four_lists', '7'], // over the field's own maximum (4)
    ['gdp', '-3.5'], // a number below its minimum
  ];
  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  for (const [id, value] of cases) await page.getByLabel(label(id), { exact: true }).fill(value);
  // A bound given by another field: fixed hazards cannot exceed found ones.
  await page.getByLabel(label('hazards_found'), { exact: true }).fill('3');
  await page.getByLabel(label('hazards_fixed'), { exact: true }).fill('5');
  cases.push(['hazards_fixed', '5']);
  const values = Object.fromEntries([...cases, ['hazards_found', '3']]);
  const problems = engine.validate({ ...emptySub(), values });
  for (const [id] of cases) {
    const messages = problems.filter((p) => p.path === `/values/${id}`).map((p) => p.message);
    assert.ok(messages.length > 0, `the engine finds a problem with ${id}`);
    assert.equal(await text(page, `error-${id}`), messages.map(plainWords).join('；'), id);
    assert.equal(await page.getByLabel(label(id), { exact: true }).getAttribute('aria-invalid'), 'true');
  }
  // A field with a wrong value counts as pending (full marks) until fixed; the form says so.
  assert.match(await text(page, 'problems'), /7个输入项填写有误/);
  await page.getByLabel(label('four_lists'), { exact: true }).fill('4');
  assert.equal(await page.getByTestId('error-four_lists').isHidden(), true);
  assert.equal(await page.getByLabel(label('four_lists'), { exact: true }).getAttribute('aria-invalid'), null);
  // The unit: required, said once the assessor has been there.
  await page.getByLabel('被考核单位名称').fill('x');
  await page.getByLabel('被考核单位名称').fill('');
  const unitMessage = engine.validate({ ...emptySub(), unit: { id: 'u', name: '' } }).find((p) => p.path === '/unit/name').message;
  assert.equal((await page.locator('#kpi-unit-name-error').textContent()).trim(), plainWords(unitMessage));
  assert.ok(!/unit|name/.test(plainWords(unitMessage)), 'no internal words');
  // A judged score (the enterprise set's 1.3, leader_score, 0–4): over its maximum it is an error at
  // the field; fixed below full marks without a note, the engine's warning shows next to the note.
  const ent = new Engine('enterprise');
  const entLabel = (id) => ent.form().inputs.find((i) => i.id === id).label;
  await page.getByTestId('rules-picker').selectOption('builtin:enterprise');
  await page.getByLabel(entLabel('leader_score'), { exact: true }).fill('4.5');
  const entMessages = ent.validate({ ...emptySub('enterprise'), values: { leader_score: '4.5' } }).filter((p) => p.path === '/values/leader_score').map((p) => p.message);
  assert.ok(entMessages.length > 0, 'the engine finds a problem with leader_score');
  assert.equal(await text(page, 'error-leader_score'), entMessages.map(plainWords).join('；'));
  assert.equal(await page.getByLabel(entLabel('leader_score'), { exact: true }).getAttribute('aria-invalid'), 'true');
  await page.getByLabel(entLabel('leader_score'), { exact: true }).fill('3.5');
  assert.equal(await page.getByTestId('error-leader_score').isHidden(), true);
  assert.equal(await page.getByLabel(entLabel('leader_score'), { exact: true }).getAttribute('aria-invalid'), null);
  const warning = ent.score({ ...emptySub('enterprise'), values: { leader_score: '3.5' } }).warnings.find((w) => w.path === '/notes/1.3');
  assert.ok(warning, 'the engine warns about a judged score below full marks without a note');
  assert.equal((await page.locator('[data-entry="1.3"] .kpi-warning').textContent()).trim(), plainWords(warning.message));
  await done();
});

test('autosave: rule set, values, notes and unit survive a reload; a saved form whose rules no longer load is kept', async () => {
  const engine = new Engine('enterprise');
  const form = engine.form();
  const { page, done } = await open();
  await page.getByTestId('rules-picker').selectOption('builtin:enterprise');
  await page.getByLabel('被考核单位名称').fill('某化工有限公司');
  await page.getByLabel('被考核单位编号').fill('qy-001');
  const values = { all_staff_duty: true, duty_gaps: '2', level: '二级', leader_score: '3.5' };
  await fillByLabel(page, form, values);
  await openNote(page, '1.3');
  await page.getByLabel('项目1.3情况说明').fill('主要负责人未参加季度安全例会');
  const expected = engine.score({ ...emptySub('enterprise'), unit: { id: 'qy-001', name: '某化工有限公司' }, values, notes: { 1.3: '主要负责人未参加季度安全例会' } });
  assert.equal(await text(page, 'total'), expected.total);
  assert.match(await text(page, 'save-status'), /已自动保存/);

  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await page.getByTestId('rules-picker').inputValue(), 'builtin:enterprise');
  assert.equal(await page.getByLabel('被考核单位名称').inputValue(), '某化工有限公司');
  assert.equal(await page.getByLabel(form.inputs.find((i) => i.id === 'duty_gaps').label, { exact: true }).inputValue(), '2');
  assert.equal(await page.getByLabel(form.inputs.find((i) => i.id === 'level').label, { exact: true }).inputValue(), '二级');
  assert.equal(await page.getByLabel('项目1.3情况说明').inputValue(), '主要负责人未参加季度安全例会');
  assert.equal(await text(page, 'total'), expected.total);
  assert.match(await text(page, 'notice'), /已恢复/);

  // Each rule set keeps its own draft: switching away and back restores this one.
  await page.getByTestId('rules-picker').selectOption('builtin:subdistrict');
  await page.getByTestId('rules-picker').selectOption('builtin:enterprise');
  assert.equal(await text(page, 'total'), expected.total);

  // A saved form for a rule-set version that no longer exists: said, kept, exportable.
  const stale = { rules: { key: 'subdistrict@2019.1', source: 'builtin', id: 'subdistrict', version: '2019.1' }, submission: { ...JSON.parse(DQ), rules: { id: 'subdistrict', version: '2019.1' } } };
  await page.evaluate((s) => {
    localStorage.setItem('kpi-assessment:draft:subdistrict@2019.1', JSON.stringify(s));
    localStorage.setItem('kpi-assessment:last', JSON.stringify(s.rules));
  }, stale);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const orphan = await text(page, 'orphan');
  assert.match(orphan, /2019\.1/);
  assert.match(orphan, /大桥街道/);
  const exported = await downloadText(page, () => page.getByTestId('orphan-export').click());
  assert.deepEqual(JSON.parse(exported.bytes.toString('utf8')), stale.submission);
  assert.ok(await page.evaluate(() => localStorage.getItem('kpi-assessment:draft:subdistrict@2019.1') !== null), 'the data is kept');
  await done();
});

test('import: a failing import says why and leaves the form intact; a good one loads; export round-trips', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open();
  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  await page.getByLabel('被考核单位名称').fill('原单位');
  await page.getByLabel(label('safety_meetings'), { exact: true }).fill('2');
  const before = await text(page, 'total');
  const wrongValues = JSON.parse(DQ);
  wrongValues.values.bogus_field = 1;
  const boolAsText = JSON.parse(DQ);
  boolAsText.values.plan_made = '是';
  const failing = [
    [{ name: 'broken.json', text: '{"format": "kpi-submission/1", ' }, /JSON/],
    [{ name: 'rules.json', text: builtInRulesText('department') }, /不是考核表文件/],
    [{ name: 'other.json', text: JSON.stringify({ ...JSON.parse(DQ), rules: { id: 'nowhere', version: '9' } }) }, /nowhere/],
    [{ name: 'unknown.json', text: JSON.stringify(wrongValues) }, new RegExp(escape(plainWords(engine.validate(wrongValues).find((p) => p.code === 'value.unknown').message)))],
    [{ name: 'no-unit.json', text: JSON.stringify({ ...wrongValues, unit: { id: '', name: '' } }) }, /bogus_field/],
    // A blank or absent unit does not hide the values' problems either.
    [{ name: 'blank-unit.json', text: JSON.stringify({ ...wrongValues, unit: { id: ' ', name: ' ' } }) }, /bogus_field/],
    [{ name: 'unitless.json', text: JSON.stringify({ ...wrongValues, unit: undefined }) }, /缺少被考核单位[^]*bogus_field/],
    [{ name: 'bool.json', text: JSON.stringify(boolAsText) }, new RegExp(escape(plainWords(engine.validate(boolAsText).find((p) => p.path === '/values/plan_made').message)))],
  ];
  for (const [file, why] of failing) {
    await chooseFile(page, 'import', [file]);
    await page.getByTestId('alert').waitFor();
    const alert = await text(page, 'alert');
    assert.match(alert, /无法导入/, file.name);
    assert.match(alert, why, file.name);
    assert.equal(await page.getByLabel('被考核单位名称').inputValue(), '原单位', file.name);
    assert.equal(await page.getByLabel(label('safety_meetings'), { exact: true }).inputValue(), '2', file.name);
    assert.equal(await text(page, 'total'), before, file.name);
    // Said once, in Chinese: no second copy in the browser's own (English) words.
    assert.doesNotMatch(alert, /Unexpected|JSON\.parse|position \d|is not valid JSON/, file.name);
    assert.doesNotMatch(alert, /\(plan_made\)|位置 \/values/, `${file.name}: fields by label, no ids or JSON positions`);
  }
  assert.equal((await (async () => {
    await chooseFile(page, 'import', [{ name: 'not-json.txt', text: '单位,得分\n大桥街道,91' }]);
    await page.getByTestId('alert').getByText('not-json.txt').waitFor();
    return text(page, 'alert');
  })()).match(/不是有效的 JSON/g).length, 1, 'a non-JSON file: one message');

  // Larger than the engine's limit: refused before a byte is read.
  await page.evaluate(() => {
    window.__reads = 0;
    for (const m of ['text', 'arrayBuffer', 'stream', 'slice']) {
      const original = Blob.prototype[m];
      Blob.prototype[m] = function (...args) { window.__reads++; return original.apply(this, args); };
    }
    const readAs = FileReader.prototype.readAsText;
    FileReader.prototype.readAsText = function (...args) { window.__reads++; return readAs.apply(this, args); };
  });
  await page.getByTestId('import').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 32) });
  await page.waitForFunction(() => /超过 8 MiB/.test(document.querySelector('[data-testid=alert]').textContent));
  assert.equal(await page.evaluate(() => window.__reads), 0, 'the big file was not read');
  assert.equal(await text(page, 'total'), before);
  await chooseFile(page, 'load-rules', [{ name: 'huge-rules.json', text: ' '.repeat(MAX_DOCUMENT_BYTES + 1) }]);
  await page.waitForFunction(() => /细则文件.*超过 8 MiB/.test(document.querySelector('[data-testid=alert]').textContent));
  assert.equal(await page.evaluate(() => window.__reads), 0, 'the big rules file was not read');

  // A good import asks before replacing what is filled in, then replaces it; the engine's total for
  // the file shows; 撤销导入 brings the form back, and importing again re-applies it.
  await chooseFile(page, 'import', [{ name: 'subdistrict-dq.json', text: DQ }]);
  await page.getByTestId('confirm-import').waitFor();
  await page.getByTestId('confirm-import-ok').click();
  await page.getByTestId('undo-import').waitFor();
  assert.equal(await text(page, 'total'), engine.score(DQ).total);
  await page.getByTestId('undo-import').click();
  await page.getByTestId('notice').getByText('已撤销导入').waitFor();
  assert.equal(await page.getByLabel('被考核单位名称').inputValue(), '原单位');
  assert.equal(await text(page, 'total'), before);
  await chooseFile(page, 'import', [{ name: 'subdistrict-dq.json', text: DQ }]);
  await page.getByTestId('confirm-import-ok').click();
  await page.getByTestId('undo-import').waitFor();
  assert.equal(await text(page, 'total'), engine.score(DQ).total);
  assert.equal(await page.getByLabel('被考核单位名称').inputValue(), '大桥街道');

  // Export: a kpi-submission/1 document with the same values, notes and unit, scoring the same.
  const { name, bytes } = await downloadText(page, () => page.getByTestId('export').click());
  assert.match(name, /\.json$/);
  const exported = JSON.parse(bytes.toString('utf8'));
  const original = JSON.parse(DQ);
  assert.equal(exported.format, 'kpi-submission/1');
  assert.deepEqual(exported.rules, original.rules);
  assert.deepEqual(exported.unit, original.unit);
  assert.deepEqual(exported.notes, original.notes);
  assert.deepEqual(exported.meta, original.meta);
  assert.deepEqual(Object.keys(exported.values).sort(), Object.keys(original.values).sort());
  for (const [id, value] of Object.entries(original.values)) assert.equal(String(exported.values[id]), String(value), id);
  assert.equal(engine.scoreJson(JSON.stringify(exported)), engine.scoreJson(DQ));

  // A submission for another built-in rule set switches to it (the current draft stays saved).
  const dept = new Engine('department');
  const deptRules = JSON.parse(read('rules/department.json'));
  const deptSub = { ...emptySub('department', deptRules.version), unit: { id: 'd1', name: '区住房城乡建设管理委' }, values: deptRules.tests[1].values };
  await chooseFile(page, 'import', [{ name: 'dept.json', text: JSON.stringify(deptSub) }]);
  await page.waitForFunction(() => /已切换到细则/.test(document.querySelector('[data-testid=notice]').textContent));
  assert.equal(await page.getByTestId('rules-picker').inputValue(), 'builtin:department');
  assert.equal(await text(page, 'total'), dept.score(deptSub).total);
  await page.getByTestId('rules-picker').selectOption('builtin:subdistrict');
  assert.equal(await page.getByLabel('被考核单位名称').inputValue(), '大桥街道');
  await done();
});

test('clear asks first; cancelling keeps everything', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open();
  const field = page.getByLabel(engine.form().inputs.find((i) => i.id === 'drills').label, { exact: true });
  await field.fill('1');
  const filled = await text(page, 'total');
  await page.getByTestId('clear').click();
  await page.getByTestId('confirm-clear').waitFor();
  await page.getByTestId('confirm-cancel').click();
  assert.equal(await field.inputValue(), '1');
  assert.equal(await text(page, 'total'), filled);
  await page.getByTestId('clear').click();
  // The dialog's "close" event (which clears) is dispatched after the click returns: wait for it.
  await page.evaluate(() => {
    const dialog = document.querySelector('[data-testid=confirm-clear]');
    window.clearClosed = new Promise((resolve) => dialog.addEventListener('close', () => resolve(), { once: true }));
  });
  await page.getByTestId('confirm-ok').click();
  await page.evaluate(() => window.clearClosed);
  assert.equal(await field.inputValue(), '');
  assert.equal(await text(page, 'total'), engine.score(emptySub()).total);
  await done();
});

test('autosave failures (storage full) are shown, not swallowed', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open();
  const field = page.getByLabel(engine.form().inputs.find((i) => i.id === 'drills').label, { exact: true });
  await page.evaluate(() => {
    window.__setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await field.fill('2');
  assert.match(await text(page, 'save-status'), /自动保存失败.*存储空间已满.*导出考核表/);
  await page.evaluate(() => { Storage.prototype.setItem = window.__setItem; });
  await field.fill('3');
  assert.match(await text(page, 'save-status'), /^已自动保存/);
  await done();
});

test('batch view: the ranked table with grades and quota moves, and its CSV export', async () => {
  const engine = new Engine('subdistrict');
  const files = [...UNIT_FILES, { name: 'subdistrict-dq.json', text: DQ }];
  const expected = engine.scoreBatch(files.map((f) => f.text)).map((e) => e.report).sort((a, b) => a.rank - b.rank);
  const { page, done } = await open();
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', files);
  const rows = page.getByTestId('batch-table').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), expected.length);
  for (let i = 0; i < expected.length; i++) {
    const cells = (await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim());
    const r = expected[i];
    assert.deepEqual(cells.slice(0, 6), [String(r.rank), r.unit.id, r.unit.name, r.unit.group ?? '', r.total, r.grade]);
    for (const line of r.lines.filter((l) => l.kind === 'quota' || l.kind === 'veto')) assert.ok(cells[6].includes(line.reason), line.reason);
  }
  assert.ok(expected.some((r) => r.lines.some((l) => l.kind === 'quota')), 'the examples include a quota move');
  const { name, bytes } = await downloadText(page, () => page.getByTestId('batch-csv').click());
  assert.match(name, /\.csv$/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assert.equal(bytes.toString('utf8'), engine.batchCsv(files.map((f) => f.text)));
  await done();
});

test('batch view: a submission the engine cannot read or score is refused with its problems; the others are ranked without it', async () => {
  const engine = new Engine('subdistrict');
  const dq = JSON.parse(DQ);
  const bad = [
    { name: 'broken.json', text: '{"format": "kpi-submission/1", ' },
    { name: 'other-rules.json', text: JSON.stringify({ ...dq, rules: { id: 'department', version: VERSIONS.department }, unit: { id: 'd', name: '部门' } }) },
    { name: 'no-unit.json', text: JSON.stringify({ ...dq, unit: { id: '', name: '' } }) },
    { name: 'bad-value.json', text: JSON.stringify({ ...dq, unit: { id: 'bv', name: '某街道' }, values: { ...dq.values, drills: 'abc' } }) },
  ];
  const files = [UNIT_FILES[0], bad[0], ...UNIT_FILES.slice(1), ...bad.slice(1), { name: 'subdistrict-dq.json', text: DQ }];
  const entries = engine.scoreBatch(files.map((f) => f.text));
  assert.equal(entries.filter((e) => e.error).length, bad.length, 'the engine refuses each bad file and only those');
  const good = files.filter((_, i) => entries[i].report);
  const expected = entries.filter((e) => e.report).map((e) => e.report).sort((a, b) => a.rank - b.rank);
  // While a peer of their group could not be scored, the others' ranks and grades are provisional.
  assert.ok(expected.every((r) => r.status === 'provisional' && r.pending.some((p) => p.kind === 'batch')), 'the engine keeps the group provisional');
  const labels = engine.form().status_labels;
  const { page, done } = await open();
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', files);
  const rows = page.getByTestId('batch-table').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), good.length);
  for (let i = 0; i < expected.length; i++) {
    const cells = (await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim());
    const r = expected[i];
    // A provisional grade reads 待定, with what it is now; the status column says why.
    assert.deepEqual(cells.slice(0, 6), [String(r.rank), r.unit.id, r.unit.name, r.unit.group ?? '', r.total, `待定（暂为${r.grade}）`]);
    assert.equal(cells[7], `${labels.provisional}（${r.pending.length}项待定）`);
  }
  const alert = await text(page, 'batch-alert');
  files.forEach((f, i) => {
    for (const p of entries[i].error ?? []) assert.ok(alert.includes(`${f.name}：${plainWords(p.message)}`), `${f.name}: ${p.message}`);
  });
  for (const f of good) assert.ok(!alert.includes(f.name), f.name);
  assert.equal(await text(page, 'batch-summary'), `共${files.length}份考核表，${good.length}份已评分，${bad.length}份未能评分。`);
  // The CSV is the same batch as the table: every submission the engine can read takes part (so the
  // ranks there are provisional too); its rows are the scored ones.
  const readable = files.filter((f) => {
    try {
      engine.batchCsv([f.text]);
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(readable.length > good.length && readable.length < files.length, 'some refused files can be read, some cannot');
  const { bytes } = await downloadText(page, () => page.getByTestId('batch-csv').click());
  const csv = bytes.toString('utf8');
  assert.equal(csv, engine.batchCsv(readable.map((f) => f.text)));
  const rowsOf = (text) => text.trim().split('\n').slice(1);
  assert.equal(rowsOf(csv).length, good.length);
  for (const row of rowsOf(csv)) assert.equal(row.split(',')[3], labels.provisional, row.slice(0, 40));
  await done();
});

test('compare view: units whose total, grade or rank change under a second rule set, with the items', async () => {
  const engine = new Engine('subdistrict');
  const files = [...UNIT_FILES, { name: 'subdistrict-dq.json', text: DQ }];
  const next = read('examples/subdistrict-2027.json');
  const diff = engine.diff(next, files.map((f) => f.text));
  const { page, done } = await open();
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', files);
  await page.getByTestId('tab-compare').click();
  await chooseFile(page, 'compare-rules', [{ name: 'subdistrict-2027.json', text: next }]);
  const rows = page.getByTestId('diff-table').locator('tbody tr');
  await rows.first().waitFor();
  const changed = diff.units.filter((u) => u.changed);
  assert.ok(changed.length > 0);
  assert.equal(await rows.count(), changed.length);
  for (const u of changed) {
    const row = page.locator(`[data-testid=diff-table] tr[data-unit="${u.unit.id}"]`);
    const cells = (await row.locator(':scope > td').allTextContents()).map((c) => c.trim());
    assert.equal(cells[1], `${u.old.total} → ${u.new.total}`);
    assert.equal(cells[2], `${u.old.grade} → ${u.new.grade}`);
    assert.equal(cells[3], `${u.old.rank} → ${u.new.rank}`);
    for (const item of u.items) {
      assert.ok(cells[4].includes(`${item.id} ${item.title}：${item.old} → ${item.new}`));
      for (const reason of item.reasons) assert.ok(cells[4].includes(reason), reason);
    }
  }
  assert.deepEqual((await page.getByTestId('rule-changes').locator('li').allTextContents()), diff.rule_changes);
  assert.match(await text(page, 'compare-summary'), new RegExp(`共${diff.summary.units}个单位，${diff.summary.changed}个有变化`));
  await page.getByTestId('compare-all').check();
  assert.equal(await rows.count(), diff.units.length);
  await done();
});

test('compare view: its CSV export is the engine\'s diffCsv, byte for byte with the BOM', async () => {
  const engine = new Engine('subdistrict');
  const files = [...UNIT_FILES, { name: 'subdistrict-dq.json', text: DQ }];
  const next = read('examples/subdistrict-2027.json');
  const expected = engine.diffCsv(next, files.map((f) => f.text));
  assert.ok(expected.startsWith('\ufeff'));
  const { page, done } = await open();
  await page.getByTestId('tab-compare').click();
  assert.equal(await page.getByTestId('compare-csv').isDisabled(), true, 'nothing to export before a new rule set is chosen');
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', files);
  await page.getByTestId('tab-compare').click();
  await chooseFile(page, 'compare-rules', [{ name: 'subdistrict-2027.json', text: next }]);
  await page.getByTestId('diff-table').locator('tbody tr').first().waitFor();
  const { name, bytes } = await downloadText(page, () => page.getByTestId('compare-csv').click());
  assert.match(name, /^细则对比.*\.csv$/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assert.equal(bytes.toString('utf8'), expected);
  assert.ok(bytes.equals(Buffer.from(expected, 'utf8')), 'byte for byte');
  // Showing the unchanged units changes the table, not the export (it has every unit).
  await page.getByTestId('compare-all').check();
  assert.ok((await downloadText(page, () => page.getByTestId('compare-csv').click())).bytes.equals(bytes));
  // A built-in as the new rules; without a batch, the current form is compared.
  await page.getByTestId('tab-batch').click();
  await page.getByTestId('batch-clear').click();
  await page.getByTestId('tab-form').click();
  await page.getByLabel('被考核单位名称').fill('某街道');
  await page.getByLabel('被考核单位编号').fill('mj');
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('compare-builtin').selectOption('subdistrict');
  const current = await page.evaluate(() => JSON.stringify(document.querySelector('kpi-assessment').submission));
  const own = await downloadText(page, () => page.getByTestId('compare-csv').click());
  assert.equal(own.bytes.toString('utf8'), engine.diffCsv('subdistrict', [current]));
  // Submissions that cannot be compared: the reason, and nothing to export.
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', [{ name: 'broken.json', text: '{' }]);
  await page.getByTestId('tab-compare').click();
  assert.match(await text(page, 'compare-alert'), /无法对比（broken\.json）/);
  assert.equal(await page.getByTestId('compare-csv').isDisabled(), true);
  await done();
});

test('the custom element in a bare page: attributes, properties, change and score events', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open(`${bareBase}/`, { waitReady: false });
  await page.getByTestId('total').waitFor();
  const first = await page.evaluate(() => window.kpiEvents.at(-1));
  assert.equal(first.type, 'score');
  assert.equal(first.total, engine.score(emptySub()).total);
  assert.equal(await text(page, 'total'), first.total);

  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  await page.getByLabel(label('safety_meetings'), { exact: true }).fill('1');
  const expected = engine.score({ ...emptySub(), values: { safety_meetings: '1' } });
  const events = await page.evaluate(() => window.kpiEvents.slice(-2));
  assert.deepEqual(events.map((e) => [e.type, e.total, e.cause]), [['change', expected.total, 'input'], ['score', expected.total, 'input']]);

  // Properties: values in, report out.
  const doc = JSON.parse(DQ);
  const total = await page.evaluate((values) => {
    const el = document.querySelector('kpi-assessment');
    el.unit = { id: 'yp-dq', name: '大桥街道' };
    el.values = values;
    return el.report.total;
  }, doc.values);
  assert.equal(total, engine.score({ ...doc, notes: {} }).total);
  assert.equal(await text(page, 'total'), total);
  // Attributes set before the rules: applied once the rules load.
  const viaAttributes = await page.evaluate(() => {
    const el = document.createElement('kpi-assessment');
    el.setAttribute('values', '{"safety_meetings": "1", "drills": 2}');
    el.setAttribute('unit-name', '殷行街道');
    el.setAttribute('rules', 'subdistrict');
    document.body.append(el);
    const result = { total: el.report.total, unit: el.unit.name, drills: el.values.drills };
    el.remove();
    return result;
  });
  assert.deepEqual(viaAttributes, { total: engine.score({ ...emptySub(), values: { safety_meetings: '1', drills: '2' } }).total, unit: '殷行街道', drills: '2' });
  // Changing the rules attribute renders the other rule set's form.
  await page.evaluate(() => document.querySelector('kpi-assessment').setAttribute('rules', 'department'));
  const dept = new Engine('department');
  await page.getByLabel(dept.form().inputs[0].label, { exact: true }).waitFor();
  assert.equal(await text(page, 'total'), dept.score(emptySub('department')).total);
  // A rules attribute that does not load: an error event and a message, no exception.
  await page.evaluate(() => document.querySelector('kpi-assessment').setAttribute('rules', '{"format": "kpi-rules/1"}'));
  await page.getByTestId('element-message').waitFor();
  assert.ok((await page.evaluate(() => window.kpiEvents.map((e) => e.type))).includes('error'));
  // readonly disables every control.
  const disabled = await page.evaluate(() => {
    const el = document.querySelector('kpi-assessment');
    el.setAttribute('readonly', '');
    return [...el.shadowRoot.querySelectorAll('input, select, textarea')].every((c) => c.disabled);
  });
  assert.equal(disabled, true);
  await done();
});

test('rule-set text is shown as text: <img onerror> and <script> in titles, labels and reasons run nothing', async () => {
  const X = '<img src=x onerror=window.__pwned=1>';
  const S = '<script>window.__pwned=2</script>';
  const rules = {
    format: 'kpi-rules/1', id: 'hostile', version: '1', period: '2026', unit_kind: 'subdistrict',
    title: `细则${X}${S}`, description: `说明${S}`, full_score: '10',
    inputs: [
      { id: 'a', label: `检查次数${X}`, type: 'count', section: 's1', unit: `次${S}`, help: `帮助${X}` },
      { id: 'b', label: `是否合格${S}`, type: 'bool', section: 's1' },
      { id: 'c', label: `等级${X}`, type: 'choice', options: [`一级${X}`, `二级${S}`], section: 's1' },
    ],
    sections: [{ id: 's1', title: `部分${X}`, points: '10', items: [
      { id: 'i1', title: `项目${X}`, points: '6', basis: `标准${S}${X}`, deduct: [
        { per: 'a', points: '1', reason: `扣分原因${X}` },
        { if: '!b', points: '2', reason: `不合格${S}` }] },
      { id: 'i2', title: `等级项目${S}`, points: '4', formula: `if(c == "一级${X}", 4, 2)` }] }],
    vetoes: [{ id: 'v1', title: `否决${X}`, when: 'a >= 9', effect: 'fail' }],
    grades: [{ name: `优秀${X}`, min: '9' }, { name: `合格${S}`, min: '0' }],
  };
  const values = { a: '9', b: false, c: `一级${X}` };
  const expected = new Engine(JSON.stringify(rules)).score({ ...emptySub('hostile', '1'), values });
  const { page, done } = await open();
  // A broken hostile file: its error messages quote the payload, as text.
  const broken = { ...rules, sections: [{ ...rules.sections[0], items: [rules.sections[0].items[0], { ...rules.sections[0].items[1], formula: `if(c == "${S}", ${X})` }] }] };
  await chooseFile(page, 'load-rules', [{ name: 'broken.json', text: JSON.stringify(broken) }]);
  await page.getByTestId('alert').waitFor();
  assert.match(await text(page, 'alert'), /<script>/);
  await chooseFile(page, 'load-rules', [{ name: 'hostile.json', text: JSON.stringify(rules) }]);
  await page.getByLabel(`检查次数${X}`, { exact: true }).fill(values.a);
  await page.getByLabel(`是否合格${S}`, { exact: true }).selectOption('否');
  await page.getByLabel(`等级${X}`, { exact: true }).selectOption(values.c);
  assert.equal(await text(page, 'total'), expected.total);
  assert.equal(await text(page, 'grade'), expected.grade);
  assert.match(await text(page, 'item-lines-i1'), /扣分原因<img src=x onerror=window.__pwned=1>/);
  assert.match(await text(page, 'veto-banner-v1'), /否决<img/);
  assert.equal(await text(page, 'rules-title'), rules.title);
  // The batch table shows unit names from files the same way.
  await page.getByTestId('tab-batch').click();
  await chooseFile(page, 'batch-files', [{ name: 'u.json', text: JSON.stringify({ ...emptySub('hostile', '1'), unit: { id: 'x', name: `单位${X}${S}` }, values }) }]);
  await page.getByTestId('batch-table').locator('tbody tr').first().waitFor();
  await page.waitForTimeout(300); // give an injected handler its chance to run
  const found = await page.evaluate(() => {
    const el = document.querySelector('kpi-assessment');
    const count = (root, sel) => root.querySelectorAll(sel).length;
    return { pwned: window.__pwned ?? null, imgs: count(document, 'img') + count(el.shadowRoot, 'img'), scripts: count(el.shadowRoot, 'script') + count(document.body, 'script') };
  });
  assert.deepEqual(found, { pwned: null, imgs: 0, scripts: 0 });
  // A loaded rule-set file is kept with its draft: after a reload the same form and total.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await page.getByTestId('rules-picker').inputValue(), 'custom:hostile@1');
  assert.equal(await text(page, 'total'), expected.total);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  await done();
});

test('print: an A4 report with unit, rules and version, items, total, grade, vetoes and signature lines', async () => {
  const engine = new Engine('subdistrict');
  const expected = engine.score(DQ);
  const { page, done } = await open();
  await chooseFile(page, 'import', [{ name: 'dq.json', text: DQ }]);
  await page.getByTestId('notice').waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.toolbar').first().isVisible(), false, 'the toolbar is not printed');
  assert.equal(await page.locator('.kpi-sign').isVisible(), true, 'signature lines are printed');
  const sign = await page.locator('.kpi-sign').textContent();
  for (const words of ['被考核单位签字', '考核人员签字', '日期']) assert.ok(sign.includes(words), words);
  const head = await page.locator('.kpi-head').textContent();
  assert.ok(head.includes('大桥街道') && head.includes(expected.rules.version) && head.includes(expected.rules.title));
  assert.equal(await text(page, 'total'), expected.total);
  // Every field filled: the printed result box gives the grade (here the same as by score).
  assert.equal(expected.status, 'final');
  assert.equal(expected.grade_by_score, expected.grade);
  assert.equal(await text(page, 'result-grade'), expected.grade);
  assert.match(await page.locator('.kpi-summary').textContent(), /扣分汇总/);
  assert.equal(await page.locator('.kpi-unit').isVisible(), false);
  // A field left empty: the printed result box says the grade is not final yet.
  const drills = engine.form().inputs.find((i) => i.id === 'drills');
  await page.emulateMedia({ media: 'screen' });
  await page.getByLabel(drills.label, { exact: true }).fill('');
  await page.emulateMedia({ media: 'print' });
  const doc = JSON.parse(DQ);
  delete doc.values.drills;
  const provisional = engine.score(doc);
  assert.equal(provisional.status, 'provisional');
  assert.equal(await text(page, 'total'), provisional.total);
  assert.equal(await text(page, 'result-grade'), `待定（暂计分对应「${provisional.grade}」，${provisional.pending.length}项待定）`);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.ok(pdf.length > 10000);
  await done();
});

test('扣分汇总 lists what took points: a section scored out of 100 and converted to its points is not a deduction', async () => {
  const engine = new Engine('subdistrict');
  // The engine writes the conversion as a line with points (15 − 100 on an empty form): the test
  // means something only while it does.
  const empty = engine.score({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: VERSIONS.subdistrict }, unit: { id: 'x', name: 'x' }, period: engine.ruleSet().period, values: {} });
  const converted = empty.sections.flatMap((s) => s.lines).filter((l) => l.kind === 'convert' && !/^-?0(\.0+)?$/.test(l.points));
  assert.ok(converted.length > 0, 'the empty form has a section converted to its points');
  const { page, done } = await open();
  assert.match(await page.locator('.kpi-summary-note').textContent(), /^目前没有扣分/);
  assert.equal(await page.getByTestId('deduction-lines').locator('li').count(), 0);
  // A real deduction is listed, and only it.
  const dq = engine.score(DQ);
  const taken = [...dq.sections.flatMap((s) => [...s.lines, ...s.items.flatMap((i) => i.lines)]), ...dq.adjustments.flatMap((a) => a.lines), ...dq.lines]
    .filter((l) => !['info', 'add', 'quota', 'convert', 'rescale'].includes(l.kind) && !/^-?0(\.0+)?$/.test(l.points));
  await chooseFile(page, 'import', [{ name: 'dq.json', text: DQ }]);
  await page.getByTestId('notice').waitFor();
  assert.equal(await page.getByTestId('deduction-lines').locator('li').count(), taken.length);
  assert.ok(!(await page.getByTestId('deduction-lines').textContent()).includes('折算为'));
  await done();
});

test('keyboard: Tab moves through the fields with a visible focus ring; the tabs answer arrow keys', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await open();
  const first = engine.form().inputs[0];
  await page.getByLabel(first.label, { exact: true }).focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const active = document.querySelector('kpi-assessment').shadowRoot.activeElement;
    const style = getComputedStyle(active);
    return { id: active.dataset.input ?? active.tagName, outline: style.outlineStyle, width: style.outlineWidth };
  });
  assert.notEqual(focused.id, first.id);
  assert.equal(focused.outline, 'solid');
  assert.equal(focused.width, '3px');
  await page.getByTestId('tab-form').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByTestId('tab-batch').getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-batch');
  await done();
});

test('the element types type-check (tsc, DOM lib)', () => {
  execFileSync(`${root}tools/node_modules/.bin/tsc`, ['-p', `${root}js/test/e2e-tsconfig.json`], { stdio: 'inherit' });
});

function builtInRulesText(id) {
  return read(`rules/${id}.json`);
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
