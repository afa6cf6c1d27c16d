// The embed page (/embed.html) in an iframe of a host page on another origin (a second server on a
// second port), driven only by postMessage through kpi-wasm/host.js; and refused by an origin not
// in EMBED_ORIGINS: it cannot frame the page, and a frame of its own on the host's page cannot
// drive it or read from it. Headless Chromium.
//
//   node --test js/test/embed.test.mjs      (after ./build)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { root, launch, openPage } from './browser-helpers.mjs';

if (!existsSync(`${root}pkg/host.js`)) throw new Error('pkg/host.js is missing: run ./build first');
const { Engine, builtInRuleSetSource } = await import('../../pkg/index.js');
const { createAppServer, listen, embedCsp } = await import('../../tools/serve.mjs');

let browser, embedServer, embedBase, hostServer, hostBase, evilServer, evilBase;

before(async () => {
  mkdirSync(`${root}target/embed-shots`, { recursive: true });
  // The host (the OA page) and a third origin, each its own server and port.
  // Ports first: each page's policy names the others (the host's frame-src, the embed's allow-list).
  hostServer = createAppServer({ www: `${root}js/test/embed-host` });
  evilServer = createAppServer({ www: `${root}js/test/embed-evil` });
  embedServer = createAppServer();
  hostBase = await listen(hostServer, 0);
  evilBase = await listen(evilServer, 0);
  embedBase = await listen(embedServer, 0);
  for (const s of [hostServer, evilServer, embedServer]) s.close();
  // The host page may frame the embed page and the third origin (an OA page's own CSP would say so);
  // the third origin's page may try to frame the embed page; the embed server allows the host only.
  hostServer = createAppServer({ www: `${root}js/test/embed-host`, frameSources: [embedBase, evilBase] });
  evilServer = createAppServer({ www: `${root}js/test/embed-evil`, frameSources: [embedBase] });
  embedServer = createAppServer({ embedOrigins: [hostBase] });
  await listen(hostServer, Number(new URL(hostBase).port));
  await listen(evilServer, Number(new URL(evilBase).port));
  await listen(embedServer, Number(new URL(embedBase).port));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [embedServer, hostServer, evilServer]) s?.close();
});

const hostUrl = (extra = '') => `${hostBase}/?embed=${encodeURIComponent(`${embedBase}/embed.html`)}${extra}`;
const log = (page, type) => page.evaluate((t) => window.kpiLog.filter((m) => m.type === t).map((m) => m.detail), type);

