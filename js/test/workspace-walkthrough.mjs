// The district assessor's whole job in the browser, by keyboard only (not a test; it checks what
// it can and fails loudly otherwise), with screenshots for review and for the README:
//   create a workspace of 7 街道 from a typed roster → fill every unit's form (Tab and typing,
//   arrow keys in the selects) → the live ranking → print all reports (PDF) → the summary table →
//   export XLSX (read back with openpyxl).
//
//   node js/test/workspace-walkthrough.mjs [outdir]    (default target/walkthrough; needs ./build,
//   a CJK font such as fonts-wqy-microhei, poppler-utils' pdftoppm and python3 -m pip install openpyxl)
import { mkdirSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = process.argv[2] ?? `${root}target/walkthrough`;
const docs = process.env.KPI_DOCS_SCREENSHOTS ? `${root}docs` : null;
mkdirSync(out, { recursive: true });
const { createAppServer, listen } = await import('../../tools/serve.mjs');
const { Engine } = await import('../../pkg/index.js');
const { chromium } = createRequire(`${root}tools/package.json`)('playwright-core');
const units = [...readdirSync(`${root}examples/units`).sort().map((f) => readFileSync(`${root}examples/units/${f}`, 'utf8')), readFileSync(`${root}examples/subdistrict-dq.json`, 'utf8')].map((t) => JSON.parse(t));
const form = new Engine('subdistrict').form();

const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
context.setDefaultTimeout(20000);
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
await page.goto(`${base}/`);
await page.waitForFunction(() => document.body.dataset.ready === 'true');
await page.getByTestId('ws-new').waitFor();

const key = (k, n = 1) => (async () => { for (let i = 0; i < n; i++) await page.keyboard.press(k); })();
/** Presses Tab until the focused element (inside shadow roots too) matches `selector`. */
async function tabTo(selector, max = 400) {
  for (let i = 0; i < max; i++) {
    const ok = await page.evaluate((sel) => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return Boolean(a && a.matches(sel));
    }, selector);
    if (ok) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}
const step = (text) => console.log(`· ${text}`);

// 1. New workspace, the roster typed in.
step('新建考核任务（键盘）');
await tabTo('[data-testid=ws-new]');
await key('Enter');
await page.getByTestId('ws-create-dialog').waitFor();
await key('Control+A');
await page.keyboard.type('2026年度杨浦区街道安全生产考核');
await tabTo('#ws-assessor');
await page.keyboard.type('区安委办考核组');
await tabTo('#ws-roster');
await page.keyboard.type(['单位编号,单位名称,分组,是否参与排名', ...units.map((u) => `${u.unit.id},${u.unit.name},,是`)].join('\n'));
await page.waitForFunction(() => /名单共7个单位/.test(document.querySelector('[data-testid=ws-roster-preview]').textContent));
await tabTo('[data-testid=ws-create]');
await key('Enter');
await page.getByTestId('ws-units').waitFor();

// 2. Every unit's form, by Tab and typing.
for (const doc of units) {
  step(`填写 ${doc.unit.name}`);
  await tabTo(`[data-testid=ws-units] a[data-testid=ws-unit-open]`, 150);
  // Walk the unit links to this unit's (Tab moves through the table row by row).
  for (let i = 0; i < 200; i++) {
    const name = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (name === doc.unit.name) break;
    await key('Tab');
  }
  await key('Enter');
  await page.locator('.ws-form-host').waitFor();
  await page.getByTestId('ws-standing').waitFor();
  await key('Tab'); // into the page
  const order = await page.evaluate(() => [...document.querySelector('.ws-form-host').shadowRoot.querySelectorAll('[data-input]')].map((c) => c.dataset.input));
  if (doc.meta?.date) {
    await tabTo('#kpi-unit-date');
    // Headless Chromium shows date fields as mm/dd/yyyy whatever the locale: typed in that order.
    const [y, m, d] = doc.meta.date.split('-');
    await page.keyboard.type(`${m}${d}${y}`);
    const typed = await page.evaluate(() => document.querySelector('.ws-form-host').shadowRoot.getElementById('kpi-unit-date').value);
    if (typed !== doc.meta.date) throw new Error(`考核日期 typed as ${typed}`);
  }
  for (const id of order) {
    const value = doc.values[id];
    if (value === undefined || value === null) continue;
    const input = form.inputs.find((i) => i.id === id);
    await tabTo(`[data-input="${id}"]`);
    if (input.type === 'bool') await key('ArrowDown', value ? 1 : 2);
    else if (input.type === 'choice') await key('ArrowDown', input.options.indexOf(value) + 1);
    else await page.keyboard.type(String(value));
  }
  for (const [item, note] of Object.entries(doc.notes ?? {})) {
    await tabTo(`[data-entry="${item}"] .kpi-note > summary`);
    // The engine's warning (a judged score below full marks wants a reason) may have opened it.
    const open = await page.evaluate((i) => document.querySelector('.ws-form-host').shadowRoot.querySelector(`[data-entry="${i}"] .kpi-note`).open, item);
    if (!open) await key('Enter');
    await key('Tab');
    await page.keyboard.type(note);
  }
  await page.waitForFunction(() => (document.querySelector('[data-testid=ws-save-status]')?.textContent ?? '').startsWith('已保存'));
  const wrong = await page.evaluate(() => { const p = document.querySelector('.ws-form-host').shadowRoot.querySelector('[data-testid=problems]'); return p.hidden ? '' : p.textContent + ' :: ' + [...document.querySelector('.ws-form-host').shadowRoot.querySelectorAll('[aria-invalid=true]')].map((c) => `${c.dataset.input}=${JSON.stringify(c.value)}`).join(','); });
  if (wrong) throw new Error(`${doc.unit.name}: ${wrong}`);
  if (doc.unit.id === 'yp-dq') {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${out}/unit.png` });
  }
  // Back to the workspace: the breadcrumb's link, by keyboard.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('.crumbs a').nth(1).focus(); // where Shift+Tab would take a long way back
  await key('Enter');
  await page.getByTestId('ws-units').waitFor();
}
const statuses = await page.getByTestId('ws-units').locator('td.st').allTextContents();
if (!statuses.every((s) => s === '已完成')) throw new Error(`not all complete: ${statuses}`);
await page.screenshot({ path: `${out}/workspace.png` });

// 3. Print all: the preview, then the PDF the print dialog would make.
step('打印全部报告');
await tabTo('[data-testid=ws-print-all]');
await key('Enter');
await page.getByTestId('print-pages').waitFor();
await key('Enter'); // the 打印 button has the focus
if (await page.evaluate(() => window.__printed) !== 1) throw new Error('print was not called');
writeFileSync(`${out}/reports.pdf`, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
const pages = Number(await page.evaluate(() => document.body.dataset.printPages));
await page.screenshot({ path: `${out}/preview.png` });
execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '3', `${out}/reports.pdf`, `${out}/report`]);
const text = execFileSync('pdftotext', ['-layout', `${out}/reports.pdf`, '-'], { encoding: 'utf8' });
for (const u of units) if (!text.includes(u.unit.name)) throw new Error(`${u.unit.name} missing from the PDF`);

// 4. The summary table and its XLSX.
step('汇总表、导出 XLSX');
await tabTo('[data-testid=preview-back]');
await key('Enter');
await page.getByTestId('ws-units').waitFor();
await tabTo('[data-testid=ws-summary]');
await key('Enter');
await page.getByTestId('summary-table').waitFor();
await page.screenshot({ path: `${out}/summary.png` });
await tabTo('[data-testid=summary-xlsx]');
const [download] = await Promise.all([page.waitForEvent('download'), key('Enter')]);
const xlsx = `${out}/summary.xlsx`;
writeFileSync(xlsx, readFileSync(await download.path()));
const readBack = execFileSync('python3', ['-c', `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for row in wb['汇总表'].iter_rows(values_only=True):
    print(' | '.join('' if c is None else str(c) for c in row))`, xlsx], { encoding: 'utf8' });
await page.getByTestId('summary-print').focus();
await key('Enter');
await page.getByTestId('print-pages').waitFor();
writeFileSync(`${out}/summary.pdf`, await page.pdf({ preferCSSPageSize: true }));
execFileSync('pdftoppm', ['-r', '80', '-png', `${out}/summary.pdf`, `${out}/summary-print`]);

await context.close();
await browser.close();
server.close();
if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
console.log(`\n${pages}页报告（${units.length}个单位）→ ${out}/reports.pdf\n汇总表 XLSX（openpyxl 读回）：\n${readBack}`);
if (docs) {
  copyFileSync(`${out}/workspace.png`, `${docs}/screenshot-workspace.png`);
  copyFileSync(`${out}/unit.png`, `${docs}/screenshot-unit.png`);
  copyFileSync(`${out}/report-01.png`, `${docs}/screenshot-report.png`);
  console.log('docs/screenshot-workspace.png, screenshot-unit.png, screenshot-report.png updated');
}
console.log(`screenshots in ${out}`);
