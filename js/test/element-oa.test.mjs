// <kpi-assessment> in OA pages, in headless Chromium (issue 17): the README's embedding page
// verbatim, installed from the npm tarball, with properties set before and after the element is
// defined; the element in a host <form> submitting and blocking; two elements on one page; a
// hostile host stylesheet; printing from a table-layout OA page (PDF pages counted, text boxes
// within the paper, the first page rendered to PNG); the element inside an iframe.
//
//   node --test js/test/element-oa.test.mjs      (after ./build; screenshots in target/embed-shots/)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, launch, openPage } from './browser-helpers.mjs';

if (!existsSync(`${root}pkg/element.js`)) throw new Error('pkg/element.js is missing: run ./build first');
const { Engine, builtInRuleSetSource } = await import('../../pkg/index.js');
const { createAppServer, listen } = await import('../../tools/serve.mjs');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const shots = `${root}target/embed-shots`;
const DQ = JSON.parse(read('examples/subdistrict-dq.json'));
let browser, oaServer, oaBase, fxServer, fxBase, installed;

/** A complete, valid set of values for the subdistrict rules (the DQ example, empty fields filled). */
function completeValues(engine) {
  const values = { ...DQ.values };
  for (const input of engine.form().inputs) {
    if (values[input.id] !== undefined && values[input.id] !== null) continue;
    if (input.type === 'bool') values[input.id] = false;
    else if (input.type === 'choice') values[input.id] = input.options[0];
    else if (input.type === 'text') continue;
    else values[input.id] = input.type === 'percent' ? '100' : '0';
  }
  return values;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  // The package as an integrator gets it: the tarball ./build wrote, unpacked into node_modules.
  const version = JSON.parse(read('pkg/package.json')).version;
  const tarball = `${root}target/kpi-wasm-${version}.tgz`;
  assert.ok(existsSync(tarball), `${tarball} (written by ./build)`);
  installed = join(tmpdir(), `kpi-oa-${process.pid}`);
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(join(installed, 'kpi-wasm'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(installed, 'kpi-wasm'), '--strip-components=1']);
  oaServer = createAppServer({ www: `${root}js/test/oa-page`, mounts: { '/node_modules/kpi-wasm/': join(installed, 'kpi-wasm') } });
  oaBase = await listen(oaServer, 0);
  fxServer = createAppServer({ www: `${root}js/test/oa-fixtures` });
  fxBase = await listen(fxServer, 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  oaServer?.close();
  fxServer?.close();
  if (installed) rmSync(installed, { recursive: true, force: true });
});

/** Captures the POSTs of a page's form to /oa/submit (answered 200), as URLSearchParams. */
async function captureSubmits(page) {
  const posts = [];
  await page.route('**/oa/submit', async (route) => {
    posts.push(new URLSearchParams(route.request().postData() ?? ''));
    await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>已提交</title>' });
  });
  return posts;
}

