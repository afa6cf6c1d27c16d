// Benchmark of the browser form with real keystrokes (issue 15, goal 5): keystroke → next painted
// frame, on the built-in subdistrict form and on a generated 300-item rule set; and cold loads.
// Not a test. Serves www/ + pkg/ like ./run (tools/serve.mjs) and drives the app in headless
// Chromium (/usr/bin/chromium through tools/node_modules/playwright-core).
//
//   node benches/browser-keystroke.mjs [--keys N=240] [--warmup N=20] [--loads N=10] [--items N=300]
//                                      [--no-profile] [--only subdistrict|generated] [--focus]
//
// For each form, a fresh browser context opens the app at #form. The generated set
// (benches/make_rules.py N, written to target/bench/) is loaded as a user does: the 加载细则文件…
// file control (#load-rules), then a filled-in submission through 导入考核表… (#import); the
// subdistrict form gets examples/subdistrict-dq.json the same way. A count field read by a
// per-count deduction line is clicked, set to "1", then Playwright's page.keyboard presses "2" and
// Backspace in turn ("1" → "12" → "1" …): every keystroke changes the value and the total. Keys are
// a random 20–80 ms apart (as typing), so a key lands anywhere in the frame interval.
//
// In the page, per keystroke: t0 = the keydown event's timeStamp (capture listener on window);
// t_input = the input event reaching window (capture), t_end = it leaving (bubble: after the
// form's handler); kpi-change (the form scored and rendered) and kpi-score (after the app's
// listeners, its autosave among them) on the element; engine time = the calls into Engine and
// LiveForm methods (their prototypes wrapped from outside, outermost calls only). From t_end:
// requestAnimationFrame, then a task posted from the rAF callback (scheduler.postTask, priority
// user-blocking) runs after that frame's style, layout, paint and commit: t1 = then, if the
// total's text differs from before the keydown (else the next frame, and so on: a form that
// defers its update is measured to the frame that shows it). Reported: t1 − t0 median, p95, max
// over the keys after warm-up; also to a MessageChannel message posted from the same rAF callback
// (like benches/workbench-keystroke.mjs's setTimeout, it waits behind tasks queued earlier, e.g.
// Chromium's autofill work after an edit); the Event Timing
// API's entries (PerformanceObserver type "event", durationThreshold 16, buffered) as a cross-check.
//
// Then, not timed, 22 more keystrokes with a MutationObserver on the form's shadow root: how much
// DOM each keystroke changes, and where. And (unless --no-profile) 100 more under a Chromium trace
// (devtools.timeline: main-thread time by task kind and event; saved to
// target/bench/keystroke-trace-<form>.json for Perfetto), and on the generated form 100 under the
// V8 CPU profiler (self time by script: wasm, the wasm-bindgen glue's JSON.parse, index.js, the
// form's modules, the app).
//
// Cold loads: as benches/browser-form.mjs, a fresh context per load navigating to /#form, time
// from navigation start to the `kpi-form-ready` mark with the total shown; median over --loads
// (one more first, to warm the server's file cache). The built-in subdistrict set (a fresh context
// has no stored rule file).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const KEYS = Number(opt('keys', 240));
const WARMUP = Number(opt('warmup', 20));
const LOADS = Number(opt('loads', 10));
const ITEMS = Number(opt('items', 300));
const PROFILE = !args.includes('--no-profile');
const ONLY = opt('only', null);
// --focus: focus the field from script instead of clicking it, so no mouse is over the page (no
// hover hit test after each layout).
const FOCUS = args.includes('--focus');

const { createAppServer, listen } = await import('../tools/serve.mjs');
const { chromium } = createRequire(`${root}tools/package.json`)('playwright-core');

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)];
const f1 = (x) => x.toFixed(1);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const stats = (xs) => `median ${f1(median(xs))} ms, p95 ${f1(pct(xs, 0.95))} ms, max ${f1(Math.max(...xs))} ms`;

// The generated rule set and its filled-in submission.
const genDir = `${root}target/bench`;
mkdirSync(genDir, { recursive: true });
const genRules = `${genDir}/generated-${ITEMS}.json`;
const genSub = `${genDir}/generated-${ITEMS}-submission.json`;
writeFileSync(genRules, execFileSync('python3', [`${root}benches/make_rules.py`, String(ITEMS), '--submission', genSub], { maxBuffer: 64 << 20 }));

