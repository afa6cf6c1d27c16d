// <kpi-assessment>: the assessment form as a drop-in custom element for OA pages.
//
//   <script type="module" src="/node_modules/kpi-wasm/element.js"></script>
//   <kpi-assessment rules="subdistrict" name="assessment"></kpi-assessment>
//
// Renders the form of a rule set (a built-in id, a URL of a rule-set JSON, or set the `rules`
// property to JSON text or an object) in its own shadow root, scores on every input through the
// engine, and fires `kpi-change` (a user's edit), `kpi-score` (every recomputation) and `kpi-error`
// (rules or values that do not load) events whose `detail` carries the report; the older names
// `change`, `score` and `error` are fired too, on the element only (they do not bubble, so a host
// page's own `change` handlers never see them). Works under `script-src 'self' 'wasm-unsafe-eval'`:
// no inline script or style; the styles are element.css next to this file.
//
// For OA pages: properties set before the element is defined (this module defines it once the
// wasm has loaded) are taken over when it upgrades; `values` (property or attribute) may be given as
// the strings OA systems store ("true", "12", "3.5"), converted here by each field's type before the
// engine sees them (decimals stay strings; a `submission` document is read as its format says); inside a <form> it is a form-associated element: with a `name` it
// submits the submission's JSON, and its problems (empty required fields, wrong values) block the
// submit like a native field's.
import { Engine, builtInRuleSets } from './index.js';
import { FormView, MAX_DOCUMENT_BYTES, parseJsonExact, normalizeNumberText, h } from './form-view.js';

export { MAX_DOCUMENT_BYTES, parseJsonExact };

const STYLE_URL = new URL('./element.css', import.meta.url).href;
/** The engine's document limit in MiB, for messages. */
const MAX_MIB = MAX_DOCUMENT_BYTES / (1024 * 1024);

/** The public properties a page may set before the element is defined, in the order they apply. */
const UPGRADE_PROPERTIES = ['rules', 'submission', 'unit', 'values', 'notes', 'readonly', 'disabled', 'name', 'value'];

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

const BOOL_WORDS = new Map([['true', true], ['false', false], ['是', true], ['否', false], ['1', true], ['0', false]]);

/**
 * One value as the engine should see it, converted by the field's type where the meaning is
 * unambiguous: "true"/"false"/"是"/"否"/"1"/"0" (and 1/0) for a yes/no field; a number's text
 * trimmed, full-width digits made ASCII (never through a float) for count, number and percent;
 * "" for an empty field. Anything else is left for the engine to explain.
 */
export function coerceValue(value, input) {
  if (value === undefined || value === null) return null;
  if (!input) return value;
  switch (input.type) {
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      if (typeof value === 'string') {
        const word = value.trim().toLowerCase();
        if (word === '') return null;
        if (BOOL_WORDS.has(word)) return BOOL_WORDS.get(word);
      }
      return value;
    case 'count':
    case 'number':
    case 'percent':
      if (typeof value === 'string') {
        const text = normalizeNumberText(value);
        return text === '' ? null : text;
      }
      return value;
    case 'choice':
      if (typeof value === 'string') return value.trim() === '' ? null : value;
      if ((typeof value === 'number' || typeof value === 'boolean') && (input.options ?? []).includes(String(value))) return String(value);
      return value;
    default:
      if (typeof value === 'string') return value.trim() === '' ? null : value;
      return value;
  }
}

/** A values object (or its JSON text) with every value converted by its field's type. */
function coerceValues(values, inputs) {
  if (values === undefined || values === null) return {};
  const object = typeof values === 'string' ? parseSubmissionText(values) : values;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw problemError('values 应为对象（字段编号 → 值）', [{ code: 'js.argument', path: '/values', message: 'values 应为对象（字段编号 → 值）' }]);
  }
  const out = {};
  for (const [id, value] of Object.entries(object)) out[id] = coerceValue(value, inputs.get(id));
  return out;
}

/** A unit object with `id` and `name` as strings (OA systems may store a numeric id). */
function coerceUnit(unit) {
  const u = typeof unit === 'string' ? parseSubmissionText(unit) : { ...(unit ?? {}) };
  for (const key of ['id', 'name']) {
    if (typeof u[key] === 'number') u[key] = String(u[key]);
    if (u[key] === undefined || u[key] === null) u[key] = '';
  }
  return u;
}

const MISSING_CODES = new Set(['value.missing', 'field.empty', 'field.missing']);