test("the README's OA page is byte-identical to the fixture, and works verbatim: properties before and after definition", async () => {
  // Each README block marked `<!-- file: PATH -->` is the file at PATH, byte for byte.
  const readme = read('README.md');
  const blocks = [...readme.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
  const files = blocks.map((m) => m[1]);
  for (const f of ['js/test/oa-page/index.html', 'js/test/oa-page/oa.js', 'js/test/oa-page/oa.css']) assert.ok(files.includes(f), `README shows ${f}`);
  for (const [, file, text] of blocks) assert.equal(text, read(file), `README block for ${file}`);

  const engine = new Engine('subdistrict');
  // oa.js gives { plan_made: 'true', safety_meetings: '4', … }: the same, converted by field type.
  const values = { plan_made: true, safety_meetings: '4', gdp: '186.5', self_check_rate: '94.5' };
  const sub = { format: 'kpi-submission/1', rules: { id: 'subdistrict', version: engine.ruleSet().version }, unit: { id: 'yp-dq', name: '大桥街道' }, values, notes: { '1.1': '年度计划已于 2 月印发' } };
  const expected = engine.score(sub);

  const { page, done } = await openPage(browser, `${oaBase}/`, { waitFor: () => document.title.startsWith('考核表已就绪') });
  const state = await page.evaluate(() => {
    const el = document.querySelector('kpi-assessment');
    return {
      title: document.title,
      own: ['unit', 'values', 'notes'].filter((p) => Object.hasOwn(el, p)),
      values: el.values,
      unit: el.unit,
      notes: el.notes,
      total: el.report.total,
      hidden: document.getElementById('oa-total').value,
      shown: el.shadowRoot.querySelector('[data-testid=total]').textContent,
      select: el.shadowRoot.querySelector('[data-input=plan_made]').value,
      meetings: el.shadowRoot.querySelector('[data-input=safety_meetings]').value,
      note: el.shadowRoot.querySelector('[data-note="1.1"]').value,
    };
  });
  assert.deepEqual(state.own, [], 'no own property hides the element\'s accessors');
  assert.deepEqual(state.values, { plan_made: true, safety_meetings: '4', gdp: '186.5', self_check_rate: '94.5' });
  assert.deepEqual(state.unit, { id: 'yp-dq', name: '大桥街道' });
  assert.deepEqual(state.notes, { '1.1': '年度计划已于 2 月印发' });
  assert.equal(state.total, expected.total);
  assert.equal(state.shown, expected.total);
  assert.equal(state.hidden, expected.total, 'the kpi-score handler set the OA field');
  assert.equal(state.title, `考核表已就绪：${expected.total} 分`);
  assert.deepEqual([state.select, state.meetings, state.note], ['true', '4', '年度计划已于 2 月印发']);

  // The page's form does not submit while required fields are empty: the first one is focused.
  const posts = await captureSubmits(page);
  await page.getByRole('button', { name: '提交审批' }).click();
  await page.waitForTimeout(300);
  assert.equal(posts.length, 0, 'blocked');
  const blocked = await page.evaluate(() => {
    const el = document.querySelector('kpi-assessment');
    return { valid: el.checkValidity(), missing: el.validity.valueMissing, message: el.validationMessage, focused: el.shadowRoot.activeElement?.dataset.input ?? null, active: document.activeElement.localName };
  });
  assert.equal(blocked.valid, false);
  assert.equal(blocked.missing, true);
  assert.match(blocked.message, /^考核表有\d+处需要填写或修改：/);
  assert.equal(blocked.active, 'kpi-assessment');
  assert.equal(blocked.focused, engine.form().inputs.find((i) => i.required && values[i.id] === undefined).id, 'the first empty field is focused');
  // After definition: set every value as the OA stores them (strings), then it submits its JSON.
  const complete = Object.fromEntries(Object.entries(completeValues(engine)).map(([k, v]) => [k, String(v)]));
  await page.evaluate((v) => { document.querySelector('kpi-assessment').values = v; }, complete);
  await page.getByRole('button', { name: '提交审批' }).click();
  await page.waitForFunction(() => document.title === '已提交');
  assert.equal(posts.length, 1);
  const submitted = JSON.parse(posts[0].get('assessment'));
  const final = engine.score(submitted);
  assert.deepEqual(engine.validate(submitted), [], 'what was submitted is complete');
  assert.equal(posts[0].get('total'), final.total);
  assert.equal(posts[0].get('reporter'), '区应急管理局');
  assert.deepEqual(submitted.unit, { id: 'yp-dq', name: '大桥街道' });
  assert.equal(submitted.values.plan_made, true);
  await done();
});

test('in a host <form>: an invalid value blocks the submit like a native field; fixed, it submits; reset, readonly, disabled fieldset; no change event collides with the host\'s', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await openPage(browser, `${fxBase}/form.html`, { waitFor: () => document.querySelector('kpi-assessment')?.report != null });
  const posts = await captureSubmits(page);
  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  const el = page.locator('kpi-assessment');
  // The user edits: a select and a text field.
  await page.getByLabel(label('plan_made'), { exact: true }).selectOption('是');
  await page.getByLabel(label('safety_meetings'), { exact: true }).fill('abc');
  const events = await page.evaluate(() => window.hostEvents);
  assert.equal(events.change, 0, `the host form's change handler saw ${events.changeTargets.join()}`);
  assert.ok(events.kpiChange >= 2, 'kpi-change bubbles to the host form');
  assert.ok(events.input >= 1, 'input events reach the page like a native field\'s');
  // Invalid: the submit is prevented and the bad field focused with the engine's message.
  const report = await el.evaluate((e) => ({ valid: e.reportValidity(), custom: e.validity.customError, message: e.validationMessage, focused: e.shadowRoot.activeElement?.dataset.input }));
  assert.equal(report.valid, false);
  assert.equal(report.custom, true);
  assert.match(report.message, /考核表有\d+处需要填写或修改：/);
  await page.locator('#submit').click();
  await page.waitForTimeout(300);
  assert.equal(posts.length, 0);
  const after1 = await page.evaluate(() => ({ submit: window.hostEvents.submit, invalid: window.hostEvents.invalid }));
  assert.equal(after1.submit, 0);
  assert.ok(after1.invalid >= 1, 'an invalid event, as for a native field');
  // Fixed: every value valid (OA strings), it submits the submission JSON under its name.
  const values = Object.fromEntries(Object.entries(completeValues(engine)).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? '是' : '否') : String(v)]));
  await el.evaluate((e, v) => { e.values = v; }, values);
  assert.equal(await el.evaluate((e) => e.checkValidity()), true);
  const current = await el.evaluate((e) => ({ value: e.value, submission: e.submission, name: e.name, ownerForm: e.ownerForm?.id }));
  assert.equal(current.ownerForm, 'f');
  assert.equal(current.value, JSON.stringify(current.submission));
  await page.locator('#submit').click();
  await page.waitForFunction(() => document.title === '已提交');
  assert.equal(posts.length, 1);
  assert.deepEqual(JSON.parse(posts[0].get('kpi')), current.submission);
  assert.equal(posts[0].get('title'), '2026年度考核');
  assert.deepEqual(engine.validate(current.submission), []);
  await done();

  // Reset goes back to the attributes; readonly and a disabled fieldset take it out of validation.
  const second = await openPage(browser, `${fxBase}/form.html`, { waitFor: () => document.querySelector('kpi-assessment')?.report != null });
  const r = await second.page.evaluate(async () => {
    const e = document.querySelector('kpi-assessment');
    e.values = { safety_meetings: 'abc' };
    const before = e.checkValidity();
    document.getElementById('f').reset();
    const reset = { values: e.values, unit: e.unit };
    e.readonly = true;
    const readonly = { willValidate: e.willValidate, valid: e.checkValidity(), disabled: [...e.shadowRoot.querySelectorAll('input, select, textarea')].every((c) => c.disabled) };
    e.readonly = false;
    document.getElementById('fs').disabled = true;
    await new Promise((ok) => setTimeout(ok, 50));
    const fieldset = { willValidate: e.willValidate, disabled: [...e.shadowRoot.querySelectorAll('input, select, textarea')].every((c) => c.disabled) };
    document.getElementById('fs').disabled = false;
    await new Promise((ok) => setTimeout(ok, 50));
    const enabled = [...e.shadowRoot.querySelectorAll('input, select, textarea')].some((c) => !c.disabled);
    return { before, reset, readonly, fieldset, enabled };
  });
  assert.equal(r.before, false);
  assert.deepEqual(r.reset, { values: {}, unit: { id: 'yp-dq', name: '大桥街道' } });
  assert.deepEqual(r.readonly, { willValidate: false, valid: true, disabled: true });
  assert.deepEqual(r.fieldset, { willValidate: false, disabled: true });
  assert.equal(r.enabled, true);
  await second.done();
});