/** A count input read by a `per` line of its own (no expression) whose 1 and 12 score differently. */
function pickField(rules, sectionIndex) {
  const byId = new Map(rules.inputs.map((i) => [i.id, i]));
  const sections = [...rules.sections.slice(sectionIndex), ...rules.sections.slice(0, sectionIndex)];
  for (const s of sections) {
    for (const item of s.items) {
      for (const line of item.deduct ?? []) {
        const input = byId.get(line.per);
        if (!input || input.type !== 'count' || input.max !== undefined) continue;
        const p = Number(line.points);
        const limit = Math.min(Number(item.cap ?? item.points), Number(item.points));
        if (limit >= 2 * p) return { id: input.id, item: item.id, section: s.id };
      }
    }
  }
  throw new Error('no count field for the keystrokes');
}

const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const version = browser.version();
const cores = (await import('node:os')).cpus().length;
console.log(`headless Chromium ${version}, ${cores} cores, load average at start ${load()}`);

// Installed before the app's scripts run: the probes (listeners, engine wrappers, Event Timing).
function probes() {
  const k = {
    samples: [], events: [], pending: null, engineMs: 0, depth: 0, waiters: [], lost: 0,
  };
  window.__k = k;
  const form = () => document.querySelector('kpi-assessment');
  const totalText = () => form()?.shadowRoot?.querySelector('[data-testid=total]')?.textContent ?? '';
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        k.events.push({ name: e.name, startTime: e.startTime, duration: e.duration, processingStart: e.processingStart, processingEnd: e.processingEnd, interactionId: e.interactionId });
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {
    k.noEventTiming = true;
  }
  window.addEventListener('keydown', (e) => {
    if (!k.armed) return;
    k.pending = { t0: e.timeStamp, key: e.key, before: totalText(), engine0: k.engineMs };
  }, true);
  window.addEventListener('input', () => {
    if (k.pending && k.pending.tInput === undefined) k.pending.tInput = performance.now();
  }, true);
  window.addEventListener('input', () => {
    const s = k.pending;
    if (!s || s.tEnd !== undefined) return;
    s.tEnd = performance.now();
    s.engine = k.engineMs - s.engine0;
    // The first frame after the handler whose paint shows a new total. Two marks after each frame:
    // a scheduler.postTask task of priority user-blocking (it runs before normal-priority tasks
    // queued earlier, such as Chromium's autofill work after an edit: t1, the frame's end) and a
    // MessageChannel message (queued behind them: tMsg).
    let frames = 0;
    const channel = new MessageChannel();
    const finish = () => {
      if (s.t1 === undefined || s.tMsg === undefined) return;
      k.pending = null;
      k.samples.push(s);
      for (const w of k.waiters.splice(0)) w();
    };
    const shown = () => totalText() !== s.before || performance.now() - s.t0 > 2000;
    const afterTask = () => {
      frames += 1;
      if (!shown()) {
        requestAnimationFrame(frame);
        return;
      }
      s.t1 = performance.now();
      s.frames = frames;
      s.changed = totalText() !== s.before;
      finish();
    };
    channel.port1.onmessage = () => {
      if (s.tMsg !== undefined || !shown()) return;
      s.tMsg = performance.now();
      if (!hasPostTask) afterTask();
      finish();
    };
    const hasPostTask = typeof globalThis.scheduler?.postTask === 'function';
    const frame = (ts) => {
      if (s.tRaf === undefined) { s.tRaf = performance.now(); s.frameTime = ts; }
      if (hasPostTask) scheduler.postTask(afterTask, { priority: 'user-blocking' });
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(frame);
  }, false);
  const mark = (name) => () => { if (k.pending && k.pending[name] === undefined) k.pending[name] = performance.now(); };
  document.addEventListener('kpi-change', mark('tChange'), true);
  document.addEventListener('kpi-score', mark('tScore'), true);
  // DOM mutations in the form per keystroke (what "update only the DOM that changed" counts).
  k.observe = () => {
    const shadow = form().shadowRoot;
    const where = (node) => {
      for (let n = node.nodeType === 1 ? node : node.parentElement; n; n = n.parentElement) {
        if (n.dataset?.testid) return n.dataset.testid;
        if (n.dataset?.entry) return 'an item card';
        if (n.dataset?.field) return 'a field row';
      }
      return 'other';
    };
    k.observer = new MutationObserver((records) => {
      const s = k.pending;
      if (!s) return;
      s.mut ??= { nodes: 0, attributes: 0, text: 0, where: {} };
      for (const r of records) {
        let n = 0;
        if (r.type === 'childList') {
          for (const a of [...r.addedNodes, ...r.removedNodes]) n += 1 + (a.nodeType === 1 ? a.querySelectorAll('*').length : 0);
          s.mut.nodes += n;
        } else if (r.type === 'attributes') { s.mut.attributes += 1; n = 1; } else { s.mut.text += 1; n = 1; }
        const w = where(r.target);
        s.mut.where[w] = (s.mut.where[w] ?? 0) + n;
      }
    });
    k.observer.observe(shadow, { childList: true, attributes: true, characterData: true, subtree: true });
  };
  k.wait = (n) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keystroke ${n + 1}: no input event, or no frame with a new total, within 5 s`)), 5000);
    const check = () => (k.samples.length > n ? (clearTimeout(timer), resolve()) : k.waiters.push(check));
    check();
  });
  // Engine time: wrap Engine's and LiveForm's methods once the package is loaded (the same module
  // instance the app imports).
  import('/pkg/index.js').then((m) => {
    for (const cls of [m.Engine, m.LiveForm]) {
      if (!cls) continue;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const d = Object.getOwnPropertyDescriptor(cls.prototype, name);
        if (name === 'constructor' || typeof d.value !== 'function') continue;
        const original = d.value;
        cls.prototype[name] = function (...a) {
          if (k.depth > 0) return original.apply(this, a);
          k.depth += 1;
          const t = performance.now();
          try {
            return original.apply(this, a);
          } finally {
            k.engineMs += performance.now() - t;
            k.depth -= 1;
          }
        };
      }
    }
  });
}

async function openForm(kind) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.addInitScript(probes);
  await page.goto(`${base}/#form`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  let rules;
  let loadMs = null;
  if (kind === 'generated') {
    rules = JSON.parse(readFileSync(genRules, 'utf8'));
    // Time from the file chosen to the first painted frame showing the new form with its total.
    await page.evaluate((id) => {
      const k = window.__k;
      document.getElementById('load-rules').addEventListener('change', () => {
        const t0 = performance.now();
        const poll = () => requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            const el = document.querySelector('kpi-assessment');
            if (el.rules?.id === id && el.shadowRoot.querySelector('[data-testid=total]')?.textContent) k.fileLoadMs = performance.now() - t0;
            else poll();
          };
          ch.port2.postMessage(0);
        });
        poll();
      }, true);
    }, rules.id);
    await page.setInputFiles('[data-testid=load-rules]', genRules);
    await page.waitForFunction((id) => document.querySelector('kpi-assessment').rules?.id === id && window.__k.fileLoadMs !== undefined, rules.id, { timeout: 60000 });
    // The app runs the file's embedded tests after it shows the form; wait for its notice.
    await page.waitForFunction(() => !document.getElementById('notice').hidden || !document.getElementById('alert').hidden, null, { timeout: 60000 });
    loadMs = await page.evaluate(() => window.__k.fileLoadMs);
    await page.setInputFiles('[data-testid=import]', genSub);
  } else {
    rules = JSON.parse(readFileSync(`${root}rules/subdistrict.json`, 'utf8'));
    await page.setInputFiles('[data-testid=import]', `${root}examples/subdistrict-dq.json`);
  }
  await page.waitForFunction(() => document.querySelector('kpi-assessment').submission?.unit?.id);
  const notice = await page.evaluate(() => [document.getElementById('notice'), document.getElementById('alert')].filter((e) => !e.hidden).map((e) => e.textContent).join(' | '));
  const field = kind === 'generated' ? pickField(rules, Math.floor(rules.sections.length / 2)) : { id: 'unfinished_tasks', item: '1.1', section: 'leadership' };
  const info = await page.evaluate(() => {
    const el = document.querySelector('kpi-assessment');
    return { items: el.rules ? null : null, inputs: el.form?.inputs?.length, elements: el.shadowRoot.querySelectorAll('*').length, status: el.report?.status, total: el.report?.total };
  });
  info.items = rules.sections.reduce((n, s) => n + s.items.length, 0);
  return { context, page, field, info, loadMs, notice };
}

