// Shared by the embedding tests (element-oa, embed, floor): headless Chromium through
// playwright-core, and a page opener that watches for requests leaving 127.0.0.1, CSP violations
// and page errors. Not a test file itself.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A fresh context on `url` with watchers; `done()` asserts no request left 127.0.0.1, no CSP
 * violation and no page error, then closes the context. `allowErrors`: page errors matching it are
 * expected (a frame refused by frame-ancestors logs one).
 */
export async function openPage(browser, url, { width = 1366, height = 900, allowErrors = null, waitFor = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  context.setDefaultTimeout(15000);
  const outside = [];
  const errors = [];
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith('about:')) outside.push(u);
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  const expected = (text) => allowErrors !== null && allowErrors.test(text);
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && !expected(m.text())) errors.push(`console: ${m.text()}`);
  });
  context.on('response', (r) => {
    const text = `HTTP ${r.status()} ${r.url()}`;
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && !expected(text)) errors.push(text);
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  if (waitFor) await page.waitForFunction(waitFor, null, { timeout: 20000 });
  return {
    page,
    context,
    errors,
    async done() {
      const violations = [];
      for (const frame of page.frames()) violations.push(...(await frame.evaluate(() => window.__cspViolations ?? []).catch(() => [])));
      await context.close();
      assert.deepEqual(outside, [], 'no request leaves 127.0.0.1');
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
      assert.deepEqual(errors, [], 'no page errors');
    },
  };
}
