// 细则编辑 latency and weight, in headless Chromium (playwright-core):
//
//   node benches/workbench-keystroke.mjs [KEYSTROKES]      (default 120; ./build first)
//
// 1. Time from a keystroke in the structured editor to updated problems and preview, on the
//    built-in 街镇 rule set (47 items, 139 inputs): the key goes in through Playwright (a real
//    key event), the page notes the keydown's time, and the sample ends when the first frame
//    after the workbench has reloaded the rule set in the engine, marked the problems, run the 12
//    embedded tests and updated the preview form (with what was filled in kept) has been
//    rendered (a task after that frame's animation callbacks, style and layout). Keys alternate
//    between typing a character and deleting it, so every state loads, in two fields:
//      a. item 1.1's title: the form changes, so the preview is rebuilt;
//      b. the points of item 1.1's first deduction line ("1.5" ↔ "1.55"): the form is the same,
//         so the preview keeps its fields and scores again (most edits are like this).
//    Median and p95 over KEYSTROKES samples each (after 10 warm-up keys).
// 2. The bytes the view adds: every response fetched after the 细则编辑 tab is clicked (its
//    modules, styles, the CodeMirror bundle, the schema the completion reads), raw as
//    tools/serve.mjs sends them and gzipped (-9) as a compressing server would; and that none of
//    them was fetched before the view opened.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');
const { createAppServer, listen } = await import(`${root}tools/serve.mjs`);

const N = Number.parseInt(process.argv[2] ?? '120', 10);
const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const responses = [];
  let opened = false;
  const early = [];
  page.on('response', async (r) => {
    const url = r.url().replace(base, '');
    if (!opened) {
      if (/\/editor\/|codemirror|kpi-rules\.schema/.test(url)) early.push(url);
      return;
    }
    // What the view itself brings: its modules, styles, the CodeMirror bundle, the schema (the
    // package and the app's own files are already there for the other views).
    if (!/\/editor\/|\/vendor\//.test(url)) return;
    try {
      const body = await r.body();
      responses.push({ url, raw: body.length, gz: gzipSync(body, { level: 9 }).length });
    } catch {
      // A response without a body (a redirect): nothing on the wire to count.
    }
  });
  await page.goto(`${base}/#form`);
  await page.waitForFunction(() => document.querySelector('kpi-assessment')?.form);
  await page.waitForLoadState('networkidle');
  opened = true;
  await page.getByTestId('tab-workbench').click();
  await page.waitForFunction(() => Number(document.getElementById('view-workbench')?.dataset.generation ?? 0) > 0, null, { timeout: 60000 });
  // The completion reads the schema on first use: open the source view and ask once.
  await page.locator('#wb-mode-source').click();
  await page.locator('#wb-source .cm-content').click();
  await page.keyboard.press('Control+Space');
  await page.waitForTimeout(300);
  await page.waitForLoadState('networkidle');
  opened = false;
  await page.locator('#wb-mode-structured').click();
  await page.locator('#wb-group-sections').click();
  // Fill a few preview fields so that the preview has values to keep.
  const preview = page.locator('#wb-preview');
  await preview.locator('[data-input="plan_made"]').selectOption('false');
  await preview.locator('[data-input="unfinished_tasks"]').fill('2');
  await page.locator('#wb-structured details.item-detail').nth(0).evaluate((d) => { d.open = true; });

  await page.evaluate(() => {
    const view = document.getElementById('view-workbench');
    window.__wb = { samples: [], parts: [], pending: null };
    document.addEventListener('keydown', (e) => { window.__wb.pending = e.timeStamp; }, true);
    view.addEventListener('workbench-refresh', () => {
      const start = window.__wb.pending;
      if (start === null) return;
      window.__wb.pending = null;
      window.__wb.parts.push([Number(view.dataset.refreshMs), Number(view.dataset.loadMs), Number(view.dataset.previewMs)]);
      requestAnimationFrame(() => setTimeout(() => window.__wb.samples.push(performance.now() - start), 0));
    });
  });
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  async function run(path, keys, what) {
    await page.evaluate(() => { window.__wb.samples = []; window.__wb.parts = []; });
    const input = page.locator(`#wb-structured input[data-path="${path}"]`);
    await input.click();
    await page.keyboard.press('End');
    for (let i = 0; i < N + 10; i += 1) {
      const before = await page.evaluate(() => window.__wb.samples.length);
      await page.keyboard.press(keys[i % 2]);
      await page.waitForFunction((n) => window.__wb.samples.length > n, before);
    }
    const times = (await page.evaluate(() => window.__wb.samples)).slice(10).sort((a, b) => a - b);
    const parts = (await page.evaluate(() => window.__wb.parts)).slice(10);
    const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const state = await page.evaluate(() => import('/editor/workbench.js').then((m) => m.workbenchState()));
    const total = await preview.evaluate((el) => el.report.total);
    console.log(`${what} (${times.length} keystrokes): median ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`);
    console.log(`  medians inside the page's reload: ${median(parts.map((p) => p[0])).toFixed(1)} ms in all = loading the rule set in the engine ${median(parts.map((p) => p[1])).toFixed(1)} ms + preview ${median(parts.map((p) => p[2])).toFixed(1)} ms + tests, problems, status; the rest is the browser's input handling, style, layout and paint`);
    console.log(`  (at the end: ${state.problems.length} problems, tests ${state.tests.passed} passed / ${state.tests.failed} failed; preview total ${total} with the filled values kept)`);
  }
  console.log('keystroke → problems, tests and preview updated and shown, built-in 街镇 set (47 items, 139 inputs):');
  await run('/sections/0/items/0/title', ['x', 'Backspace'], 'a. an item title (the preview is rebuilt)');
  await run('/sections/0/items/0/deduct/0/points', ['5', 'Backspace'], 'b. a deduction\'s points (the preview scores again)');
  const sum = (k) => responses.reduce((s, r) => s + r[k], 0);
  console.log(`bytes the view adds (fetched after the tab is clicked): ${sum('raw')} B raw, ${sum('gz')} B gzipped, ${responses.length} files`);
  for (const r of responses.sort((a, b) => b.gz - a.gz)) console.log(`  ${r.url}: ${r.raw} B raw, ${r.gz} B gzipped`);
  console.log(early.length === 0 ? 'none of them fetched before the view opened' : `FETCHED BEFORE THE VIEW OPENED: ${early.join(', ')}`);
  if (early.length > 0) process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