async function typeKeys(page, field, n, seed, { observe = false } = {}) {
  const control = page.locator('kpi-assessment').locator(`[data-input="${field}"]`);
  if (FOCUS) await control.focus();
  else await control.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1');
  await page.keyboard.press('End');
  await page.waitForTimeout(200);
  await page.evaluate((observe) => {
    if (observe) window.__k.observe();
    window.__k.samples = []; window.__k.armed = true; window.__k.engineMs = 0;
  }, observe);
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i += 1) {
    await page.keyboard.press(i % 2 === 0 ? '2' : 'Backspace');
    await page.evaluate((m) => window.__k.wait(m), i);
    await page.waitForTimeout(20 + Math.floor(rand() * 60));
  }
  const out = await page.evaluate(() => {
    window.__k.armed = false;
    window.__k.observer?.disconnect();
    window.__k.observer = null;
    return { samples: window.__k.samples, events: window.__k.events, noEventTiming: window.__k.noEventTiming };
  });
  const value = await control.inputValue();
  if (value !== '1' && value !== '12') throw new Error(`the field holds ${JSON.stringify(value)}`);
  return out;
}

function report(what, info, field, out, mutations) {
  const s = out.samples.slice(WARMUP);
  const lat = s.map((x) => x.t1 - x.t0);
  const unchanged = s.filter((x) => !x.changed).length;
  const laterFrames = s.filter((x) => x.frames > 1).length;
  console.log(`\n${what}: ${info.items} items, ${info.inputs} inputs, ${info.elements} elements in the form's shadow root; report ${info.status}, total ${info.total}; typing into ${field.id} (item ${field.item}, section ${field.section})`);
  console.log(`  ${s.length} keystrokes after ${WARMUP} warm-up (load average now ${load()})`);
  console.log(`  keystroke → next painted frame with the new total: ${stats(lat)}; over 16 ms: ${lat.filter((x) => x > 16).length} of ${lat.length}`);
  const msg = s.map((x) => x.tMsg - x.t0);
  console.log(`  the same to a MessageChannel message posted from the rAF callback (after tasks queued before it): ${stats(msg)}`);
  if (unchanged) console.log(`  WARNING: ${unchanged} keystrokes left the total unchanged for 2 s`);
  if (laterFrames) console.log(`  ${laterFrames} keystrokes showed the total only in a later frame than the first after the handler`);
  const part = (f) => s.map(f).filter((x) => Number.isFinite(x));
  const med = (f) => { const xs = part(f); return xs.length ? f1(median(xs)) : '–'; };
  const p95 = (f) => { const xs = part(f); return xs.length ? f1(pct(xs, 0.95)) : '–'; };
  const rows = [
    ['keydown → input event (key handling, text insertion)', (x) => x.tInput - x.t0],
    ['input handler in all (→ end of the input event)', (x) => x.tEnd - x.tInput],
    ['  engine calls (validate, score, …; JSON in and out)', (x) => x.engine],
    ['  → kpi-change: the form scored and rendered', (x) => x.tChange - x.tInput],
    ['  kpi-change → kpi-score (the app\'s change listeners: autosave)', (x) => x.tScore - x.tChange],
    ['end of handler → rAF (forced style+layout after the edit, hit test, frame wait)', (x) => x.tRaf - x.tEnd],
    ['rAF → after paint (the frame\'s remaining style, layout, paint, commit)', (x) => x.t1 - x.tRaf],
  ];
  console.log('  where the time goes (median / p95 ms):');
  for (const [label, f] of rows) console.log(`    ${label.padEnd(66)} ${med(f).padStart(6)} / ${p95(f).padStart(6)}`);
  const muts = mutations.samples.slice(2).filter((x) => x.mut);
  if (muts.length) {
    const where = {};
    for (const x of muts) for (const [w, n] of Object.entries(x.mut.where)) where[w] = (where[w] ?? 0) + n;
    console.log(`  DOM changes in the form per keystroke (MutationObserver, ${muts.length} more keystrokes, not timed; median): ${median(muts.map((x) => x.mut.nodes))} nodes added or removed, ${median(muts.map((x) => x.mut.attributes))} attribute and ${median(muts.map((x) => x.mut.text))} text changes; by place (per keystroke): ${Object.entries(where).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([w, n]) => `${w} ${Math.round(n / muts.length)}`).join(', ')}`);
  }
  if (out.noEventTiming) {
    console.log('  Event Timing API: not available');
  } else {
    // Entries of the measured keystrokes: keydown's startTime is its timeStamp.
    const starts = new Set(s.map((x) => x.t0));
    const byKey = new Map();
    for (const e of out.events) {
      if (!['keydown', 'keypress', 'input', 'beforeinput', 'keyup'].includes(e.name)) continue;
      // keydown shares t0; input/keyup of the same key start later within the same interaction.
      const key = e.interactionId || e.startTime;
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(e);
    }
    const over = [...byKey.values()].filter((es) => es.some((e) => e.name === 'keydown' && starts.has(e.startTime)) || es.some((e) => starts.has(e.startTime)));
    const durations = over.map((es) => Math.max(...es.map((e) => e.duration)));
    const inputEntries = out.events.filter((e) => e.name === 'input' && e.startTime >= s[0].t0);
    console.log(`  Event Timing (≥ 16 ms, 8 ms granularity): ${durations.length} of the ${s.length} keystrokes have a keydown entry${durations.length ? `, max ${Math.max(...durations)} ms, median of those ${median(durations)} ms` : ''}; input entries ≥ 16 ms: ${inputEntries.length}${inputEntries.length ? ` (max ${Math.max(...inputEntries.map((e) => e.duration))} ms)` : ''}`);
  }
  return lat;
}

