// What the assessment form (form-view.js) shows for issue 14's constructs: record lists (明细表:
// a table with a row per accident, add / remove / move rows, a control and an error per cell),
// judged score lists (several assessors' 评议分), assessor-marked 不涉及 with its reason, the unit's
// self-assessment beside each item, the sub-headings of line groups, and a withheld grade.
//
// form-view.js calls these through small hooks; the state lives in its `state`: a list input's
// `raw` is null (not filled in) or an array of rows (an object of cell texts per row, or a score
// text per row of a judged list), `state.notApplicable` maps an item id to its reason, and
// `state.self` keeps a loaded submission's self-assessment as it was. As everywhere in the form,
// nothing here scores, and rule-set text only ever becomes text nodes or attribute values.

/** Builds an element (the same shape as form-view.js's `h`, kept here to avoid an import cycle). */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key.startsWith('aria-') || key === 'for') el.setAttribute(key, value === true ? 'true' : value);
    else el[key] = value;
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

const NUMERIC = new Set(['count', 'number', 'percent']);

/** Whether an input takes a list: a record list, or a judged item's several scores. */
export function isList(input) {
  return input?.type === 'records' || input?.multiple === true;
}

/** What a row is called in labels: the list's unit (起, 户) or 条; 个 for a score. */
function rowWord(input) {
  return input.type === 'records' ? input.unit ?? '条' : '个';
}

// ------------------------------------------------------------------------------------------------
// State <-> submission documents

/** One cell's text as the engine should see it, or undefined when it is empty. */
function cellValue(field, text, normalize) {
  const raw = text ?? '';
  if (field.type === 'bool') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (field.type === 'choice') return raw === '' ? undefined : raw;
  if (field.type === 'text') return raw.trim() === '' ? undefined : raw;
  if (field.type === 'date') return raw.trim() === '' ? undefined : raw.trim();
  const number = normalize(raw);
  return number === '' ? undefined : number;
}

/**
 * A list input's value for the submission (undefined while it is not filled in) and, for each
 * position of that value, the row it came from: a judged list leaves its empty scores out.
 */
export function listValue(input, raw, normalize) {
  if (!Array.isArray(raw)) return { value: undefined, rows: [] };
  if (input.type !== 'records') {
    const rows = [];
    const value = [];
    raw.forEach((text, r) => {
      const v = normalize(text ?? '');
      if (v !== '') {
        value.push(v);
        rows.push(r);
      }
    });
    return { value, rows };
  }
  const value = raw.map((row) => {
    const cells = {};
    for (const field of input.fields ?? []) {
      const v = cellValue(field, row[field.id], normalize);
      if (v !== undefined) cells[field.id] = v;
    }
    return cells;
  });
  return { value, rows: raw.map((_, r) => r) };
}

/** A loaded list value as row texts (a value that is no list keeps the list unfilled). */
export function listFromValue(input, value) {
  if (!Array.isArray(value)) return null;
  if (input.type !== 'records') return value.map((v) => (v === null || v === undefined ? '' : String(v)));
  return value.map((row) => {
    const cells = {};
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return cells;
    for (const field of input.fields ?? []) {
      const v = row[field.id];
      if (v !== null && v !== undefined) cells[field.id] = String(v);
    }
    return cells;
  });
}

/** Adds the markings and the self-assessment to a submission document. */
export function addExtras(doc, state) {
  const marked = Object.entries(state.notApplicable ?? {});
  if (marked.length > 0) doc.not_applicable = Object.fromEntries(marked);
  if (state.self !== undefined) doc.self = state.self;
  return doc;
}

/** Takes the markings and the self-assessment of a loaded submission into a state. */
export function loadExtras(state, doc) {
  state.notApplicable = {};
  for (const [id, reason] of Object.entries(doc.not_applicable ?? {})) {
    if (typeof reason === 'string') state.notApplicable[id] = reason;
  }
  if (doc.self !== undefined) state.self = doc.self;
}

/**
 * Which problems of an imported submission this module can show in the form to be fixed there: a
 * cell's wrong text, a list's row count, a marking's missing reason, a note the rule set requires.
 */
