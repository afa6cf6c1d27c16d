// The assessment form renderer shared by <kpi-assessment> (element.js) and the browser app (www/).
//
// Everything shown is built from the engine: the fields, sections and items from `engine.form()`,
// every number, deduction, veto and pending item from a live form (`engine.live()`: a keystroke sets
// one value and the engine says what it changed, which is all that is redrawn), every problem from
// `engine.validate()`. Nothing here scores. Decimals stay strings from input to screen: a field's
// text goes to the engine as typed (trimmed, full-width digits made ASCII) and the engine's strings
// are shown as they come.
//
// Rule-set text (titles, labels, basis, reasons) is untrusted: it only ever reaches the page as
// text nodes, attribute values or select options, never as markup.

import {
  addExtras, buildListField, buildNaControl, gradeText, isList, isShowableExtra, listFromValue, listValue, loadExtras,
  listControl, rejections, renderExtraProblems, renderSelf, syncLists, withGroupHeadings, withoutMarks,
} from './records-view.js';

/** The engine's limit on a rule-set or submission document, from the engine. */
export { MAX_DOCUMENT_BYTES } from './index.js';

const SECTION_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];
const TYPE_HINTS = { count: '非负整数', number: '数值', percent: '百分数，0—100', bool: '', choice: '', text: '' };
// `score` refuses a submission whose unit is empty; the form scores with this unit until it is filled.
const PLACEHOLDER_UNIT = { id: '未填写', name: '未填写' };

/** Builds an element: `h('p', {className: 'x'}, 'text', child)`. Strings become text nodes. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key.startsWith('aria-') || key === 'role' || key === 'for' || key === 'part') el.setAttribute(key, value === true ? 'true' : value);
    else el[key] = value;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces an element's children (text or nodes). */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Parses JSON keeping every number's literal text (as a string), so a decimal never passes
 * through a binary float. Uses the reviver's `source` (JSON.parse source text access) where the
 * browser has it; elsewhere numbers come back as their shortest round-trip text.
 */
export function parseJsonExact(text) {
  return JSON.parse(text, function (_key, value, context) {
    if (typeof value !== 'number') return value;
    return context && typeof context.source === 'string' ? context.source : String(value);
  });
}

/** Field text as the engine should see it: trimmed, full-width digits and points made ASCII. */
export function normalizeNumberText(text) {
  return text
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[－—]/g, '-');
}

function signed(points) {
  return points.startsWith('-') ? points : `+${points}`;
}

const ZERO = /^[-+]?0(\.0+)?$/;

/** Line kinds 扣分汇总 leaves out: they take no points (a conversion between scales, a note, a bonus, a quota move). */
const NOT_DEDUCTIONS = new Set(['info', 'add', 'quota', 'convert', 'rescale']);

/** A form with more items than this is long: the browser skips drawing its sections out of view. */
const LONG_FORM_ITEMS = 80;

/** More changed values than this at once (a loaded draft, a cleared form): a new live form scores them. */
const MAX_LIVE_EDITS = 8;

/** The ids whose value differs between two values objects (a record list compared as JSON). */
function changedValues(before, now) {
  const ids = [];
  const differs = (a, b) => a !== b && (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || JSON.stringify(a) !== JSON.stringify(b));
  for (const id of Object.keys(now)) if (differs(before[id], now[id])) ids.push(id);
  for (const id of Object.keys(before)) if (!(id in now)) ids.push(id);
  return ids;
}

/**
 * Puts one live change (`LiveForm#set`) into `report`, the report shown before it, and notes in
 * `touched` what it reached: the entries (`item:1.1`, `adjustment:a`, …) and sections to redraw,
 * and whether the report's pending list or self-assessment changed. `itemAt` maps an item
 * id to its place (section, item) in the report.
 */
function applyChange(report, change, itemAt, touched) {
  for (const key of ['total', 'grade', 'status', 'subtotal', 'grade_by_score']) report[key] = change[key];
  if (change.grade_text === null) delete report.grade_text;
  else report.grade_text = change.grade_text;
  for (const item of change.items) {
    const at = itemAt.get(item.id);
    if (!at) continue;
    report.sections[at[0]].items[at[1]] = item;
    touched.entries.add(`item:${item.id}`);
  }
  for (const { id, score, status, lines } of change.sections) {
    const section = report.sections.find((s) => s.id === id);
    if (!section) continue;
    section.score = score;
    if (status === null) delete section.status;
    else section.status = status;
    section.lines = lines;
    touched.sections.add(id);
  }
  for (const [list, kind] of [['adjustments', 'adjustment'], ['vetoes', 'veto']]) {
    for (const entry of change[list]) {
      const at = report[list].findIndex((e) => e.id === entry.id);
      if (at < 0) continue;
      report[list][at] = entry;
      touched.entries.add(`${kind}:${entry.id}`);
    }
  }
  if (Object.hasOwn(change, 'bonus')) {
    report.bonus = change.bonus;
    for (const b of change.bonus?.items ?? []) touched.entries.add(`bonus:${b.id}`);
  }
  for (const key of ['lines', 'pending', 'warnings', 'lists']) {
    if (Object.hasOwn(change, key)) report[key] = change[key];
  }
  if (Object.hasOwn(change, 'pending')) touched.pending = true;
  if (Object.hasOwn(change, 'self_assessment')) {
    report.self = change.self_assessment;
    touched.self = true;
  }
}

/**
 * An engine message in the assessor's words: fields by their labels only (the engine adds the
 * input id in brackets), the unit's fields by name, no internal words. The engine's own wording
 * otherwise; see the workspace notes for the messages the engine should word this way itself.
 */
export function plainWords(message) {
  return String(message)
    .replace(/被考核单位（unit）的字段「id」/g, '被考核单位编号')
    .replace(/被考核单位（unit）的字段「name」/g, '被考核单位名称')
    .replace(/被考核单位（unit）的字段「group」/g, '被考核单位分组')
    .replace(/被考核单位（unit）的字段「ranked」/g, '被考核单位「是否参与排名」')
    .replace(/被考核单位（unit）/g, '被考核单位')
    .replace(/缺少必填字段「unit」（被考核单位）/g, '缺少被考核单位（单位编号和名称）')
    .replace(/」\s*[(（][A-Za-z_][A-Za-z0-9_]*[)）]/g, '」')
    .replace(/输入项「/g, '「')
    .replace(/应为\s*true（是）或\s*false（否）/g, '应为「是」或「否」')
    .replace(/没有 id 为「/g, '没有编号为「')
    .replace(/的 meta「/g, '的附加信息「')
    .replace(/[（(]notes[）)]/g, '')
    .replace(/的 notes/g, '的情况说明')
    .replace(/\bnotes\b/g, '情况说明')
    .replace(/的 meta/g, '的附加信息');
}

/** Whether `text` (YYYY-MM-DD) is a date that exists, between 1900 and 2100. */
export function isRealDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => Number.parseInt(x, 10));
  if (y < 1900 || y > 2100) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isNumeric(type) {
  return type === 'count' || type === 'number' || type === 'percent';
}

/** An empty submission state for a form. */
function emptyState(form) {
  return {
    unit: { id: '', name: '' },
    period: form.rules.period,
    raw: Object.fromEntries(form.inputs.map((i) => [i.id, isList(i) ? null : ''])),
    notes: {},
    meta: {},
    notApplicable: {},
  };
}

