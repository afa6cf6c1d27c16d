// 考核任务 (assessment workspaces): a rule set and a roster of units, each unit with its form,
// status and last change; ranked live across the workspace; final reports, the summary table and
// their exports; the whole workspace as one file. Stored in IndexedDB (store.js). Views, by the
// location's hash: the list (#workspaces), a workspace (#ws=ID), a unit's form (#ws=ID&unit=KEY),
// a unit's report (&report=KEY), the summary (&summary=1) and the print preview (&print=all|summary).
// No scoring here: the engine's batch reports give every number, rank, grade and status.
import { Engine, builtInRuleSets, builtInRuleSetSource, loadTools } from '/pkg/index.js';
import { FormView, plainWords } from '/pkg/form-view.js';
import { $, h, show, hide, download, megabytes, readLimited, parseJsonText, when, fileName, confirmDialog } from '../dom.js';
import { openStore, newId, estimate, persist, storageError } from './store.js';
import { readRoster, parseDelimited, readRosterFile } from './roster.js';
import { Ranker } from './ranking.js';
import { examine, emptySubmission, unitOf, STATUS_WORDS } from './units.js';
import { reportBlocks, summaryRows, summaryTable, statusWord, gradeWord, gradeHint, rankWord, gradeMoves, useStatusLabels } from './report.js';
import { paginate } from './paginate.js';
import { summaryXlsx, exportWorkspace, readWorkspaceFile } from './files.js';
import { claim, announce, onAnnounce } from './lock.js';
import { evidenceBlock, evidenceRecord, usedBytes, MAX_WORKSPACE_BYTES } from './evidence.js';

const root = $('ws-root');
const storageAlert = $('ws-storage-alert');
const noticeBox = $('ws-notice');
let store = null;
let storeFailure = null;
let current = null; // the open workspace, see openWorkspace()
let route = {};
let undoTimer = null;

// ------------------------------------------------------------------------------------------------
// Messages

function notice(message, ...actions) {
  noticeBox.replaceChildren(h('p', {}, message, ...actions.flatMap((a) => [' ', a])));
  noticeBox.hidden = false;
  noticeBox.dataset.at = String(Date.now());
}

function undoButton(label, fn) {
  const b = h('button', { type: 'button', testid: 'ws-undo' }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    await fn();
  });
  return b;
}

/** A storage failure: said loudly, with what is safe and what to do. */
function storageFailed(err, { unsaved = 0 } = {}) {
  const e = storageError(err);
  const retry = h('button', { type: 'button', testid: 'ws-retry-save' }, '重试保存');
  retry.addEventListener('click', () => flushSaves());
  const exportNow = h('button', { type: 'button' }, '导出考核任务（保存到文件）');
  exportNow.addEventListener('click', () => exportCurrent());
  const parts = [h('p', {}, h('strong', {}, e.message))];
  if (e.conflict) {
    parts.push(h('p', {}, '已保存的内容没有丢失。'));
  } else {
    parts.push(h('p', {}, unsaved > 0 ? `最近的修改（${unsaved}个单位）尚未保存到浏览器，仍在本页中：请不要关闭本页，先「导出考核任务」保存到文件，或删除不需要的佐证材料、考核任务后「重试保存」。此前已保存的内容没有丢失。` : '此前已保存的内容没有丢失。'));
    if (e.full) parts.push(h('p', {}, '浏览器存储空间不足：可删除不需要的考核任务或佐证材料，或在浏览器设置中为本站点释放空间。'));
  }
  if (current && unsaved > 0) parts.push(h('p', {}, retry, ' ', exportNow));
  storageAlert.replaceChildren(...parts);
  storageAlert.hidden = false;
  setSaveStatus('failed', e.message);
}

function clearStorageAlert() {
  storageAlert.hidden = true;
  storageAlert.replaceChildren();
}

// ------------------------------------------------------------------------------------------------
// Start

/** Opens the store (once). Resolves false when the browser gives no usable storage. */
async function ensureStore() {
  if (store) return true;
  if (storeFailure) return false;
  try {
    store = await openStore({
      onBlocked: () => notice('另一个标签页正在使用旧版本的考核任务数据，请关闭其他标签页后刷新。'),
      onVersionChange: () => storageFailed(new Error('本页的数据版本已过期，请刷新页面。')),
    });
    return true;
  } catch (err) {
    storeFailure = err;
    storageAlert.replaceChildren(h('p', {}, h('strong', {}, err.message)), h('p', {}, '考核任务需要浏览器存储（IndexedDB）。单个考核表仍可在「考核表」中填写并导出为文件。'));
    storageAlert.hidden = false;
    return false;
  }
}

let showing = Promise.resolve();

/** Shows the view for `params` (URLSearchParams of the location's hash); one at a time, in order. */
export function showWorkspaces(params) {
  showing = showing.then(() => showRoute(params)).catch((err) => {
    root.replaceChildren(h('div', { className: 'banner error', role: 'alert' }, h('p', {}, `出错了：${err.message}`)));
  });
  return showing;
}

async function showRoute(params) {
  route = Object.fromEntries(params);
  // A message stays for the view it was given on (or the one an action went to), not beyond.
  if (!noticeBox.hidden && Date.now() - Number(noticeBox.dataset.at ?? 0) > 2000) hide(noticeBox);
  if (!(await ensureStore())) {
    root.replaceChildren(h('p', {}, '考核任务不可用。'));
    return;
  }
  document.body.classList.toggle('previewing', Boolean(route.print || route.report));
  if (!route.ws) {
    await leaveWorkspace();
    return renderList();
  }
  if (current?.ws.id !== route.ws) {
    await leaveWorkspace();
    try {
      await openWorkspace(route.ws);
    } catch (err) {
      root.replaceChildren(h('div', { className: 'banner error', role: 'alert' }, h('p', {}, `无法打开考核任务：${err.message}`), h('p', {}, h('a', { href: '#workspaces' }, '返回考核任务列表'))));
      return;
    }
  }
  if (route.unit) return renderUnitPage(route.unit);
  if (route.report) return renderPreview('unit', route.report);
  if (route.print) return renderPreview(route.print);
  if (route.summary) return renderSummary();
  return renderWorkspace();
}

function go(params) {
  const hash = `#${new URLSearchParams(params).toString()}`;
  if (location.hash === hash) showWorkspaces(new URLSearchParams(params));
  else location.hash = hash;
}

// ------------------------------------------------------------------------------------------------
// The list of workspaces

async function renderList() {
  document.title = '考核任务 · 安全生产考核评分';
  const [all, deleted] = await Promise.all([store.workspaces(), store.workspaces({ deleted: true })]);
  all.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  const counts = new Map();
  for (const w of all) counts.set(w.id, await store.units(w.id));
  const search = h('input', { type: 'search', id: 'ws-search', placeholder: '按名称、细则或单位搜索', testid: 'ws-search', autocomplete: 'off' });
  const tbody = h('tbody', {});
  const fill = () => {
    const q = search.value.trim().toLowerCase();
    const shown = all.filter((w) => !q || `${w.name} ${w.rules.title} ${counts.get(w.id).map((u) => `${u.submission.unit.name} ${u.submission.unit.id}`).join(' ')}`.toLowerCase().includes(q));
    tbody.replaceChildren(...shown.map((w) => {
      const units = counts.get(w.id);
      const tally = tallyOf(units);
      const open = h('a', { href: `#ws=${encodeURIComponent(w.id)}`, testid: 'ws-open' }, w.name);
      const dup = h('button', { type: 'button', testid: 'ws-duplicate' }, '复制');
      dup.addEventListener('click', () => duplicateWorkspace(w.id));
      const del = h('button', { type: 'button', className: 'danger', testid: 'ws-delete' }, '删除');
      del.addEventListener('click', () => deleteWorkspace(w));
      return h('tr', { dataset: { ws: w.id } },
        h('td', {}, open), h('td', {}, `${w.rules.title}（${w.rules.version}）`),
        h('td', { className: 'num' }, String(units.length)),
        h('td', {}, Object.entries(STATUS_WORDS).filter(([k]) => tally[k] > 0).map(([k, word]) => `${word}${tally[k]}`).join('，') || '—'),
        h('td', {}, when(w.updatedAt)), h('td', { className: 'actions' }, dup, ' ', del));
    }));
    if (shown.length === 0) tbody.append(h('tr', {}, h('td', { colSpan: 6 }, all.length === 0 ? '还没有考核任务。点「新建考核任务」，选择考核细则并填写或导入单位名单。' : '没有符合条件的考核任务。')));
  };
  search.addEventListener('input', fill);
  const create = h('button', { type: 'button', className: 'primary', testid: 'ws-new' }, '新建考核任务');
  create.addEventListener('click', () => createDialog());
  const importInput = h('input', { type: 'file', accept: '.zip,.kpiws,application/zip', testid: 'ws-import' });
  importInput.addEventListener('change', () => importWorkspaceFile(importInput));
  const deletedList = deleted.length === 0 ? '' : h('details', { className: 'ws-deleted', testid: 'ws-deleted' },
    h('summary', {}, `最近删除（${deleted.length}）`),
    h('ul', {}, deleted.map((w) => {
      const restore = h('button', { type: 'button' }, '恢复');
      restore.addEventListener('click', async () => {
        await store.putWorkspace({ ...w, deletedAt: null });
        renderList();
      });
      const purge = h('button', { type: 'button', className: 'danger' }, '永久删除');
      purge.addEventListener('click', async () => {
        if (await confirmDialog({ title: `永久删除「${w.name}」？`, body: ['其全部单位的考核表和佐证材料将从本浏览器中删除，无法恢复。如需保留，请先恢复后导出。'], ok: '永久删除', danger: true, testid: 'confirm-purge' })) {
          await store.purge(w.id);
          renderList();
        }
      });
      return h('li', {}, `${w.name}（删除于 ${when(w.deletedAt)}）`, ' ', restore, ' ', purge);
    })));
  root.replaceChildren(
    h('div', { className: 'ws-head' }, h('h2', {}, '考核任务'), h('p', { className: 'lead' }, '一个考核任务 = 一套考核细则 + 一份单位名单：逐个单位填写，全区实时排名，出具最终报告和汇总表。数据保存在本浏览器中，可随时导出为一个文件。')),
    h('div', { className: 'toolbar' }, create, h('label', { className: 'button file' }, '导入考核任务文件…', importInput),
      h('label', { className: 'pick', for: 'ws-search' }, '搜索'), search),
    h('div', { className: 'table-wrap' }, h('table', { testid: 'ws-list' },
      h('thead', {}, h('tr', {}, ['名称', '考核细则', '单位数', '填写情况', '最后修改', '操作'].map((c) => h('th', { scope: 'col' }, c)))), tbody)),
    deletedList,
    await storageLine());
  fill();
}