export class KpiAssessment extends HTMLElement {
  static observedAttributes = ['rules', 'values', 'unit-id', 'unit-name', 'readonly'];
  static formAssociated = true;

  #view;
  #internals = null;
  #ownsEngine = false;
  #ready = Promise.resolve();
  #message;
  #loadedRules = null;
  /** Bumped by every rules change: a slower load started earlier does not overwrite a newer one. */
  #generation = 0;
  /** Values, unit, notes or a submission set before any rules were loaded: applied once they are. */
  #pending = null;
  #formDisabled = false;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    const link = h('link', { rel: 'stylesheet', href: STYLE_URL });
    this.#message = h('div', { className: 'kpi-message', role: 'alert', hidden: true, testid: 'element-message', part: 'message' });
    shadow.append(link, this.#message);
    if (typeof this.attachInternals === 'function') this.#internals = this.attachInternals();
    this.#view = new FormView(shadow, {
      onUpdate: (update) => {
        const { problems, submission, cause, error } = update;
        // `report` is made when a listener reads it (the form itself redraws from the live changes).
        const detail = { get report() { return update.report; }, problems, submission, error: error ?? null, cause };
        this.#updateFormValue(submission);
        if (cause === 'input') this.#fire('change', detail);
        this.#fire('score', detail);
      },
    });
    this.#updateFormValue();
    // Properties set on the element before it was defined are own properties hiding the
    // accessors below: take them over once the upgrade's attribute callbacks have run.
    queueMicrotask(() => this.#upgradeProperties());
  }

  /** Fires `kpi-<type>` (bubbles, composed) and the older `<type>` (on the element only). */
  #fire(type, detail) {
    this.dispatchEvent(new CustomEvent(`kpi-${type}`, { detail, bubbles: true, composed: true }));
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #upgradeProperties() {
    for (const prop of UPGRADE_PROPERTIES) {
      if (!Object.hasOwn(this, prop)) continue;
      const value = this[prop];
      delete this[prop];
      try {
        this[prop] = value;
      } catch (err) {
        this.#failed(err, prop === 'rules' ? '考核细则无法加载' : '考核表数据无法载入');
      }
    }
  }

  connectedCallback() {
    if (!this.#view.engine && this.hasAttribute('rules') && this.#loadedRules === null) {
      this.attributeChangedCallback('rules', null, this.getAttribute('rules'));
    }
    this.#upgradeProperties();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'rules') {
      if (value === null || value === this.#loadedRules) return;
      this.#loadedRules = value;
      this.#ready = this.#loadFromAttribute(value, ++this.#generation);
    } else if (name === 'readonly') {
      this.#syncDisabled();
      this.#updateFormValue();
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
      if (name === 'values') doc.values = coerceValues(parseSubmissionText(value), this.#view.inputs);
      else doc.unit = { ...doc.unit, [name === 'unit-id' ? 'id' : 'name']: value };
    }
    this.submission = doc;
  }

  async #loadFromAttribute(value, generation) {
    await this.#guard(async () => {
      let rules = value;
      if (isUrlLike(value)) {
        const response = await fetch(new URL(value, document.baseURI));
        if (!response.ok) throw problemError(`无法读取考核细则 ${value}：HTTP ${response.status}`, []);
        const length = parseInt(response.headers.get('content-length') ?? '0', 10);
        if (length > MAX_DOCUMENT_BYTES) throw problemError(`考核细则文件超过 ${MAX_MIB} MiB 上限，未读取`, []);
        rules = await response.text();
      }
      if (generation !== this.#generation) return; // rules were set again meanwhile
      this.#setRules(rules);
      if (['values', 'unit-id', 'unit-name'].some((a) => this.hasAttribute(a))) this.#applyValueAttributes();
      this.#applyPending();
    });
  }

  async #guard(fn, what = '考核细则无法加载') {
    try {
      await fn();
    } catch (err) {
      this.#failed(err, what);
    }
  }

  #failed(err, what) {
    this.#showMessage(err, what);
    this.#fire('error', { error: err, problems: err?.problems ?? [] });
  }

  #showMessage(err, what = '考核细则无法加载') {
    const problems = err?.problems ?? [];
    const list = problems.length > 0 ? h('ul', {}, problems.map((p) => h('li', {}, p.path ? `${p.path}：${p.message}` : p.message))) : null;
    this.#message.replaceChildren(h('p', {}, err ? `${what}：${problems.length > 0 ? `共${problems.length}个问题` : err.message}` : ''), list ?? '');
    this.#message.hidden = !err;
  }

  /**
   * Swaps in an Engine (the page's: the element does not free it) for a revised version of the
   * loaded rule set whose form is unchanged, keeping what is filled in and the fields as they
   * are, and scores again. Returns false, changing nothing, when the form differs: then use
   * `setRules`.
   */
  replaceEngine(engine) {
    if (!(engine instanceof Engine)) throw problemError('replaceEngine 需要评分引擎（Engine）实例', [{ code: 'js.argument', path: '', message: 'replaceEngine 需要评分引擎（Engine）实例' }]);
    const previous = this.#view.engine;
    const owned = this.#ownsEngine;
    if (!this.#view.replaceEngine(engine)) return false;
    this.#ownsEngine = false;
    if (previous && owned && previous !== engine) previous.free();
    return true;
  }

  /**
   * Loads a rule set (built-in id, JSON text, object, or an Engine) and renders its empty form, or
   * the given submission in it. Throws (keeping the current form) when either does not load.
   */
  setRules(rules, submission) {
    this.#generation += 1;
    this.#setRules(rules, submission);
    if (submission === undefined) this.#applyPending();
  }

  #setRules(rules, submission) {
    const engine = makeEngine(rules);
    let doc;
    if (submission) {
      doc = typeof submission === 'string' ? parseSubmissionText(submission) : submission;
      const problems = this.#view.importProblems(doc, engine);
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
    this.#syncDisabled();
    if (doc) this.#view.load(doc);
    if (previous && ownedPrevious && previous !== engine) previous.free();
  }

  /** Applies what was set before any rules were loaded; a failure is shown and fired as `kpi-error`. */
  #applyPending() {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending || !this.#view.engine) return;
    try {
      let doc = pending.submission !== undefined ? pending.submission : this.#view.submission();
      if (typeof doc === 'string') doc = parseSubmissionText(doc);
      if (pending.unit !== undefined) doc = { ...doc, unit: coerceUnit(pending.unit) };
      if (pending.values !== undefined) doc = { ...doc, values: coerceValues(pending.values, this.#view.inputs) };
      if (pending.notes !== undefined) doc = { ...doc, notes: pending.notes ?? {} };
      this.submission = doc;
    } catch (err) {
      this.#failed(err, '考核表数据无法载入');
    }
  }

  #setPending(key, value) {
    if (key === 'submission') this.#pending = { submission: value };
    else this.#pending = { ...(this.#pending ?? {}), [key]: value };
  }

  /**
   * Resolves when the rules given by the `rules` attribute (fetched, for a URL) and the values
   * given before them are loaded. Never rejects: a failure is a `kpi-error` event and a message.
   * Before the element is defined this property does not exist: `await
   * customElements.whenDefined('kpi-assessment')` first.
   */
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

  /** The form description (`engine.form()`) being shown. (The owner <form> is `ownerForm`.) */
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

  /** The submission being edited (`kpi-submission/1`), or null before rules are loaded. Setting it loads one, or throws. */
  get submission() {
    return this.#view.engine ? this.#view.submission() : null;
  }

  set submission(value) {
    if (!this.#view.engine) {
      this.#setPending('submission', value);
      return;
    }
    const doc = typeof value === 'string' ? parseSubmissionText(value) : value;
    const problems = this.#view.importProblems(doc);
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
    if (!this.#view.engine) return { ...(this.#pending?.values ?? {}) };
    return this.submission.values;
  }

  set values(values) {
    if (!this.#view.engine) {
      this.#setPending('values', typeof values === 'string' ? parseSubmissionText(values) : values);
      return;
    }
    this.submission = { ...this.submission, values: coerceValues(values, this.#view.inputs) };
  }

  get notes() {
    if (!this.#view.engine) return { ...(this.#pending?.notes ?? {}) };
    return this.submission.notes;
  }

  set notes(notes) {
    if (!this.#view.engine) {
      this.#setPending('notes', notes);
      return;
    }
    this.submission = { ...this.submission, notes: notes ?? {} };
  }

  get unit() {
    if (!this.#view.engine) return coerceUnit(this.#pending?.unit);
    return this.submission.unit;
  }

  set unit(unit) {
    if (!this.#view.engine) {
      this.#setPending('unit', unit);
      return;
    }
    this.submission = { ...this.submission, unit: coerceUnit(unit) };
  }

  /** The submission as JSON text (what a <form> submits under `name`); "" before rules are loaded. */
  get value() {
    return this.#view.engine ? JSON.stringify(this.#view.submission()) : '';
  }

  set value(text) {
    this.submission = text;
  }

  /** Empties every field, note and the unit. */
  clear() {
    this.#requireForm().clear();
  }

  // ------------------------------------------------------------------------------------------
  // Form association (ElementInternals): submitting, validity, reset, disabled

  /** The `name` under which a <form> submits the submission's JSON. */
  get name() {
    return this.getAttribute('name') ?? '';
  }

  set name(value) {
    this.setAttribute('name', String(value));
  }

  get readonly() {
    return this.hasAttribute('readonly');
  }

  set readonly(value) {
    this.toggleAttribute('readonly', Boolean(value));
  }

  get disabled() {
    return this.hasAttribute('disabled');
  }

  set disabled(value) {
    this.toggleAttribute('disabled', Boolean(value));
  }

  get type() {
    return this.localName;
  }

  /** The <form> this element belongs to, or null. */
  get ownerForm() {
    return this.#internals?.form ?? null;
  }

  get validity() {
    return this.#internals?.validity;
  }

  get validationMessage() {
    return this.#internals?.validationMessage ?? '';
  }

  get willValidate() {
    return this.#internals?.willValidate ?? false;
  }

  checkValidity() {
    return this.#internals ? this.#internals.checkValidity() : true;
  }

  reportValidity() {
    return this.#internals ? this.#internals.reportValidity() : true;
  }

  formResetCallback() {
    if (!this.#view.engine) return;
    this.#view.clear();
    if (['values', 'unit-id', 'unit-name'].some((a) => this.hasAttribute(a))) this.#guard(() => this.#applyValueAttributes(), '考核表数据无法载入');
  }

  formDisabledCallback(disabled) {
    this.#formDisabled = disabled;
    this.#syncDisabled();
  }

  formStateRestoreCallback(state) {
    if (typeof state !== 'string' || state === '') return;
    try {
      this.submission = state;
    } catch (err) {
      this.#failed(err, '考核表数据无法恢复');
    }
  }

  #syncDisabled() {
    this.#view.setReadonly(this.hasAttribute('readonly') || this.#formDisabled);
  }

  /** The form value (the submission's JSON) and its validity; `submission` when the caller has it. */
  #updateFormValue(submission) {
    const internals = this.#internals;
    if (!internals) return;
    const view = this.#view;
    if (!view.engine) {
      internals.setFormValue(null);
      internals.setValidity({ valueMissing: true }, '考核细则尚未加载，考核表无法提交');
      return;
    }
    const text = JSON.stringify(submission ?? view.submission());
    internals.setFormValue(text, text);
    const problems = view.problems;
    if (problems.length === 0 && view.scored) {
      internals.setValidity({});
      return;
    }
    const anchorOf = (p) => {
      const value = /^\/values\/([^/]+)$/.exec(p.path);
      if (value) return view.fieldRefs.get(value[1])?.control;
      const unit = /^\/unit\/(id|name)$/.exec(p.path);
      return unit ? view.unitRefs.get(unit[1])?.control : undefined;
    };
    // The first problem in the form's order that has a field to focus.
    const order = [...view.unitRefs.values(), ...view.fieldRefs.values()].map((r) => r.control);
    const located = problems.map((p) => ({ p, anchor: anchorOf(p) })).filter((x) => x.anchor);
    located.sort((a, b) => order.indexOf(a.anchor) - order.indexOf(b.anchor));
    const first = located[0] ?? { p: problems[0], anchor: undefined };
    const message = first.p
      ? `考核表有${problems.length}处需要填写或修改：${first.p.message}`
      : '考核表无法评分，请检查填写内容';
    const flags = {
      valueMissing: problems.some((p) => MISSING_CODES.has(p.code)),
      customError: !view.scored || problems.some((p) => !MISSING_CODES.has(p.code)),
    };
    internals.setValidity(flags, message, first.anchor ?? view.fieldRefs.values().next().value?.control);
  }

  #requireForm() {
    if (!this.#view.engine) throw problemError('尚未加载考核细则', [{ code: 'rules.missing', path: '', message: '尚未加载考核细则' }]);
    return this.#view;
  }
}

if (!customElements.get('kpi-assessment')) customElements.define('kpi-assessment', KpiAssessment);
