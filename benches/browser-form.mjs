// Benchmark of the browser form (not a test): serves www/ + pkg/ like ./run and opens it in
// headless Chromium.
//   (a) keystroke → updated total: in the page, set a count field to a new value, dispatch the
//       `input` event an assessor's keystroke fires, and time until the total's text has changed
//       (the form updates synchronously), then also until layout (the total's box is measured).
//       Every keystroke gives a different value and a different total: nothing can be cached.
//   (b) page load: a fresh browser context (empty cache and storage) navigates to the app; time
//       from navigation start until the form is rendered with its total shown. Also what the load
//       fetched (the .wasm modules by name: the tools module must not be among them).
//
//   node benches/browser-form.mjs [keystrokes=642] [loads=10]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const keystrokes = parseInt(process.argv[2] ?? '642', 10);
const loads = parseInt(process.argv[3] ?? '10', 10);
const { createAppServer, listen } = await import('../tools/serve.mjs');
const { chromium } = createRequire(`${root}tools/package.json`)('playwright-core');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(2)} ms`;

const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

// (b) page load, cold each time.
const loadTimes = [];
const domTimes = [];
let fetched = [];
for (let i = 0; i < loads + 1; i++) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const urls = [];
  page.on('request', (r) => urls.push(new URL(r.url()).pathname));
  await page.goto(`${base}/#form`);
  await page.waitForFunction(() => performance.getEntriesByName('kpi-form-ready').length > 0 && document.querySelector('kpi-assessment').shadowRoot.querySelector('[data-testid=total]').textContent !== '');
  const t = await page.evaluate(() => ({
    ready: performance.getEntriesByName('kpi-form-ready')[0].startTime,
    dom: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
  if (i > 0) { // the first load warms the server's file cache
    loadTimes.push(t.ready);
    domTimes.push(t.dom);
  }
  fetched = urls;
  await context.close();
}

// (a) keystroke → total.
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const page = await context.newPage();
await page.goto(`${base}/#form`);
await page.waitForFunction(() => document.body.dataset.ready === 'true');
const result = await page.evaluate(async (n) => {
  const el = document.querySelector('kpi-assessment');
  const root = el.shadowRoot;
  const total = root.querySelector('[data-testid=total]');
  const field = (id) => root.querySelector(`[data-input="${id}"]`);
  const type = (id, value) => {
    const input = field(id);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  // 2,000 major hazards found; each fixed one moves 2.2's score by 0.025, so the total changes
  // at every step from 1,680 to 2,000 fixed (and back).
  type('hazards_found', '2000');
  const values = [];
  for (let v = 1680; values.length < n + 20; v = v >= 2000 ? 1680 : v + 1) values.push(String(v));
  const sync = [];
  const laidOut = [];
  let unchanged = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === field('hazards_fixed').value) continue;
    const before = total.textContent;
    const t0 = performance.now();
    type('hazards_fixed', values[i]);
    const t1 = performance.now();
    if (total.textContent === before) unchanged++;
    total.getBoundingClientRect(); // style + layout of the updated form
    const t2 = performance.now();
    if (i >= 20) { // warm-up
      sync.push(t1 - t0);
      laidOut.push(t2 - t0);
    }
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  return { sync, laidOut, unchanged, fields: el.form.inputs.length };
}, keystrokes);
await context.close();
await browser.close();
server.close();

if (result.unchanged > 0) console.warn(`warning: ${result.unchanged} keystrokes left the total unchanged`);
console.log(`browser form (subdistrict, ${result.fields} fields), headless Chromium, ${result.sync.length} keystrokes, ${loadTimes.length} cold loads`);
console.log(`keystroke → total text updated: median ${ms(median(result.sync))}, p90 ${ms(pct(result.sync, 0.9))}, max ${ms(Math.max(...result.sync))}`);
console.log(`keystroke → total laid out:     median ${ms(median(result.laidOut))}, p90 ${ms(pct(result.laidOut, 0.9))}`);
console.log(`page load → form with total:    median ${ms(median(loadTimes))} (DOMContentLoaded ${ms(median(domTimes))}), min ${ms(Math.min(...loadTimes))}, max ${ms(Math.max(...loadTimes))}`);
const { statSync } = await import('node:fs');
const wasm = fetched.filter((u) => u.endsWith('.wasm'));
console.log(`.wasm fetched by a cold load: ${wasm.map((u) => `${u} (${statSync(`${root}${u.replace(/^\/pkg\//, 'pkg/')}`).size} bytes)`).join(', ')}; ${fetched.length} requests in all`);
if (wasm.some((u) => u.includes('_tools'))) console.log('the tools module was fetched by the form page: it should not be');
