// <kpi-assessment>: the assessment form as a drop-in custom element for OA pages.
//
//   <script type="module" src="/node_modules/kpi-wasm/element.js"></script>
//   <kpi-assessment rules="subdistrict"></kpi-assessment>
//
// Renders the form of a rule set (a built-in id, a URL of a rule-set JSON, or set the `rules`
// property to JSON text or an object) in its own shadow root, scores on every input through the
// engine, and fires `change` (a user's edit) and `score` (every recomputation) events whose
// `detail` carries the report. Works under `script-src 'self' 'wasm-unsafe-eval'`: no inline
// script or style; the styles are element.css next to this file.
import { Engine, builtInRuleSets } from './index.js';
import { FormView, MAX_DOCUMENT_BYTES, parseJsonExact, h } from './form-view.js';

export { MAX_DOCUMENT_BYTES, parseJsonExact };

const STYLE_URL = new URL('./element.css', import.meta.url).href;
/** The engine's document limit in MiB, for messages. */
const MAX_MIB = MAX_DOCUMENT_BYTES / (1024 * 1024);

/** An Error carrying the engine's problems (`code`, `path`, `message` each). */
function problemError(message, problems) {
  const err = new Error(message);
  err.problems = problems;
  err.code = problems[0]?.code ?? 'error';
  err.path = problems[0]?.path ?? '';
  return err;
}

/** Parses submission JSON text (numbers keep their literal text), or throws a problem error. */
export function parseSubmissionText(text) {
  try {
    return parseJsonExact(text);
  } catch (err) {
    throw problemError(`不是有效的 JSON：${err.message}`, [{ code: 'json.syntax', path: '', message: `不是有效的 JSON：${err.message}` }]);
  }
}

function makeEngine(rules) {
  if (rules instanceof Engine) return rules;
  if (typeof rules === 'string' && rules.length > MAX_DOCUMENT_BYTES) {
    throw problemError(`考核细则文件超过 ${MAX_MIB} MiB 上限`, [{ code: 'json.too_large', path: '', message: `考核细则文件超过 ${MAX_MIB} MiB 上限` }]);
  }
  return new Engine(rules);
}

function isUrlLike(value) {
  const text = value.trim();
  return !text.startsWith('{') && !builtInRuleSets().some((r) => r.id === text) && /[/.]/.test(text);
}

export class KpiAssessment extends HTMLElement {
  static observedAttributes = ['rules', 'values', 'unit-id', 'unit-name', 'readonly'];