// ------------------------------------------------------------------------------------------------
// Where the time goes on the generated form: a trace and a CPU profile of more keystrokes.

const TRACE_NAMES = ['EventDispatch', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'FireAnimationFrame', 'HitTest', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'UpdateLayer', 'CompositeLayers', 'RunMicrotasks', 'ParseHTML', 'v8.compile', 'V8.GCScavenger', 'MinorMS', 'BlinkGC.AtomicPhase'];

async function traceKeys(page, field, n, kind) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'blink', 'blink.user_timing', 'disabled-by-default-v8.gc'] });
  await typeKeys(page, field, n, 7);
  const buf = await browser.stopTracing();
  const traceFile = `${genDir}/keystroke-trace-${kind}.json`;
  writeFileSync(traceFile, buf); // open in chrome://tracing or Perfetto
  const trace = JSON.parse(buf.toString('utf8'));
  const events = trace.traceEvents ?? trace;
  // The renderer's main thread: the one named CrRendererMain with the most events.
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') names.set(`${e.pid}:${e.tid}`, 0);
  for (const e of events) { const key = `${e.pid}:${e.tid}`; if (names.has(key)) names.set(key, names.get(key) + 1); }
  const main = [...names.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Each top-level task: a key task (it dispatches keydown/keypress: the handler and what the
  // editing forces), a frame (BeginMainFrame: hit test, pre-paint, rAF, paint, commit) or other.
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const kindOf = new Map();
  let ti = 0;
  const open = [];
  const sums = { key: new Map(), frame: new Map(), other: new Map() };
  const taskTime = { key: 0, frame: 0, other: 0 };
  const interesting = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'FunctionCall', 'MinorGC', 'MajorGC', 'V8.GCScavenger', 'FireAnimationFrame']);
  // First pass: kinds of tasks.
  for (const t of tasks) {
    const end = t.ts + t.dur;
    let kind = 'other';
    for (let j = mine.indexOf(t); j < mine.length && mine[j].ts < end; j++) {
      const e = mine[j];
      if (e.name === 'EventDispatch' && ['keydown', 'keypress'].includes(e.args?.data?.type)) { kind = 'key'; break; }
      if (e.name === 'WebFrameWidgetImpl::BeginMainFrame') kind = 'frame';
    }
    kindOf.set(t, kind);
    taskTime[kind] += t.dur;
  }
  // Second pass: the events of interest inside each task (outermost of each name only).
  for (const e of mine) {
    while (ti < tasks.length && tasks[ti].ts + tasks[ti].dur <= e.ts) ti++;
    const t = tasks[ti];
    if (!t || e.ts < t.ts || !interesting.has(e.name)) continue;
    while (open.length && open[0].ts + open[0].dur <= e.ts) open.shift();
    const name = e.name === 'EventDispatch' ? `${e.name}` : e.name;
    const nested = open.some((o) => o.name === name && o.ts <= e.ts && e.ts + e.dur <= o.ts + o.dur);
    open.push(e);
    open.sort((a, b) => a.ts + a.dur - (b.ts + b.dur));
    if (nested) continue;
    const m = sums[kindOf.get(t)];
    m.set(name, (m.get(name) ?? 0) + e.dur);
  }
  // Keydown dispatch → the end of the main thread's commit of the first frame after the key's input
  // event: the frame with the update handed to the compositor (not delayed by tasks queued
  // behind it, as the in-page MessageChannel mark can be).
  const commits = mine.filter((e) => e.name === 'Commit');
  const inputs = mine.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'input');
  const toCommit = [];
  for (const kd of mine.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown')) {
    const input = inputs.find((e) => e.ts >= kd.ts && e.ts - kd.ts < 200000);
    if (!input) continue;
    const commit = commits.find((e) => e.ts >= input.ts + input.dur);
    if (commit) toCommit.push((commit.ts + commit.dur - kd.ts) / 1000);
  }
  const per = (us) => f1(us / 1000 / n);
  console.log(`\n  trace of ${n} more keystrokes (renderer main thread, ms per keystroke; load average ${load()}; the trace: ${traceFile.replace(root, '')}):`);
  if (toCommit.length) console.log(`    keydown dispatched → the next frame committed (main thread done), ${toCommit.length} keystrokes: ${stats(toCommit)}`);
  const label = { key: 'key tasks (keydown/keypress: editing, the input handler, what they force)', frame: 'frames (BeginMainFrame)', other: 'other tasks (Playwright, timers, Chromium autofill\'s FormControlDidChange after each edit)' };
  for (const kind of ['key', 'frame', 'other']) {
    const parts = [...sums[kind].entries()].sort((a, b) => b[1] - a[1]).filter(([, d]) => d / 1000 / n >= 0.05);
    console.log(`    ${label[kind]}: ${per(taskTime[kind])}${parts.length ? ` — ${parts.map(([name, d]) => `${name.replace('FunctionCall', 'JS (FunctionCall)')} ${per(d)}`).join(', ')}` : ''}`);
  }
}

