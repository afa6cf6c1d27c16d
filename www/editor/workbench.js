// 细则编辑: the rule authors' workbench. One rule set being edited, in a structured view
// (structured.js) or as JSON (source.js, CodeMirror); on every change the engine loads it again:
// its problems are marked at the fields their JSON pointers name, its embedded tests run, and the
// assessor's form (<kpi-assessment>) previews it, fillable. Then compare against the previous
// version (compare.js) and publish: the rule file with a new version, the 考核细则 document as a
// print view and XLSX (publish.js).
//
// Nothing here scores or checks: every problem, test verdict, figure and sentence of the rules in
// words comes from the engine. Rule-set text is untrusted: shown as text only.
import { Engine, builtInRuleSets, builtInRuleSetSource, loadTools } from '/pkg/index.js';
import '/pkg/element.js';
import { $, h, download, readLimited, fileName } from '../dom.js';
import { parseDoc, formatDoc, setAt, getAt, textOf, segments } from './json.js';
import { createStructured, GROUPS, groupOf } from './structured.js';

// runTests, probe, criteria and the comparison are in the package's tools module: the workbench is
// the page that needs them, so it loads them before anything else runs.
await loadTools();

const DRAFT_KEY = 'kpi-workbench:draft';
const PREVIEW_UNIT = { id: 'preview', name: '预览单位' };
const HISTORY_LIMIT = 200;

const state = {
  text: '',
  doc: null, // the parsed document; null while the source text is not JSON
  engine: null, // the last rule set that loaded (the preview's)
  loaded: false, // whether `text` itself loaded
  problems: [],
  tests: null,
  history: [],
  at: -1,
  coalesce: null, // {key, time}: typing in one field is one undo step
  mode: 'structured',
  generation: 0,
  name: '',
};

let root = null;
let structured = null;
let source = null; // the CodeMirror view, once opened
let sourceModule = null;
let preview = null;
let scheduled = null;
let compare = null;
let publish = null;

const BLANK = () => ({
  format: 'kpi-rules/1',
  id: 'new-rules',
  version: '1',
  title: '新考核细则',
  period: String(new Date().getFullYear()),
  unit_kind: 'subdistrict',
  full_score: '100',
  inputs: [],
  sections: [{ id: 's1', title: '第一部分', points: '100', items: [] }],
  grades: [{ name: '合格', min: '60' }, { name: '不合格', min: '0' }],
});

// ------------------------------------------------------------------------------------------------
// The document, its history, and the engine

/** Everything after a change: load in the engine, mark problems, run the tests, update the preview. */
function refresh() {
  scheduled = null;
  const started = performance.now();
  let engine = null;
  let problems = [];
  try {
    engine = new Engine(state.text);
  } catch (err) {
    problems = err.problems ?? [{ code: 'rules.invalid', path: '', message: String(err.message) }];
  }
  state.problems = problems;
  state.loaded = engine !== null;
  const loadedAt = performance.now();
  let previewMs = 0;
  if (engine) {
    state.tests = engine.runTests();
    const previous = state.engine;
    state.engine = engine;
    const p0 = performance.now();
    updatePreview(engine);
    previewMs = performance.now() - p0;
    if (previous) previous.free();
  }
  showProblems();
  showTests();
  showStatus();
  compare?.rulesChanged();
  publish?.rulesChanged();
  saveDraftSoon();
  state.generation += 1;
  root.dataset.generation = String(state.generation);
  root.dataset.refreshMs = (performance.now() - started).toFixed(1);
  root.dataset.loadMs = (loadedAt - started).toFixed(1);
  root.dataset.previewMs = previewMs.toFixed(1);
  root.dispatchEvent(new CustomEvent('workbench-refresh', { detail: { generation: state.generation } }));
}

let saveTimer = null;
/** Keeps the draft in the browser, a moment after the typing stops (the text is up to 8 MiB). */
function saveDraftSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify({ name: state.name, text: state.text, savedAt: new Date().toISOString() }));
    } catch {
      // Storage full or unavailable: the draft stays in the page; 下载细则文件 saves it.
    }
  }, 400);
}
window.addEventListener('pagehide', () => {
  if (saveTimer !== null && state.text) {
    clearTimeout(saveTimer);
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify({ name: state.name, text: state.text, savedAt: new Date().toISOString() }));
    } catch {
      // As above.
    }
  }
});

