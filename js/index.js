// kpi-wasm: the ESM entry of the package. Loads the WebAssembly module once, then exports the
// engine. Works with a plain <script type="module"> (the .wasm is fetched next to this file), in
// Node >= 18 (the .wasm is read from disk) and in bundlers that understand `new URL(…, import.meta.url)`.
//
// The built-in example rule sets live in builtins.js, not in the .wasm (integrators who load their
// own rules do not download them twice); this file resolves a built-in id to its JSON text before
// the engine sees it. Nothing else happens here: every number comes from the engine.
//
// No argument reaches the module unchecked. A JS exception that unwinds through Rust frames (a
// throwing getter, a revoked Proxy, `toJSON` throwing, a list too long to read) leaves the module's
// borrow flags set and, repeated, kills it. So every argument is read and converted here, inside
// try/catch, into what the module can take without calling back into JS: a string, or a fresh plain
// array of strings. What cannot be converted is a thrown Error with `code: "js.argument"`, `path`
// and `problems`, like every error of the engine; a freed engine throws `code: "js.freed"`.
//
// Two modules: kpi_wasm_bg.wasm scores (score, scoreJson, validate, form, ruleSet, scoreBatch,
// scoreBatchJson) and is loaded here; kpi_wasm_tools_bg.wasm holds what only editing, comparing
// and exporting need (diff, diffCsv, ruleChanges, runTests, probe, criteria, batchCsv,
// diffSummaryText) and is loaded by `loadTools()`. It has its own memory: an engine's first tools
// call loads the same rule set there once more. In Node the tools module is loaded on the first such
// call, synchronously; in a browser (which cannot compile it synchronously) `await loadTools()`
// first, or the call throws `code: "js.tools"`.
import init, { Engine as WasmEngine, maxDocumentBytes } from './kpi_wasm.js';
import { BUILTINS } from './builtins.js';

const wasmUrl = new URL('./kpi_wasm_bg.wasm', import.meta.url);
const toolsUrl = new URL('./kpi_wasm_tools_bg.wasm', import.meta.url);
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
const nodeFiles = isNode && wasmUrl.protocol === 'file:';