function tallyOf(units) {
  const tally = { empty: 0, partial: 0, done: 0, error: 0 };
  for (const u of units) tally[u.status ?? 'empty']++;
  return tally;
}

async function storageLine() {
  const est = await estimate();
  const persisted = await navigator.storage?.persisted?.().catch(() => false);
  const line = h('p', { className: 'ws-storage', testid: 'ws-storage' });
  const parts = [];
  if (est?.usage !== undefined) parts.push(`本站点已用浏览器存储 ${megabytes(est.usage)}${est.quota ? `，可用上限约 ${megabytes(est.quota)}` : ''}`);
  parts.push(persisted ? '已获准持久保存（浏览器不会自动清除）' : '未获准持久保存：浏览器在空间不足时可能清除数据，请定期「导出考核任务」');
  parts.push('佐证材料每份不超过 20 MB，每个考核任务不超过 500 MB');
  line.textContent = `${parts.join('；')}。`;
  return line;
}

// ------------------------------------------------------------------------------------------------
// Creating, duplicating, deleting, importing workspaces

function rulesChoices() {
  return builtInRuleSets().map((r) => h('option', { value: `builtin:${r.id}` }, `${r.title}（${r.version}）`));
}

/** Rule-set text and description for a picker value, or for a chosen file. */
async function chosenRules(select, fileInput) {
  const file = fileInput.files[0];
  let text;
  let source;
  if (select.value === 'file') {
    if (!file) throw new Error('请选择考核细则文件。');
    text = await readLimited(file, '细则文件');
    source = `file:${file.name}`;
  } else {
    const id = select.value.slice('builtin:'.length);
    text = builtInRuleSetSource(id);
    source = `builtin:${id}`;
  }
  const engine = new Engine(text); // throws with every problem when it does not load
  const info = engine.ruleSet();
  const doc = JSON.parse(text);
  engine.free();
  return { text, source, id: info.id, version: info.version, title: info.title, period: info.period ?? doc.period, unitTags: Object.hasOwn(doc, 'unit_tags') };
}

async function createDialog() {
  const name = h('input', { type: 'text', id: 'ws-name', required: true, autocomplete: 'off', testid: 'ws-name' });
  const select = h('select', { id: 'ws-rules', testid: 'ws-rules' }, ...rulesChoices(), h('option', { value: 'file' }, '从文件加载…'));
  const rulesFile = h('input', { type: 'file', accept: '.json,application/json', testid: 'ws-rules-file', id: 'ws-rules-file' });
  const rulesFileRow = h('div', { className: 'ws-row', hidden: true }, h('span', {}, '考核细则文件'), fileButton(rulesFile, '选择细则文件…'));
  const assessor = h('input', { type: 'text', id: 'ws-assessor', autocomplete: 'name', testid: 'ws-assessor' });
  const roster = h('textarea', { id: 'ws-roster', rows: 8, testid: 'ws-roster', spellcheck: false, placeholder: '单位编号,单位名称,分组,是否参与排名\njd01,大桥街道,,是\njd02,定海路街道,,是' });
  const rosterFile = h('input', { type: 'file', accept: '.csv,.txt,.xlsx,text/csv', id: 'ws-roster-file', testid: 'ws-roster-file' });
  const preview = h('div', { className: 'ws-preview', testid: 'ws-roster-preview', 'aria-live': 'polite' });
  const error = h('div', { className: 'banner error', role: 'alert', hidden: true, testid: 'ws-create-error' });
  const ok = h('button', { type: 'submit', className: 'primary', testid: 'ws-create' }, '创建');
  const cancel = h('button', { type: 'button', testid: 'ws-create-cancel' }, '取消');
  let parsed = { units: [], problems: [] };
  let fromFile = null;
  const defaultName = () => {
    const info = builtInRuleSets().find((r) => `builtin:${r.id}` === select.value);
    return info ? taskName(info) : '';
  };
  name.value = defaultName();
  let nameTouched = false;
  name.addEventListener('input', () => { nameTouched = true; });
  const showPreview = () => {
    const { units, problems } = parsed;
    preview.replaceChildren(
      h('p', {}, units.length > 0 ? `名单共${units.length}个单位${fromFile ? `（来自文件「${fromFile}」）` : ''}${units.some((u) => u.group) ? `，${new Set(units.map((u) => u.group).filter(Boolean)).size}个分组` : ''}${units.some((u) => !u.ranked) ? `，${units.filter((u) => !u.ranked).length}个不参与排名` : ''}。` : '尚未填写单位名单。'),
      problems.length > 0 ? h('ul', { className: 'ws-problems', testid: 'ws-roster-problems' }, problems.map((p) => h('li', {}, p.message))) : '');
  };
  roster.addEventListener('input', () => {
    fromFile = null;
    parsed = roster.value.trim() === '' ? { units: [], problems: [] } : readRoster(parseDelimited(roster.value));
    showPreview();
  });
  rosterFile.addEventListener('change', async () => {
    const file = rosterFile.files[0];
    if (!file) return;
    try {
      parsed = await readRosterFile(file);
      fromFile = file.name;
      roster.value = [['单位编号', '单位名称', '分组', '是否参与排名', '单位标签'].join(','), ...parsed.units.map((u) => [u.id, u.name, u.group, u.ranked ? '是' : '否', u.tags.join('、')].map(csvCell).join(','))].join('\n');
    } catch (err) {
      parsed = { units: [], problems: [{ message: err.message }] };
    }
    showPreview();
  });
  select.addEventListener('change', () => {
    rulesFileRow.hidden = select.value !== 'file';
    if (!nameTouched) name.value = defaultName();
  });
  rulesFile.addEventListener('change', async () => {
    try {
      const r = await chosenRules(select, rulesFile);
      if (!nameTouched) name.value = taskName(r);
      hide(error);
    } catch (err) {
      show(error, `考核细则无法加载：${err.message}`, (err.problems ?? []).map((p) => ({ message: p.message, path: p.path })));
    }
  });
  const form = h('form', { method: 'dialog', className: 'ws-create-form' },
    h('h2', {}, '新建考核任务'),
    h('div', { className: 'ws-row' }, h('label', { for: 'ws-name' }, '任务名称'), name),
    h('div', { className: 'ws-row' }, h('label', { for: 'ws-rules' }, '考核细则'), select),
    rulesFileRow,
    h('div', { className: 'ws-row' }, h('label', { for: 'ws-assessor' }, '考核人员（各单位默认）'), assessor),
    h('div', { className: 'ws-row ws-row-wide' }, h('label', { for: 'ws-roster' }, '单位名单（每行一个单位：单位编号、单位名称、分组、是否参与排名、单位标签；逗号或制表符分隔，可从 Excel/WPS 直接粘贴；第一行可为表头）'), roster),
    h('div', { className: 'ws-row' }, h('span', {}, '或导入名单文件（CSV、XLSX）'), fileButton(rosterFile, '选择名单文件…')),
    preview, error,
    h('div', { className: 'dialog-buttons' }, cancel, ok));
  const dialog = h('dialog', { className: 'ws-dialog', testid: 'ws-create-dialog', 'aria-label': '新建考核任务' }, form);
  document.body.append(dialog);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hide(error);
    if (name.value.trim() === '') return show(error, '请填写任务名称。');
    if (parsed.units.length === 0 || parsed.problems.length > 0) {
      showPreview();
      return show(error, parsed.problems.length > 0 ? '单位名单有误，请按提示修改后再创建：' : '请填写或导入单位名单。', parsed.problems);
    }
    let rules;
    try {
      rules = await chosenRules(select, rulesFile);
    } catch (err) {
      return show(error, `考核细则无法加载：${err.message}`, err.problems ?? []);
    }
    ok.disabled = true;
    try {
      const id = await createWorkspace({ name: name.value.trim(), rules, assessor: assessor.value.trim(), roster: parsed.units });
      dialog.close();
      go({ ws: id });
    } catch (err) {
      ok.disabled = false;
      show(error, storageError(err, '创建').message);
    }
  });
  dialog.showModal();
  name.focus();
}

