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

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

let server, base, browser;

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
  assert.equal(r.total, '89.15');
  assert.equal(r.grade, '良好');
  assert.deepEqual(r.outside, []);
});

test('a Vite build of a page using the package scores the same', async () => {
  const r = await totalOf(`${base}/target/vite-dist/`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.total, '89.15');
  assert.deepEqual(r.outside, []);
});