  #view;
  #ownsEngine = false;
  #ready = Promise.resolve();
  #message;
  #loadedRules = null;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    const link = h('link', { rel: 'stylesheet', href: STYLE_URL });
    this.#message = h('div', { className: 'kpi-message', role: 'alert', hidden: true, testid: 'element-message' });
    shadow.append(link, this.#message);
    this.#view = new FormView(shadow, {
      onUpdate: ({ report, problems, submission, cause, error }) => {
        const detail = { report, problems, submission, error: error ?? null, cause };
        if (cause === 'input') this.dispatchEvent(new CustomEvent('change', { detail, bubbles: true }));
        this.dispatchEvent(new CustomEvent('score', { detail, bubbles: true }));
      },
    });
  }

  connectedCallback() {
    if (!this.#view.engine && this.hasAttribute('rules') && this.#loadedRules === null) {
      this.attributeChangedCallback('rules', null, this.getAttribute('rules'));
    }
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'rules') {
      if (value === null || value === this.#loadedRules) return;
      this.#loadedRules = value;
      this.#ready = this.#loadFromAttribute(value);
    } else if (name === 'readonly') {
      this.#view.setReadonly(value !== null);
    } else if ((name === 'values' || name === 'unit-id' || name === 'unit-name') && value !== null && this.#view.engine) {
      // Without a form yet, these are applied when the rules have loaded (#applyValueAttributes).
      this.#guard(() => this.#applyValueAttributes([name]), '考核表数据无法载入');
    }
  }

  #applyValueAttributes(names = ['values', 'unit-id', 'unit-name']) {
    const doc = this.#view.submission();
    for (const name of names) {
      const value = this.getAttribute(name);
      if (value === null) continue;
      if (name === 'values') doc.values = parseSubmissionText(value);
      else doc.unit = { ...doc.unit, [name === 'unit-id' ? 'id' : 'name']: value };
    }
    this.submission = doc;
  }

  async #loadFromAttribute(value) {
    await this.#guard(async () => {
      if (isUrlLike(value)) {
        const response = await fetch(new URL(value, document.baseURI));
        if (!response.ok) throw problemError(`无法读取考核细则 ${value}：HTTP ${response.status}`, []);
        const length = parseInt(response.headers.get('content-length') ?? '0', 10);
        if (length > MAX_DOCUMENT_BYTES) throw problemError(`考核细则文件超过 ${MAX_MIB} MiB 上限，未读取`, []);
        this.setRules(await response.text());
      } else {
        this.setRules(value);
      }
      if (['values', 'unit-id', 'unit-name'].some((a) => this.hasAttribute(a))) this.#applyValueAttributes();
    });
  }

  async #guard(fn, what = '考核细则无法加载') {
    try {
      await fn();
    } catch (err) {
      this.#showMessage(err, what);
      this.dispatchEvent(new CustomEvent('error', { detail: { error: err, problems: err.problems ?? [] } }));
    }
  }

  #showMessage(err, what = '考核细则无法加载') {
    const problems = err?.problems ?? [];
    const list = problems.length > 0 ? h('ul', {}, problems.map((p) => h('li', {}, p.path ? `${p.path}：${p.message}` : p.message))) : null;
    this.#message.replaceChildren(h('p', {}, err ? `${what}：${problems.length > 0 ? `共${problems.length}个问题` : err.message}` : ''), list ?? '');
    this.#message.hidden = !err;
  }

  /**
   * Loads a rule set (built-in id, JSON text, object, or an Engine) and renders its empty form.
   * Throws (keeping the current form) when it does not load. `state` is for internal restores.
   */
  setRules(rules, submission) {
    const engine = makeEngine(rules);
    if (submission) {
      const problems = this.#view.importProblems(submission, engine);
      if (problems.length > 0) {
        if (engine !== rules) engine.free();
        throw problemError(`考核表无法载入：${problems[0].message}`, problems);
      }
    }
    const previous = this.#view.engine;
    const ownedPrevious = this.#ownsEngine;
    this.#ownsEngine = engine !== rules;
    this.#showMessage(null);
    this.#view.setEngine(engine);
    if (submission) this.#view.load(submission);
    if (previous && ownedPrevious && previous !== engine) previous.free();
  }

  /** Resolves when the rules (and values) given by attributes are loaded. */
  get ready() {
    return this.#ready;
  }

  /** The loaded rule set's identity, or null. Set it to a built-in id, JSON text or an object. */
  get rules() {
    return this.#view.engine ? this.#view.engine.ruleSet() : null;
  }

  set rules(value) {
    this.#loadedRules = typeof value === 'string' ? value : null;
    this.setRules(value);
  }

  /** The engine in use (do not free it). */
  get engine() {
    return this.#view.engine;
  }

  /** The form description (`engine.form()`) being shown. */
  get form() {
    return this.#view.form;
  }

  /** The last report (null when none could be computed). */
  get report() {
    return this.#view.report;
  }

  /** The engine's problems with the current values (empty required fields included). */
  get problems() {
    return this.#view.problems;
  }

  /** The submission being edited (`kpi-submission/1`). Setting it loads one, or throws. */
  get submission() {
    return this.#requireForm().submission();
  }

  set submission(value) {
    const doc = typeof value === 'string' ? parseSubmissionText(value) : value;
    const problems = this.#requireForm().importProblems(doc);
    if (problems.length > 0) throw problemError(`考核表无法载入：${problems[0].message}`, problems);
    this.#view.load(doc);
  }

  /** Problems that keep `submission` from loading into this form (or into `rules`' form). */
  checkSubmission(submission, rules) {
    const doc = typeof submission === 'string' ? parseSubmissionText(submission) : submission;
    if (rules === undefined) return this.#requireForm().importProblems(doc);
    const engine = makeEngine(rules);
    try {
      return this.#view.importProblems(doc, engine);
    } finally {
      if (engine !== rules) engine.free();
    }
  }

  /** Field values by input id (empty fields absent). Setting replaces them all. */
  get values() {
    return this.submission.values;
  }

  set values(values) {
    this.#requireForm();
    this.submission = { ...this.submission, values: values ?? {} };
  }

  get notes() {
    return this.submission.notes;
  }

  set notes(notes) {
    this.#requireForm();
    this.submission = { ...this.submission, notes: notes ?? {} };
  }

  get unit() {
    return this.submission.unit;
  }

  set unit(unit) {
    this.#requireForm();
    this.submission = { ...this.submission, unit: { id: '', name: '', ...unit } };
  }

  /** Empties every field, note and the unit. */
  clear() {
    this.#requireForm().clear();
  }

  #requireForm() {
    if (!this.#view.engine) throw problemError('尚未加载考核细则', [{ code: 'rules.missing', path: '', message: '尚未加载考核细则' }]);
    return this.#view;
  }
}

if (!customElements.get('kpi-assessment')) customElements.define('kpi-assessment', KpiAssessment);