/** A workspace's default name from its rule set: 「2026年度街镇…考核」. */
function taskName(rules) {
  const title = String(rules.title ?? '').replace(/（示例）|\(示例\)/g, '').replace(/考核细则$/, '考核').replace(/细则$/, '');
  return title.includes(String(rules.period)) ? title : `${rules.period}年度${title}`;
}

/** A file input drawn as the app's button, with the chosen file's name beside it. */
function fileButton(input, label) {
  const chosen = h('span', { className: 'muted' }, '未选择文件');
  input.addEventListener('change', () => { chosen.textContent = input.files[0]?.name ?? '未选择文件'; });
  return h('span', { className: 'file-pick' }, h('label', { className: 'button file' }, label, input), ' ', chosen);
}

function csvCell(text) {
  const t = String(text ?? '');
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

async function createWorkspace({ name, rules, assessor, roster }) {
  const id = newId('w');
  const now = new Date().toISOString();
  const ws = { id, name, assessor, createdAt: now, updatedAt: now, deletedAt: null, rules: { text: rules.text, source: rules.source, id: rules.id, version: rules.version, title: rules.title } };
  const units = roster.map((row, i) => ({
    key: `${id}/${newId('u')}`, workspace: id, order: i, updatedAt: now, rev: 1, deletedAt: null, status: 'empty',
    submission: emptySubmission(rules, row, { assessor, tags: rules.unitTags }),
  }));
  await store.putAll(ws, units);
  const granted = await persist();
  notice(`已创建考核任务「${name}」，共${units.length}个单位。${granted ? '浏览器已同意持久保存数据。' : '浏览器未同意持久保存：空间不足时数据可能被清除，请定期「导出考核任务」。'}`);
  return id;
}

async function duplicateWorkspace(id) {
  const ws = await store.workspace(id);
  const units = await store.units(id);
  const attachments = await store.attachments(id);
  const copy = { ...ws, id: newId('w'), name: `${ws.name}（副本）`, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), previous: undefined };
  const keyMap = new Map(units.map((u) => [u.key, `${copy.id}/${u.key.split('/')[1]}`]));
  try {
    await store.putAll(copy, units.map((u) => ({ ...u, key: keyMap.get(u.key), workspace: copy.id, rev: 1 })),
      attachments.filter((a) => keyMap.has(a.unit)).map((a) => ({ ...a, id: `${copy.id}/${a.id.split('/')[1]}`, workspace: copy.id, unit: keyMap.get(a.unit) })));
    notice(`已复制为「${copy.name}」。`);
  } catch (err) {
    storageFailed(err);
  }
  renderList();
}

async function deleteWorkspace(ws) {
  try {
    await store.putWorkspace({ ...ws, deletedAt: new Date().toISOString() });
  } catch (err) {
    return storageFailed(err);
  }
  notice(`已删除考核任务「${ws.name}」（可在「最近删除」中恢复）。`, undoButton('撤销删除', async () => {
    await store.putWorkspace({ ...ws, deletedAt: null });
    hide(noticeBox);
    renderList();
  }));
  renderList();
}

async function importWorkspaceFile(input) {
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  hide(noticeBox);
  try {
    if (file.size > MAX_WORKSPACE_BYTES + 100 * 1048576) throw new Error(`文件过大（${megabytes(file.size)}）。`);
    const { doc, rulesText, files } = await readWorkspaceFile(new Uint8Array(await file.arrayBuffer()));
    const engine = new Engine(rulesText);
    const info = engine.ruleSet();
    engine.free();
    const existing = doc.workspace?.id ? await store.workspace(doc.workspace.id) : null;
    let id = doc.workspace?.id && /^[A-Za-z0-9_-]{1,40}$/.test(doc.workspace.id) ? doc.workspace.id : newId('w');
    let replaced = null;
    if (existing) {
      const replace = await confirmDialog({
        title: `替换考核任务「${existing.name}」？`,
        body: [`本浏览器中已有这个考核任务（最后修改于 ${when(existing.updatedAt)}）。「替换」用文件「${file.name}」中的内容替换它（替换前的内容移到「最近删除」，可恢复）；「取消」则作为一个新的考核任务导入。`],
        ok: '替换', cancel: '作为新任务导入', testid: 'confirm-replace',
      });
      if (replace) {
        replaced = existing;
      } else {
        id = newId('w');
      }
    }
    const now = new Date().toISOString();
    const ws = {
      id, name: replaced || id === doc.workspace?.id ? doc.workspace.name : `${doc.workspace?.name ?? '导入的考核任务'}（导入）`,
      assessor: doc.workspace?.assessor ?? '', createdAt: doc.workspace?.created_at ?? now, updatedAt: doc.workspace?.updated_at ?? now, deletedAt: null,
      rules: { text: rulesText, source: doc.rules?.source ?? 'file', id: info.id, version: info.version, title: info.title },
    };
    const units = doc.units.map((u, i) => ({
      key: `${id}/${u.key ?? newId('u')}`, workspace: id, order: u.order ?? i, updatedAt: u.updated_at ?? now, rev: 1, deletedAt: null,
      status: 'empty', submission: u.submission, ...(u.orphaned ? { orphaned: u.orphaned } : {}),
    }));
    const attachments = (doc.attachments ?? []).map((a) => ({
      id: `${id}/${a.id}`, workspace: id, unit: `${id}/${a.unit}`, item: a.item, name: a.name, type: a.type, size: a.size, note: a.note ?? '', addedAt: a.added_at,
      blob: new Blob([files.get(a.id)], { type: a.type }),
    }));
    if (replaced) {
      // The replaced workspace stays, under a new id, in 最近删除.
      const keep = newId('w');
      const oldUnits = await store.units(replaced.id);
      const oldFiles = await store.attachments(replaced.id);
      const keyMap = new Map(oldUnits.map((u) => [u.key, `${keep}/${u.key.split('/')[1]}`]));
      await store.putAll({ ...replaced, id: keep, name: `${replaced.name}（替换前）`, deletedAt: now },
        oldUnits.map((u) => ({ ...u, key: keyMap.get(u.key), workspace: keep })),
        oldFiles.map((a) => ({ ...a, id: `${keep}/${a.id.split('/')[1]}`, workspace: keep, unit: keyMap.get(a.unit) ?? a.unit })));
      await store.purge(replaced.id);
    }
    await store.putAll(ws, units, attachments);
    await persist();
    notice(`已导入考核任务「${ws.name}」：${units.length}个单位，${attachments.length}份佐证材料。${replaced ? '替换前的内容在「最近删除」中。' : ''}`);
    go({ ws: id });
  } catch (err) {
    show(noticeBox, `考核任务文件「${file.name}」无法导入，未做任何改动：${storageError(err, '导入').message.replace(/^导入失败：/, '')}`, (err.problems ?? []).map((p) => ({ message: p.message })));
  }
}

// ------------------------------------------------------------------------------------------------
// An open workspace: its engine, units, ranking, lock and saves

async function openWorkspace(id) {
  const ws = await store.workspace(id);
  if (!ws || ws.deletedAt) throw new Error('找不到这个考核任务（可能已删除）。');
  const engine = new Engine(ws.rules.text);
  const form = engine.form();
  const units = await store.units(id);
  const attachments = await store.attachments(id);
  const ctx = {
    ws, engine, form, units, attachments,
    byKey: new Map(units.map((u) => [u.key, u])),
    exam: new Map(),
    result: null,
    view: null,
    lock: null,
    readonly: false,
  };
  for (const u of units) ctx.exam.set(u.key, examine(engine, u.submission));
  for (const u of units) u.status = ctx.exam.get(u.key).status;
  ctx.ranker = new Ranker(engine, { onResult: (result) => rankedNow(result) });
  current = ctx;
  ctx.ranker.reset(units.map((u) => ({ key: u.key, text: JSON.stringify(ctx.exam.get(u.key).clean) })));
  ctx.lock = await claim(id, { onLost: () => becameReadonly('另一个标签页接管了这个考核任务的编辑，本页现为只读（不会覆盖对方的修改）。') });
  ctx.readonly = !ctx.lock.editing;
  ctx.unsubscribe = onAnnounce((m) => otherTabChanged(m));
  if (ctx.readonly) readonlyBanner();
  document.title = `${ws.name} · 考核任务`;
}

