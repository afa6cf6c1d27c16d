// kpi-wasm: the ESM entry of the package. Loads the WebAssembly module once, then exports the
// engine. Works with a plain <script type="module"> (the .wasm is fetched next to this file), in
// Node >= 18 (the .wasm is read from disk) and in bundlers that understand `new URL(…, import.meta.url)`.
import init, { Engine, builtInRuleSets, builtInRuleSetSource } from './kpi_wasm.js';

const wasmUrl = new URL('./kpi_wasm_bg.wasm', import.meta.url);
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

if (isNode && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export { Engine, builtInRuleSets, builtInRuleSetSource };