// A task right after the current one (setTimeout(0) may wait for the timer's clamp).
const channel = new MessageChannel();
channel.port1.onmessage = () => refresh();

/** Reloads soon: edits that arrive meanwhile are taken together. */
function schedule() {
  if (scheduled === null) {
    scheduled = true;
    channel.port2.postMessage(null);
  }
}

function record(text, coalesceKey = null) {
  const now = Date.now();
  const same = coalesceKey !== null && state.coalesce && state.coalesce.key === coalesceKey && now - state.coalesce.time < 1500 && state.at === state.history.length - 1;
  if (same) {
    state.history[state.at] = text;
  } else {
    state.history.splice(state.at + 1);
    state.history.push(text);
    if (state.history.length > HISTORY_LIMIT) state.history.shift();
    state.at = state.history.length - 1;
  }
  state.coalesce = coalesceKey === null ? null : { key: coalesceKey, time: now };
  showUndo();
}

/** A new text from the source view (the user typed JSON). */
function setText(text, { coalesceKey = 'source' } = {}) {
  state.text = text;
  try {
    state.doc = parseDoc(text);
  } catch {
    state.doc = null;
  }
  record(text, coalesceKey);
  schedule();
}

/** A change from the structured view: a value at a pointer. */
function change(path, value, { order = null, structural = false, coalesce = null, focus = null, open = null } = {}) {
  if (!state.doc) return;
  if (path === '') state.doc = value;
  else setAt(state.doc, path, value, order);
  state.text = formatDoc(state.doc);
  record(state.text, structural ? null : coalesce ?? path);
  if (structural) {
    structured.render({ focusPath: focus ?? open ?? path });
  }
  if (state.mode === 'source') source?.setText(state.text);
  schedule();
}

/** Loads a whole new document (new, a built-in, a file, undo, redo). */
function load(text, { name = state.name, keepHistory = false } = {}) {
  state.name = name;
  state.text = text;
  try {
    state.doc = parseDoc(text);
  } catch {
    state.doc = null;
  }
  if (!keepHistory) {
    state.history = [];
    state.at = -1;
    record(text);
  }
  state.coalesce = null;
  if (structured && state.doc && state.mode === 'structured') structured.render({ keepFocus: false });
  if (state.mode === 'source') source?.setText(text);
  showUndo();
  refresh();
}

function undo() {
  if (state.at <= 0) return;
  state.at -= 1;
  load(state.history[state.at], { keepHistory: true });
}

function redo() {
  if (state.at >= state.history.length - 1) return;
  state.at += 1;
  load(state.history[state.at], { keepHistory: true });
}

/** Reformats the source text (the same document, written as the structured view writes it). */
function format() {
  if (!state.doc) return;
  const text = formatDoc(state.doc);
  if (text === state.text) return;
  state.text = text;
  record(text);
  source?.setText(text);
  schedule();
}

// ------------------------------------------------------------------------------------------------
// The preview: the assessor's form for the rule set being edited, keeping what was filled in

function updatePreview(engine) {
  // Most edits change the scoring but not the form (a deduction's points, a reason, a condition):
  // then the preview keeps its fields and only scores again.
  if (preview.engine && preview.replaceEngine(engine)) return;
  const info = engine.ruleSet();
  const form = engine.form();
  const before = preview.engine ? preview.submission : null;
  let doc = null;
  if (before) {
    const types = new Map(form.inputs.map((i) => [i.id, i.type]));
    const oldTypes = new Map((preview.form?.inputs ?? []).map((i) => [i.id, i.type]));
    const values = Object.fromEntries(Object.entries(before.values ?? {}).filter(([id]) => types.has(id) && types.get(id) === oldTypes.get(id)));
    const tags = new Set((form.unit_tags ?? []).map((t) => t.id));
    const unit = { ...before.unit };
    if (Array.isArray(unit.tags)) unit.tags = unit.tags.filter((t) => tags.has(t));
    doc = { ...before, rules: { id: info.id, version: info.version }, period: info.period, unit, values, notes: {} };
  } else {
    // A preview unit, so that the form does not open on 「被考核单位名称不能为空」.
    doc = { format: 'kpi-submission/1', rules: { id: info.id, version: info.version }, period: info.period, unit: { ...PREVIEW_UNIT }, values: {} };
  }
  try {
    preview.setRules(engine, doc ?? undefined);
  } catch {
    preview.setRules(engine);
  }
}