async function leaveWorkspace() {
  if (!current) return;
  await flushSaves();
  const ctx = current;
  current = null;
  ctx.lock?.release();
  ctx.unsubscribe?.();
  clearTimeout(ctx.ranker.timer);
  ctx.engine.free();
  $('ws-readonly').hidden = true;
}

function readonlyBanner(message = '这个考核任务已在另一个标签页或窗口中打开编辑：本页只读，以免两处同时修改互相覆盖。') {
  const box = $('ws-readonly');
  const take = h('button', { type: 'button', testid: 'ws-take-over' }, '在本页编辑（另一页改为只读）');
  take.addEventListener('click', async () => {
    await reloadFromStore();
    if (await current.lock.takeOver()) {
      current.readonly = false;
      box.hidden = true;
      announce({ type: 'taken', ws: current.ws.id });
      showWorkspaces(new URLSearchParams(route));
    }
  });
  box.replaceChildren(h('p', {}, h('strong', {}, message)), h('p', {}, take));
  box.hidden = false;
}

function becameReadonly(message) {
  if (!current) return;
  current.readonly = true;
  current.view?.setReadonly(true);
  readonlyBanner(message);
}

/** Another tab saved something: read it (this tab only reads while the other one edits). */
async function otherTabChanged(message) {
  if (!current || message.ws !== current.ws.id) return;
  if (message.type === 'unit-saved' && current.readonly) {
    const fresh = await store.unit(message.key);
    if (!fresh) return;
    const had = current.byKey.get(fresh.key);
    if (had) Object.assign(had, fresh);
    else {
      current.units.push(fresh);
      current.byKey.set(fresh.key, fresh);
    }
    const exam = examine(current.engine, fresh.submission);
    current.exam.set(fresh.key, exam);
    fresh.status = exam.status;
    current.ranker.update(fresh.key, JSON.stringify(exam.clean));
    if (route.unit === fresh.key && current.view) loadIntoView(fresh);
  } else if (message.type === 'workspace-changed' && current.readonly) {
    await reloadFromStore();
    showWorkspaces(new URLSearchParams(route));
  }
}

async function reloadFromStore() {
  const id = current.ws.id;
  const lock = current.lock;
  const unsubscribe = current.unsubscribe;
  // The form on screen uses the engine about to be freed: no more edits there until it is redrawn.
  current.view?.setReadonly(true);
  current.view?.dropLive();
  current.view = null;
  clearTimeout(current.ranker.timer);
  current.engine.free();
  const ws = await store.workspace(id);
  const engine = new Engine(ws.rules.text);
  const units = await store.units(id);
  const form = engine.form();
  useStatusLabels(form.status_labels);
  Object.assign(current, { ws, engine, form, units, byKey: new Map(units.map((u) => [u.key, u])), attachments: await store.attachments(id), exam: new Map(), lock, unsubscribe });
  for (const u of units) current.exam.set(u.key, examine(engine, u.submission));
  for (const u of units) u.status = current.exam.get(u.key).status;
  current.ranker = new Ranker(engine, { onResult: (result) => rankedNow(result) });
  current.ranker.reset(units.map((u) => ({ key: u.key, text: JSON.stringify(current.exam.get(u.key).clean) })));
}

// Saves: each unit's latest state, written in the background, in order; a failure keeps it queued.
const queue = new Map(); // unit key -> record
let flushing = null;
let saveTimer = null;

function queueSave(record) {
  record.edits = (record.edits ?? 0) + 1; // a save made before this edit leaves the unit queued
  queue.set(record.key, record);
  setSaveStatus('pending');
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => flushSaves(), 250);
}

async function flushSaves() {
  clearTimeout(saveTimer);
  while (flushing) await flushing; // one flush at a time
  if (queue.size === 0) return;
  flushing = (async () => {
    for (const [key, record] of [...queue]) {
      try {
        const edits = record.edits;
        const saved = await store.saveUnit(stripForStore(record), record.rev);
        record.rev = saved.rev;
        // Edited again while this save was under way: it stays queued for the next one.
        if (queue.get(key) === record && record.edits === edits) queue.delete(key);
        announce({ type: 'unit-saved', ws: record.workspace, key });
      } catch (err) {
        storageFailed(err, { unsaved: queue.size });
        return;
      }
    }
    try {
      if (current) {
        current.ws.updatedAt = new Date().toISOString();
        await store.putWorkspace(current.ws);
      }
    } catch (err) {
      storageFailed(err, { unsaved: queue.size });
      return;
    }
    clearStorageAlert();
    if (queue.size > 0) {
      setSaveStatus('pending');
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => flushSaves(), 0);
    } else {
      setSaveStatus('saved');
    }
  })();
  try {
    await flushing;
  } finally {
    flushing = null;
  }
}

/** The record as stored: a copy taken now (later edits do not reach a save under way). */
function stripForStore(record) {
  const { edits, ...copy } = record;
  void edits;
  return copy;
}