async function profileKeys(page, field, n) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const out = await typeKeys(page, field, n, 11);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  // Self time per node from the samples and their time deltas.
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const cat = new Map();
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const file = url.split('/').pop();
    let c;
    if (functionName === '(idle)') c = 'idle (waiting: between keys, for frames)';
    else if (functionName === '(program)') c = 'browser native (style, layout, paint, input routing; not JS)';
    else if (functionName === '(garbage collector)') c = 'garbage collection';
    else if (url.startsWith('wasm://') || file.endsWith('.wasm') || /^\$?(func|wasm-function)/.test(functionName)) c = 'engine: wasm code';
    else if (file === 'kpi_wasm.js' && /JSON\.parse/.test(glueLines.get(lineNumber) ?? '')) c = 'engine: JSON.parse of the engine\'s results (wasm-bindgen glue)';
    else if (file === 'kpi_wasm.js') c = 'engine: other wasm-bindgen glue (strings in and out)';
    else if (file === 'index.js' && url.includes('/pkg/')) c = 'engine: index.js wrapper (JSON.stringify of the submission)';
    else if (['form-view.js', 'element.js', 'records-view.js'].includes(file)) c = 'form JS (form-view.js, element.js)';
    else if (url.includes('/www/') || ['drafts.js', 'dom.js', 'app.js'].includes(file)) c = 'app JS (drafts.js: autosave)';
    else if (url === '') c = `other: ${functionName || '(anonymous)'}`;
    else c = `other: ${file}`;
    cat.set(c, (cat.get(c) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const busy = [...cat.entries()].filter(([c]) => !c.startsWith('idle')).reduce((a, [, v]) => a + v, 0);
  console.log(`\n  CPU profile of ${n} more keystrokes on the generated form (V8 sampling profiler, 0.1 ms; self time, ms per keystroke; load average ${load()}):`);
  console.log(`    busy in all: ${f1(busy / 1000 / n)} (keystroke → frame median in this run ${f1(median(out.samples.map((x) => x.t1 - x.t0)))} ms, with the profiler on)`);
  for (const [c, us] of [...cat.entries()].sort((a, b) => b[1] - a[1])) {
    if (c.startsWith('idle') || us / 1000 / n < 0.05) continue;
    console.log(`    ${c.padEnd(70)} ${f1(us / 1000 / n).padStart(6)} (${Math.round((100 * us) / busy)}%)`);
  }
  console.log('    top functions by self time:');
  for (const [fn, us] of [...byFunction.entries()].filter(([f]) => !/^\((idle|program)\)/.test(f)).sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`      ${f1(us / 1000 / n).padStart(6)}  ${fn}`);
  }
}