test('two elements on one page are independent', async () => {
  const sub = new Engine('subdistrict');
  const dept = new Engine('department');
  const { page, done } = await openPage(browser, `${fxBase}/two.html`, { waitFor: () => [...document.querySelectorAll('kpi-assessment')].every((e) => e.report != null) });
  const field = sub.form().inputs.find((i) => i.id === 'safety_meetings');
  await page.locator('#a').getByLabel(field.label, { exact: true }).fill('1');
  const state = await page.evaluate(() => [...document.querySelectorAll('kpi-assessment')].map((e) => ({ id: e.id, rules: e.rules.id, total: e.report.total, values: e.values })));
  const empty = (r, e) => ({ format: 'kpi-submission/1', rules: { id: r, version: e.ruleSet().version }, unit: { id: 'u', name: 'n' }, values: {} });
  assert.deepEqual(state, [
    { id: 'a', rules: 'subdistrict', total: sub.score({ ...empty('subdistrict', sub), values: { safety_meetings: '1' } }).total, values: { safety_meetings: '1' } },
    { id: 'b', rules: 'department', total: dept.score(empty('department', dept)).total, values: {} },
  ]);
  // Each has its own ids inside its own shadow root, and each submits under its own name.
  const posts = await captureSubmits(page);
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForFunction(() => document.title === '已提交');
  assert.equal(JSON.parse(posts[0].get('a')).rules.id, 'subdistrict');
  assert.equal(JSON.parse(posts[0].get('b')).rules.id, 'department');
  assert.deepEqual(JSON.parse(posts[0].get('b')).values, {});
  await done();
});