window.addEventListener('beforeunload', (event) => {
  if (queue.size > 0) {
    flushSaves();
    event.preventDefault();
    event.returnValue = '';
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushSaves();
});

function setSaveStatus(state, message) {
  const el = document.getElementById('ws-save-status');
  if (!el) return;
  el.className = `save-status ${state === 'saved' ? 'ok' : state === 'failed' ? 'failed' : ''}`;
  el.textContent = state === 'saved' ? `已保存 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}` : state === 'failed' ? `未保存：${message}` : '正在保存…';
}

/** A unit's form changed (the assessor's edit): status, ranking, save. */
function unitEdited(key, submission) {
  const record = current.byKey.get(key);
  if (!record || current.readonly) return;
  record.submission = submission;
  record.updatedAt = new Date().toISOString();
  const exam = examine(current.engine, submission);
  current.exam.set(key, exam);
  record.status = exam.status;
  current.ranker.update(key, JSON.stringify(exam.clean));
  queueSave(record);
  updateUnitHeader();
}

// ------------------------------------------------------------------------------------------------
// After each ranking: the open view follows

function rankedNow(result) {
  if (!current) return;
  current.result = result;
  const stamp = document.getElementById('ws-ranked');
  if (stamp) stamp.textContent = `排名已更新 ${new Date(result.at).toLocaleTimeString('zh-CN', { hour12: false })}（${result.keys.length}个单位，用时 ${Math.round(result.ms)} 毫秒）`;
  document.body.dataset.rankedAt = String(result.at);
  document.body.dataset.rankMs = result.ms.toFixed(1); // read by benches/workspace-rank.mjs
  if (route.unit && current.view) {
    current.view.setExternalReport(result.reports.get(route.unit) ?? null);
    updateUnitHeader();
  } else if (!route.unit && !route.report && !route.print && !route.summary && document.getElementById('ws-units')) {
    fillUnitsTable();
  } else if (route.summary && document.getElementById('ws-summary')) {
    renderSummary();
  }
}

// ------------------------------------------------------------------------------------------------
// The workspace page: its units

function breadcrumb(...parts) {
  return h('nav', { className: 'crumbs', 'aria-label': '位置' }, h('a', { href: '#workspaces' }, '考核任务'), parts.flatMap((p) => [' › ', p]));
}

function renderWorkspace() {
  const { ws } = current;
  document.title = `${ws.name} · 考核任务`;
  const tally = tallyOf(current.units);
  const search = h('input', { type: 'search', id: 'ws-unit-search', placeholder: '单位编号、名称、分组或状态', autocomplete: 'off', testid: 'ws-unit-search' });
  search.addEventListener('input', () => fillUnitsTable());
  const button = (label, testid, fn, className = '') => {
    const b = h('button', { type: 'button', testid, className }, label);
    b.addEventListener('click', fn);
    return b;
  };
  const rename = h('input', { type: 'text', id: 'ws-rename', value: ws.name, testid: 'ws-rename', autocomplete: 'off', disabled: current.readonly });
  rename.addEventListener('change', async () => {
    if (rename.value.trim() === '') return;
    ws.name = rename.value.trim();
    try {
      await store.putWorkspace(ws);
      announce({ type: 'workspace-changed', ws: ws.id });
    } catch (err) {
      storageFailed(err);
    }
  });
  root.replaceChildren(
    breadcrumb(h('span', {}, ws.name)),
    h('div', { className: 'ws-head' },
      h('h2', {}, h('label', { for: 'ws-rename', className: 'visually-hidden' }, '任务名称'), rename),
      h('p', { className: 'lead' }, `考核细则：${ws.rules.title}（${ws.rules.id}，版本 ${ws.rules.version}）· ${current.units.length}个单位 · `,
        h('span', { testid: 'ws-tally' }, Object.entries(STATUS_WORDS).map(([k, w]) => `${w}${tally[k]}`).join('，')))),
    h('div', { className: 'toolbar', role: 'toolbar', 'aria-label': '考核任务操作' },
      button('汇总表', 'ws-summary', () => go({ ws: ws.id, summary: '1' })),
      button('打印全部报告', 'ws-print-all', () => go({ ws: ws.id, print: 'all' })),
      button('导出汇总 XLSX', 'ws-xlsx', () => exportXlsx()),
      button('导出汇总 CSV', 'ws-csv', () => exportCsv()),
      h('span', { className: 'sep', 'aria-hidden': 'true' }),
      button('导出考核任务', 'ws-export', () => exportCurrent()),
      button('导出全部考核表（JSONL）', 'ws-export-jsonl', () => exportJsonl()),
      button('导出评分结果（JSON）', 'ws-export-reports', () => exportReports()),
      h('span', { className: 'sep', 'aria-hidden': 'true' }),
      button('添加单位', 'ws-add-unit', () => addUnitDialog(), current.readonly ? 'hidden' : ''),
      button('更换考核细则', 'ws-change-rules', () => changeRulesDialog(), current.readonly ? 'hidden' : ''),
      h('span', { id: 'ws-save-status', className: 'save-status', role: 'status', testid: 'ws-save-status' })),
    h('p', { className: 'ws-search-row' }, h('label', { for: 'ws-unit-search' }, '查找单位 '), search, ' ', h('span', { id: 'ws-ranked', className: 'muted', testid: 'ws-ranked' })),
    h('div', { className: 'table-wrap' }, h('table', { id: 'ws-units', testid: 'ws-units' },
      h('caption', { className: 'visually-hidden' }, '单位及实时排名'),
      h('thead', {}, h('tr', {}, ['排名', '单位编号', '单位名称', '分组', '填写状态', '总分', '等次', '结果', '说明', '最后修改', '操作'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}))),
    deletedUnitsLine());
  if (current.ws.previous) {
    root.append(h('p', { className: 'muted' }, `考核细则已于 ${when(current.ws.previous.at)} 由「${current.ws.previous.rules.title}（${current.ws.previous.rules.version}）」更换为当前细则。`, ' ', button('撤销更换细则', 'ws-undo-rules', () => undoRulesChange())));
  }
  fillUnitsTable();
  if (current.readonly) readonlyBanner();
}

function deletedUnitsLine() {
  const el = h('div', { id: 'ws-deleted-units' });
  store.units(current.ws.id, { deleted: true }).then((deleted) => {
    if (deleted.length === 0) return;
    el.replaceChildren(h('details', { className: 'ws-deleted' }, h('summary', {}, `已删除的单位（${deleted.length}）`),
      h('ul', {}, deleted.map((u) => {
        const restore = h('button', { type: 'button' }, '恢复');
        restore.addEventListener('click', () => restoreUnit(u));
        return h('li', {}, `${u.submission.unit.name}（${u.submission.unit.id}）`, ' ', restore);
      }))));
  });
  return el;
}

function fillUnitsTable() {
  const table = document.getElementById('ws-units');
  if (!table || !current) return;
  const q = (document.getElementById('ws-unit-search')?.value ?? '').trim().toLowerCase();
  const result = current.result;
  const rows = [...current.units].sort((a, b) => {
    const ra = result?.reports.get(a.key)?.rank;
    const rb = result?.reports.get(b.key)?.rank;
    return (ra ?? Infinity) - (rb ?? Infinity) || a.order - b.order;
  });
  const tbody = table.tBodies[0];
  tbody.replaceChildren(...rows.filter((u) => {
    if (!q) return true;
    const un = u.submission.unit;
    return `${un.id} ${un.name} ${un.group ?? ''} ${STATUS_WORDS[u.status]}`.toLowerCase().includes(q);
  }).map((u) => {
    const report = result?.reports.get(u.key);
    const un = u.submission.unit;
    const open = h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}&unit=${encodeURIComponent(u.key)}`, testid: 'ws-unit-open' }, un.name);
    const reportLink = h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}&report=${encodeURIComponent(u.key)}`, testid: 'ws-unit-report' }, '报告');
    const del = h('button', { type: 'button', className: 'danger', testid: 'ws-unit-delete', disabled: current.readonly }, '删除');
    del.addEventListener('click', () => deleteUnit(u));
    const moves = report ? gradeMoves(report) : [];
    const why = report ? [...moves, ...(report.status === 'final' ? [] : [`${report.pending.length}项待定`])].join('；') : (result?.errors.get(u.key) ?? []).map((p) => p.message).join('；');
    return h('tr', { dataset: { unit: un.id, status: u.status } },
      h('td', { className: 'num' }, report ? rankWord(report).replace(/^第(\d+)名$/, '$1') : '—'),
      h('td', {}, un.id), h('td', {}, open), h('td', {}, un.group ?? ''),
      h('td', { className: `st st-${u.status}` }, STATUS_WORDS[u.status]),
      h('td', { className: 'num' }, report?.total ?? '—'),
      h('td', { className: moves.length > 0 ? 'moved' : '' }, report ? gradeWord(report) : '—'),
      h('td', {}, report ? statusWord(report) : '无法评分'),
      h('td', { className: 'reasons' }, why),
      h('td', { className: 'when' }, when(u.updatedAt)),
      h('td', { className: 'actions' }, reportLink, ' ', del));
  }));
  const tally = tallyOf(current.units);
  const t = document.querySelector('[data-testid=ws-tally]');
  if (t) t.textContent = Object.entries(STATUS_WORDS).map(([k, w]) => `${w}${tally[k]}`).join('，');
}

async function addUnitDialog() {
  const text = h('textarea', { id: 'ws-add-units', rows: 4, testid: 'ws-add-units', placeholder: '单位编号,单位名称,分组,是否参与排名' });
  const ok = await confirmDialog({ title: '添加单位', body: [h('label', { for: 'ws-add-units' }, '每行一个单位：单位编号、单位名称、分组、是否参与排名（逗号或制表符分隔）'), text], ok: '添加', testid: 'ws-add' });
  if (!ok) return;
  const { units, problems } = readRoster(parseDelimited(text.value));
  const ids = new Set(current.units.map((u) => u.submission.unit.id));
  const clash = units.filter((u) => ids.has(u.id));
  if (problems.length > 0 || clash.length > 0 || units.length === 0) {
    show(noticeBox, '单位未添加：', [...problems, ...clash.map((u) => ({ message: `单位编号「${u.id}」已在名单中。` })), ...(units.length === 0 && problems.length === 0 ? [{ message: '没有填写单位。' }] : [])]);
    return;
  }
  const now = new Date().toISOString();
  const tags = Object.hasOwn(JSON.parse(current.ws.rules.text), 'unit_tags');
  const period = current.engine.ruleSet().period ?? JSON.parse(current.ws.rules.text).period;
  const records = units.map((row, i) => ({
    key: `${current.ws.id}/${newId('u')}`, workspace: current.ws.id, order: current.units.length + i, updatedAt: now, rev: 1, deletedAt: null, status: 'empty',
    submission: emptySubmission({ ...current.ws.rules, period }, row, { assessor: current.ws.assessor, tags }),
  }));
  try {
    await store.putUnits(records);
  } catch (err) {
    return storageFailed(err);
  }
  for (const r of records) {
    current.units.push(r);
    current.byKey.set(r.key, r);
    const exam = examine(current.engine, r.submission);
    current.exam.set(r.key, exam);
    current.ranker.update(r.key, JSON.stringify(exam.clean));
  }
  announce({ type: 'workspace-changed', ws: current.ws.id });
  notice(`已添加${records.length}个单位。`);
  renderWorkspace();
}

async function deleteUnit(u) {
  const record = { ...u, deletedAt: new Date().toISOString() };
  try {
    await store.putUnits([record]);
  } catch (err) {
    return storageFailed(err);
  }
  current.units = current.units.filter((x) => x.key !== u.key);
  current.byKey.delete(u.key);
  current.ranker.remove(u.key);
  announce({ type: 'workspace-changed', ws: current.ws.id });
  notice(`已删除单位「${u.submission.unit.name}」。`, undoButton('撤销删除', () => restoreUnit(record)));
  renderWorkspace();
}

async function restoreUnit(u) {
  const record = { ...u, deletedAt: null };
  try {
    await store.putUnits([record]);
  } catch (err) {
    return storageFailed(err);
  }
  current.units.push(record);
  current.units.sort((a, b) => a.order - b.order);
  current.byKey.set(record.key, record);
  const exam = examine(current.engine, record.submission);
  current.exam.set(record.key, exam);
  record.status = exam.status;
  current.ranker.update(record.key, JSON.stringify(exam.clean));
  current.ranker.setOrder(current.units.map((x) => x.key));
  hide(noticeBox);
  announce({ type: 'workspace-changed', ws: current.ws.id });
  renderWorkspace();
}

// ------------------------------------------------------------------------------------------------
// A unit's page: its form, with its current rank and grade from the workspace's ranking

