// One engine's cold start in a fresh page (benches/browser-compare.mjs opens cold.html?engine=KEY in a
// new browser context each time, so nothing is cached): import + instantiate, rules load, first call.
const key = new URLSearchParams(location.search).get('engine');
const get = async (url) => { const r = await fetch(url); if (!r.ok) throw new Error(`${url}: ${r.status}`); return r; };

async function run() {
  const cfg = await (await get('/config.json')).json();
  const [text] = await (await get('/inputs1.json')).json();
  const rulesText = await (await get('/rules.json')).text();
  const rules = JSON.parse(rulesText);
  const gen = (k) => `/peers/generated/${cfg.names[k]}`;
  const A = await import('/peers/adapters.mjs');
  let load, setup;
  switch (key) {
    case 'ours': case 'ours-json':
      load = async () => import('/pkg/index.js');
      setup = async (m) => A.oursAdapters(new m.Engine(key === 'ours' ? rules.id : rulesText))[0];
      break;
    case 'zen-wasm': {
      const expression = (await (await get(gen('zenExpression'))).text()).trim();
      load = async () => { const m = await import('/peers/node_modules/@gorules/zen-engine-wasm/index.js'); await m.default(); return m; };
      setup = async (m) => A.zenWasmAdapter({ name: key, zenWasm: m, expression, inputs: rules.inputs, scale: cfg.scale });
      break;
    }
    case 'jre-number': case 'jre-big': {
      const big = key === 'jre-big';
      const defText = await (await get(gen(big ? 'jreBig' : 'jreNumber'))).text();
      load = async () => ({ JEngine: (await import('/bundle/jre.js')).Engine, Big: big ? (await import('/bundle/big.js')).Big : null });
      setup = async (m) => {
        const glue = await import(gen(big ? 'jreBigGlue' : 'jreNumberGlue'));
        return A.jreAdapter({ name: key, JEngine: m.JEngine, Big: m.Big, def: JSON.parse(defText), makeGlue: glue.default, mode: big ? 'big' : 'number' });
      };
      break;
    }
    case 'plain': case 'plainBig':
      load = async () => ({ Big: key === 'plainBig' ? (await import('/bundle/big.js')).Big : null });
      setup = async (m) => A.plainAdapter({ name: key, make: (await import(gen(key))).default, Big: m.Big });
      break;
    default: throw new Error(`unknown engine ${key}`);
  }
  const t0 = performance.now();
  const m = await load();
  const t1 = performance.now();
  const a = await setup(m);
  const t2 = performance.now();
  const r = a.async ? await a.call(text) : a.call(text);
  const t3 = performance.now();
  if (!a.pick(r).total) throw new Error('no total');
  return { key, load: t1 - t0, rules: t2 - t1, first: t3 - t2, sinceNavigation: t3 };
}

run().then((r) => { window.__result = r; }, (e) => { window.__error = String(e?.stack ?? e); });