// ------------------------------------------------------------------------------------------------
// Problems, tests, status

function showStatus() {
  const status = $('wb-status');
  const n = state.problems.length;
  const t = state.tests;
  const parts = [];
  if (state.doc === null) parts.push('源文件不是有效的 JSON');
  parts.push(n === 0 ? '细则可以加载，没有问题' : `共${n}个问题${state.engine ? '（预览为最后一次能加载的版本）' : ''}`);
  if (state.loaded && t) parts.push(t.cases.length === 0 ? '没有测试用例' : `测试用例 ${t.passed} 个通过${t.failed > 0 ? `，${t.failed} 个未通过` : ''}`);
  status.textContent = parts.join('；');
  status.className = `wb-status ${n > 0 || (state.loaded && t?.failed > 0) ? 'bad' : 'ok'}`;
  $('wb-problems-tab').textContent = `问题（${n}）`;
  const failed = state.loaded && t ? t.failed : 0;
  $('wb-tests-tab').textContent = failed > 0 ? `测试用例（${failed}个未通过）` : `测试用例（${t?.cases.length ?? 0}）`;
  for (const g of GROUPS) {
    const count = state.problems.filter((p) => groupOf(p.path) === g.id).length;
    const tab = $(`wb-group-${g.id}`);
    tab.textContent = count > 0 ? `${g.label}（${count}）` : g.label;
    tab.classList.toggle('bad', count > 0);
  }
  $('wb-title').textContent = state.doc ? `${textOf(state.doc.title)}（${textOf(state.doc.version)}）` : state.name;
}

function showProblems() {
  const list = $('wb-problems');
  list.replaceChildren(...state.problems.map((p) => {
    const button = h('button', { type: 'button', className: 'link' }, p.message);
    button.addEventListener('click', () => reveal(p.path));
    return h('li', { dataset: { code: p.code, path: p.path } }, button, h('span', { className: 'where' }, ` ${p.code} · ${p.path || '/'}`));
  }));
  if (state.problems.length === 0) list.append(h('li', { className: 'none' }, '没有问题：引擎已加载本细则。'));
  if (state.mode === 'structured' && state.doc) structured.markProblems(state.problems);
  if (state.mode === 'source') source?.setProblems(state.problems);
}

/** Shows where a problem is: the field in the structured view, or the text in the source view. */
function reveal(path) {
  if (state.mode === 'source' && source) return source.reveal(path);
  if (groupOf(path) === null) {
    selectAside('tests');
    return;
  }
  if (state.mode !== 'structured') setMode('structured');
  structured.reveal(path);
  for (const g of GROUPS) $(`wb-group-${g.id}`).setAttribute('aria-selected', String(g.id === structured.group));
  structured.markProblems(state.problems);
}

function showTests() {
  const box = $('wb-tests');
  const t = state.tests;
  if (!t) return;
  const rows = t.cases.map((c, i) => h('li', { className: c.passed ? 'pass' : 'fail', testid: 'test-case', dataset: { name: c.name, passed: String(c.passed) } },
    h('div', { className: 'case-head' },
      h('span', { className: 'verdict' }, c.passed ? '✓ 通过' : '✗ 未通过'),
      h('strong', {}, c.name),
      (() => { const b = h('button', { type: 'button', className: 'tool danger', 'aria-label': `删除测试用例「${c.name}」`, title: '删除' }, '✕'); b.addEventListener('click', () => removeTest(i)); return b; })()),
    c.passed ? '' : h('table', { className: 'grid diffs' },
      h('thead', {}, h('tr', {}, h('th', {}, '不符的数值'), h('th', {}, '期望'), h('th', {}, '实际'))),
      h('tbody', {}, c.differences.map((d) => h('tr', { testid: 'test-difference', dataset: { what: d.what, id: d.id ?? '' } },
        h('td', {}, DIFF_WORDS[d.what](d)),
        h('td', { className: 'num' }, d.expected),
        h('td', { className: 'num' }, d.actual)))))));
  box.replaceChildren(
    state.loaded ? '' : h('p', { className: 'hint' }, '细则有问题，暂不能运行测试用例；以下为最后一次能加载时的结果。'),
    rows.length > 0 ? h('ul', { className: 'cases' }, rows) : h('p', { className: 'hint' }, '本细则没有测试用例。在「预览」中填写一份考核表，再点「存为测试用例」。'));
}