function renderUnitPage(key) {
  const record = current.byKey.get(key);
  if (!record) {
    root.replaceChildren(breadcrumb(h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}` }, current.ws.name)), h('p', { role: 'alert' }, '找不到这个单位（可能已删除）。'));
    return;
  }
  const un = record.submission.unit;
  document.title = `${un.name} · ${current.ws.name}`;
  const sorted = [...current.units].sort((a, b) => a.order - b.order);
  const i = sorted.findIndex((u) => u.key === key);
  const link = (u, label, testid) => (u ? h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}&unit=${encodeURIComponent(u.key)}`, testid, className: 'button' }, label) : null);
  const host = h('div', { className: 'ws-form-host' });
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.append(h('link', { rel: 'stylesheet', href: '/pkg/element.css' }));
  const evidence = new Map();
  const view = new FormView(shadow, {
    external: true,
    lockUnit: true,
    onUpdate: ({ submission, cause }) => {
      if (cause === 'input') unitEdited(key, submission);
    },
    itemExtras: (entry) => {
      const e = evidenceBlock(entry, {
        list: (item) => current.attachments.filter((a) => a.unit === key && a.item === item),
        add: (item, file, note) => addEvidence(key, item, file, note),
        remove: (a) => removeEvidence(a),
        readonly: () => current.readonly,
      });
      evidence.set(entry.id, e);
      return e.block;
    },
  });
  current.view?.dropLive();
  current.view = view;
  current.evidence = evidence;
  view.setEngine(current.engine);
  loadIntoView(record);
  view.setReadonly(current.readonly);
  view.setExternalReport(current.result?.reports.get(key) ?? null);
  root.replaceChildren(
    breadcrumb(h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}` }, current.ws.name), h('span', {}, un.name)),
    h('div', { className: 'ws-unit-bar' },
      h('div', { className: 'ws-unit-title' }, h('h2', {}, un.name), h('span', { className: 'muted' }, `编号 ${un.id}${un.group ? ` · 分组 ${un.group}` : ''}${un.ranked === false ? ' · 不参与排名' : ''}`)),
      h('div', { className: 'ws-unit-nav' },
        link(sorted[i - 1], '‹ 上一个单位', 'ws-prev'), link(sorted[i + 1], '下一个单位 ›', 'ws-next'),
        h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}&report=${encodeURIComponent(key)}`, className: 'button', testid: 'ws-open-report' }, '报告与打印'),
        current.readonly ? null : importButton(key),
        exportUnitButton(key),
        h('span', { id: 'ws-save-status', className: 'save-status', role: 'status', testid: 'ws-save-status' }))),
    h('section', { className: 'ws-standing', testid: 'ws-standing', 'aria-label': '全区排名与等次', 'aria-live': 'polite' }),
    h('p', { className: 'muted', id: 'ws-evidence-usage', testid: 'ws-evidence-usage' }),
    host);
  showEvidenceUsage();
  updateUnitHeader();
  if (queue.size > 0) setSaveStatus('pending');
  if (current.readonly) readonlyBanner();
}

function importButton(key) {
  const input = h('input', { type: 'file', accept: '.json,application/json', testid: 'ws-unit-import' });
  input.addEventListener('change', () => importIntoUnit(key, input));
  return h('label', { className: 'button file' }, '导入考核表…', input);
}

function exportUnitButton(key) {
  const b = h('button', { type: 'button', testid: 'ws-unit-export' }, '导出考核表');
  b.addEventListener('click', () => {
    const doc = current.byKey.get(key).submission;
    download(`考核表-${fileName(doc.unit.name)}-${doc.rules.id}-${doc.rules.version}.json`, `${JSON.stringify(doc, null, 2)}\n`, 'application/json');
  });
  return b;
}

function hasContent(doc) {
  return Object.keys(doc.values ?? {}).length > 0 || Object.keys(doc.notes ?? {}).length > 0;
}

/** Loads a submission file into a unit's form: asks before replacing what is there; can be undone. */
async function importIntoUnit(key, input) {
  const file = input.files[0];
  input.value = '';
  if (!file || !current) return;
  hide(noticeBox);
  const record = current.byKey.get(key);
  try {
    const text = await readLimited(file, '考核表文件');
    const doc = parseJsonText(text, `考核表文件「${file.name}」`);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc.format !== 'kpi-submission/1') throw new Error('不是考核表文件（kpi-submission/1）。');
    if (doc.rules?.id !== undefined && doc.rules.id !== current.ws.rules.id) throw new Error(`它使用的考核细则「${doc.rules.id}」不是本考核任务的细则「${current.ws.rules.id}」。`);
    // The roster owns the unit; the assessor and date already entered stay unless the file has its own.
    const incoming = { ...doc, rules: { id: current.ws.rules.id, version: current.ws.rules.version }, unit: record.submission.unit, meta: { ...(record.submission.meta ?? {}), ...(doc.meta ?? {}) } };
    const problems = current.view.importProblems(incoming);
    if (problems.length > 0) {
      show(noticeBox, `考核表「${file.name}」无法导入，当前填写内容未改动：`, problems.map((p) => ({ message: p.message })));
      return;
    }
    const other = doc.unit?.id && doc.unit.id !== record.submission.unit.id;
    if (hasContent(record.submission) || other) {
      const ok = await confirmDialog({
        title: `导入到「${record.submission.unit.name}」？`,
        body: [other ? `文件中的单位是「${doc.unit.name ?? ''}」（编号 ${doc.unit.id}），不是本单位。` : '',
          hasContent(record.submission) ? '本单位已有填写内容，导入将替换全部填写内容和情况说明；替换后可「撤销导入」。' : '导入后可「撤销导入」。'].filter(Boolean),
        ok: '导入', testid: 'confirm-unit-import',
      });
      if (!ok) return;
    }
    const previous = record.submission;
    current.view.load(incoming);
    unitEdited(key, current.view.submission());
    notice(`已将「${file.name}」导入「${record.submission.unit.name}」。`, undoButton('撤销导入', async () => {
      if (route.unit === key && current.view) {
        current.view.load(previous);
        unitEdited(key, current.view.submission());
      } else {
        unitEdited(key, previous);
      }
      notice('已撤销导入。');
    }));
  } catch (err) {
    show(noticeBox, `考核表「${file.name}」无法导入，当前填写内容未改动：${err.message}`);
  }
}

function loadIntoView(record) {
  const problems = current.view.importProblems(record.submission);
  if (problems.length === 0) current.view.load(record.submission);
  else {
    // A submission the form cannot show as it is (e.g. after a rule-set change): what fits.
    const values = Object.fromEntries(Object.entries(record.submission.values ?? {}).filter(([id]) => current.form.inputs.some((inp) => inp.id === id)));
    current.view.load({ ...record.submission, values });
  }
}

/** The unit page's standing: rank, grade (final or provisional, with why), status, pending links. */
function updateUnitHeader() {
  const box = document.querySelector('[data-testid=ws-standing]');
  if (!box || !route.unit || !current) return;
  const record = current.byKey.get(route.unit);
  const report = current.result?.reports.get(route.unit);
  const waiting = current.ranker.pending;
  if (!report) {
    const errors = current.result?.errors.get(route.unit) ?? [];
    box.replaceChildren(h('p', {}, waiting ? '正在计算排名…' : `暂无法评分：${errors.map((p) => p.message).join('；')}`));
    return;
  }
  const moves = gradeMoves(report);
  const ranked = current.result.keys.filter((k) => current.result.reports.get(k)?.rank != null && (current.result.reports.get(k).unit.group ?? '') === (report.unit.group ?? '')).length;
  box.dataset.status = report.status;
  box.replaceChildren(
    h('div', { className: 'ws-standing-metrics' },
      h('div', {}, h('span', {}, '全区排名'), h('strong', { testid: 'ws-rank' }, rankWord(report)), report.rank != null ? h('small', {}, `${report.unit.group ? `本组` : '共'}${ranked}个单位参与排名`) : null),
      h('div', {}, h('span', {}, report.status === 'final' ? '总分' : '暂计总分'), h('strong', { testid: 'ws-total' }, report.total)),
      h('div', {}, h('span', {}, '等次'), h('strong', { testid: 'ws-grade' }, gradeWord(report)), report.status === 'final' ? null : h('small', {}, gradeHint(report))),
      h('div', {}, h('span', {}, '结果'), h('strong', { testid: 'ws-status' }, statusWord(report)), h('small', {}, `填写状态：${STATUS_WORDS[record.status]}`))),
    moves.length > 0 ? h('ul', { className: 'ws-moves', testid: 'ws-moves' }, moves.map((m) => h('li', {}, m))) : '',
    report.status === 'final' ? '' : h('details', { className: 'ws-why' }, h('summary', {}, `为什么是暂定（${report.pending.length}项待定）`),
      h('ul', {}, report.pending.map((p) => {
        const a = h('a', { href: '#' }, p.title);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          current.view?.focusField((p.missing ?? [])[0], `${p.kind}:${p.id}`);
        });
        return h('li', {}, a, `：${p.reason}`);
      }))));
}

/** The workspace's evidence against its limit, and the browser's storage estimate. */
async function showEvidenceUsage() {
  const el = document.getElementById('ws-evidence-usage');
  if (!el || !current) return;
  const used = usedBytes(current.attachments);
  const est = await estimate();
  el.textContent = `佐证材料：本考核任务共${current.attachments.length}份，${megabytes(used)}，上限 500 MB（每份不超过 20 MB）${est?.quota ? `；浏览器存储已用 ${megabytes(est.usage ?? 0)}，上限约 ${megabytes(est.quota)}` : ''}。`;
}