/** Which problems of an imported submission can be shown in the form and fixed there. */
function isShowable(problem, inputs, doc) {
  if (problem.code === 'value.missing' || isShowableExtra(problem, inputs, doc)) return true;
  if ((problem.path === '/unit/id' || problem.path === '/unit/name') && problem.code === 'field.empty') return true;
  const m = /^\/values\/([^/]+)$/.exec(problem.path);
  if (!m) return false;
  const input = inputs.get(m[1]);
  // A numeric field's wrong text (as text in the file) is loaded and flagged; any other wrong value is not.
  return Boolean(input && (isNumeric(input.type) || input.type === 'text') && typeof doc.values?.[m[1]] === 'string'
    && (problem.code === 'value.type' || problem.code === 'value.range'));
}

/**
 * The form: owns the DOM inside `host` (a shadow root or an element) for one engine at a time,
 * and the submission state. `onUpdate({report, problems, submission, cause})` runs after every
 * recomputation; `cause` is "input" for a user's edit, else "load".
 */
export class FormView {
  /**
   * Options: `external` (the score shown comes from `setExternalReport`, e.g. a workspace's batch
   * report with ranks; the form's own score still runs for `onUpdate`), `lockUnit` (the unit's id
   * and name are read-only: a workspace's roster owns them), `itemExtras(entry)` (an element added
   * to each item's card, e.g. its evidence).
   */
  constructor(host, { onUpdate, external = false, lockUnit = false, itemExtras = null } = {}) {
    this.host = host;
    this.onUpdate = onUpdate ?? (() => {});
    this.external = external;
    this.lockUnit = lockUnit;
    this.itemExtras = itemExtras;
    this.externalReport = null;
    this.engine = null;
    this.form = null;
    /** The live form scoring the values (`engine.live`), and what it was started from. */
    this.live = null;
    this.liveKey = null;
    this.liveValues = null;
    /** The report shown, kept up to date from the live form's changes (its fingerprint is not). */
    this.current = null;
    /** The exact report (`live.report()`), made when asked for after each change. */
    this.exact = null;
    /** Bumped by every change of the scored values: an update's report is read for its own. */
    this.generation = 0;
    this.problems = [];
    this.readonly = false;
    this.touched = new Set();
    this.root = h('div', { className: 'kpi', part: 'form' });
    host.append(this.root);
  }

  /** Renders the form of `engine` with an empty (or the given) submission state. */
  setEngine(engine, state) {
    this.dropLive();
    this.engine = engine;
    this.form = engine.form();
    this.inputs = new Map(this.form.inputs.map((i) => [i.id, i]));
    this.state = state ?? emptyState(this.form);
    this.touched = new Set();
    this.lastRender = new Map();
    this.externalReport = null;
    this.build();
    this.recompute('load');
  }

  /**
   * Swaps in another engine whose form description is the same as the one shown (a revised rule
   * set whose scoring changed but not its fields or items, as a rule editor's preview has on most
   * keystrokes): keeps the fields and what is filled in, and scores again. Returns false, changing
   * nothing, when the forms differ (then `setEngine` is needed).
   */
  replaceEngine(engine) {
    const form = engine.form();
    if (!this.form || JSON.stringify(form) !== JSON.stringify(this.form)) return false;
    this.dropLive();
    this.engine = engine;
    this.form = form;
    this.inputs = new Map(form.inputs.map((i) => [i.id, i]));
    this.lastRender = new Map();
    this.recompute('load');
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // State <-> submission documents

  /** The current submission document (`kpi-submission/1`); empty fields are absent from values. */
  submission({ unit = this.state.unit } = {}) {
    const values = {};
    this.listRows = new Map();
    for (const input of this.form.inputs) {
      const raw = this.state.raw[input.id] ?? '';
      if (isList(input)) {
        const list = listValue(input, this.state.raw[input.id], normalizeNumberText);
        if (list.value !== undefined) values[input.id] = list.value;
        this.listRows.set(input.id, list.rows);
      } else if (input.type === 'bool') {
        if (raw === 'true') values[input.id] = true;
        else if (raw === 'false') values[input.id] = false;
      } else if (input.type === 'choice') {
        if (raw !== '') values[input.id] = raw;
      } else if (input.type === 'text') {
        if (raw.trim() !== '') values[input.id] = raw;
      } else {
        const text = normalizeNumberText(raw);
        if (text !== '') values[input.id] = text;
      }
    }
    const notes = {};
    for (const [id, text] of Object.entries(this.state.notes)) if (text.trim() !== '') notes[id] = text;
    const meta = {};
    for (const [key, text] of Object.entries(this.state.meta)) if (typeof text === 'string' && text.trim() !== '') meta[key] = text;
    // An impossible 考核日期 is refused: shown as an error at the field, never saved.
    if (meta.date !== undefined && !isRealDate(meta.date)) delete meta.date;
    const doc = {
      format: 'kpi-submission/1',
      rules: { id: this.form.rules.id, version: this.form.rules.version },
      unit: { ...unit },
      period: this.state.period || this.form.rules.period,
      values,
      notes,
    };
    if (Object.keys(meta).length > 0) doc.meta = meta;
    return addExtras(doc, this.state);
  }

  /**
   * Problems that keep `doc` (a parsed submission) out of this form: anything the engine finds
   * that cannot be shown next to a field and fixed there. Empty when it can be loaded.
   */
  importProblems(doc, engine = this.engine) {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      return [{ code: 'field.type', path: '', message: '考核表应为 JSON 对象（kpi-submission/1）' }];
    }
    if (doc.format !== 'kpi-submission/1') {
      return [{ code: 'submission.format', path: '/format', message: `不是考核表文件：format 应为「kpi-submission/1」，实为「${String(doc.format ?? '（无）')}」` }];
    }
    const inputs = engine === this.engine ? this.inputs : new Map(engine.form().inputs.map((i) => [i.id, i]));
    // Every problem at once: an empty or missing unit does not hide the values' problems.
    return engine.validate(doc).filter((p) => !isShowable(p, inputs, doc));
  }

  /** Loads a parsed submission (check it with importProblems first). */
  load(doc) {
    const state = emptyState(this.form);
    state.unit = { ...(doc.unit ?? {}) };
    state.unit.id = typeof state.unit.id === 'string' ? state.unit.id : '';
    state.unit.name = typeof state.unit.name === 'string' ? state.unit.name : '';
    if (typeof doc.period === 'string') state.period = doc.period;
    for (const [id, value] of Object.entries(doc.values ?? {})) {
      if (!(id in state.raw) || value === null || value === undefined) continue;
      state.raw[id] = isList(this.inputs.get(id)) ? listFromValue(this.inputs.get(id), value) : String(value);
    }
    loadExtras(state, doc);
    for (const [id, text] of Object.entries(doc.notes ?? {})) if (typeof text === 'string') state.notes[id] = text;
    for (const [key, text] of Object.entries(doc.meta ?? {})) if (typeof text === 'string') state.meta[key] = text;
    this.state = state;
    this.touched = new Set(['unit.id', 'unit.name']);
    this.syncControls();
    this.recompute('load');
  }