export function isShowableExtra(problem, inputs, doc) {
  if (problem.code === 'note.missing' || problem.code === 'na.reason') return true;
  const m = /^\/values\/([^/]+)(?:\/(\d+)(?:\/([^/]+))?)?$/.exec(problem.path);
  const input = m && inputs.get(m[1]);
  if (!isList(input) || !Array.isArray(doc.values?.[m[1]])) return false;
  if (m[2] === undefined) return problem.code === 'value.rows';
  if (problem.code !== 'value.type' && problem.code !== 'value.range') return false;
  const row = doc.values[m[1]][Number(m[2])];
  if (input.type !== 'records') return m[3] === undefined && (typeof row === 'string' || typeof row === 'number');
  const field = (input.fields ?? []).find((f) => f.id === m[3]);
  const cell = row?.[m[3]];
  return Boolean(field && (NUMERIC.has(field.type) || field.type === 'text' || field.type === 'date')
    && (typeof cell === 'string' || typeof cell === 'number'));
}

/**
 * What must be left out to score what can be scored: inputs with a wrong value (anywhere inside a
 * list too) and markings with a problem. An empty cell or field only makes its items pending.
 */
export function rejections(problems) {
  const inputs = new Set();
  const marks = new Set();
  for (const p of problems) {
    const value = /^\/values\/([^/]+)/.exec(p.path);
    if (value && p.code !== 'value.missing') inputs.add(value[1]);
    const mark = /^\/not_applicable\/(.+)$/.exec(p.path);
    if (mark) marks.add(mark[1]);
  }
  return { inputs, marks };
}

/** The submission to score: without the rejected markings. */
export function withoutMarks(doc, marks) {
  if (marks.size === 0 || !doc.not_applicable) return doc;
  const kept = Object.fromEntries(Object.entries(doc.not_applicable).filter(([id]) => !marks.has(id)));
  const out = { ...doc, not_applicable: kept };
  if (Object.keys(kept).length === 0) delete out.not_applicable;
  return out;
}

// ------------------------------------------------------------------------------------------------
// The list field: a table of rows

/** Builds a list input's field (registered in `view.listRefs`). */
export function buildListField(view, input) {
  view.listRefs ??= new Map();
  const id = `kpi-field-${input.id}`;
  const records = input.type === 'records';
  const columns = records ? input.fields ?? [] : [{ id: '', label: '评议分', type: 'number', required: true }];
  const body = h('tbody', {});
  const status = h('p', { className: 'kpi-records-status', testid: `rows-${input.id}` });
  const error = h('p', { className: 'kpi-error', id: `${id}-error`, hidden: true, testid: `error-${input.id}` });
  const add = h('button', { type: 'button', className: 'kpi-records-add', testid: `add-row-${input.id}` }, records ? `添加一${rowWord(input)}` : '添加评议分');
  const none = h('button', { type: 'button', className: 'kpi-records-none', testid: `no-rows-${input.id}` }, records ? `无（0${rowWord(input)}）` : '无');
  const ref = { input, columns, body, status, error, add, none, cells: new Map(), rowControls: [], rows: [] };
  add.addEventListener('click', () => {
    const raw = view.state.raw[input.id] ?? [];
    view.state.raw[input.id] = [...raw, records ? {} : ''];
    renderRows(view, ref);
    view.recompute('input');
    ref.cells.get(`${raw.length}/${columns[0]?.id ?? ''}`)?.control.focus();
  });
  none.addEventListener('click', () => {
    view.state.raw[input.id] = [];
    renderRows(view, ref);
    view.recompute('input');
  });
  view.controls.push(add, none);
  const head = h('tr', {}, h('th', { scope: 'col' }, '序号'),
    columns.map((f) => h('th', { scope: 'col' }, f.label, f.unit && NUMERIC.has(f.type) && !f.label.includes(f.unit) ? `（${f.unit}）` : '',
      f.required ? null : h('span', { className: 'kpi-optional' }, ' 选填'))),
    h('th', { scope: 'col' }, '操作'));
  // The most rows is told when it is reached (the form always gives it: the engine's limit by default).
  const bounds = input.min_rows ? [`至少${input.min_rows}${rowWord(input)}`] : [];
  const hint = [records ? `每${rowWord(input)}一行` : '每位评议人一个分数', ...bounds, input.help ?? ''].filter(Boolean).join('；');
  const row = h('div', { className: 'kpi-field kpi-records', dataset: { field: input.id } },
    h('label', { id: `${id}-label` }, input.label, input.required ? null : h('span', { className: 'kpi-optional' }, ' 选填')),
    h('div', { className: 'kpi-records-scroll' },
      h('table', { className: 'kpi-records-table', 'aria-labelledby': `${id}-label`, testid: `records-${input.id}` }, h('thead', {}, head), body)),
    h('div', { className: 'kpi-records-actions' }, add, none, status),
    error,
    h('p', { className: 'kpi-hint' }, hint));
  ref.row = row;
  view.listRefs.set(input.id, ref);
  renderRows(view, ref);
  return row;
}

