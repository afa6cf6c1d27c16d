// The built package in headless Chromium, loaded the two ways an integrator would: a plain
// <script type="module"> with no bundler, and a Vite build. No request may leave 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';
import { createRequire } from 'node:module';
import { Engine, diffSummaryText } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

let server, base, browser;

// What the package scores in Node for the example both pages score.
const expected = new Engine('subdistrict').score(await readFile(`${root}examples/subdistrict-dq.json`, 'utf8'));

function serve(dir) {
  return createServer(async (req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    try {
      const file = (await stat(path)).isDirectory() ? join(path, 'index.html') : path;
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
}

before(async () => {
  execFileSync(`${root}tools/node_modules/.bin/vite`, ['build', '--logLevel', 'warn', '--outDir', `${root}target/vite-dist`, '--emptyOutDir', '--base', '/target/vite-dist/'],
    { cwd: `${root}js/test/vite-app`, stdio: 'inherit' });
  server = serve(root);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
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

async function totalOf(url) {
  const page = await browser.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('total').textContent !== '', null, { timeout: 15000 }).catch(() => {});
  const result = { total: await page.textContent('#total'), grade: await page.textContent('#grade'), outside, errors };
  await page.close();
  return result;
}

test('a plain <script type="module"> page scores with the package, no bundler', async () => {
  const r = await totalOf(`${base}/js/test/plain/`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.total, expected.total);
  assert.equal(r.grade, expected.grade);
  assert.deepEqual(r.outside, []);
});

test('a Vite build of a page using the package scores the same, and loads the tools module on demand', async () => {
  const r = await totalOf(`${base}/target/vite-dist/`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.total, expected.total);
  assert.deepEqual(r.outside, []);
  const page = await browser.newPage();
  await page.goto(`${base}/target/vite-dist/`);
  await page.waitForFunction(() => document.getElementById('tests').textContent !== '', null, { timeout: 15000 });
  assert.equal(await page.textContent('#tests'), String(new Engine('subdistrict').runTests().passed));
  await page.close();
});

test('in a browser, a tools method before loadTools() throws js.tools; after it, it works; a scoring page fetches no tools module', async () => {
  const page = await browser.newPage();
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  await page.goto(`${base}/js/test/plain/`);
  await page.waitForFunction(() => document.getElementById('total').textContent !== '', null, { timeout: 15000 });
  assert.deepEqual(wasm, ['/pkg/kpi_wasm_bg.wasm'], 'a page that only scores fetches the scoring module alone');
  const r = await page.evaluate(async () => {
    const { Engine, loadTools, diffSummaryText } = await import('/pkg/index.js');
    const engine = new Engine('subdistrict');
    const before = [];
    for (const call of [() => engine.runTests(), () => engine.ruleChanges('subdistrict'), () => diffSummaryText({ units: 1 })]) {
      try {
        call();
        before.push('no error');
      } catch (err) {
        before.push(err.code);
      }
    }
    const loading = loadTools();
    const same = loading === loadTools();
    await loading;
    return { before, same, changes: engine.ruleChanges('subdistrict').length, summary: diffSummaryText({ units: 1, changed: 0 }) };
  });
  await page.close();
  assert.deepEqual(r.before, ['js.tools', 'js.tools', 'js.tools']);
  assert.equal(r.same, true, 'loadTools() returns the same promise');
  assert.equal(r.changes, 0);
  assert.equal(r.summary, diffSummaryText({ units: 1, changed: 0 }));
  assert.ok(wasm.includes('/pkg/kpi_wasm_tools_bg.wasm'));
});