test('a host page on another origin drives the embed page by postMessage: set, events, get, resize, errors', async () => {
  const engine = new Engine('subdistrict');
  assert.notEqual(new URL(hostBase).origin, new URL(embedBase).origin);
  const { page, done } = await openPage(browser, hostUrl(), { waitFor: () => window.kpi !== undefined, allowErrors: /\/nope\/rules\.json/ });
  const ready = await page.evaluate(() => window.kpi.ready.then(() => window.kpiLog.find((m) => m.type === 'ready').detail));
  assert.equal(ready.v, 1);
  assert.equal(ready.rules, null);
  assert.deepEqual(ready.builtIns.map((r) => r.id), ['subdistrict', 'department', 'enterprise']);
  // The embed page's policy names the host as the only frame ancestor.
  const res = await fetch(`${embedBase}/embed.html`);
  assert.equal(res.headers.get('content-security-policy'), embedCsp([hostBase]));

  // kpi:set with rules, unit and values as an OA stores them; the answer is the engine's report.
  const values = { plan_made: 'true', safety_meetings: '4', gdp: '186.5', self_check_rate: '94.5' };
  const answer = await page.evaluate((v) => window.kpi.set({ rules: 'subdistrict', unit: { id: 'yp-dq', name: '大桥街道' }, values: v }), values);
  const sub = { format: 'kpi-submission/1', rules: { id: 'subdistrict', version: engine.ruleSet().version }, unit: { id: 'yp-dq', name: '大桥街道' }, values: { plan_made: true, safety_meetings: '4', gdp: '186.5', self_check_rate: '94.5' } };
  const expected = engine.score(sub);
  assert.equal(answer.type, 'kpi:score');
  assert.equal(answer.cause, 'set');
  assert.equal(answer.report.total, expected.total);
  assert.deepEqual(answer.submission.values, sub.values);
  assert.equal(answer.valid, false, 'required fields are still empty');
  assert.ok(answer.problems.some((p) => p.code === 'value.missing'));

  // The iframe's height follows the content (kpi:resize), without a scrollbar inside.
  await page.waitForFunction(() => parseInt(document.querySelector('#slot iframe').style.height, 10) > 1500);
  const sizes = await page.evaluate(() => {
    const frame = document.querySelector('#slot iframe');
    return { height: parseInt(frame.style.height, 10), last: window.kpiLog.filter((m) => m.type === 'resize').at(-1).detail.height };
  });
  assert.equal(sizes.height, Math.ceil(sizes.last));
  const inner = page.frames().find((f) => f.url().startsWith(`${embedBase}/embed.html`));
  const fits = await inner.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1);
  assert.equal(fits, true, 'the frame is as tall as its content');

  // A user's edit inside the frame reaches the host as kpi:change and kpi:score.
  const label = engine.form().inputs.find((i) => i.id === 'drills').label;
  await page.frameLocator('#slot iframe').getByLabel(label, { exact: true }).fill('2');
  await page.waitForFunction(() => window.kpiLog.some((m) => m.type === 'change' && m.detail.submission.values.drills === '2'));
  const change = (await log(page, 'change')).at(-1);
  assert.equal(change.report.total, engine.score({ ...sub, values: { ...sub.values, drills: '2' } }).total);

  // kpi:get answers with the submission and the report.
  const got = await page.evaluate(() => window.kpi.get());
  assert.equal(got.type, 'kpi:submission');
  assert.equal(got.submission.values.drills, '2');
  assert.equal(got.report.total, change.report.total);

  // Errors come back coded, with the request's id: rules that do not load, a cross-origin rules URL,
  // a wrong value, another protocol version.
  const failures = await page.evaluate(async (evil) => {
    const codes = [];
    for (const state of [{ rules: '{"format": "kpi-rules/1"}' }, { rules: `${evil}/rules.json` }, { rules: '/nope/rules.json' }, { values: { plan_made: 'perhaps' } }]) {
      try {
        await window.kpi.set(state);
        codes.push('ok');
      } catch (err) {
        codes.push(err.code);
      }
    }
    const frame = document.querySelector('#slot iframe');
    const version = await new Promise((resolve) => {
      window.addEventListener('message', function on(e) {
        if (e.source === frame.contentWindow && e.data.id === 'v2') {
          window.removeEventListener('message', on);
          resolve(e.data);
        }
      });
      frame.contentWindow.postMessage({ type: 'kpi:get', v: 2, id: 'v2' }, new URL(frame.src).origin);
    });
    return { codes, version: [version.type, version.code] };
  }, evilBase);
  assert.equal(failures.codes[0], 'field.missing');
  assert.deepEqual(failures.codes.slice(1), ['embed.rules_url', 'embed.rules_url', 'value.type']);
  assert.deepEqual(failures.version, ['kpi:error', 'embed.version']);
  // A failed set left the form as it was.
  const still = await page.evaluate(() => window.kpi.get());
  assert.equal(still.submission.rules.id, 'subdistrict');
  assert.equal(still.submission.values.drills, '2');

  // Readonly and a rules change by JSON text.
  const switched = await page.evaluate((text) => window.kpi.set({ rules: text, readonly: true }), builtInRuleSetSource('department'));
  assert.equal(switched.submission.rules.id, 'department');
  const disabled = await inner.evaluate(() => [...document.querySelector('kpi-assessment').shadowRoot.querySelectorAll('input, select, textarea')].every((c) => c.disabled));
  assert.equal(disabled, true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${root}target/embed-shots/embed-host.png` });
  await done();
});

test('an origin not in EMBED_ORIGINS cannot frame the embed page, nor drive or read it from a frame on the host page', async () => {
  // 1. As the top page: frame-ancestors refuses the frame; the page never runs, nothing answers.
  const refused = await openPage(browser, `${evilBase}/?embed=${encodeURIComponent(`${embedBase}/embed.html`)}`, { allowErrors: /frame-ancestors|Refused to frame|refused to connect/i });
  await refused.page.waitForTimeout(1500);
  const framed = refused.page.frames().find((f) => f.url().startsWith(`${embedBase}/embed.html`));
  const ran = framed ? await framed.evaluate(() => document.body?.dataset.ready ?? null).catch(() => null) : null;
  assert.equal(ran, null, 'the embed page did not run inside the other origin');
  assert.deepEqual(await refused.page.evaluate(() => window.received), []);
  await refused.context.close();

  // 2. As a third-party frame inside the allowed host's page (an ad, a widget): its messages are
  // ignored. Its page is answered here, without the server's frame-ancestors, so the host can frame it.
  const { page, context, done } = await openPage(browser, 'about:blank');
  await context.route(`${evilBase}/framed.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>third party</title><script type="module" src="/evil.js"></script><div id="slot"></div>' }));
  await page.goto(hostUrl(`&evil=${encodeURIComponent(`${evilBase}/framed.html`)}`));
  await page.waitForFunction(() => window.kpi !== undefined);
  await page.evaluate(() => window.kpi.ready);
  await page.evaluate(() => window.kpi.set({ rules: 'subdistrict', values: { safety_meetings: '1' } }));
  const evilFrame = await (await page.waitForSelector('#other iframe')).contentFrame();
  await evilFrame.waitForFunction(() => typeof window.attack === 'function');
  assert.ok(evilFrame.url().startsWith(evilBase));
  await evilFrame.evaluate(() => window.attack());
  await page.waitForTimeout(800);
  const state = await page.evaluate(() => window.kpi.get());
  assert.equal(state.submission.rules.id, 'subdistrict', 'rules unchanged');
  assert.deepEqual(state.submission.values, { safety_meetings: '1' }, 'values unchanged');
  const inner = page.frames().find((f) => f.url().startsWith(`${embedBase}/embed.html`));
  assert.equal(await inner.evaluate(() => document.querySelector('kpi-assessment').readonly), false);
  assert.deepEqual(await evilFrame.evaluate(() => window.received), [], 'nothing was posted to the third party');
  // The host saw no error or answer for the third party's ids.
  assert.ok((await page.evaluate(() => window.kpiLog)).every((m) => !String(m.detail.id ?? '').startsWith('evil')));
  await done();
});
