// A rule author's year, in the browser: the built-in 街镇 rules revised for 2027 in 细则编辑 (a
// point value changed, an input and an item added, a test case saved from the preview), checked,
// compared with the built-in version on the example units (with the threshold probe), then
// published by keyboard only (the new version number, the rule file, the 考核细则 as XLSX and as a
// print view). Leaves screenshots, the downloads and the printed PDF in target/walkthrough-workbench/
// and checks each step against the engine.
//
//   node js/test/workbench-walkthrough.mjs          (after ./build)
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { launch, root } from './browser-helpers.mjs';

const { Engine } = await import('../../pkg/index.js');
const { createAppServer, listen } = await import('../../tools/serve.mjs');
const out = `${root}target/walkthrough-workbench`;
mkdirSync(out, { recursive: true });
const UNITS = readdirSync(`${root}examples/units`).sort().map((f) => ({ name: f, text: readFileSync(`${root}examples/units/${f}`, 'utf8') }));

const server = createAppServer();
const base = await listen(server, 0);
const browser = await launch();
const errors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const generation = () => page.evaluate(() => Number(document.getElementById('view-workbench').dataset.generation));
  const settled = async (before) => {
    await page.waitForFunction((g) => Number(document.getElementById('view-workbench').dataset.generation) > g, before);
    await page.waitForTimeout(60);
  };
  const state = () => page.evaluate(() => import('/editor/workbench.js').then((m) => JSON.parse(JSON.stringify(m.workbenchState()))));
  const fieldAt = (path) => page.locator(`#wb-structured [data-path="${path}"]:is(input, select, textarea)`);
  /** Types into a field as a person does: focus, select what is there, type. */
  async function type(path, text) {
    const before = await generation();
    await fieldAt(path).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
    await settled(before);
  }
  async function press(testid, nth = 0) {
    const before = await generation();
    await page.getByTestId(testid).nth(nth).focus();
    await page.keyboard.press('Enter');
    await settled(before);
  }

  await page.goto(`${base}/#workbench`);
  await page.waitForFunction(() => Number(document.getElementById('view-workbench')?.dataset.generation ?? 0) > 0);
  // The built-in 街镇 set is what opens first.
  assert.match(await page.getByTestId('wb-status').textContent(), /没有问题；测试用例 12 个通过/);

  // 0. Next year's rules: the title and the period (the version is set when publishing).
  await type('/title', '2027年度街镇安全生产、消防、灾害防治综合考核细则（示例）');
  await type('/period', '2027');

  // 1. A new point value: 1.1 年度工作要点和任务分解 from 2 to 1.5 points.
  await page.locator('#wb-group-sections').focus();
  await page.keyboard.press('Enter');
  await type('/sections/0/items/0/points', '1.5');
  let s = await state();
  assert.ok(s.problems.some((p) => p.code === 'points.items_sum'), 'the section no longer adds up');
  await page.screenshot({ path: `${out}/1-problem-marked.png` });

  // 2. A new input and a new item worth the half point: 1.7 安全生产责任保险.
  await page.locator('#wb-group-inputs').focus();
  await page.keyboard.press('Enter');
  await press('add-input');
  const n = JSON.parse(s.text).inputs.length;
  await type(`/inputs/${n}/id`, 'uninsured');
  await type(`/inputs/${n}/label`, '未投保安全生产责任保险的高危行业企业（家）');
  await type(`/inputs/${n}/unit`, '家');
  {
    const before = await generation();
    await fieldAt(`/inputs/${n}/section`).selectOption('leadership');
    await settled(before);
  }
  {
    const before = await generation();
    await page.locator(`#wb-structured input[data-path="/inputs/${n}/required"]`).focus();
    await page.keyboard.press('Space');
    await settled(before);
  }
  await page.locator('#wb-group-sections').focus();
  await page.keyboard.press('Enter');
  await press('add-item', 0); // 党政领导责任's own
  await type('/sections/0/items/6/id', '1.7');
  await type('/sections/0/items/6/title', '安全生产责任保险');
  await type('/sections/0/items/6/points', '0.5');
  await type('/sections/0/items/6/basis', '高危行业企业应投保安全生产责任保险，每有1家未投保扣0.1分，扣完为止');
  await page.locator('#wb-structured details.item-detail[data-path="/sections/0/items/6"] summary').focus();
  await page.keyboard.press('Enter');
  {
    const before = await generation();
    await page.locator('#wb-structured tr[data-path="/sections/0/items/6/deduct/0"] select').first().selectOption('per');
    await settled(before);
  }
  await type('/sections/0/items/6/deduct/0/per', 'uninsured');
  await type('/sections/0/items/6/deduct/0/points', '0.1');
  await type('/sections/0/items/6/deduct/0/reason', '高危行业企业未投保安全生产责任保险');
  s = await state();
  assert.deepEqual(s.problems, [], JSON.stringify(s.problems));
  assert.equal(s.tests.failed, 0);
  assert.equal(s.tests.passed, 12);

  // 3. A test case from the preview: a 街道 with 3 uninsured enterprises.
  const preview = page.locator('#wb-preview');
  await preview.locator('[data-input="uninsured"]').fill('3');
  await preview.locator('[data-input="plan_made"]').selectOption('true');
  await page.waitForTimeout(100);
  await page.getByTestId('wb-test-name').fill('有3家高危企业未投保的街道');
  await press('wb-save-test');
  s = await state();
  assert.equal(s.tests.cases.length, 13);
  assert.equal(s.tests.failed, 0);
  assert.equal(JSON.parse(s.text).tests.at(-1).expect.items['1.7'], '0.20');
  await page.locator('#wb-group-sections').focus();
  await page.keyboard.press('Enter');
  await page.locator('#wb-structured details.item-detail[data-path="/sections/0/items/6"]').evaluate((d) => { d.open = true; d.scrollIntoView({ block: 'center' }); });
  await page.screenshot({ path: `${out}/2-item-added-tests-pass.png` });
  await page.locator('#wb-tests-tab').click();
  await page.screenshot({ path: `${out}/3-tests.png` });

  // 4. Compare with the built-in version on the example units, and probe the thresholds.
  await page.locator('#wb-mode-compare').click();
  await page.getByTestId('cmp-files').setInputFiles(UNITS.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) })));
  await page.getByTestId('cmp-subs-name').filter({ hasText: `${UNITS.length}份` }).waitFor();
  await page.getByTestId('cmp-all').check();
  await page.getByTestId('cmp-run').click();
  const diff = new Engine('subdistrict').diff(s.text, UNITS.map((u) => u.text));
  assert.equal(await page.locator('[data-testid=cmp-unit]').count(), diff.units.length);
  await page.getByTestId('cmp-probe').click();
  await page.getByTestId('cmp-probe-summary').waitFor({ timeout: 300000 });
  await page.screenshot({ path: `${out}/4-compare.png`, fullPage: false });
  console.log(await page.getByTestId('cmp-summary').textContent());
  console.log(await page.getByTestId('cmp-probe-summary').textContent());

  // 5. Publish, by keyboard only: the 发布 tab, the version, the file, the XLSX, the print view.
  await page.locator('#wb-mode-compare').focus();
  await page.keyboard.press('ArrowRight'); // → 发布 (the tabs answer arrow keys)
  await page.getByTestId('pub-doc').waitFor();
  await page.keyboard.press('Tab'); // the first control of the pane: 新版本号
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pub-version');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2027.1');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pub-apply-version');
  {
    const before = await generation();
    await page.keyboard.press('Enter');
    await settled(before);
  }
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pub-download');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const rulesPath = `${out}/${file.suggestedFilename()}`;
  await file.saveAs(rulesPath);
  const published = readFileSync(rulesPath, 'utf8');
  assert.equal(JSON.parse(published).version, '2027.1');
  const run = new Engine(published).runTests();
  assert.equal(run.failed, 0);
  assert.equal(run.passed, 13);
  await page.keyboard.press('Tab'); // 打印考核细则
  await page.keyboard.press('Tab'); // 导出 XLSX
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pub-xlsx');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  await xlsx.saveAs(`${out}/${xlsx.suggestedFilename()}`);
  const rows = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['考核细则']