async function addEvidence(unitKey, item, file, note) {
  if (current.readonly) throw new Error('本页只读。');
  const record = evidenceRecord({ workspace: current.ws.id, unit: unitKey, item, file, note, used: usedBytes(current.attachments) });
  try {
    await store.putAttachment(record);
  } catch (err) {
    throw storageError(err, '保存佐证材料');
  }
  current.attachments.push(record);
  current.evidence?.get(item)?.render();
  showEvidenceUsage();
  announce({ type: 'workspace-changed', ws: current.ws.id });
}

async function removeEvidence(a) {
  if (current.readonly) throw new Error('本页只读。');
  await store.deleteAttachment(a.id);
  current.attachments = current.attachments.filter((x) => x.id !== a.id);
  current.evidence?.get(a.item)?.render();
  showEvidenceUsage();
  notice(`已删除佐证材料「${a.name}」。`, undoButton('撤销删除', async () => {
    await store.putAttachment(a);
    current.attachments.push(a);
    current.evidence?.get(a.item)?.render();
    hide(noticeBox);
  }));
}

// ------------------------------------------------------------------------------------------------
// Reports, the summary, printing

function reportContext(key) {
  const record = current.byKey.get(key);
  return {
    form: current.form,
    unit: record,
    attachments: current.attachments.filter((a) => a.unit === key).sort((a, b) => a.item.localeCompare(b.item, 'zh-CN', { numeric: true })),
    rejected: current.exam.get(key)?.rejected ?? new Set(),
  };
}

function unitDoc(key) {
  const result = current.ranker.pending ? current.ranker.run() : current.result;
  const report = result.reports.get(key);
  if (!report) return null;
  return { head: `${report.unit.name} · ${report.rules.title}（${report.rules.version}）`, headRight: `${statusWord(report)}结果`, blocks: reportBlocks(report, reportContext(key)) };
}

function summaryDoc() {
  const result = current.ranker.pending ? current.ranker.run() : current.result;
  const rows = summaryRows(result, current.units, current.form);
  const final = rows.every((r) => r.report?.status === 'final');
  return {
    head: `${current.ws.name} · 汇总表 · ${current.ws.rules.title}（${current.ws.rules.version}）`,
    headRight: final ? '最终结果' : '暂定结果',
    landscape: true,
    blocks: [
      h('h1', { className: 'rp-summary-title' }, `${current.ws.name}：考核结果汇总表`),
      h('p', { className: 'rp-sub' }, `${final ? '全部单位均已完成，结果为最终结果。' : '尚有单位或项目未完成，结果为暂定。'}共${rows.length}个单位。`),
      summaryTable(rows, current.form),
      h('div', { className: 'rp-sign' }, h('div', {}, h('span', {}, '制表人：'), h('span', { className: 'rp-line' })), h('div', {}, h('span', {}, '审核人：'), h('span', { className: 'rp-line' })), h('div', {}, h('span', {}, '日期：'), h('span', { className: 'rp-line' })), h('div', { className: 'rp-seal' }, h('span', {}, '（公章）')))],
  };
}

