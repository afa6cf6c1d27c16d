// The side-by-side comparison inside Chromium (loaded by benches/browser-compare.mjs): the same
// adapters, agreement check and interleaved timing as benches/compare.mjs, with the engines a page
// can load: our package, @gorules/zen-engine-wasm, json-rules-engine (+ big.js) bundled by Vite, and
// the generated plain JS functions. Results go back to Node through window.__result.
import { Engine } from '/pkg/index.js';
import initZen, * as zenWasm from '/peers/node_modules/@gorules/zen-engine-wasm/index.js';
import { Engine as JEngine } from '/bundle/jre.js';
import { Big } from '/bundle/big.js';
import { oursAdapters, zenWasmAdapter, jreAdapter, plainAdapter } from '/peers/adapters.mjs';
import { agreement, measure } from '/peers/harness.mjs';
import { translateZenExpression } from '/peers/translate.mjs';
import { agreementInputs } from '/peers/variants.mjs';

const get = async (url) => { const r = await fetch(url); if (!r.ok) throw new Error(`${url}: ${r.status}`); return r; };

async function run() {
  const cfg = await (await get('/config.json')).json();
  const texts = await (await get('/inputs.json')).json();
  const rules = await (await get('/rules.json')).json();
  const gen = (k) => `/peers/generated/${cfg.names[k]}`;
  const expression = (await (await get(gen('zenExpression'))).text()).trim();
  await initZen();
  const adapters = [...oursAdapters(new Engine(rules.id))];
  const unavailable = adapters.filter((a) => a.unavailable).map((a) => `${a.name}: ${a.unavailable}`);
  const ok = adapters.filter((a) => !a.unavailable);
  ok.push(zenWasmAdapter({ name: '@gorules/zen-engine-wasm 0.23.1: one expression', zenWasm, expression, inputs: rules.inputs, scale: cfg.scale }));
  ok.push(zenWasmAdapter({
    name: '@gorules/zen-engine-wasm 0.23.1: the same, total returned as a number', zenWasm, timed: false,
    expression: translateZenExpression(rules, { totalAs: 'number' }), inputs: rules.inputs, scale: cfg.scale,
  }));
  for (const mode of ['number', 'big']) {
    const def = await (await get(gen(mode === 'big' ? 'jreBig' : 'jreNumber'))).json();
    const glue = await import(gen(mode === 'big' ? 'jreBigGlue' : 'jreNumberGlue'));
    ok.push(jreAdapter({
      name: `json-rules-engine 7.3.1 + JS glue, ${mode === 'big' ? 'big.js 7.0.1' : 'plain numbers'}`,
      JEngine, Big, def, makeGlue: glue.default, mode,
    }));
  }
  for (const [k, name] of [['plain', 'plain JS (numbers, exact rounding on integer hundredths)'], ['plainNaive', 'plain JS (numbers, Math.round(x * 100) / 100)'], ['plainBig', 'plain JS (big.js)']]) {
    const mod = await import(gen(k));
    ok.push(plainAdapter({ name, make: mod.default, Big }));
  }
  const reference = ok.find((a) => a.name.startsWith('ours: score('));
  // As benches/compare.mjs: inputs our engine refuses are left out for every engine, and counted.
  const accepted = (t) => { try { reference.call(t); return true; } catch { return false; } };
  const valid = texts.filter(accepted);
  const dropped = texts.length - valid.length;
  if (dropped) { console.log(`${dropped} of ${texts.length} inputs are refused by our engine (invalid values): left out`); texts.length = 0; texts.push(...valid); }
  console.log(`agreement check over ${texts.length} inputs …`);
  const agree = await agreement(ok, texts, reference);
  const casesRes = await fetch(`/peers/cases/${rules.id}.json`);
  const cases = casesRes.ok ? await casesRes.json() : [];
  // The known cases are written for one version of the rule set; those our engine refuses (another
  // version, inputs it no longer has) are left out, and counted.
  const mildAll = agreementInputs(rules, cfg.n ?? texts.length, 7, cases);
  const mild = mildAll.filter(accepted);
  const mildDropped = mildAll.length - mild.length;
  if (mildDropped) console.log(`${mildDropped} of ${mildAll.length} milder inputs and cases are refused by our engine (written for another version of the rule set): left out`);
  console.log(`agreement check over ${mild.length} milder inputs and the rule set's tests …`);
  const agree2 = await agreement(ok, mild, reference);
  console.log(`timing: ${cfg.rounds} rounds, batches of ${cfg.batch} …`);
  const samples = await measure(ok, texts, {
    rounds: cfg.rounds, batchSize: cfg.batch, warm: 200, perCall: false, now: () => performance.now(),
    onRound: (r, n) => console.log(`  round ${r}/${n} done`),
  });
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    unavailable,
    adapters: ok.map((a) => ({ name: a.name, group: a.group, timed: a.timed, check: a.check, note: a.note, batch: a.batch })),
    samples: [...samples.entries()],
    agree: [...agree.entries()],
    agree2: [...agree2.entries()],
    mildCount: mild.length,
    dropped,
    mildDropped,
  };
}

run().then((r) => { window.__result = r; }, (e) => { window.__error = String(e?.stack ?? e); });