print(json.dumps([[None if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False))
`, `${out}/${xlsx.suggestedFilename()}`], { encoding: 'utf8' }));
  const words = new Engine(published).criteria();
  const row17 = rows.find((r) => r[0] === '1.7');
  assert.deepEqual([row17[1], row17[2], row17[3]], ['安全生产责任保险', '0.5', words.items.find((i) => i.id === '1.7').text.join('\n')]);
  await page.keyboard.press('Shift+Tab'); // back to 打印考核细则
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pub-print');
  // The browser's print dialog cannot be driven here: window.print() is noted instead, and the
  // PDF below is what the dialog prints (the same print style sheet, with the class it sets).
  await page.evaluate(() => { window.print = () => { window.__printed = document.body.classList.contains('printing-rules'); }; });
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => window.__printed), true);
  await page.screenshot({ path: `${out}/5-publish.png` });
  await page.emulateMedia({ media: 'print' });
  writeFileSync(`${out}/考核细则-2027.1.pdf`, await page.pdf({ format: 'A4', margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } }));
  await page.evaluate(() => document.body.classList.remove('printing-rules'));
  await page.emulateMedia({ media: 'screen' });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', `${out}/考核细则-2027.1.pdf`, `${out}/print`]);
  const text = execFileSync('pdftotext', ['-layout', `${out}/考核细则-2027.1.pdf`, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('安全生产责任保险'));
  assert.ok(text.includes('2027.1'));
  assert.ok(text.includes('2027年度街镇'));
  await context.close();
  assert.deepEqual(errors, []);
  if (process.argv.includes('--docs')) {
    copyFileSync(`${out}/1-problem-marked.png`, `${root}docs/screenshot-workbench.png`);
    copyFileSync(`${out}/4-compare.png`, `${root}docs/screenshot-workbench-compare.png`);
  }
  console.log(`workbench walkthrough: every step checked; screenshots, downloads and the PDF in ${out}`);
} finally {
  await browser.close();
  server.close();
}