test('a hostile host stylesheet (* { font-size: 20px; box-sizing: content-box } and more) leaves the layout intact', async () => {
  for (const width of [1366, 820]) {
    const { page, done } = await openPage(browser, `${fxBase}/hostile.html`, { width, height: 900, waitFor: () => document.querySelector('kpi-assessment')?.report != null });
    await page.evaluate((values) => { document.querySelector('kpi-assessment').values = values; }, DQ.values);
    const m = await page.evaluate(() => {
      const el = document.querySelector('kpi-assessment');
      const s = el.shadowRoot;
      const head = s.querySelector('.kpi-head');
      const form = s.querySelector('.kpi');
      const style = getComputedStyle(form);
      const overflowing = [...s.querySelectorAll('.kpi *')].filter((n) => n.getBoundingClientRect().right > el.getBoundingClientRect().right + 1).map((n) => n.className || n.localName);
      return {
        docOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        elOverflow: el.scrollWidth - el.clientWidth,
        headFits: head.scrollWidth <= head.clientWidth,
        headHeight: head.getBoundingClientRect().height,
        fontSize: style.fontSize,
        textAlign: style.textAlign,
        textIndent: style.textIndent,
        whiteSpace: style.whiteSpace,
        boxSizing: getComputedStyle(s.querySelector('input')).boxSizing,
        overflowing: overflowing.slice(0, 5),
      };
    });
    await page.screenshot({ path: `${shots}/hostile-${width}.png` });
    assert.ok(m.docOverflow <= 0, `page scrolls sideways by ${m.docOverflow}px at ${width}`);
    assert.ok(m.elOverflow <= 0, `element overflows by ${m.elOverflow}px at ${width}`);
    assert.deepEqual(m.overflowing, [], `boxes beyond the element's right edge at ${width}`);
    assert.equal(m.headFits, true, 'the header fits');
    assert.ok(m.headHeight < 260, `the header is ${m.headHeight}px tall`);
    assert.deepEqual([m.fontSize, m.textAlign, m.textIndent, m.whiteSpace, m.boxSizing], ['15px', 'start', '0px', 'normal', 'border-box']);
    await done();
  }
});

/** Pages of a PDF, and the largest right edge of any word (PDF points) against the page width. */
function pdfFacts(pdf, name) {
  const file = `${shots}/${name}.pdf`;
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const pageWidth = Number(/Page size:\s+([\d.]+) x/.exec(info)[1]);
  const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const rights = [...bbox.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1]));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', file, `${shots}/${name}`]);
  return { pages, pageWidth, maxRight: Math.max(...rights), words: rights.length, text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }) };
}