/** One cell's control, its error and its label (事故明细 第2起 死亡（人）). */
function buildCell(view, ref, r, field) {
  const input = ref.input;
  const key = `${input.id}-${r}${field.id ? `-${field.id}` : ''}`;
  const label = `${input.label} 第${r + 1}${rowWord(input)}${field.id ? ` ${field.label}` : '评议分'}`;
  const rows = view.state.raw[input.id];
  const text = field.id ? rows[r]?.[field.id] ?? '' : rows[r] ?? '';
  let control;
  if (field.type === 'bool') {
    control = h('select', {}, h('option', { value: '' }, '（未填）'), h('option', { value: 'true' }, '是'), h('option', { value: 'false' }, '否'));
  } else if (field.type === 'choice') {
    control = h('select', {}, h('option', { value: '' }, '（未填）'), (field.options ?? []).map((o) => h('option', { value: o }, o)));
  } else {
    control = h('input', { type: field.type === 'date' ? 'date' : 'text', autocomplete: 'off', spellcheck: false, inputMode: NUMERIC.has(field.type) ? 'decimal' : undefined });
  }
  control.value = text;
  control.id = `kpi-cell-${key}`;
  control.setAttribute('aria-label', label);
  control.setAttribute('data-testid', `cell-${key}`);
  if (field.required) control.setAttribute('aria-required', 'true');
  const error = h('p', { className: 'kpi-error', id: `kpi-cell-${key}-error`, hidden: true, testid: `error-${key}` });
  control.setAttribute('aria-describedby', error.id);
  control.disabled = view.readonly;
  control.addEventListener(field.type === 'bool' || field.type === 'choice' ? 'change' : 'input', () => {
    const list = view.state.raw[input.id];
    if (field.id) list[r] = { ...list[r], [field.id]: control.value };
    else list[r] = control.value;
    view.recompute('input');
  });
  ref.cells.set(`${r}/${field.id}`, { control, error });
  ref.rowControls.push(control);
  return h('td', {}, control, error);
}

/** Moves, or removes (`to` null), row `r` of a list. */
function moveRow(view, ref, r, to) {
  const list = [...(view.state.raw[ref.input.id] ?? [])];
  const [row] = list.splice(r, 1);
  if (to !== null) list.splice(to, 0, row);
  view.state.raw[ref.input.id] = list;
  renderRows(view, ref);
  view.recompute('input');
}