const DIFF_WORDS = {
  total: () => '总分',
  grade: () => '等次',
  status: () => '状态',
  item: (d) => `项目 ${d.id}${d.title ? ` ${d.title}` : ''}`,
  vetoes: () => '触发的否决项',
  error: () => '无法评分',
};

/** The preview's values and the engine's result for them, as an embedded test case. */
function saveTest() {
  const report = preview.report;
  if (!state.doc || !report || !state.loaded) return;
  const sub = preview.submission;
  const name = $('wb-test-name').value.trim() || `用例${(state.doc.tests?.length ?? 0) + 1}`;
  const items = {};
  for (const s of report.sections) for (const item of s.items) if (item.score !== null) items[item.id] = item.score;
  const expect = { total: report.total, grade: report.grade, status: report.status, items };
  const vetoes = report.vetoes.filter((v) => v.triggered === true).map((v) => v.id);
  if (vetoes.length > 0) expect.vetoes = vetoes;
  const test = { name, values: sub.values, expect };
  const placeholder = sub.unit.id === PREVIEW_UNIT.id && sub.unit.name === PREVIEW_UNIT.name;
  if ((!placeholder && (sub.unit.id || sub.unit.name)) || sub.unit.tags?.length) test.unit = { id: sub.unit.id || 'test', name: sub.unit.name || name, ...(sub.unit.tags?.length ? { tags: sub.unit.tags } : {}) };
  const tests = Array.isArray(state.doc.tests) ? state.doc.tests.slice() : [];
  tests.push(test);
  $('wb-test-name').value = '';
  change('/tests', tests, { structural: true, order: null });
  selectAside('tests');
}

function removeTest(i) {
  const tests = (state.doc?.tests ?? []).slice();
  tests.splice(i, 1);
  change('/tests', tests.length > 0 ? tests : undefined, { structural: true });
}

function showUndo() {
  if (!root) return;
  $('wb-undo').disabled = state.at <= 0;
  $('wb-redo').disabled = state.at >= state.history.length - 1;
}

// ------------------------------------------------------------------------------------------------
// Modes: structured, source, compare, publish; the aside's panels

async function setMode(mode) {
  if (mode === 'structured' && state.doc === null) {
    $('wb-mode-note').textContent = '源文件不是有效的 JSON，请先在源文件中修正，才能切换到结构编辑。';
    $('wb-mode-note').hidden = false;
    return;
  }
  $('wb-mode-note').hidden = true;
  state.mode = mode;
  for (const m of ['structured', 'source', 'compare', 'publish']) {
    $(`wb-mode-${m}`).setAttribute('aria-selected', String(m === mode));
    $(`wb-pane-${m}`).hidden = m !== mode;
  }
  if (mode === 'structured') {
    structured.render({ keepFocus: false });
    structured.markProblems(state.problems);
  }
  if (mode === 'source') {
    sourceModule ??= await import('./source.js');
    if (!source) {
      source = sourceModule.createSourceEditor($('wb-source'), { text: state.text, onChange: (text) => setText(text), onFormat: format });
    } else {
      source.setText(state.text);
    }
    source.setProblems(state.problems);
    source.focus();
  }
  if (mode === 'compare') {
    compare ??= (await import('./compare.js')).createCompare($('wb-pane-compare'), { current: () => state });
    compare.rulesChanged();
  }
  if (mode === 'publish') {
    publish ??= (await import('./publish.js')).createPublish($('wb-pane-publish'), {
      current: () => state,
      setVersion: (v) => change('/version', v, { structural: false }),
    });
    publish.rulesChanged();
  }
}

function selectAside(name) {
  for (const n of ['preview', 'tests', 'problems']) {
    $(`wb-${n}-tab`).setAttribute('aria-selected', String(n === name));
    $(`wb-aside-${n}`).hidden = n !== name;
  }
}

// ------------------------------------------------------------------------------------------------
// The view

function tabButton(id, text, testid) {
  return h('button', { type: 'button', role: 'tab', id, testid: testid ?? id, 'aria-selected': 'false' }, text);
}