test('print from a table-layout OA page: A4, nothing cut at the right edge, a sane page count', async () => {
  const engine = new Engine('subdistrict');
  const expected = engine.score(DQ);
  const facts = {};
  for (const name of ['bare-print', 'table-print']) {
    const { page, done } = await openPage(browser, `${fxBase}/${name}.html`, { waitFor: () => document.querySelector('kpi-assessment')?.report != null });
    await page.evaluate((doc) => { document.querySelector('kpi-assessment').submission = doc; }, DQ);
    await page.emulateMedia({ media: 'print' });
    // In print media at the A4 text width (210mm − 2 × 12mm at 96 dpi ≈ 703px) nothing is wider.
    await page.setViewportSize({ width: 703, height: 1000 });
    const m = await page.evaluate(() => {
      const el = document.querySelector('kpi-assessment');
      return { docWidth: document.documentElement.scrollWidth, elRight: el.getBoundingClientRect().right, elScroll: el.scrollWidth - el.clientWidth };
    });
    assert.ok(m.docWidth <= 703, `${name}: the page is ${m.docWidth}px wide in print`);
    assert.ok(m.elRight <= 703 && m.elScroll <= 0, `${name}: the element reaches ${m.elRight}px, overflows by ${m.elScroll}px`);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    facts[name] = pdfFacts(pdf, name);
    await done();
  }
  const bare = facts['bare-print'];
  const table = facts['table-print'];
  assert.equal(Math.round(table.pageWidth), 595, 'A4');
  for (const [name, f] of Object.entries(facts)) {
    assert.ok(f.maxRight <= f.pageWidth - 12 * 72 / 25.4 + 1, `${name}: a word ends at ${f.maxRight}pt on a ${f.pageWidth}pt page`);
    assert.ok(f.text.includes(expected.total) && f.text.includes('大桥街道') && f.text.includes('考核人员签字'), `${name}: total, unit, signature lines printed`);
  }
  assert.ok(table.pages <= bare.pages + 1, `the OA table prints ${table.pages} pages, the element alone ${bare.pages}`);
  assert.ok(table.pages < 14, `${table.pages} pages`);
  console.log(`print: element alone ${bare.pages} pages, in the OA table ${table.pages} pages; PNGs in target/embed-shots/`);
});

test('the element works inside an <iframe> (same origin): scores, validates and submits there', async () => {
  const engine = new Engine('subdistrict');
  const { page, done } = await openPage(browser, `${fxBase}/iframe.html`);
  const frame = page.frameLocator('#frame');
  const field = engine.form().inputs.find((i) => i.id === 'safety_meetings');
  await frame.getByLabel(field.label, { exact: true }).fill('2');
  const inner = page.frames().find((f) => f.url().endsWith('/form.html'));
  await inner.waitForFunction(() => document.querySelector('kpi-assessment').values.safety_meetings === '2');
  const state = await inner.evaluate(() => {
    const e = document.querySelector('kpi-assessment');
    return { total: e.report.total, valid: e.checkValidity(), shown: e.shadowRoot.querySelector('[data-testid=total]').textContent };
  });
  const expected = engine.score({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: engine.ruleSet().version }, unit: { id: 'yp-dq', name: '大桥街道' }, values: { safety_meetings: '2' } });
  assert.equal(state.total, expected.total);
  assert.equal(state.shown, expected.total);
  assert.equal(state.valid, false);
  await done();
});