// kpi_wasm.js's lines (0-based), to tell the glue's JSON.parse import from the rest.
const glueLines = new Map(readFileSync(`${root}pkg/kpi_wasm.js`, 'utf8').split('\n').map((line, i) => [i, line]));
// A profile node's lineNumber is the function's first line: look at the function's next lines too.
for (const [i, line] of [...glueLines]) if (/function/.test(line) && /JSON\.parse/.test(glueLines.get(i + 1) ?? '')) glueLines.set(i, `${line} JSON.parse`);

// ------------------------------------------------------------------------------------------------

const results = {};
for (const kind of ['subdistrict', 'generated']) {
  if (ONLY && ONLY !== kind) continue;
  const { context, page, field, info, loadMs, notice } = await openForm(kind);
  const what = kind === 'generated' ? `generated ${ITEMS}-item rule set (loaded through 加载细则文件…, ${genRules.replace(root, '')})` : 'built-in subdistrict form (examples/subdistrict-dq.json imported)';
  if (loadMs !== null) console.log(`\n${kind}: the rule-set file chosen → first painted frame of its form with the total: ${f1(loadMs)} ms (app notice: ${notice.slice(0, 80)}…)`);
  const out = await typeKeys(page, field.id, KEYS + WARMUP, 1);
  const mutations = await typeKeys(page, field.id, 22, 3, { observe: true });
  results[kind] = report(what, info, field, out, mutations);
  if (PROFILE) {
    await traceKeys(page, field.id, 100, kind);
    if (kind === 'generated') await profileKeys(page, field.id, 100);
  }
  await context.close();
}

// Cold loads, as benches/browser-form.mjs.
if (LOADS > 0) {
  const loadTimes = [];
  const domTimes = [];
  for (let i = 0; i < LOADS + 1; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/#form`);
    await page.waitForFunction(() => performance.getEntriesByName('kpi-form-ready').length > 0 && document.querySelector('kpi-assessment').shadowRoot.querySelector('[data-testid=total]').textContent !== '');
    const t = await page.evaluate(() => ({
      ready: performance.getEntriesByName('kpi-form-ready')[0].startTime,
      dom: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    }));
    if (i > 0) {
      loadTimes.push(t.ready);
      domTimes.push(t.dom);
    }
    await context.close();
  }
  console.log(`\ncold load on localhost (built-in subdistrict), navigation start → form rendered with total, ${LOADS} loads: median ${f1(median(loadTimes))} ms (min ${f1(Math.min(...loadTimes))}, max ${f1(Math.max(...loadTimes))}; DOMContentLoaded median ${f1(median(domTimes))} ms); load average ${load()}`);
}
await browser.close();
server.close();