/** The print preview: laid-out pages, exactly as they print. */
function renderPreview(what, key) {
  const back = h('a', { href: key ? `#ws=${encodeURIComponent(current.ws.id)}&unit=${encodeURIComponent(key)}` : `#ws=${encodeURIComponent(current.ws.id)}${what === 'summary' ? '&summary=1' : ''}`, className: 'button', testid: 'preview-back' }, key ? '返回填写' : '返回');
  const print = h('button', { type: 'button', className: 'primary', testid: 'preview-print' }, '打印');
  print.addEventListener('click', () => window.print());
  const stack = h('div', { className: 'pg-stack', testid: 'print-pages' });
  const info = h('span', { className: 'muted', testid: 'preview-info' });
  root.replaceChildren(
    h('div', { className: 'pg-toolbar' }, breadcrumb(h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}` }, current.ws.name), h('span', {}, key ? `${current.byKey.get(key)?.submission.unit.name ?? ''}的报告` : what === 'summary' ? '汇总表（打印）' : '全部单位的报告')), print, back, info),
    stack);
  let docs;
  if (what === 'unit') {
    const d = current.byKey.has(key) ? unitDoc(key) : null;
    docs = d ? [d] : [];
  } else if (what === 'summary') {
    docs = [summaryDoc()];
  } else {
    docs = [...current.units].sort((a, b) => a.order - b.order).map((u) => unitDoc(u.key)).filter(Boolean);
  }
  const pages = paginate(stack, docs);
  // The title is the PDF's suggested file name when printing to a file.
  document.title = `${current.ws.name}-${key ? `${current.byKey.get(key)?.submission.unit.name ?? ''}考核结果报告` : what === 'summary' ? '汇总表' : '全部单位考核结果报告'}`;
  info.textContent = `共${docs.length}份，${pages}页（A4）。打印时用浏览器的默认设置（A4，不缩放）；页码「第N页 共M页」、单位名称和考核细则已排在每页上。`;
  document.body.dataset.printPages = String(pages);
  print.focus();
}

function renderSummary() {
  const result = current.ranker.pending ? current.ranker.run() : current.result;
  const rows = summaryRows(result, current.units, current.form);
  const table = summaryTable(rows, current.form, { links: true, onOpen: (key) => go({ ws: current.ws.id, report: key }) });
  const button = (label, testid, fn) => {
    const b = h('button', { type: 'button', testid }, label);
    b.addEventListener('click', fn);
    return b;
  };
  const final = rows.every((r) => r.report?.status === 'final');
  root.replaceChildren(
    breadcrumb(h('a', { href: `#ws=${encodeURIComponent(current.ws.id)}` }, current.ws.name), h('span', {}, '汇总表')),
    h('div', { className: 'ws-head', id: 'ws-summary' }, h('h2', {}, `汇总表：${current.ws.name}`),
      h('p', { className: 'lead', testid: 'summary-state' }, final ? '全部单位均已完成：排名、等次为最终结果。' : '尚有单位或项目未完成：排名、等次为暂定，会随填写变化。')),
    h('div', { className: 'toolbar' },
      button('导出 XLSX', 'summary-xlsx', () => exportXlsx()),
      button('导出 CSV', 'summary-csv', () => exportCsv()),
      button('打印汇总表', 'summary-print', () => go({ ws: current.ws.id, print: 'summary' })),
      button('打印全部报告', 'summary-print-all', () => go({ ws: current.ws.id, print: 'all' }))),
    h('div', { className: 'table-wrap' }, table));
}

function cleanTexts() {
  return current.units.map((u) => JSON.stringify(current.exam.get(u.key).clean));
}

async function exportCsv() {
  await loadTools(); // batchCsv is in the package's tools module
  const csv = current.engine.batchCsv(cleanTexts()); // UTF-8 with BOM, as `kpi score --format csv`
  download(`${fileName(current.ws.name)}-汇总表.csv`, csv, 'text/csv;charset=utf-8');
}

async function exportXlsx() {
  const result = current.ranker.pending ? current.ranker.run() : current.result;
  const rows = summaryRows(result, current.units, current.form);
  try {
    const bytes = await summaryXlsx({ rows, form: current.form, workspace: current.ws, rules: current.ws.rules, result, units: current.units });
    download(`${fileName(current.ws.name)}-汇总表.xlsx`, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  } catch (err) {
    show(noticeBox, `无法导出 XLSX：${err.message}`);
  }
}

function exportJsonl() {
  download(`${fileName(current.ws.name)}-考核表.jsonl`, cleanTexts().map((t) => `${t}\n`).join(''), 'application/x-ndjson');
}

function exportReports() {
  if (current.ranker.pending) current.ranker.run();
  download(`${fileName(current.ws.name)}-评分结果.json`, current.ranker.reportsJson(), 'application/json');
}

async function exportCurrent() {
  if (!current) return;
  const bytes = await exportWorkspace({ workspace: current.ws, units: [...current.units].sort((a, b) => a.order - b.order), attachments: current.attachments });
  download(`${fileName(current.ws.name)}.kpiws.zip`, bytes, 'application/zip');
  notice(`已导出考核任务「${current.ws.name}」（${megabytes(bytes.length)}，含${current.units.length}个单位、${current.attachments.length}份佐证材料）。`);
}

// ------------------------------------------------------------------------------------------------
// Changing the rule set of a workspace

async function changeRulesDialog() {
  const select = h('select', { id: 'ws-new-rules', testid: 'ws-new-rules' }, ...rulesChoices(), h('option', { value: 'file' }, '从文件加载…'));
  const file = h('input', { type: 'file', id: 'ws-new-rules-file', accept: '.json,application/json', testid: 'ws-new-rules-file' });
  const ok = await confirmDialog({
    title: '更换考核细则',
    body: ['各单位已填写的内容按输入项编号保留；新细则中没有的内容会列出，并单独保存（不会丢失）。下一步会先列出变化，确认后才更换。',
      h('p', {}, h('label', { for: 'ws-new-rules' }, '新的考核细则 '), select), h('p', {}, h('label', { for: 'ws-new-rules-file' }, '或细则文件 '), file)],
    ok: '下一步', testid: 'ws-rules-pick',
  });
  if (!ok) return;
  let rules;
  try {
    if (file.files[0]) select.value = 'file';
    rules = await chosenRules(select, file);
  } catch (err) {
    return show(noticeBox, `新细则无法加载：${err.message}`, err.problems ?? []);
  }
  try {
    await loadTools(); // ruleChanges is in the package's tools module
  } catch {
    // planRulesChange words the change itself without it.
  }
  const plan = planRulesChange(rules);
  const list = h('ul', { className: 'ws-problems', testid: 'ws-rules-misfits' }, plan.misfits.length > 0 ? plan.misfits.map((m) => h('li', {}, m)) : [h('li', {}, '各单位已填写的内容都与新细则相符。')]);
  const changes = h('ul', {}, plan.changes.map((c) => h('li', {}, c)));
  const apply = await confirmDialog({
    title: `更换为「${rules.title}（${rules.version}）」？`,
    body: [h('p', {}, h('strong', {}, '细则变化：')), changes, h('p', {}, h('strong', {}, '与新细则不符的内容（将单独保存，可在导出的考核任务文件中找到）：')), list, '更换后可「撤销更换细则」。'],
    ok: '更换', testid: 'ws-rules-apply',
  });
  if (!apply) return;
  await applyRulesChange(rules, plan);
}

function planRulesChange(rules) {
  const engine = new Engine(rules.text);
  const form = engine.form();
  const inputs = new Map(form.inputs.map((i) => [i.id, i]));
  const items = new Set(form.sections.flatMap((s) => s.items).map((i) => i.id));
  const labelOld = new Map(current.form.inputs.map((i) => [i.id, i.label]));
  const misfits = [];
  const next = new Map();
  let changes = [];
  try {
    changes = current.engine.ruleChanges(rules.text);
  } catch {
    changes = [`由「${current.ws.rules.title}」更换为「${rules.title}」。`];
  }
  for (const u of current.units) {
    const sub = u.submission;
    const name = sub.unit.name;
    const values = {};
    const dropped = {};
    for (const [id, v] of Object.entries(sub.values ?? {})) {
      if (inputs.has(id)) values[id] = v;
      else {
        dropped[id] = v;
        misfits.push(`${name}：「${labelOld.get(id) ?? id}」（${v}）在新细则中没有对应的输入项`);
      }
    }
    const notes = {};
    const droppedNotes = {};
    for (const [id, t] of Object.entries(sub.notes ?? {})) {
      if (items.has(id)) notes[id] = t;
      else {
        droppedNotes[id] = t;
        misfits.push(`${name}：项目${id}的情况说明在新细则中没有对应的项目`);
      }
    }
    const doc = { ...sub, rules: { id: rules.id, version: rules.version }, values, notes };
    for (const p of engine.validate(doc)) {
      const m = /^\/values\/([^/]+)$/.exec(p.path);
      if (m && p.code !== 'value.missing') misfits.push(`${name}：${plainWords(p.message)}（保留原值，需修改）`);
    }
    for (const a of current.attachments.filter((x) => x.unit === u.key && !items.has(x.item))) misfits.push(`${name}：佐证材料「${a.name}」所属项目${a.item}在新细则中不存在（材料保留）`);
    const orphaned = Object.keys(dropped).length + Object.keys(droppedNotes).length > 0 ? { rules: { id: current.ws.rules.id, version: current.ws.rules.version }, values: dropped, notes: droppedNotes } : null;
    next.set(u.key, { doc, orphaned });
  }
  engine.free();
  return { next, misfits, changes };
}

async function applyRulesChange(rules, plan) {
  const now = new Date().toISOString();
  const previous = { at: now, rules: current.ws.rules, units: current.units.map((u) => ({ key: u.key, submission: u.submission, orphaned: u.orphaned ?? null })) };
  const ws = { ...current.ws, rules: { text: rules.text, source: rules.source, id: rules.id, version: rules.version, title: rules.title }, previous, updatedAt: now };
  const units = current.units.map((u) => {
    const { doc, orphaned } = plan.next.get(u.key);
    const out = { ...u, submission: doc, updatedAt: now, rev: (u.rev ?? 0) + 1 };
    if (orphaned) out.orphaned = orphaned;
    return out;
  });
  try {
    await store.putAll(ws, units);
  } catch (err) {
    return storageFailed(err);
  }
  announce({ type: 'workspace-changed', ws: ws.id });
  await reloadFromStore();
  notice(`已更换为「${rules.title}（${rules.version}）」：${plan.misfits.length}处内容与新细则不符，已列出并单独保存。`, undoButton('撤销更换细则', () => undoRulesChange()));
  renderWorkspace();
}

async function undoRulesChange() {
  const prev = current.ws.previous;
  if (!prev) return;
  const byKey = new Map(prev.units.map((u) => [u.key, u]));
  const now = new Date().toISOString();
  const ws = { ...current.ws, rules: prev.rules, previous: undefined, updatedAt: now };
  const units = current.units.map((u) => {
    const old = byKey.get(u.key);
    const out = { ...u, updatedAt: now, rev: (u.rev ?? 0) + 1 };
    if (old) out.submission = old.submission;
    delete out.orphaned;
    if (old?.orphaned) out.orphaned = old.orphaned;
    return out;
  });
  try {
    await store.putAll(ws, units);
  } catch (err) {
    return storageFailed(err);
  }
  announce({ type: 'workspace-changed', ws: ws.id });
  await reloadFromStore();
  notice(`已撤销更换，恢复为「${prev.rules.title}（${prev.rules.version}）」。`);
  renderWorkspace();
}

/**
 * Puts a single form's submission into a workspace with the same rule set (chosen in a dialog) or
 * into a new one, as a unit; a unit with the same id is replaced only after asking (undo offered).
 * Then opens that unit. Resolves false when nothing was done.
 */
export async function addToWorkspace({ submission, rulesText, rules }) {
  if (!(await ensureStore())) return false;
  const all = (await store.workspaces()).filter((w) => w.rules.id === rules.id && w.rules.version === rules.version);
  const select = h('select', { id: 'ws-target', testid: 'ws-target' },
    ...all.map((w) => h('option', { value: w.id }, w.name)),
    h('option', { value: '' }, `新建考核任务「${taskName(rules)}」`));
  const ok = await confirmDialog({
    title: `将「${submission.unit.name}」存入考核任务`,
    body: [`考核细则：${rules.title}（${rules.version}）。可存入使用同一细则的考核任务，或新建一个。`, h('label', { for: 'ws-target' }, '考核任务'), select],
    ok: '存入', testid: 'confirm-to-workspace',
  });
  if (!ok) return false;
  const now = new Date().toISOString();
  let id = select.value;
  try {
    if (!id) {
      id = newId('w');
      await store.putWorkspace({ id, name: taskName(rules), assessor: submission.meta?.assessor ?? '', createdAt: now, updatedAt: now, deletedAt: null, rules: { text: rulesText, source: 'form', id: rules.id, version: rules.version, title: rules.title } });
      await persist();
    }
    const units = await store.units(id);
    const same = units.find((u) => u.submission.unit.id === submission.unit.id);
    if (same) {
      const replace = await confirmDialog({ title: `替换「${same.submission.unit.name}」的考核表？`, body: ['该考核任务中已有这个单位编号，存入将替换它的填写内容（可撤销）。'], ok: '替换', testid: 'confirm-to-workspace-replace' });
      if (!replace) return false;
      const saved = await store.saveUnit({ ...same, submission: { ...submission, unit: same.submission.unit }, updatedAt: now }, same.rev);
      if (current?.ws.id === id) await leaveWorkspace();
      location.hash = `#ws=${encodeURIComponent(id)}&unit=${encodeURIComponent(saved.key)}`;
      notice(`已用考核表替换「${same.submission.unit.name}」的填写内容。`, undoButton('撤销', async () => {
        await store.putUnits([{ ...saved, submission: same.submission, rev: saved.rev + 1 }]);
        if (current?.ws.id === id) await leaveWorkspace();
        await showWorkspaces(new URLSearchParams(location.hash.slice(1)));
      }));
      return true;
    }
    const key = `${id}/${newId('u')}`;
    await store.putUnits([{ key, workspace: id, order: units.length, updatedAt: now, rev: 1, deletedAt: null, status: 'partial', submission }]);
    if (current?.ws.id === id) await leaveWorkspace();
    location.hash = `#ws=${encodeURIComponent(id)}&unit=${encodeURIComponent(key)}`;
    notice(`已将「${submission.unit.name}」存入考核任务。`);
    return true;
  } catch (err) {
    storageFailed(err);
    return false;
  }
}

/** For the single form: whether the page has unsaved workspace changes. */
export function hasUnsaved() {
  return queue.size > 0;
}

export { parseJsonText };