test('OA strings are converted by field type, never through a float; ambiguous ones are left to the engine', async () => {
  const { page, done } = await openPage(browser, `${fxBase}/form.html`, { waitFor: () => document.querySelector('kpi-assessment')?.report != null });
  const r = await page.evaluate(() => {
    const e = document.querySelector('kpi-assessment');
    e.values = { plan_made: 'TRUE', duty_list: '否', task_list: '0', safety_meetings: ' １２ ', gdp: '186.50', self_check_rate: '99.999999999999999999', hazards_found: '', inspections: 'many' };
    const good = { values: e.values, problems: e.problems.filter((p) => p.code !== 'value.missing').map((p) => `${p.code} ${p.path}`) };
    // A yes/no field given a word that is not one: refused with the engine's explanation, nothing changed.
    let refused = null;
    try {
      e.values = { plan_made: 'yes' };
    } catch (err) {
      refused = { code: err.code, path: err.path };
    }
    return { good, refused, after: e.values.plan_made };
  });
  assert.deepEqual(r.good.values, { plan_made: true, duty_list: false, task_list: false, safety_meetings: '12', gdp: '186.50', self_check_rate: '99.999999999999999999', inspections: 'many' });
  assert.deepEqual(r.good.problems, ['value.type /values/inspections'], 'a wrong number is loaded and shown at its field');
  assert.deepEqual(r.refused, { code: 'value.type', path: '/values/plan_made' });
  assert.equal(r.after, true);
  await done();
});

test('rules from a URL: values set before they load are applied after; a newer rules property wins over a slower URL; a bad value set early is a kpi-error', async () => {
  const dept = new Engine('department');
  const { page, done } = await openPage(browser, `${fxBase}/form.html`, { waitFor: () => document.querySelector('kpi-assessment')?.report != null });
  let release;
  const gate = new Promise((ok) => { release = ok; });
  await page.route('**/remote/department.json', async (route) => {
    await gate;
    await route.fulfill({ status: 200, contentType: 'application/json', body: builtInRuleSetSource('department') });
  });
  const input = dept.form().inputs.find((i) => i.type === 'count');
  const before = await page.evaluate((id) => {
    const el = document.createElement('kpi-assessment');
    el.id = 'late';
    el.setAttribute('rules', '/remote/department.json');
    document.body.append(el);
    el.values = { [id]: '３' };          // before the rules arrive: kept
    el.unit = { id: 7, name: '区住建委' };
    window.lateEvents = [];
    for (const t of ['kpi-score', 'kpi-error']) el.addEventListener(t, (e) => window.lateEvents.push(t));
    return { values: el.values, submission: el.submission, rules: el.rules };
  }, input.id);
  assert.deepEqual(before, { values: { [input.id]: '３' }, submission: null, rules: null });
  release();
  await page.waitForFunction(() => document.getElementById('late').rules?.id === 'department');
  await page.evaluate(() => document.getElementById('late').ready);
  const after = await page.evaluate(() => { const el = document.getElementById('late'); return { values: el.values, unit: el.unit, total: el.report.total }; });
  const sub = { format: 'kpi-submission/1', rules: { id: 'department', version: dept.ruleSet().version }, unit: { id: '7', name: '区住建委' }, values: { [input.id]: '3' } };
  assert.deepEqual(after.values, { [input.id]: '3' });
  assert.deepEqual(after.unit, { id: '7', name: '区住建委' });
  assert.equal(after.total, dept.score(sub).total);

  // A slow URL, then the rules property: the property wins, the URL's answer is dropped.
  let release2;
  const gate2 = new Promise((ok) => { release2 = ok; });
  await page.unroute('**/remote/department.json');
  await page.route('**/remote/department.json?2', async (route) => {
    await gate2;
    await route.fulfill({ status: 200, contentType: 'application/json', body: builtInRuleSetSource('department') });
  });
  await page.evaluate(() => {
    const el = document.createElement('kpi-assessment');
    el.id = 'race';
    el.setAttribute('rules', '/remote/department.json?2');
    document.body.append(el);
    el.rules = 'enterprise';
  });
  release2();
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.getElementById('race').rules.id), 'enterprise');

  // A yes/no value that is not one, set before the rules: shown and fired as kpi-error, no exception.
  const early = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('kpi-assessment');
    el.values = { plan_made: 'perhaps' };
    el.addEventListener('kpi-error', (e) => resolve({ code: e.detail.error.code, path: e.detail.problems[0]?.path, message: el.shadowRoot.querySelector('[data-testid=element-message]').hidden }));
    document.body.append(el);
    el.rules = 'subdistrict';
  }));
  assert.deepEqual(early, { code: 'value.type', path: '/values/plan_made', message: false });
  await done();
});