function build(container) {
  const builtin = h('select', { id: 'wb-builtin', testid: 'wb-builtin', 'aria-label': '打开内置细则' },
    h('option', { value: '' }, '打开内置细则…'),
    builtInRuleSets().map((r) => h('option', { value: r.id }, `${r.title}（${r.version}）`)));
  const file = h('input', { type: 'file', id: 'wb-file', testid: 'wb-file', accept: '.json,application/json' });
  const tests = h('input', { id: 'wb-test-name', testid: 'wb-test-name', placeholder: '用例名称（可不填）', autocomplete: 'off' });
  container.replaceChildren(
    h('div', { className: 'toolbar wb-toolbar', role: 'toolbar', 'aria-label': '细则编辑操作' },
      h('button', { type: 'button', id: 'wb-new', testid: 'wb-new' }, '新建空白细则'),
      builtin,
      h('label', { className: 'button file' }, '打开细则文件…', file),
      h('span', { className: 'sep', 'aria-hidden': 'true' }),
      h('button', { type: 'button', id: 'wb-undo', testid: 'wb-undo', title: '撤销（Ctrl+Z）' }, '撤销'),
      h('button', { type: 'button', id: 'wb-redo', testid: 'wb-redo', title: '重做（Ctrl+Y）' }, '重做'),
      h('button', { type: 'button', id: 'wb-download', testid: 'wb-download' }, '下载细则文件'),
      h('strong', { id: 'wb-title', className: 'wb-title', testid: 'wb-title' })),
    h('p', { id: 'wb-status', className: 'wb-status', testid: 'wb-status', role: 'status' }),
    h('div', { className: 'wb-body' },
      h('div', { className: 'wb-main' },
        h('div', { className: 'tabs wb-modes', role: 'tablist', 'aria-label': '编辑方式' },
          tabButton('wb-mode-structured', '结构编辑'), tabButton('wb-mode-source', '源文件（JSON）'),
          tabButton('wb-mode-compare', '发布前对比'), tabButton('wb-mode-publish', '发布')),
        h('p', { id: 'wb-mode-note', className: 'banner warn', hidden: true, role: 'alert' }),
        h('div', { id: 'wb-pane-structured', className: 'wb-pane' },
          h('div', { className: 'tabs wb-groups', role: 'tablist', 'aria-label': '细则内容' }, GROUPS.map((g) => tabButton(`wb-group-${g.id}`, g.label))),
          h('div', { id: 'wb-structured', className: 'wb-structured', testid: 'wb-structured' })),
        h('div', { id: 'wb-pane-source', className: 'wb-pane', hidden: true },
          h('div', { className: 'toolbar' },
            h('button', { type: 'button', id: 'wb-format', testid: 'wb-format', title: 'Shift+Alt+F' }, '格式化'),
            h('span', { className: 'hint' }, '输入时按 Ctrl+空格 提示字段（来自细则的 JSON Schema）；红色波浪线处为引擎指出的问题。')),
          h('div', { id: 'wb-source', className: 'wb-source', testid: 'wb-source' })),
        h('div', { id: 'wb-pane-compare', className: 'wb-pane', hidden: true }),
        h('div', { id: 'wb-pane-publish', className: 'wb-pane', hidden: true })),
      h('aside', { className: 'wb-aside', 'aria-label': '预览、测试用例与问题' },
        h('div', { className: 'tabs', role: 'tablist' },
          tabButton('wb-preview-tab', '预览'), tabButton('wb-tests-tab', '测试用例'), tabButton('wb-problems-tab', '问题')),
        h('div', { id: 'wb-aside-preview' },
          h('div', { className: 'toolbar' }, tests, h('button', { type: 'button', id: 'wb-save-test', testid: 'wb-save-test' }, '存为测试用例')),
          h('p', { className: 'hint' }, '按正在编辑的细则生成的考核表，可以填写；每次修改细则后保留已填写的内容。'),
          h('kpi-assessment', { id: 'wb-preview', testid: 'wb-preview' })),
        h('div', { id: 'wb-aside-tests', hidden: true }, h('div', { id: 'wb-tests', testid: 'wb-tests' })),
        h('div', { id: 'wb-aside-problems', hidden: true }, h('ul', { id: 'wb-problems', className: 'problems', testid: 'wb-problems' })))));

  preview = $('wb-preview');
  $('wb-new').addEventListener('click', () => load(formatDoc(BLANK()), { name: '新考核细则' }));
  builtin.addEventListener('change', () => {
    const id = builtin.value;
    builtin.value = '';
    if (id) load(formatDoc(parseDoc(builtInRuleSetSource(id))), { name: id });
  });
  file.addEventListener('change', async () => {
    const f = file.files[0];
    file.value = '';
    if (!f) return;
    try {
      load(await readLimited(f, '细则文件'), { name: f.name });
    } catch (err) {
      $('wb-mode-note').textContent = err.message;
      $('wb-mode-note').hidden = false;
    }
  });
  $('wb-undo').addEventListener('click', undo);
  $('wb-redo').addEventListener('click', redo);
  $('wb-download').addEventListener('click', () => {
    const id = state.doc ? textOf(state.doc.id) : 'rules';
    const version = state.doc ? textOf(state.doc.version) : '';
    download(fileName(`${id}-${version}.json`), `${state.text}\n`, 'application/json');
  });
  $('wb-format').addEventListener('click', format);
  $('wb-save-test').addEventListener('click', saveTest);
  for (const m of ['structured', 'source', 'compare', 'publish']) $(`wb-mode-${m}`).addEventListener('click', () => setMode(m));
  for (const n of ['preview', 'tests', 'problems']) $(`wb-${n}-tab`).addEventListener('click', () => selectAside(n));
  for (const g of GROUPS) {
    $(`wb-group-${g.id}`).addEventListener('click', () => {
      structured.setGroup(g.id);
      for (const x of GROUPS) $(`wb-group-${x.id}`).setAttribute('aria-selected', String(x.id === g.id));
      structured.render({ keepFocus: false });
      structured.markProblems(state.problems);
    });
  }
  // Arrow keys move between the tabs of a tab list, as in the app's own tabs.
  container.addEventListener('keydown', (event) => {
    const tab = event.target.closest?.('[role="tab"]');
    if (tab && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      const tabs = [...tab.parentElement.querySelectorAll('[role="tab"]')];
      const next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
      next.focus();
      next.click();
      event.preventDefault();
      return;
    }
    // Undo and redo of the structured view (the source view has its own, inside CodeMirror).
    if ((event.ctrlKey || event.metaKey) && state.mode === 'structured' && !event.altKey) {
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) { event.preventDefault(); undo(); }
      else if (key === 'y' || (key === 'z' && event.shiftKey)) { event.preventDefault(); redo(); }
    }
  });
  $('wb-group-general').setAttribute('aria-selected', 'true');
  $('wb-mode-structured').setAttribute('aria-selected', 'true');
  $('wb-preview-tab').setAttribute('aria-selected', 'true');

  structured = createStructured($('wb-structured'), {
    doc: () => state.doc,
    change,
    inputs: () => (Array.isArray(state.doc?.inputs) ? state.doc.inputs.map((i) => ({ id: textOf(i?.id), label: textOf(i?.label), type: textOf(i?.type) })) : []),
  });
}

/** Opens the view (first time: builds it and restores the draft, or opens the built-in 街镇 set). */
export async function showWorkbench() {
  if (!document.querySelector('link[data-workbench-css]')) {
    const link = h('link', { rel: 'stylesheet', href: '/editor/editor.css' });
    link.dataset.workbenchCss = '';
    document.head.append(link);
  }
  if (root) return;
  root = $('view-workbench');
  build($('wb-root'));
  await customElements.whenDefined('kpi-assessment');
  let draft = null;
  try {
    draft = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null');
  } catch {
    draft = null;
  }
  if (draft && typeof draft.text === 'string') load(draft.text, { name: draft.name ?? '' });
  else load(formatDoc(parseDoc(builtInRuleSetSource('subdistrict'))), { name: 'subdistrict' });
  // The source editor's code is fetched now, in the background, so that opening it is instant.
  import('./source.js').then((m) => { sourceModule = m; }).catch(() => {});
}

/** For tests and benchmarks: the state as the engine last saw it. */
export function workbenchState() {
  return { text: state.text, sourceText: source ? source.getText() : null, problems: state.problems, tests: state.tests, generation: state.generation, loaded: state.loaded, mode: state.mode };
}

export { getAt, segments };