  clear() {
    this.state = emptyState(this.form);
    this.touched = new Set();
    this.syncControls();
    this.recompute('input');
  }

  setReadonly(readonly) {
    this.readonly = readonly;
    for (const control of this.controls ?? []) control.disabled = readonly;
    if (this.root) this.root.dataset.readonly = String(readonly);
  }

  /** Shows `report` (e.g. the batch's report of this unit) instead of the form's own score. */
  setExternalReport(report) {
    this.externalReport = report;
    delete this.root.dataset.stale;
    if (this.form) this.render(report ?? this.current, this.problems, this.scoreError, this.rejected ?? new Set());
  }

  /** The report of the form as it is now (null when it cannot be scored): what `engine.score` gives. */
  get report() {
    if (this.current === null) return null;
    this.exact ??= this.live.report();
    return this.exact;
  }

  /** Whether the form's values could be scored (a report exists), without making the report. */
  get scored() {
    return this.current !== null;
  }

  /** Moves the focus to a field (by input id) or, failing that, to an entry's card. */
  focusField(inputId, entryKey) {
    const ref = this.fieldRefs.get(inputId);
    const target = ref?.control ?? listControl(this, inputId) ?? this.entryRefs.get(entryKey)?.card;
    if (!target) return false;
    if (!ref) target.tabIndex = -1;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Building the DOM (once per rule set)

  build() {
    const form = this.form;
    this.fieldRefs = new Map(); // input id -> {control, error, row}
    this.entryRefs = new Map(); // "item:1.1" -> {card, score, status, lines, pending, note, noteError}
    this.sectionRefs = new Map();
    this.entryGroup = new Map(); // "item:1.1" -> its group's key (the section id, '' for the rest)
    this.controls = [];

    const head = this.buildHead();
    const unit = this.buildUnit();
    this.problemFields = h('p', { className: 'kpi-problem-fields' });
    this.problemList = h('ul', {});
    this.generalProblems = h('div', { className: 'kpi-problems', testid: 'problems', hidden: true, role: 'alert' }, this.problemFields, this.problemList);

    const groups = form.sections.map((section, index) => {
      const entries = section.items.map((item) => ({ kind: 'item', ...item }));
      const inputs = form.inputs.filter((i) => i.section === section.id);
      return this.buildGroup({
        key: section.id,
        heading: `${SECTION_NUMBERS[index] ?? index + 1}、${section.title}`,
        points: section.out_of ? `满分${section.points}分（按${section.out_of}分制评分后折算）` : `满分${section.points}分`,
        entries,
        inputs,
        section,
      });
    });
    const sectionIds = new Set(form.sections.map((s) => s.id));
    const otherEntries = [
      ...form.adjustments.map((a) => ({ kind: 'adjustment', ...a })),
      ...(form.bonus?.items ?? []).map((b) => ({ kind: 'bonus', ...b })),
      ...form.vetoes.map((v) => ({ kind: 'veto', ...v })),
    ];
    const otherInputs = form.inputs.filter((i) => !i.section || !sectionIds.has(i.section));
    if (otherEntries.length > 0 || otherInputs.length > 0) {
      const kinds = [form.adjustments.length > 0 ? '扣分项' : '', form.bonus ? '加分项' : '', form.vetoes.length > 0 ? '一票否决' : ''].filter(Boolean);
      groups.push(this.buildGroup({
        key: '',
        heading: kinds.length > 0 ? `其他考核事项：${kinds.join('、')}` : '其他填报项',
        points: form.bonus ? `加分合计不超过${form.bonus.cap}分` : '',
        entries: otherEntries,
        inputs: otherInputs,
      }));
    }

    const result = this.buildResult();
    const sign = h('section', { className: 'kpi-sign', 'aria-label': '签字' },
      h('div', {}, h('span', {}, '被考核单位签字：'), h('span', { className: 'kpi-sign-line' })),
      h('div', {}, h('span', {}, '考核人员签字：'), h('span', { className: 'kpi-sign-line' })),
      h('div', {}, h('span', {}, '日期：'), h('span', { className: 'kpi-sign-line' })));

    const description = form.rules.description ? h('p', { className: 'kpi-description' }, form.rules.description) : '';
    const nav = this.buildNav(groups);
    if (nav) head.append(nav); // in the sticky head: always in reach
    this.root.replaceChildren(head, description, unit, this.generalProblems, this.buildSummary(), ...groups, result, sign);
    // A long form lets the browser skip the sections out of view (element.css).
    this.root.classList.toggle('kpi-long', form.sections.reduce((n, s) => n + s.items.length, 0) > LONG_FORM_ITEMS);
    this.setReadonly(this.readonly);
  }

  /** A section navigator for long forms: each section with its score and open problems. */
  buildNav(groups) {
    this.navRefs = new Map();
    if (this.form.inputs.length <= 12 && groups.length < 3) return null;
    const links = groups.map((group, i) => {
      const key = group.dataset.section;
      const heading = group.querySelector('h3');
      heading.id = `kpi-section-${i}`;
      heading.tabIndex = -1;
      const count = h('span', { className: 'kpi-nav-count' });
      const link = h('a', { href: `#${heading.id}`, dataset: { section: key } }, heading.textContent.replace(/^[^、]+、/, ''), count);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        heading.scrollIntoView({ block: 'start' });
        heading.focus({ preventScroll: true });
      });
      this.navRefs.set(key, { link, count, group });
      return h('li', {}, link);
    });
    return h('nav', { className: 'kpi-nav', 'aria-label': '考核内容导航', testid: 'section-nav' }, h('ol', {}, links));
  }

  /** 扣分汇总: each section's score and every deduction line so far, above the detail. */
  buildSummary() {
    this.summaryParts = new Map(); // "item:1.1" -> {lines, signature, nodes}: its lines in the list
    this.summaryScores = new Map(); // section id -> its score cell
    this.summarySections = h('tbody', {}, this.form.sections.map((s) => {
      const score = h('td', { className: 'kpi-num' });
      this.summaryScores.set(s.id, score);
      return h('tr', {}, h('td', {}, s.title), h('td', { className: 'kpi-num' }, s.points), score);
    }));
    this.summaryLines = h('ol', { className: 'kpi-summary-lines', testid: 'deduction-lines' });
    this.summaryNote = h('p', { className: 'kpi-summary-note' });
    return h('details', { className: 'kpi-summary', open: true, testid: 'deduction-summary' },
      h('summary', {}, '扣分汇总'),
      h('table', { className: 'kpi-summary-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '考核内容'), h('th', { scope: 'col' }, '满分'), h('th', { scope: 'col' }, '得分'))),
        this.summarySections),
      this.summaryNote,
      this.summaryLines);
  }

  buildHead() {
    const r = this.form.rules;
    this.totalEl = h('output', { className: 'kpi-total', testid: 'total', part: 'total' });
    this.gradeEl = h('output', { className: 'kpi-grade', testid: 'grade', part: 'grade' });
    this.gradeHintEl = h('span', { className: 'kpi-grade-hint', testid: 'grade-hint' });
    this.totalLabel = h('span', { className: 'kpi-metric-label' }, '总分');
    this.statusEl = h('output', { className: 'kpi-status', testid: 'status' });
    this.pendingCountEl = h('span', { className: 'kpi-pending-count', testid: 'pending-count' });
    this.vetoBanners = h('div', { className: 'kpi-vetoes', testid: 'veto-banners', role: 'alert' });
    this.pendingList = h('ul', { className: 'kpi-pending-list', testid: 'pending' });
    this.printUnit = h('p', { className: 'kpi-print-unit' });
    return h('header', { className: 'kpi-head', part: 'header' },
      h('div', { className: 'kpi-rules' },
        h('h2', { className: 'kpi-title', testid: 'rules-title' }, r.title),
        h('p', { className: 'kpi-rules-meta', testid: 'rules-version' }, `细则编号 ${r.id} · 版本 ${r.version} · 考核年度 ${r.period} · 满分 ${r.full_score} 分`),
        this.printUnit),
      h('div', { className: 'kpi-scoreboard', 'aria-live': 'polite' },
        h('div', { className: 'kpi-metric' }, this.totalLabel, this.totalEl),
        h('div', { className: 'kpi-metric' }, h('span', { className: 'kpi-metric-label' }, '等次'), this.gradeEl, this.gradeHintEl),
        h('div', { className: 'kpi-metric' }, h('span', { className: 'kpi-metric-label' }, '状态'), this.statusEl, this.pendingCountEl)),
      this.vetoBanners,
      h('details', { className: 'kpi-pending', testid: 'pending-details' }, h('summary', {}, '待定项目（按满分暂计，点击项目可转到填写处）'), this.pendingList));
  }

  buildUnit() {
    const field = (key, label, { type = 'text', path, meta = false, autocomplete = 'off' } = {}) => {
      const id = `kpi-unit-${key}`;
      const control = h('input', { id, type, autocomplete, dataset: { unitField: key } });
      if (type === 'date') {
        control.min = '1900-01-01';
        control.max = '2100-12-31';
      }
      if (this.lockUnit && !meta) {
        control.readOnly = true;
        control.title = '单位信息由考核任务的单位名单维护';
      }
      const error = h('p', { className: 'kpi-error', id: `${id}-error`, hidden: true });
      control.setAttribute('aria-describedby', error.id);
      control.addEventListener('input', () => {
        if (meta) this.state.meta[key] = control.value;
        else this.state.unit[key] = control.value;
        this.touched.add(`unit.${key}`);
        this.recompute('input');
      });
      control.addEventListener('blur', () => {
        // A focused field loses focus when a new rule set's form replaces it (mid-build): not this form's field any more.
        if (this.unitRefs.get(key)?.control !== control) return;
        if (!meta && !this.touched.has(`unit.${key}`)) {
          this.touched.add(`unit.${key}`);
          this.recompute('load');
        }
      });
      if (!(this.lockUnit && !meta)) this.controls.push(control);
      this.unitRefs.set(key, { control, error, path, meta, type });
      return h('div', { className: 'kpi-field' }, h('label', { for: id }, label), h('div', { className: 'kpi-control' }, control), error);
    };
    this.unitRefs = new Map();
    return h('fieldset', { className: 'kpi-unit' },
      h('legend', {}, '被考核单位与考核人员'),
      h('div', { className: 'kpi-unit-grid' },
        field('name', '被考核单位名称', { path: '/unit/name' }),
        field('id', '被考核单位编号', { path: '/unit/id' }),
        field('assessor', '考核人员', { meta: true }),
        field('date', '考核日期', { type: 'date', meta: true })),
      this.buildUnitTags());
  }

  /**
   * The rule set's unit tags (a department's 行业监管职责 …) as check boxes: they choose which
   * items apply to this unit. Kept in `state.unit.tags` in the rule set's order; none when the
   * rule set has no tags.
   */
  buildUnitTags() {
    this.tagRefs = new Map();
    const tags = this.form.unit_tags ?? [];
    if (tags.length === 0) return '';
    const boxes = tags.map((tag) => {
      const id = `kpi-unit-tag-${tag.id}`;
      const control = h('input', { id, type: 'checkbox', dataset: { unitTag: tag.id } });
      control.checked = (this.state.unit.tags ?? []).includes(tag.id);
      if (this.lockUnit) {
        control.disabled = true;
        control.title = '单位标签由考核任务的单位名单维护';
      }
      control.addEventListener('change', () => {
        const on = new Set(this.state.unit.tags ?? []);
        if (control.checked) on.add(tag.id);
        else on.delete(tag.id);
        // The rule set's order, then any tag the rule set does not know (the engine names it).
        const known = tags.map((t) => t.id);
        const next = [...known.filter((t) => on.has(t)), ...[...on].filter((t) => !known.includes(t))];
        if (next.length > 0) this.state.unit.tags = next;
        else delete this.state.unit.tags;
        this.recompute('input');
      });
      if (!this.lockUnit) this.controls.push(control);
      this.tagRefs.set(tag.id, control);
      const label = h('label', { for: id }, control, tag.label);
      if (tag.help) label.title = tag.help;
      return label;
    });
    return h('div', { className: 'kpi-unit-tags', role: 'group', 'aria-labelledby': 'kpi-unit-tags-label' },
      h('span', { id: 'kpi-unit-tags-label', className: 'kpi-unit-tags-label' }, '单位标签（承担的职责，决定适用的考核项目）'),
      ...boxes);
  }

  /** A section (or the "other" group): its entries, each with the fields it reads first. */
  buildGroup({ key, heading, points, entries, inputs, section }) {
    // Each field goes with the first entry that reads it (a field no entry reads stays with the
    // field before it), unless that would change the rule set's field order: then the group lists
    // its fields first, in order, and its entries after.
    const index = new Map(entries.map((e, i) => [e, i]));
    const homes = [];
    let previous = entries[0] ?? null;
    for (const input of inputs) {
      const home = entries.find((e) => e.inputs.includes(input.id)) ?? previous;
      homes.push(home);
      previous = home;
    }
    const ordered = homes.every((home, i) => i === 0 || home === null || homes[i - 1] === null || index.get(home) >= index.get(homes[i - 1]));
    const fieldsOf = new Map(entries.map((e) => [e, []]));
    const loose = [];
    inputs.forEach((input, i) => {
      const row = this.buildField(input);
      if (ordered && homes[i]) fieldsOf.get(homes[i]).push(row);
      else loose.push(row);
    });

    const scoreEl = h('output', { className: 'kpi-section-score', testid: `section-score-${key}` });
    if (section) this.sectionRefs.set(section.id, { score: scoreEl, lines: h('ul', { className: 'kpi-lines' }) });
    return h('section', { className: 'kpi-section', dataset: { section: key }, part: 'section' },
      h('header', { className: 'kpi-section-head' },
        h('h3', {}, heading),
        h('p', { className: 'kpi-section-points' }, points, section ? h('span', {}, ' · 得分 ', scoreEl) : null)),
      section ? this.sectionRefs.get(section.id).lines : null,
      loose.length > 0 ? h('div', { className: 'kpi-fields kpi-loose' }, loose) : null,
      entries.map((entry) => {
        this.entryGroup.set(`${entry.kind}:${entry.id}`, key);
        return this.buildEntry(entry, fieldsOf.get(entry));
      }));
  }

  buildEntry(entry, fields) {
    const refKey = `${entry.kind}:${entry.id}`;
    const score = h('output', { className: 'kpi-entry-score', testid: `${entry.kind}-score-${entry.id}` });
    const status = h('span', { className: 'kpi-entry-status' });
    const lines = h('ul', { className: 'kpi-lines', testid: `${entry.kind}-lines-${entry.id}` });
    const pending = h('p', { className: 'kpi-entry-pending', hidden: true });
    const kindLabel = { item: '', adjustment: '扣分项', bonus: '加分项', veto: '一票否决' }[entry.kind];
    const pointsText = entry.kind === 'item' ? `满分${entry.points}分`
      : entry.kind === 'adjustment' ? (entry.points ? `最多扣${entry.points}分` : '扣分不设上限')
        : entry.kind === 'bonus' ? `最多加${entry.points}分` : entry.effect_text ?? '';
    const card = h('article', { className: `kpi-entry kpi-${entry.kind}`, dataset: { entry: entry.id, kind: entry.kind }, part: 'entry' },
      h('header', { className: 'kpi-entry-head' },
        h('h4', {}, entry.kind === 'item' ? h('span', { className: 'kpi-entry-id' }, entry.id) : h('span', { className: 'kpi-entry-id' }, kindLabel), ' ', entry.title),
        h('span', { className: 'kpi-entry-points' }, pointsText),
        h('span', { className: 'kpi-entry-result' }, status, score)),
      entry.basis ? h('p', { className: 'kpi-basis' }, h('span', { className: 'kpi-basis-label' }, '评分标准：'), entry.basis) : null,
      entry.batch_only ? h('p', { className: 'kpi-batch-only' }, this.external ? '排名赋分项目：按本考核任务中各单位的排名计分，随各单位填写实时更新。' : '排名赋分项目需在批量评分中计算：单独评分时暂按满分计，在「批量评分」中按全区排名得分。') : null,
      fields && fields.length > 0 ? h('div', { className: 'kpi-fields' }, fields) : null,
      lines,
      pending,
      this.itemExtras && entry.kind === 'item' ? this.itemExtras(entry) : null);
    const ref = { card, score, status, lines, pending, entry };
    if (entry.assessor_na) card.append(buildNaControl(this, entry));
    if (entry.kind === 'item') {
      const id = `kpi-note-${entry.id}`;
      const note = h('textarea', { id, rows: 2, className: 'kpi-note-text', dataset: { note: entry.id } });
      const noteError = h('p', { className: 'kpi-warning', id: `${id}-warning`, hidden: true });
      note.setAttribute('aria-describedby', noteError.id);
      note.setAttribute('data-testid', `note-${entry.id}`);
      note.addEventListener('input', () => {
        this.state.notes[entry.id] = note.value;
        this.recompute('input');
      });
      this.controls.push(note);
      const details = h('details', { className: 'kpi-note' },
        h('summary', {}, '情况说明'),
        h('label', { for: id }, `项目${entry.id}情况说明`), note);
      card.append(details, noteError);
      Object.assign(ref, { note, noteError, details });
    }
    this.entryRefs.set(refKey, ref);
    return card;
  }

  buildField(input) {
    if (isList(input)) return buildListField(this, input);
    const id = `kpi-field-${input.id}`;
    let control;
    if (input.type === 'bool') {
      control = h('select', { id }, h('option', { value: '' }, '（未填）'), h('option', { value: 'true' }, '是'), h('option', { value: 'false' }, '否'));
    } else if (input.type === 'choice') {
      control = h('select', { id }, h('option', { value: '' }, '（未填）'), (input.options ?? []).map((o) => h('option', { value: o }, o)));
    } else if (input.type === 'text') {
      control = h('textarea', { id, rows: 2 });
    } else {
      control = h('input', { id, type: 'text', autocomplete: 'off', spellcheck: false, inputMode: input.type === 'count' ? 'numeric' : 'decimal' });
    }
    control.dataset.input = input.id;
    const error = h('p', { className: 'kpi-error', id: `${id}-error`, hidden: true, testid: `error-${input.id}` });
    const hint = h('p', { className: 'kpi-hint', id: `${id}-hint` }, this.hintFor(input));
    control.setAttribute('aria-describedby', `${error.id} ${hint.id}`);
    if (input.required) control.setAttribute('aria-required', 'true');
    control.addEventListener(input.type === 'bool' || input.type === 'choice' ? 'change' : 'input', () => {
      this.state.raw[input.id] = control.value;
      this.recompute('input');
    });
    this.controls.push(control);
    const row = h('div', { className: `kpi-field kpi-type-${input.type}`, dataset: { field: input.id }, part: 'field' },
      h('label', { for: id }, input.label),
      h('div', { className: 'kpi-control' }, control, isNumeric(input.type) && input.unit ? h('span', { className: 'kpi-unit-suffix' }, input.unit) : null,
        input.required ? null : h('span', { className: 'kpi-optional' }, '选填')),
      error,
      hint);
    this.fieldRefs.set(input.id, { control, error, row, input });
    return row;
  }

  hintFor(input) {
    const parts = [];
    if (TYPE_HINTS[input.type]) parts.push(TYPE_HINTS[input.type]);
    const bound = (b) => (typeof b === 'string' ? b : `「${this.inputs.get(b.input)?.label ?? b.input}」`);
    if (input.type === 'number' || (input.type === 'count' && input.max !== undefined)) {
      if (input.min !== undefined && input.max !== undefined) parts.push(`${bound(input.min)}至${bound(input.max)}`);
      else if (input.max !== undefined) parts.push(`不超过${bound(input.max)}`);
      else if (input.min !== undefined && input.type === 'number') parts.push(`不小于${bound(input.min)}`);
    }
    if (input.help) parts.push(input.help);
    return parts.join('；');
  }

  buildResult() {
    this.subtotalEl = h('output', { testid: 'subtotal' });
    this.adjustEl = h('output', { testid: 'adjustments-total' });
    this.bonusEl = h('output', { testid: 'bonus-total' });
    this.resultTotal = h('output', { testid: 'result-total' });
    this.resultGrade = h('output', { testid: 'result-grade' });
    this.reportLines = h('ul', { className: 'kpi-lines', testid: 'report-lines' });
    this.warningsEl = h('ul', { className: 'kpi-warnings', testid: 'warnings' });
    const row = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
    return h('section', { className: 'kpi-result', 'aria-label': '考核结果', part: 'result' },
      h('h3', {}, '考核结果'),
      h('dl', { className: 'kpi-result-table' },
        row('各部分得分合计', this.subtotalEl),
        row('扣分项', this.adjustEl),
        row('加分项', this.bonusEl),
        h('div', {}, this.resultTotalLabel = h('dt', {}, '总分'), h('dd', {}, this.resultTotal)),
        row('等次', this.resultGrade)),
      this.reportLines,
      this.warningsEl);
  }

  /** Puts the state's values into the controls (after load or clear). */
  syncControls() {
    for (const [id, ref] of this.fieldRefs) ref.control.value = this.state.raw[id] ?? '';
    for (const [key, ref] of this.unitRefs) ref.control.value = (ref.meta ? this.state.meta[key] : this.state.unit[key]) ?? '';
    for (const [tag, control] of this.tagRefs ?? []) control.checked = (this.state.unit.tags ?? []).includes(tag);
    for (const ref of this.entryRefs.values()) {
      if (!ref.note) continue;
      ref.note.value = this.state.notes[ref.entry.id] ?? '';
      ref.details.open = ref.note.value !== '';
    }
    syncLists(this);
  }

  // ------------------------------------------------------------------------------------------
  // Recomputing (every input)

  recompute(cause) {
    const engine = this.engine;
    const submission = this.submission();
    // Every problem at once, the unit's and the values'.
    const problems = engine.validate(submission);
    const unitFilled = submission.unit.id.trim() !== '' && submission.unit.name.trim() !== '';
    // `score` refuses a submission without a unit; a placeholder unit lets the values be scored
    // while the unit is still empty.
    const scoring = unitFilled ? submission : { ...submission, unit: { ...submission.unit, ...PLACEHOLDER_UNIT } };
    // A wrong value (in a list: a wrong cell) is left out, its items pending; so is a marking
    // with a problem.
    const { inputs: rejected, marks } = rejections(problems);
    const values = { ...scoring.values };
    for (const id of rejected) delete values[id];
    const scored = withoutMarks({ ...scoring, values }, marks);
    let touched = null;
    let scoreError = null;
    try {
      touched = this.scoreLive(scored, cause);
    } catch (err) {
      scoreError = err;
      this.dropLive();
    }
    this.problems = problems;
    this.rejected = rejected;
    this.scoreError = scoreError;
    let shown = this.current;
    if (this.external && this.externalReport) {
      // The batch's report of this unit follows shortly (setExternalReport); until then the last one.
      shown = this.externalReport;
      touched = null;
      if (cause === 'input') this.root.dataset.stale = 'true';
    }
    this.render(shown, problems, scoreError, rejected, touched);
    // The report is made only when a listener reads it: the live form's own while it is current,
    // after a later change by scoring what was scored then (the same report).
    const view = this;
    const generation = this.generation;
    let report;
    this.onUpdate({
      get report() {
        if (report === undefined) report = view.current === null ? null : generation === view.generation ? view.report : engine.score(scored);
        return report;
      },
      problems, submission, scored, rejected, cause, error: scoreError,
    });
  }

  /**
   * Scores `doc` into `this.current` with the live form. When only values changed since the last
   * call (a keystroke), each changed value is set and what the engine says changed is returned
   * (`{entries, sections, pending, self}`, to redraw only that); otherwise a new live form
   * is started and null is returned (redraw everything). Throws what scoring throws.
   */
  scoreLive(doc, cause) {
    const { values, ...rest } = doc;
    const key = JSON.stringify(rest);
    if (this.live && this.current && cause === 'input' && key === this.liveKey) {
      const edits = changedValues(this.liveValues, values);
      if (edits.length <= MAX_LIVE_EDITS) {
        const touched = { entries: new Set(), sections: new Set(), pending: false, self: false };
        try {
          for (const id of edits) applyChange(this.current, this.live.set(id, values[id] ?? null), this.itemAt, touched);
          this.liveValues = values;
          this.exact = null;
          this.generation++;
          return touched;
        } catch {
          // A value the live form refuses (its problem is shown at the field): started again below,
          // which reports the form's error as scoring it whole would.
        }
      }
    }
    this.dropLive();
    this.generation++;
    this.live = this.engine.live(doc);
    this.liveKey = key;
    this.liveValues = values;
    this.current = this.live.report();
    this.itemAt = new Map();
    this.current.sections.forEach((section, si) => section.items.forEach((item, ii) => this.itemAt.set(item.id, [si, ii])));
    return null;
  }

  /** Frees the live form (a new rule set, or values it cannot score). */
  dropLive() {
    this.live?.free();
    this.live = null;
    this.current = null;
    this.exact = null;
  }

  /**
   * Shows `report` and `problems`. `touched` (from a live change, see `scoreLive`) limits the
   * redraw to what the change reached; null redraws everything.
   */
  render(report, problems, scoreError, rejected, touched = null) {
    // Field problems next to their fields (in the assessor's words); the rest in the banner, which
    // names every field with a problem as a link to it.
    const byPath = new Map();
    for (const p of problems) {
      if (p.code === 'value.missing') continue;
      if (!byPath.has(p.path)) byPath.set(p.path, []);
      byPath.get(p.path).push(plainWords(p.message));
    }
    const shown = new Set();
    const wrongFields = [];
    for (const [id, ref] of this.fieldRefs) {
      const path = `/values/${id}`;
      const messages = byPath.get(path);
      shown.add(path);
      const text = messages ? messages.join('；') : null;
      if (ref.problemShown !== text) {
        setProblem(ref.control, ref.error, messages);
        ref.row.classList.toggle('kpi-invalid', Boolean(messages));
        ref.problemShown = text;
      }
      if (messages) wrongFields.push(ref.input);
    }
    for (const [key, ref] of this.unitRefs) {
      if (ref.type === 'date') {
        const text = this.state.meta[key] ?? '';
        const bad = ref.control.validity.badInput ? ['考核日期不完整或不存在，请重新选择日期'] :
          text !== '' && !isRealDate(text) ? [`考核日期「${text}」不存在，请重新选择日期（未保存）`] : undefined;
        setProblem(ref.control, ref.error, bad);
        continue;
      }
      if (!ref.path) continue;
      shown.add(ref.path);
      const key2 = ref.path.slice('/unit/'.length);
      setProblem(ref.control, ref.error, this.touched.has(`unit.${key2}`) ? byPath.get(ref.path) : undefined);
    }
    wrongFields.push(...renderExtraProblems(this, byPath, shown));
    const warnings = report?.warnings ?? [];
    const noteWarnings = new Map();
    for (const w of warnings) {
      const m = /^\/notes\/(.+)$/.exec(w.path);
      if (m) noteWarnings.set(m[1], plainWords(w.message));
    }
    const general = [];
    for (const [path, messages] of byPath) if (!shown.has(path)) general.push(...messages);
    if (scoreError) general.unshift(`无法评分：${plainWords(scoreError.message)}`);
    const fieldsKey = wrongFields.map((f) => f.id).join('\n');
    if (fieldsKey !== this.lastRender.get('wrong-fields')) {
      this.lastRender.set('wrong-fields', fieldsKey);
      setChildren(this.problemFields, wrongFields.length === 0 ? [] : [
        `${wrongFields.length}个输入项填写有误，相关项目暂不计分（标为「有错误」），总分为暂定：`,
        ...wrongFields.map((f) => {
          const link = h('a', { href: `#kpi-field-${f.id}`, className: 'kpi-problem-link', dataset: { input: f.id } }, f.label);
          link.addEventListener('click', (event) => {
            event.preventDefault();
            this.focusField(f.id);
          });
          return h('span', {}, ' ', link);
        })]);
    }
    setChildren(this.problemList, general.map((m) => h('li', {}, m)));
    setHidden(this.generalProblems, general.length === 0 && wrongFields.length === 0);

    if (!report) {
      setText(this.totalEl, '—');
      setText(this.gradeEl, '—');
      setText(this.gradeHintEl, '');
      setText(this.statusEl, '无法评分');
      return;
    }
    const final = report.status === 'final';
    const u = this.state.unit;
    setText(this.printUnit, `被考核单位：${u.name || '（未填写）'}（编号 ${u.id || '未填写'}）${this.state.meta.assessor ? ` · 考核人员：${this.state.meta.assessor}` : ''}${this.state.meta.date && isRealDate(this.state.meta.date) ? ` · 考核日期：${this.state.meta.date}` : ''}`);
    // Before the report is final: the total so far (pending items at full points) and 暂定; no
    // grade word that reads as final.
    setText(this.totalLabel, final ? '总分' : '暂计总分');
    setText(this.totalEl, report.total);
    // No grade at all (a rule set without grades, or one a veto withholds) is not waiting for
    // anything: it is said as it is, without a hint.
    const none = report.grade == null;
    setText(this.gradeEl, final || none ? gradeText(report) : '待定');
    setText(this.gradeHintEl, final || none ? '' : this.external ? `暂定为「${report.grade}」` : `暂计分对应「${report.grade}」`);
    setText(this.statusEl, this.form.status_labels[report.status]);
    setData(this.statusEl, 'status', report.status);
    setText(this.pendingCountEl, report.pending.length > 0 ? `（${report.pending.length}项待定）` : '');
    setData(this.root, 'status', report.status);

    // Vetoes: a banner for each triggered one.
    const triggered = report.vetoes.filter((v) => v.triggered === true);
    const vetoKey = triggered.map((v) => v.id).join('\n');
    if (vetoKey !== this.lastRender.get('vetoes')) {
      setChildren(this.vetoBanners, triggered.map((v) => h('p', { className: 'kpi-veto-banner', testid: `veto-banner-${v.id}` }, h('strong', {}, '一票否决：'), v.title, `（${v.effect_text}）`)));
      this.lastRender.set('vetoes', vetoKey);
    }
    const pendingKey = JSON.stringify(report.pending);
    if (pendingKey !== this.lastRender.get('pending')) {
      const kindName = { item: '项目', adjustment: '扣分项', bonus: '加分项', veto: '否决项' };
      setChildren(this.pendingList, report.pending.map((p) => {
        const link = h('a', { href: '#', className: 'kpi-pending-link' }, `${kindName[p.kind] ?? ''} ${p.kind === 'item' ? `${p.id} ` : ''}${p.title}`);
        link.addEventListener('click', (event) => {
          event.preventDefault();
          const first = (p.missing ?? []).find((id) => this.fieldRefs.has(id));
          this.focusField(first, `${p.kind}:${p.id}`);
        });
        return h('li', {}, link, `：${plainWords(p.reason)}`);
      }));
      this.lastRender.set('pending', pendingKey);
      setHidden(this.pendingList.parentElement, report.pending.length === 0);
    }
    const pendingOf = new Map(report.pending.map((p) => [`${p.kind}:${p.id}`, p]));
    // Entries reading a value the engine refused: 有错误, no score (never full marks).
    const wrongOf = new Map();
    for (const [key, ref] of this.entryRefs) {
      const wrong = (ref.entry.inputs ?? []).filter((id) => rejected.has(id));
      if (wrong.length > 0) wrongOf.set(key, wrong.map((id) => `「${this.inputs.get(id)?.label ?? id}」`).join('、'));
    }

    // After a live change only what it reached is redrawn, and the entries whose problem or
    // pending reason changed; otherwise everything.
    const redraw = touched === null ? null : this.redrawnEntries(touched, pendingOf, wrongOf);
    this.lastPendingOf = pendingOf;
    this.lastWrongOf = wrongOf;
    const drawn = (key) => redraw === null || redraw.has(key);
    for (const section of report.sections) {
      const ref = this.sectionRefs.get(section.id);
      if (!ref) continue;
      if (touched === null || touched.sections.has(section.id)) {
        setText(ref.score, section.score ?? this.form.status_labels.not_applicable);
        this.renderLines(`section:${section.id}`, ref.lines, section.lines);
      }
      for (const item of section.items) {
        if (!drawn(`item:${item.id}`)) continue;
        this.renderEntry(`item:${item.id}`, item.score === null ? '不计分' : item.score, item.status, item.lines, pendingOf, item.value, true, wrongOf);
      }
    }
    for (const a of report.adjustments) {
      if (drawn(`adjustment:${a.id}`)) this.renderEntry(`adjustment:${a.id}`, a.amount, a.status, a.lines, pendingOf, undefined, true, wrongOf);
    }
    for (const b of report.bonus?.items ?? []) {
      if (drawn(`bonus:${b.id}`)) this.renderEntry(`bonus:${b.id}`, signed(b.amount), b.status, b.lines, pendingOf, undefined, true, wrongOf);
    }
    for (const v of report.vetoes) {
      if (!drawn(`veto:${v.id}`)) continue;
      const text = v.triggered === true ? '已触发' : v.triggered === false ? '未触发' : '待定';
      const ref = this.entryRefs.get(`veto:${v.id}`);
      if (ref) ref.card.classList.toggle('kpi-triggered', v.triggered === true);
      this.renderEntry(`veto:${v.id}`, text, v.triggered === null ? 'pending' : 'scored', [], pendingOf, undefined, false, wrongOf);
    }
    if (touched === null || touched.self) renderSelf(this, report);
    const notesKey = JSON.stringify([[...noteWarnings], [...byPath].filter(([path]) => path.startsWith('/notes/'))]);
    if (touched === null || notesKey !== this.lastRender.get('notes')) {
      this.lastRender.set('notes', notesKey);
      for (const ref of this.entryRefs.values()) {
        if (!ref.note) continue;
        const message = noteWarnings.get(ref.entry.id) ?? byPath.get(`/notes/${ref.entry.id}`)?.join('；');
        setProblem(ref.note, ref.noteError, message ? [message] : undefined);
        if (message) ref.details.open = true;
      }
    }
    this.renderSummary(report, wrongOf);
    this.renderNav(report, wrongFields, pendingOf);

    setText(this.subtotalEl, report.subtotal);
    // Adjustments that took points, each with its amount as the engine gave it.
    const taken = report.adjustments.filter((a) => !ZERO.test(a.amount));
    setText(this.adjustEl, taken.length === 0 ? '无' : taken.map((a) => `${a.title} ${a.amount}`).join('；'));
    setText(this.bonusEl, report.bonus ? signed(report.bonus.amount) : '无');
    setText(this.resultTotalLabel, final ? '总分' : '暂计总分（暂定）');
    setText(this.resultTotal, `${report.total} / ${report.full_score}`);
    setText(this.resultGrade, final || report.grade == null ? gradeText(report, { withScore: true })
      : `待定（暂计分对应「${report.grade}」，${report.pending.length}项待定）`);
    this.renderLines('report', this.reportLines, [...(report.bonus?.lines ?? []), ...report.lines]);
    const warningsKey = JSON.stringify(warnings);
    if (warningsKey !== this.lastRender.get('warnings')) {
      setChildren(this.warningsEl, warnings.map((w) => h('li', {}, plainWords(w.message))));
      this.lastRender.set('warnings', warningsKey);
    }
  }

  /**
   * 扣分汇总: section scores and every line that took (or gave back) points, as the engine wrote
   * them. Each part (a section's own lines, an item's, an adjustment's, the total's) is redrawn
   * only when its lines changed: typing in one field redraws that item's lines, not the list.
   */
  renderSummary(report, wrongOf) {
    for (const s of report.sections) {
      const cell = this.summaryScores.get(s.id);
      if (cell) setText(cell, s.score ?? this.form.status_labels.not_applicable);
    }
    const parts = [];
    for (const s of report.sections) {
      parts.push([`section:${s.id}`, s.title, s.lines]);
      for (const i of s.items) parts.push([`item:${i.id}`, `${i.id} ${i.title}`, i.lines]);
    }
    for (const a of report.adjustments) parts.push([`adjustment:${a.id}`, a.title, a.lines]);
    parts.push(['report', '总分', report.lines]);
    let count = 0;
    let next = null;
    // From the end, so that each part's new lines go before the first line of the parts after it.
    for (let k = parts.length - 1; k >= 0; k--) {
      const [key, where, lines] = parts[k];
      let part = this.summaryParts.get(key);
      // A live change replaces what changed: the same lines array is the same lines.
      if (part?.lines !== lines) {
        const signature = JSON.stringify(lines);
        if (part?.signature !== signature) {
          // Not a deduction: notes, bonus points, quota moves, and a section's or the total's
          // conversion to another scale (满分15分 scored out of 100 is 100 → 15, not 85 taken).
          const shown = lines.filter((l) => !NOT_DEDUCTIONS.has(l.kind) && !ZERO.test(l.points));
          if (part && part.nodes.length === shown.length) {
            // As many lines as before: their texts changed in place.
            shown.forEach((l, i) => {
              setText(part.nodes[i].querySelector('.kpi-summary-reason'), l.reason);
              setText(part.nodes[i].querySelector('.kpi-line-points'), signed(l.points));
            });
            part.signature = signature;
          } else {
            for (const node of part?.nodes ?? []) node.remove();
            const nodes = shown.map((l) => h('li', {}, h('span', { className: 'kpi-summary-where' }, where), ' ', h('span', { className: 'kpi-summary-reason' }, l.reason), ' ', h('strong', { className: 'kpi-line-points' }, signed(l.points))));
            for (const node of nodes) this.summaryLines.insertBefore(node, next);
            part = { nodes, signature };
            this.summaryParts.set(key, part);
          }
        }
        part.lines = lines;
      }
      count += part.nodes.length;
      if (part.nodes.length > 0) next = part.nodes[0];
    }
    const final = report.status === 'final';
    setText(this.summaryNote, `${count > 0 ? `共${count}条扣分（含扣完为止返还）` : '目前没有扣分'}${final ? '。' : `；${report.pending.length}项待定，按满分暂计，结果为暂定。`}${wrongOf.size > 0 ? `另有${wrongOf.size}个项目填写有误，未计分。` : ''}`);
  }

  /** The entries to redraw after a live change: those it reached, and those whose problem or pending reason changed. */
  redrawnEntries(touched, pendingOf, wrongOf) {
    const keys = new Set(touched.entries);
    const last = this.lastWrongOf ?? new Map();
    for (const [key, text] of wrongOf) if (last.get(key) !== text) keys.add(key);
    for (const key of last.keys()) if (!wrongOf.has(key)) keys.add(key);
    if (touched.pending) {
      const before = this.lastPendingOf ?? new Map();
      for (const [key, p] of pendingOf) if (JSON.stringify(p) !== JSON.stringify(before.get(key))) keys.add(key);
      for (const key of before.keys()) if (!pendingOf.has(key)) keys.add(key);
    }
    return keys;
  }

  renderNav(report, wrongFields, pendingOf) {
    if (!this.navRefs || this.navRefs.size === 0) return;
    const wrongIn = new Map();
    for (const f of wrongFields) wrongIn.set(f.section ?? '', (wrongIn.get(f.section ?? '') ?? 0) + 1);
    const scores = new Map(report.sections.map((s) => [s.id, s.score]));
    for (const [key, ref] of this.navRefs) {
      let pending = 0;
      for (const entryKey of pendingOf.keys()) if (this.entryGroup.get(entryKey) === key) pending++;
      const parts = [];
      // A section whose every item is not applicable has no score (null): the engine's word for it.
      if (scores.has(key)) parts.push(scores.get(key) === null ? this.form.status_labels.not_applicable : `${scores.get(key)}分`);
      if (wrongIn.get(key)) parts.push(`${wrongIn.get(key)}处有误`);
      if (pending) parts.push(`${pending}项待定`);
      const text = parts.length > 0 ? `（${parts.join('，')}）` : '';
      setText(ref.count, text);
      ref.link.classList.toggle('kpi-nav-wrong', Boolean(wrongIn.get(key)));
    }
  }

  renderEntry(key, scoreText, status, lines, pendingOf, value, withStatus = true, wrongOf = new Map()) {
    const ref = this.entryRefs.get(key);
    if (!ref) return;
    const wrong = withStatus ? wrongOf.get(key) : undefined;
    setText(ref.score, wrong ? '—' : scoreText);
    const statusText = !withStatus ? '' : wrong ? '有错误' : this.form.status_labels[status] ?? '';
    setText(ref.status, statusText);
    setData(ref.card, 'status', wrong ? 'error' : status);
    const lineList = withGroupHeadings(value !== undefined ? [{ reason: `指标实际值：${value}`, points: '', kind: 'info' }, ...lines] : lines);
    this.renderLines(key, ref.lines, lineList);
    const pending = pendingOf.get(key);
    const text = wrong ? `${wrong}填写有误，本项暂不计分，请按提示修改。` : pending ? plainWords(pending.reason) : '';
    setHidden(ref.pending, text === '');
    ref.pending.classList.toggle('kpi-entry-error', Boolean(wrong));
    setText(ref.pending, text);
  }

  renderLines(key, list, lines) {
    const signature = JSON.stringify(lines);
    if (this.lastRender.get(key) === signature) return;
    this.lastRender.set(key, signature);
    const withPoints = (line) => line.points !== '' && line.kind !== 'info';
    const kids = list.children;
    // As many lines as before, each with or without points as before (a count typed again): the
    // texts are changed in place, no element is made or dropped.
    if (kids.length === lines.length && lines.every((line, i) => kids[i].childElementCount === (withPoints(line) ? 2 : 1))) {
      lines.forEach((line, i) => {
        const li = kids[i];
        const className = `kpi-line kpi-line-${line.kind}`;
        if (li.className !== className) li.className = className;
        setText(li.firstElementChild, line.reason);
        if (withPoints(line)) setText(li.lastElementChild, signed(line.points));
      });
      return;
    }
    setChildren(list, lines.map((line) => h('li', { className: `kpi-line kpi-line-${line.kind}` },
      h('span', { className: 'kpi-line-reason' }, line.reason),
      withPoints(line) ? h('span', { className: 'kpi-line-points' }, signed(line.points)) : null)));
  }
}

// Writes that change nothing are skipped: an attribute or text written again still makes the
// browser recalculate styles (a status on the form's root, every element under it).
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setData(el, key, value) {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}

function setProblem(control, errorEl, messages) {
  const text = messages ? messages.join('；') : '';
  setText(errorEl, text);
  errorEl.hidden = !messages;
  if (messages) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}