if (nodeFiles) {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

// The tools module's bindings once instantiated, else null. In Node its glue (a small JS file) is
// imported now and the module compiled synchronously on the first tools call.
let tools = null;
let toolsLoading = null;
const nodeTools = nodeFiles
  ? { glue: await import('./kpi_wasm_tools.js'), readFileSync: (await import('node:fs')).readFileSync }
  : null;

/**
 * Loads the tools module (diff, diffCsv, ruleChanges, runTests, probe, criteria, batchCsv,
 * diffSummaryText) if it is not loaded yet; resolves when those methods can be called. Calling it
 * again returns the same promise (in a browser; in Node it loads synchronously and returns a
 * resolved one). Not needed in Node, where the first such call loads it.
 */
export function loadTools() {
  if (nodeTools) {
    // In Node synchronously, as a tools call would: an asynchronous instantiation still running when
    // a tools method instantiated the module synchronously would replace that instance.
    try {
      toolsModule('loadTools');
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
  toolsLoading ??= (async () => {
    if (tools) return;
    const glue = await import('./kpi_wasm_tools.js');
    await glue.default({ module_or_path: toolsUrl });
    tools = glue;
  })();
  // A failed load (network, a missing file) may be tried again.
  toolsLoading.catch(() => { toolsLoading = null; });
  return toolsLoading;
}

/** The tools module's bindings: loaded now in Node, else those loadTools() loaded, else a coded error. */
function toolsModule(method) {
  if (tools) return tools;
  if (nodeTools) {
    nodeTools.glue.initSync({ module: nodeTools.readFileSync(toolsUrl) });
    tools = nodeTools.glue;
    return tools;
  }
  throw codedError('js.tools', `${method} 需要先载入工具模块：请先调用并等待 loadTools()`);
}

/** The largest rule-set or submission document the engine reads, in bytes. */
export const MAX_DOCUMENT_BYTES = maxDocumentBytes();

/**
 * The longest list of submissions read here (the engine's batch limit, `limit.batch`); a longer
 * list is refused from its length alone, without reading an element.
 */
export const MAX_BATCH = 100_000;

/**
 * The most text (UTF-16 code units, all submissions together) one list call hands the module: the
 * module's memory must hold all of it at once, parsed, and a wasm memory cannot grow without bound.
 */
export const MAX_BATCH_CHARS = 64 * 1024 * 1024;

// An object argument is serialized with JSON.stringify; one with more values than this, or an
// array longer than this, cannot be a document within MAX_DOCUMENT_BYTES ("0," is two bytes).
const MAX_JSON_VALUES = Math.floor(MAX_DOCUMENT_BYTES / 2);
const MAX_JSON_ARRAY = 100_000;

/** An Error like the engine's: `code`, `path`, `problems` (one), and what else is given. */
function codedError(code, message, { path = '', index, cause } = {}) {
  const err = cause === undefined ? new Error(message) : new Error(message, { cause });
  err.code = code;
  err.path = path;
  err.problems = [{ code, path, message }];
  if (index !== undefined) err.index = index;
  return err;
}

function argumentError(message, options) {
  return codedError('js.argument', message, options);
}

/** What kind of JS value this is, in words, without calling anything on it. */
function kindOf(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return '字符串';
    case 'number': return `数值 ${Number.isNaN(value) ? 'NaN' : String(value)}`;
    case 'boolean': return `布尔值 ${value}`;
    case 'bigint': return 'BigInt';
    case 'symbol': return 'Symbol';
    case 'function': return '函数';
    default: return '对象';
  }
}

/** The message of a caught exception, without trusting it (it may be a hostile object). */
function messageOf(caught) {
  try {
    if (caught instanceof Error && typeof caught.message === 'string') return caught.message.slice(0, 200);
  } catch {
    // A Proxy or a throwing getter: no message.
  }
  return '读取时出错';
}

function tooLarge(length, what) {
  const limit = MAX_DOCUMENT_BYTES;
  return codedError('json.too_large', `${what}过大（至少 ${length} 字节），上限为 ${limit} 字节`);
}

/**
 * JSON text of a document argument: a string as it is (the engine reads it), anything else through
 * JSON.stringify, guarded: getters, Proxies and `toJSON` that throw, cycles, BigInt, and documents
 * far beyond the size limit become coded errors. Never calls back into JS after this returns.
 */
function jsonText(value, what, options = {}) {
  if (typeof value === 'string') {
    // Each UTF-16 code unit is at least one UTF-8 byte: longer text is over the limit for sure.
    if (value.length > MAX_DOCUMENT_BYTES) throw tooLarge(value.length, what);
    return value;
  }
  const type = typeof value;
  if (value === undefined || type === 'bigint' || type === 'symbol' || type === 'function') {
    throw argumentError(`${what}应为 JSON 文本或可序列化为 JSON 的对象，实为${kindOf(value)}`, options);
  }
  let values = 0;
  let text;
  try {
    text = JSON.stringify(value, function (_key, v) {
      values += 1;
      if (values > MAX_JSON_VALUES) throw new RangeError('too many values');
      if (v !== null && typeof v === 'object' && Array.isArray(v) && v.length > MAX_JSON_ARRAY) throw new RangeError('array too long');
      return v;
    });
  } catch (caught) {
    if (values > MAX_JSON_VALUES) throw tooLarge(MAX_DOCUMENT_BYTES + 1, what);
    throw argumentError(`${what}无法序列化为 JSON：${messageOf(caught)}`, { ...options, cause: caught });
  }
  if (typeof text !== 'string') {
    throw argumentError(`${what}应为 JSON 文本或可序列化为 JSON 的对象，实为${kindOf(value)}`, options);
  }
  if (text.length > MAX_DOCUMENT_BYTES) throw tooLarge(text.length, what);
  return text;
}

/** Rule-set JSON for a built-in id (`"subdistrict"`), else the JSON text of the argument. */
function rulesText(rules, what = '考核细则') {
  if (typeof rules === 'string') {
    const id = rules.length <= 100 ? rules.trim() : '';
    if (Object.hasOwn(BUILTINS, id)) return BUILTINS[id].source;
  }
  return jsonText(rules, what);
}

/**
 * A list of submissions as the module may take it: the JSON text of an array (as is), or a fresh
 * plain array whose elements are JSON texts. `perEntry`: an element that cannot be converted becomes
 * `undefined` (the module gives that entry its own `js.argument` error, as scoreBatch documents);
 * otherwise it is thrown here, with its `index`.
 */
function listArg(list, { perEntry }) {
  const what = '考核表列表';
  if (typeof list === 'string') {
    if (list.length > MAX_BATCH_CHARS) throw codedError('limit.batch', `${what}的 JSON 文本过大（${list.length} 个字符），一次最多 ${MAX_BATCH_CHARS} 个字符，请分批评分`);
    return list;
  }
  let isArray = false;
  let length = 0;
  try {
    isArray = Array.isArray(list);
    if (isArray) length = list.length;
  } catch (caught) {
    throw argumentError(`${what}无法读取：${messageOf(caught)}`, { cause: caught });
  }
  if (!isArray) throw argumentError(`${what}应为数组或数组的 JSON 文本，实为${kindOf(list)}`);
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw argumentError(`${what}的长度无效`);
  }
  if (length > MAX_BATCH) {
    throw codedError('limit.batch', `一次最多评分${MAX_BATCH}份考核表，本次有${length}份，请分批评分`);
  }
  const copy = new Array(length);
  let chars = 0;
  for (let i = 0; i < length; i += 1) {
    let text;
    try {
      let element;
      try {
        element = list[i];
      } catch (caught) {
        throw argumentError(`第${i + 1}份考核表无法读取：${messageOf(caught)}`, { path: `/${i}`, index: i, cause: caught });
      }
      // A text is handed over as it is (the module refuses one over the size limit with its own
      // json.too_large); an object is serialized here.
      text = typeof element === 'string' ? element : jsonText(element, `第${i + 1}份考核表`, { path: `/${i}`, index: i });
    } catch (err) {
      if (!perEntry) throw err;
      // The module gives this entry its own js.argument error, in place.
      text = undefined;
    }
    if (typeof text === 'string') {
      chars += text.length;
      if (chars > MAX_BATCH_CHARS) {
        throw codedError('limit.batch', `${what}过大：前${i + 1}份考核表已超过 ${MAX_BATCH_CHARS} 个字符，请分批评分`, { index: i });
      }
    }
    copy[i] = text;
  }
  return copy;
}

const FREED_MESSAGE = '评分引擎已释放（free），不能再使用';

/** A scoring engine for one rule set: rule-set JSON text or object, or a built-in id. */
export class Engine extends WasmEngine {
  #freed = false;
  /** The rule set's JSON text, for the tools module's engine. */
  #rules;
  /** The same rule set loaded in the tools module, made on the first tools call. */
  #tools = null;

  constructor(rules) {
    const text = rulesText(rules);
    super(text);
    this.#rules = text;
  }

  /** This engine's rule set in the tools module (loaded there on first use). */
  #toolsEngine(method) {
    const module = toolsModule(method);
    this.#tools ??= new module.Engine(this.#rules);
    return this.#tools;
  }

  /** Throws unless `self` is a live Engine made by this constructor. */
  static #live(self) {
    if (self === null || (typeof self !== 'object' && typeof self !== 'function') || !(#freed in self)) {
      throw argumentError('this 不是评分引擎（Engine）实例');
    }
    if (self.#freed) throw codedError('js.freed', FREED_MESSAGE);
  }

  score(submission) {
    Engine.#live(this);
    return super.score(jsonText(submission, '考核表'));
  }

  scoreJson(submission) {
    Engine.#live(this);
    if (typeof submission !== 'string') throw argumentError(`scoreJson 的考核表应为 JSON 文本（字符串），实为${kindOf(submission)}`);
    return super.scoreJson(jsonText(submission, '考核表'));
  }

  validate(submission) {
    Engine.#live(this);
    let text;
    try {
      text = jsonText(submission, '考核表');
    } catch (err) {
      return err.problems.map((p) => ({ ...p }));
    }
    return super.validate(text);
  }

  form() {
    Engine.#live(this);
    return super.form();
  }

  ruleSet() {
    Engine.#live(this);
    return super.ruleSet();
  }

  scoreBatch(submissions) {
    Engine.#live(this);
    return super.scoreBatch(listArg(submissions, { perEntry: true }));
  }

  scoreBatchJson(submissions) {
    Engine.#live(this);
    return super.scoreBatchJson(listArg(submissions, { perEntry: true }));
  }

  batchCsv(submissions) {
    Engine.#live(this);
    const list = listArg(submissions, { perEntry: false });
    return this.#toolsEngine('batchCsv').batchCsv(list);
  }

  diff(newRules, submissions) {
    Engine.#live(this);
    const rules = rulesText(newRules, '新考核细则');
    const list = listArg(submissions, { perEntry: false });
    return this.#toolsEngine('diff').diff(rules, list);
  }

  diffCsv(newRules, submissions) {
    Engine.#live(this);
    const rules = rulesText(newRules, '新考核细则');
    const list = listArg(submissions, { perEntry: false });
    return this.#toolsEngine('diffCsv').diffCsv(rules, list);
  }

  ruleChanges(newRules) {
    Engine.#live(this);
    const rules = rulesText(newRules, '新考核细则');
    return this.#toolsEngine('ruleChanges').ruleChanges(rules);
  }

  /** Runs the rule set's embedded test cases: `{passed, failed, cases: [{name, source, passed, failures, differences}]}`. */
  runTests() {
    Engine.#live(this);
    return this.#toolsEngine('runTests').runTests();
  }

  /** The threshold probe (`kpi diff --probe`) from this rule set to `newRules`, on the submissions (a neutral one when empty). */
  probe(newRules, submissions = []) {
    Engine.#live(this);
    const rules = rulesText(newRules, '新考核细则');
    const list = listArg(submissions, { perEntry: false });
    return this.#toolsEngine('probe').probe(rules, list);
  }

  /** The rules in words (the published 评分标准): `{general, items, adjustments, bonus, vetoes, grades, quotas}`. */
  criteria() {
    Engine.#live(this);
    return this.#toolsEngine('criteria').criteria();
  }

  /** A live form starting from `submission`: `set(inputId, value)` scores again only what the value reaches. */
  live(submission) {
    Engine.#live(this);
    return LiveForm.of(super.live(jsonText(submission, '考核表')));
  }

  /** Releases the engine's memory in the module. Freeing twice does nothing; any other call throws `js.freed`. */
  free() {
    if (this === null || typeof this !== 'object' || !(#freed in this)) throw argumentError('this 不是评分引擎（Engine）实例');
    if (this.#freed) return;
    this.#freed = true;
    this.#tools?.free();
    this.#tools = null;
    super.free();
  }
}

/**
 * JSON text of one input's value for `LiveForm#set`: a string is the value itself (a decimal as
 * text, `"97.5"`, a choice, a date), numbers, booleans and null as JSON, a record list's rows
 * through the same guarded serialization as documents.
 */
function valueText(value) {
  switch (typeof value) {
    case 'string':
      if (value.length > MAX_DOCUMENT_BYTES) throw tooLarge(value.length, '输入项的值');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw argumentError(`输入项的值应为有限数值（小数请写成字符串，如 "97.5"），实为${kindOf(value)}`);
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'null' : jsonText(value, '输入项的值');
    default:
      throw argumentError(`输入项的值应为字符串、数值、布尔值、null 或记录数组，实为${kindOf(value)}`);
  }
}

const LIVE_TOKEN = Symbol('LiveForm');

/** A submission being filled in (`engine.live(submission)`); methods throw KpiError like the engine's. */
export class LiveForm {
  #form;
  #freed = false;

  constructor(token, form) {
    if (token !== LIVE_TOKEN) throw argumentError('LiveForm 由 engine.live(submission) 创建');
    this.#form = form;
  }

  /** @internal */
  static of(form) {
    return new LiveForm(LIVE_TOKEN, form);
  }

  /** Throws unless `self` is a live LiveForm made by `engine.live`. */
  static #check(self) {
    if (self === null || typeof self !== 'object' || !(#freed in self)) {
      throw argumentError('this 不是实时考核表（LiveForm）实例');
    }
    if (self.#freed) throw codedError('js.freed', FREED_MESSAGE);
  }

  /** Sets one input; returns the change: the figures now and the parts of the report that changed (LiveChange in index.d.ts). */
  set(inputId, value) {
    LiveForm.#check(this);
    if (typeof inputId !== 'string') throw argumentError(`输入项 id 应为字符串，实为${kindOf(inputId)}`);
    if (inputId.length > MAX_DOCUMENT_BYTES) throw tooLarge(inputId.length, '输入项 id');
    return this.#form.set(inputId, valueText(value));
  }

  /** The full report of the form as it is now, as `engine.score` gives it. */
  report() {
    LiveForm.#check(this);
    return this.#form.report();
  }

  /** Releases the form's memory in the module. Freeing twice does nothing. */
  free() {
    if (this === null || typeof this !== 'object' || !(#freed in this)) throw argumentError('this 不是实时考核表（LiveForm）实例');
    if (this.#freed) return;
    this.#freed = true;
    this.#form.free();
  }
}

/** A diff's summary (`diff.summary`) in one sentence, worded by the engine (the tools module). The
 * module reads the summary's fields with `Reflect.get` (a throwing getter becomes a missing field,
 * never an unwinding exception), so it needs no guard here. */
export function diffSummaryText(summary) {
  return toolsModule('diffSummaryText').diffSummaryText(summary);
}

/** The built-in rule sets: `[{id, version, title, period, unit_kind, description}]`. */
export function builtInRuleSets() {
  return Object.values(BUILTINS).map((b) => ({ ...b.info }));
}

/** The JSON text of a built-in rule set, or undefined (also for anything that is not a string). */
export function builtInRuleSetSource(id) {
  return typeof id === 'string' && Object.hasOwn(BUILTINS, id) ? BUILTINS[id].source : undefined;
}