/** Rebuilds a list's rows from the state (after a row is added, moved or removed, or a load). */
export function renderRows(view, ref) {
  const input = ref.input;
  const rows = view.state.raw[input.id];
  view.controls = view.controls.filter((c) => !ref.rowControls.includes(c));
  ref.rowControls = [];
  ref.cells = new Map();
  const word = rowWord(input);
  const trs = (rows ?? []).map((_, r) => {
    const button = (text, testid, label, onClick, disabled) => {
      const b = h('button', { type: 'button', className: 'kpi-row-action', testid, disabled: disabled || view.readonly, 'aria-label': label }, text);
      b.addEventListener('click', onClick);
      ref.rowControls.push(b);
      return b;
    };
    return h('tr', { testid: `row-${input.id}-${r}` },
      h('th', { scope: 'row' }, `${r + 1}`),
      ref.columns.map((f) => buildCell(view, ref, r, f)),
      h('td', { className: 'kpi-row-actions' },
        button('↑', `up-${input.id}-${r}`, `第${r + 1}${word}上移`, () => moveRow(view, ref, r, r - 1), r === 0),
        button('↓', `down-${input.id}-${r}`, `第${r + 1}${word}下移`, () => moveRow(view, ref, r, r + 1), r === rows.length - 1),
        button('删除', `remove-${input.id}-${r}`, `删除第${r + 1}${word}`, () => moveRow(view, ref, r, null), false)));
  });
  ref.body.replaceChildren(...trs);
  view.controls.push(...ref.rowControls);
  const count = rows?.length ?? 0;
  const full = input.max_rows !== undefined && count >= input.max_rows;
  ref.status.textContent = rows === null || rows === undefined ? '（尚未填写）' : count === 0 ? `无记录（0${word}）` : `共${count}${word}${full ? `（已达上限${input.max_rows}${word}）` : ''}`;
  ref.none.hidden = count > 0;
  ref.add.disabled = view.readonly || full;
}

/** Puts the state's rows into every list (after load or clear). */
export function syncLists(view) {
  for (const ref of view.listRefs?.values() ?? []) renderRows(view, ref);
  for (const ref of view.naRefs?.values() ?? []) {
    const reason = view.state.notApplicable?.[ref.entry.id];
    ref.box.checked = reason !== undefined;
    ref.reason.value = reason ?? '';
    ref.reasonRow.hidden = reason === undefined;
    ref.wrapper.dataset.marked = String(reason !== undefined);
  }
}

