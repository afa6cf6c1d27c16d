// The form redraws only what a live change reached (js/form-view.js: `scoreLive`, `applyChange`,
// `render(…, touched)`). These tests edit a form field by field at random (valid values, wrong
// ones, emptied fields) in headless Chromium and, after every edit, compare everything the form
// shows with a second form that loaded the same submission and drew itself whole: any part the
// incremental redraw missed or got wrong shows up as a difference. The edited form's report (the
// live form's `report()`) must also be the whole form's. On the bare page of js/test/e2e-fidelity/
// (one <kpi-assessment>), served by tools/serve.mjs; no request may leave 127.0.0.1, nothing may
// break the CSP, no page may throw (browser-helpers.mjs).
//
//   node --test js/test/form-live.test.mjs        (./test runs it with the other js/test/*.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { root, launch, openPage } from './browser-helpers.mjs';

if (!existsSync(`${root}pkg/form-view.js`)) throw new Error('pkg/form-view.js is missing: run ./build first');
const { createAppServer, listen } = await import('../../tools/serve.mjs');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
/** Edits per rule set; the seed is printed so a failure can be replayed (KPI_LIVE_SEED=…). */
const STEPS = 45;
const SEED = Number.parseInt(process.env.KPI_LIVE_SEED ?? String(Math.floor(Math.random() * 1e9)), 10);

let server, base, browser;

before(async () => {
  server = createAppServer({ www: `${root}js/test/e2e-fidelity` });
  base = await listen(server, 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * Opens the bare page with two forms of `rules` (a built-in id or JSON text), loads `start` (a
 * submission) into the first and types its unit, then edits it `STEPS` times and compares it with the second after each edit. Returns
 * the differences found (empty when the two agree every time) and how many edits were scored live.
 */
async function editAndCompare(rules, start, seed) {
  const { page, done } = await openPage(browser, `${base}/`, { waitFor: () => customElements.get('kpi-assessment') !== undefined });
  const result = await page.evaluate(async ({ rules, start, seed, steps }) => {
    const edited = document.querySelector('kpi-assessment');
    const whole = document.createElement('kpi-assessment');
    document.body.append(whole);
    edited.rules = rules;
    whole.rules = rules;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const shadow = edited.shadowRoot;
    // A small seeded generator (mulberry32): the same seed, the same edits.
    let state = seed >>> 0;
    const random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (xs) => xs[Math.floor(random() * xs.length)];
    const type = (control, value) => {
      control.value = value;
      control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    };
    edited.submission = start;
    type(shadow.querySelector('[data-unit-field=name]'), '白鹭街道');
    type(shadow.querySelector('[data-unit-field=id]'), 'BL-01');
    // What a form shows, as one text: each element's tag, classes, hidden, status and validity,
    // and its text (an <output>'s value is its text). Controls' own values are left out.
    const show = (host) => {
      const out = [];
      const walk = (node) => {
        for (const child of node.childNodes) {
          if (child.nodeType === Node.TEXT_NODE) {
            if (child.textContent.trim() !== '') out.push(child.textContent);
            continue;
          }
          if (child.nodeType !== Node.ELEMENT_NODE || child.tagName === 'LINK') continue;
          out.push(`<${child.tagName}.${child.className}${child.hidden ? ' hidden' : ''}${child.dataset.status ? ` status=${child.dataset.status}` : ''}${child.getAttribute('aria-invalid') ? ' invalid' : ''}>`);
          if (child.tagName !== 'SELECT' && child.tagName !== 'TEXTAREA') walk(child);
        }
      };
      walk(host.shadowRoot);
      return out.join('\n');
    };
    // The controls to edit, found again each step (a record list's rows come and go): the fields,
    // a list's cells, and its 添加 button.
    const controls = () => [...shadow.querySelectorAll('[data-input], [data-testid^="cell-"]')].filter((c) => c.tagName !== 'TABLE');
    const differences = [];
    let live = 0;
    for (let step = 0; step < steps && differences.length === 0; step++) {
      const adds = [...shadow.querySelectorAll('.kpi-records-add')];
      const before = edited.shadowRoot.querySelector('[data-testid=total]').value;
      let control;
      let value;
      const editable = controls();
      if (adds.length > 0 && (editable.length === 0 || random() < 0.2)) {
        control = pick(adds);
        value = '（添加一行）';
        control.click();
      } else {
        control = pick(editable);
        if (control.tagName === 'SELECT') value = pick([...control.options].map((o) => o.value));
        else if (control.tagName === 'TEXTAREA') value = pick(['', '已整改', '情况说明']);
        else if (control.type === 'date') value = pick(['', '2026-03-01', '2026-11-30']);
        else value = pick(['', '0', '1', '2', '3', '5', '8', '12', '30', '2.5', '-1', 'abc', '１０', '99.5']);
        type(control, value);
      }
      const doc = edited.submission;
      whole.submission = doc;
      const a = show(edited);
      const b = show(whole);
      if (a !== b) {
        const al = a.split('\n');
        const bl = b.split('\n');
        const at = al.findIndex((line, i) => line !== bl[i]);
        differences.push(`step ${step}: ${control.dataset.input ?? control.dataset.testid} = ${JSON.stringify(value)} (total before ${before}): the edited form shows\n  ${al.slice(Math.max(0, at - 3), at + 3).join('\n  ')}\nwhere a form drawn whole shows\n  ${bl.slice(Math.max(0, at - 3), at + 3).join('\n  ')}`);
      }
      // The edited form's report is the engine's: the same as the whole form's.
      const report = edited.report;
      if (report !== null) {
        const strip = (r) => JSON.stringify({ ...r, fingerprint: undefined });
        if (strip(report) !== strip(whole.report)) differences.push(`step ${step}: the edited form's report differs from the whole form's`);
        if (edited.shadowRoot.querySelector('[data-testid=total]').value !== report.total) differences.push(`step ${step}: the total shown is not the report's`);
      }
      if (edited.shadowRoot.querySelector('[data-testid=total]').value !== before) live++;
    }
    return { differences, live };
  }, { rules, start, seed, steps: STEPS });
  await done();
  return result;
}

// Each rule set from one of its filled example submissions, so that edits move the total.
for (const [name, rules, start] of [
  ['the built-in subdistrict set (values scored item by item)', 'subdistrict', 'examples/subdistrict-dq.json'],
  ['the built-in department set (inputs that apply by unit tags: scored whole on each change)', 'department', 'examples/department/yjj.json'],
  ['柳池乡2016 (record lists: scored whole on each change)', read('examples/published/liuchi-2016.json'), 'examples/published/liuchi-2016/dongpo.json'],
]) {
  test(`random edits: every edit redraws the form as drawing it whole does — ${name}`, async () => {
    const seed = SEED;
    const { differences, live } = await editAndCompare(rules, JSON.parse(read(start)), seed);
    assert.deepEqual(differences, [], `KPI_LIVE_SEED=${seed}`);
    // The test can fail: some edits changed the total (they were scored and redrawn).
    assert.ok(live > 0, `no edit changed the total (KPI_LIVE_SEED=${seed})`);
  });
}
