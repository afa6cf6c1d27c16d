// kpi-wasm: the ESM entry of the package. Loads the WebAssembly module once, then exports the
// engine. Works with a plain <script type="module"> (the .wasm is fetched next to this file), in
// Node >= 18 (the .wasm is read from disk) and in bundlers that understand `new URL(…, import.meta.url)`.
//
// The built-in example rule sets live in builtins.js, not in the .wasm (integrators who load their
// own rules do not download them twice); this file resolves a built-in id to its JSON text before
// the engine sees it. Nothing else happens here: every number comes from the engine.
import init, { Engine as WasmEngine, maxDocumentBytes, diffSummaryText } from './kpi_wasm.js';
import { BUILTINS } from './builtins.js';

const wasmUrl = new URL('./kpi_wasm_bg.wasm', import.meta.url);
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

if (isNode && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

/** Rule-set JSON for a built-in id (`"subdistrict"`), anything else as given. */
function rulesOf(rules) {
  if (typeof rules === 'string') {
    const builtin = Object.hasOwn(BUILTINS, rules.trim()) ? BUILTINS[rules.trim()] : undefined;
    if (builtin) return builtin.source;
  }
  return rules;
}

/** A scoring engine for one rule set: rule-set JSON text or object, or a built-in id. */
export class Engine extends WasmEngine {
  constructor(rules) {
    super(rulesOf(rules));
  }

  diff(newRules, submissions) {
    return super.diff(rulesOf(newRules), submissions);
  }

  ruleChanges(newRules) {
    return super.ruleChanges(rulesOf(newRules));
  }

  diffCsv(newRules, submissions) {
    return super.diffCsv(rulesOf(newRules), submissions);
  }
}

/** A diff's summary (`diff.summary`) in one sentence, worded by the engine. */
export { diffSummaryText };

/** The largest rule-set or submission document the engine reads, in bytes. */
export const MAX_DOCUMENT_BYTES = maxDocumentBytes();

/** The built-in rule sets: `[{id, version, title, period, unit_kind, description}]`. */
export function builtInRuleSets() {
  return Object.values(BUILTINS).map((b) => ({ ...b.info }));
}

/** The JSON text of a built-in rule set, or undefined. */
export function builtInRuleSetSource(id) {
  return Object.hasOwn(BUILTINS, id) ? BUILTINS[id].source : undefined;
}