function setProblem(control, errorEl, messages) {
  const text = messages ? messages.join('；') : '';
  if (errorEl.textContent !== text) errorEl.textContent = text;
  errorEl.hidden = !messages;
  if (!control) return;
  if (messages) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/**
 * Shows the problems of lists (per cell, per list) and markings next to them, and adds their
 * paths to `shown`. `byPath` maps a problem path to its messages (value.missing left out).
 */
export function renderExtraProblems(view, byPath, shown) {
  const submitted = view.listRows ?? new Map();
  // The lists with a problem (the list's own or a cell's), for the banner's links.
  const wrong = [];
  for (const [id, ref] of view.listRefs ?? []) {
    const listPath = `/values/${id}`;
    shown.add(listPath);
    setProblem(null, ref.error, byPath.get(listPath));
    ref.row.classList.toggle('kpi-invalid', byPath.has(listPath));
    const rows = submitted.get(id) ?? [];
    const cellMessages = new Map();
    for (const [path, messages] of byPath) {
      if (!path.startsWith(`${listPath}/`)) continue;
      const [k, field = ''] = path.slice(listPath.length + 1).split('/');
      const r = rows[Number(k)];
      const cell = r === undefined ? undefined : ref.cells.get(`${r}/${field}`);
      if (!cell) continue;
      shown.add(path);
      cellMessages.set(cell, messages);
    }
    for (const cell of ref.cells.values()) setProblem(cell.control, cell.error, cellMessages.get(cell));
    if (byPath.has(listPath) || cellMessages.size > 0) wrong.push(ref.input);
  }
  // A note the rule set requires is shown at the note (form-view.js).
  for (const path of byPath.keys()) if (/^\/notes\/[^/]+$/.test(path) && view.entryRefs.has(`item:${path.slice(7)}`)) shown.add(path);
  for (const [id, ref] of view.naRefs ?? []) {
    const path = `/not_applicable/${id}`;
    shown.add(path);
    setProblem(ref.reason, ref.error, byPath.get(path));
  }
  return wrong;
}

/** The control to focus for a list with a problem: its first wrong cell, else its add button. */
export function listControl(view, inputId) {
  const ref = view.listRefs?.get(inputId);
  if (!ref) return undefined;
  return [...ref.cells.values()].find((c) => c.control.getAttribute('aria-invalid') === 'true')?.control ?? ref.add;
}

// ------------------------------------------------------------------------------------------------
// 考核组认定不涉及

/** The marking of an item the assessors may find not applicable: a box and a required reason. */
export function buildNaControl(view, entry) {
  view.naRefs ??= new Map();
  const id = `kpi-na-${entry.kind}-${entry.id}`;
  const box = h('input', { type: 'checkbox', id, testid: `na-${entry.id}` });
  const reason = h('textarea', { id: `${id}-reason`, rows: 2, testid: `na-reason-${entry.id}` });
  const error = h('p', { className: 'kpi-error', id: `${id}-error`, hidden: true, testid: `na-error-${entry.id}` });
  reason.setAttribute('aria-describedby', error.id);
  reason.setAttribute('aria-required', 'true');
  const reasonRow = h('div', { className: 'kpi-na-reason', hidden: true },
    h('label', { for: reason.id }, `项目${entry.id}不涉及的理由（必填）`), reason, error);
  // Marked or not, on the wrapper too: print leaves out an unmarked box (no :has() below the
  // support floor).
  const wrapper = h('div', { className: 'kpi-na' });
  box.addEventListener('change', () => {
    view.state.notApplicable ??= {};
    if (box.checked) view.state.notApplicable[entry.id] = reason.value;
    else delete view.state.notApplicable[entry.id];
    reasonRow.hidden = !box.checked;
    wrapper.dataset.marked = String(box.checked);
    view.recompute('input');
  });
  reason.addEventListener('input', () => {
    if (!box.checked) return;
    view.state.notApplicable[entry.id] = reason.value;
    view.recompute('input');
  });
  view.controls.push(box, reason);
  view.naRefs.set(entry.id, { entry, box, reason, error, reasonRow, wrapper });
  wrapper.append(h('label', { for: id, className: 'kpi-na-label' }, box, ' 考核组认定不涉及（缺项）'), reasonRow);
  return wrapper;
}

// ------------------------------------------------------------------------------------------------
// Reports: grades, unscored sections, self-assessment, line groups

/**
 * The grade as shown: the grade (with the one the score alone gives, when that differs and
 * `withScore`), why there is none (不评等次), or that the rule set grades nothing.
 */
export function gradeText(report, { withScore = false } = {}) {
  if (report.grade !== null && report.grade !== undefined) {
    return withScore && report.grade_by_score && report.grade !== report.grade_by_score ? `${report.grade}（按分数为${report.grade_by_score}）` : report.grade;
  }
  return report.grade_text ?? '不评等次';
}

/** The lines of an entry with a sub-heading (`kind: 'group'`) before each group's first line. */
export function withGroupHeadings(lines) {
  const out = [];
  let group;
  for (const line of lines) {
    if (line.group !== undefined && line.group !== group) out.push({ reason: line.group, points: '', kind: 'group' });
    group = line.group;
    out.push(line);
  }
  return out;
}

/** The unit's self-assessment beside each item and beside the total, when the report has one. */
export function renderSelf(view, report) {
  const items = new Map();
  for (const s of report?.sections ?? []) for (const i of s.items) items.set(i.id, i);
  for (const ref of view.entryRefs.values()) {
    if (ref.entry.kind !== 'item') continue;
    const item = items.get(ref.entry.id);
    const has = item && 'self_score' in item;
    if (!has && !ref.self) continue;
    if (!ref.self) {
      ref.self = h('span', { className: 'kpi-entry-self', testid: `self-score-${ref.entry.id}` });
      ref.score.after(ref.self);
    }
    ref.self.hidden = !has;
    const text = has ? `自评 ${item.self_score ?? '—'}${item.self_difference ? `（核定${item.self_difference.startsWith('-') ? '' : '+'}${item.self_difference}）` : ''}` : '';
    if (ref.self.textContent !== text) ref.self.textContent = text;
  }
  const own = report?.self;
  if (!own && !view.selfTotal) return;
  if (!view.selfTotal) {
    view.selfTotal = h('p', { className: 'kpi-self-total', testid: 'self-total' });
    view.resultTotal.closest('dl')?.after(view.selfTotal);
  }
  view.selfTotal.hidden = !own;
  if (own) {
    const parts = [`自评总分 ${own.total ?? '—'}`];
    if (own.grade) parts.push(`自评等次 ${own.grade}`);
    if (own.difference) parts.push(`核定与自评相差 ${own.difference}`);
    view.selfTotal.textContent = parts.join(' · ');
  }
}
