// The browser app: the <kpi-assessment> form plus what an assessor needs around it: a rule-set
// picker, loading rule-set files, autosave to localStorage (per rule set), import/export of a
// submission, print, a batch view (ranks, quotas, CSV) and a compare view (old vs new rules).
// No scoring here: every number comes from the engine through the element or Engine methods.
import { builtInRuleSets, builtInRuleSetSource } from '/pkg/index.js';
import { MAX_DOCUMENT_BYTES, parseSubmissionText } from '/pkg/element.js';

const $ = (id) => document.getElementById(id);
const form = $('form');
const builtins = builtInRuleSets();
const STORE = 'kpi-assessment:';

// ------------------------------------------------------------------------------------------------
// Small DOM helpers (text only: rule-set and file contents are untrusted)

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el[key] = value;
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

function show(box, message, problems = []) {
  box.replaceChildren(h('p', {}, message), problems.length > 0 ? h('ul', {}, problems.map((p) => h('li', {}, p.path ? `${p.message}（位置 ${p.path}）` : p.message))) : '');
  box.hidden = false;
}

function hide(...boxes) {
  for (const box of boxes) {
    box.hidden = true;
    box.replaceChildren();
  }
}

const notice = (message) => show($('notice'), message);
const alertBox = (message, problems) => {
  hide($('notice'));
  show($('alert'), message, problems);
};

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function megabytes(bytes) {
  return `${(bytes / 1048576).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} MB`;
}

/** Reads a chosen file as text, refusing one over the engine's limit before reading a byte. */
async function readLimited(file, what) {
  if (file.size > MAX_DOCUMENT_BYTES) {
    const err = new Error(`${what}「${file.name}」过大（${megabytes(file.size)}），超过 8 MiB 上限，未读取。`);
    err.problems = [];
    throw err;
  }
  return file.text();
}

const keyOf = (info) => `${info.id}@${info.version}`;

// ------------------------------------------------------------------------------------------------
// Storage: one draft per rule set, the last rule set in use, and the text of loaded rule files

const storage = {
  get(name) {
    try {
      const text = localStorage.getItem(STORE + name);
      return text === null ? null : JSON.parse(text);
    } catch {
      return null;
    }
  },
  /** Writes or throws (quota, storage disabled). */
  set(name, value) {
    localStorage.setItem(STORE + name, JSON.stringify(value));
  },
  remove(name) {
    try {
      localStorage.removeItem(STORE + name);
    } catch {
      // Nothing to do: storage unavailable.
    }
  },
};

let current = null; // {key, source: 'builtin' | 'custom', id, version}
let saveFailed = false;

function saveNow() {
  if (!current || !form.engine) return;
  const status = $('save-status');
  try {
    storage.set(`draft:${current.key}`, { rules: current, savedAt: new Date().toISOString(), submission: form.submission });
    storage.set('last', current);
    status.textContent = `已自动保存 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`;
    status.className = 'save-status ok';
    saveFailed = false;
  } catch (err) {
    const quota = err && (err.name === 'QuotaExceededError' || err.code === 22);
    status.textContent = quota
      ? '自动保存失败：浏览器存储空间已满。请立即「导出考核表」保存到文件，以免丢失。'
      : `自动保存失败：${err?.message ?? err}。请「导出考核表」保存到文件。`;
    status.className = 'save-status failed';
    status.setAttribute('role', 'alert');
    saveFailed = true;
  }
}

// ------------------------------------------------------------------------------------------------
// Rule sets: the picker, switching, loading files

const picker = $('rules-picker');
const customRules = new Map(); // key -> rule-set JSON text

function refreshPicker() {
  const options = builtins.map((r) => h('option', { value: `builtin:${r.id}` }, `${r.title}（${r.version}）`));
  for (const [key, text] of customRules) {
    const info = ruleInfo(text);
    options.push(h('option', { value: `custom:${key}` }, `${info?.title ?? key}（${info?.version ?? ''}，文件）`));
  }
  picker.replaceChildren(...options);
  if (current) picker.value = `${current.source}:${current.source === 'builtin' ? current.id : current.key}`;
  const compare = $('compare-builtin');
  compare.replaceChildren(h('option', { value: '' }, '（选择内置细则）'), ...builtins.map((r) => h('option', { value: r.id }, `${r.title}（${r.version}）`)));
}

function ruleInfo(text) {
  try {
    const doc = JSON.parse(text);
    return { id: String(doc.id), version: String(doc.version), title: String(doc.title) };
  } catch {
    return null;
  }
}

/**
 * Shows the form of a rule set (a built-in id or a custom key) and restores its draft. With
 * `submission`, loads that instead (after checking it); throws, changing nothing, on failure.
 */
function activate(source, idOrKey, submission) {
  const rules = source === 'builtin' ? idOrKey : customRules.get(idOrKey);
  form.setRules(rules, submission);
  const info = form.rules;
  current = { key: keyOf(info), source, id: info.id, version: info.version };
  let restored = false;
  if (!submission) {
    const draft = storage.get(`draft:${current.key}`);
    if (draft?.submission) {
      try {
        form.submission = draft.submission;
        restored = true;
      } catch (err) {
        // Kept under another name (so typing here does not overwrite it) and offered for export.
        const name = `draft:${current.key}~${draft.savedAt ?? 'old'}`;
        try {
          storage.set(name, draft);
          storage.remove(`draft:${current.key}`);
        } catch {
          // Storage full: it stays where it is; the banner still offers the export.
        }
        unloadable.set(name, `它与当前细则不符：${err.message}`);
      }
    }
  }
  refreshPicker();
  $('batch-rules').textContent = `「${info.title}（${info.version}）」`;
  $('compare-old').textContent = `「${info.title}（${info.version}）」`;
  saveNow();
  scanOrphans();
  return restored;
}

picker.addEventListener('change', () => {
  const [source, ...rest] = picker.value.split(':');
  hide($('alert'), $('notice'));
  try {
    const restored = activate(source, rest.join(':'));
    notice(restored ? '已切换细则，并恢复该细则下自动保存的考核表。' : '已切换细则。');
  } catch (err) {
    alertBox(`无法切换细则：${err.message}`, err.problems ?? []);
  }
});

$('load-rules').addEventListener('change', async (event) => {
  const input = event.target;
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  hide($('alert'), $('notice'));
  try {
    const text = await readLimited(file, '细则文件');
    form.setRules(text); // throws with every problem when the file is not a valid rule set
    const key = keyOf(form.rules);
    customRules.set(key, text);
    try {
      storage.set(`rules:${key}`, text);
    } catch {
      notice('细则文件较大，未能保存到浏览器：刷新页面后需重新加载该细则文件。');
    }
    const restored = activate('custom', key);
    if ($('notice').hidden) notice(`已加载细则「${form.rules.title}」（版本 ${form.rules.version}）${restored ? '，并恢复了自动保存的考核表' : ''}。`);
  } catch (err) {
    alertBox(`细则文件「${file.name}」无法加载：${err.message}`, err.problems ?? []);
  }
});

// ------------------------------------------------------------------------------------------------
// Import, export, clear, print

$('import').addEventListener('change', async (event) => {
  const input = event.target;
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  hide($('alert'), $('notice'));
  try {
    const text = await readLimited(file, '考核表文件');
    const doc = parseSubmissionText(text);
    const rules = doc && typeof doc === 'object' ? doc.rules : undefined;
    const sameRules = rules && rules.id === current.id && rules.version === current.version;
    if (sameRules || !rules || typeof rules !== 'object') {
      const problems = form.checkSubmission(doc);
      if (problems.length > 0) return alertBox(`考核表「${file.name}」无法导入，当前填写内容未改动：`, problems);
      form.submission = doc;
      saveNow();
      return notice(`已导入考核表「${file.name}」。`);
    }
    const key = `${rules.id}@${rules.version}`;
    const builtin = builtins.find((r) => r.id === rules.id && r.version === rules.version);
    const source = builtin ? 'builtin' : customRules.has(key) ? 'custom' : null;
    if (!source) {
      return alertBox(`考核表「${file.name}」无法导入，当前填写内容未改动：它使用的细则「${rules.id}」版本「${rules.version}」不是当前细则（${current.id} 版本 ${current.version}），也未加载。请先用「加载细则文件」载入该细则。`, []);
    }
    const problems = form.checkSubmission(doc, source === 'builtin' ? rules.id : customRules.get(key));
    if (problems.length > 0) return alertBox(`考核表「${file.name}」无法导入，当前填写内容未改动：`, problems);
    activate(source, source === 'builtin' ? rules.id : key, doc);
    notice(`已切换到细则「${form.rules.title}」（版本 ${form.rules.version}）并导入考核表「${file.name}」。原细则下的填写内容仍自动保存，可随时切换回去。`);
  } catch (err) {
    alertBox(`考核表「${file.name}」无法导入，当前填写内容未改动：${err.message}`, err.problems ?? []);
  }
});

$('export').addEventListener('click', () => {
  const doc = form.submission;
  const who = doc.unit.name || doc.unit.id || '未命名单位';
  download(`考核表-${who}-${doc.rules.id}-${doc.rules.version}.json`, `${JSON.stringify(doc, null, 2)}\n`, 'application/json');
  notice('已导出考核表（JSON）。');
});

$('print').addEventListener('click', () => window.print());

const dialog = $('confirm-clear');
$('clear').addEventListener('click', () => dialog.showModal());
dialog.addEventListener('close', () => {
  if (dialog.returnValue !== 'clear') return;
  form.clear(); // fires "change": the cleared form is autosaved
  notice('考核表已清空。');
  $('clear').focus();
});

form.addEventListener('change', () => saveNow());

// ------------------------------------------------------------------------------------------------
// Saved drafts whose rule set no longer loads: say so, keep the data, offer an export

const unloadable = new Map(); // storage name -> why its rule set does not load

/** Drafts in storage that no rule set in reach can open, with the reason. */
function orphans() {
  const found = [];
  for (let i = 0; i < localStorage.length; i++) {
    const full = localStorage.key(i);
    if (!full?.startsWith(`${STORE}draft:`)) continue;
    const name = full.slice(STORE.length);
    const key = name.slice('draft:'.length);
    let reason = unloadable.get(name);
    if (!reason && key.includes('~')) reason = '保存时的填写内容与现在的细则不符。';
    if (!reason) {
      if (builtins.some((r) => keyOf(r) === key) || customRules.has(key)) continue;
      const [id, version] = key.split('@');
      const now = builtins.find((r) => r.id === id);
      reason = now ? `内置细则「${id}」现为版本「${now.version}」，不再是「${version}」。` : `细则「${id}」版本「${version}」未加载（细则文件未保存在本浏览器中，或已无法加载）。`;
    }
    const draft = storage.get(name);
    if (draft?.submission) found.push({ name, draft, reason });
  }
  return found;
}

let orphan = null;

function scanOrphans() {
  const found = orphans();
  orphan = found[0] ?? null;
  $('orphan').hidden = !orphan;
  if (!orphan) return;
  const r = orphan.draft.rules ?? {};
  const unit = orphan.draft.submission?.unit?.name || '未填写';
  $('orphan-text').textContent = `有一份自动保存的考核表（细则「${r.id ?? '?'}」版本「${r.version ?? '?'}」，单位「${unit}」）无法打开：${orphan.reason} 数据仍保存在本浏览器中，可导出为文件，再加载对应的细则后导入。${found.length > 1 ? `（另有${found.length - 1}份）` : ''}`;
}

$('orphan-export').addEventListener('click', () => {
  if (!orphan) return;
  const r = orphan.draft.rules ?? {};
  download(`已保存的考核表-${r.id ?? 'unknown'}-${r.version ?? ''}.json`, `${JSON.stringify(orphan.draft.submission, null, 2)}\n`, 'application/json');
});

$('orphan-discard').addEventListener('click', () => {
  if (!orphan || !window.confirm('删除这份无法打开的已保存考核表？删除后无法恢复。')) return;
  storage.remove(orphan.name);
  unloadable.delete(orphan.name);
  scanOrphans();
});

// ------------------------------------------------------------------------------------------------
// Tabs

const tabs = ['form', 'batch', 'compare'];
function selectTab(name) {
  for (const t of tabs) {
    $(`tab-${t}`).setAttribute('aria-selected', String(t === name));
    $(`view-${t}`).hidden = t !== name;
  }
  if (name === 'batch') renderBatch();
  if (name === 'compare') renderCompare();
}
for (const t of tabs) {
  const tab = $(`tab-${t}`);
  tab.addEventListener('click', () => selectTab(t));
  tab.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(t) + step + tabs.length) % tabs.length];
    selectTab(next);
    $(`tab-${next}`).focus();
  });
}

// ------------------------------------------------------------------------------------------------
// Batch: many submissions under the current rule set

let batch = []; // {name, text}

$('batch-files').addEventListener('change', async (event) => {
  const input = event.target;
  const files = [...input.files];
  input.value = '';
  const problems = [];
  for (const file of files) {
    try {
      const text = await readLimited(file, '考核表文件');
      if (file.name.endsWith('.jsonl')) {
        text.split('\n').forEach((line, i) => {
          if (line.trim() !== '') batch.push({ name: `${file.name} 第${i + 1}行`, text: line });
        });
      } else {
        batch.push({ name: file.name, text });
      }
    } catch (err) {
      problems.push({ path: '', message: err.message });
    }
  }
  renderBatch(problems);
});

$('batch-add-current').addEventListener('click', () => {
  const doc = form.submission;
  batch.push({ name: `当前考核表（${doc.unit.name || doc.unit.id || '未命名'}）`, text: JSON.stringify(doc) });
  renderBatch();
});

$('batch-clear').addEventListener('click', () => {
  batch = [];
  renderBatch();
});

/**
 * Scores the batch: one entry per submission, in order; one the engine cannot read or score is
 * `{error: problems}` and takes no part in ranks and quotas. Throws only for an unusable list.
 */
function scoreBatch() {
  if (batch.length === 0) return { entries: [] };
  try {
    return { entries: form.engine.scoreBatch(batch.map((b) => b.text)) };
  } catch (err) {
    return { entries: [], error: err };
  }
}

let batchGood = [];

function renderBatch(fileProblems = []) {
  const tbody = $('batch-table').tBodies[0];
  hide($('batch-alert'));
  if (!form.engine) return;
  const { entries, error } = scoreBatch();
  const rows = [];
  const refused = [];
  const errors = [...fileProblems];
  batchGood = [];
  entries.forEach((entry, i) => {
    if (entry.report) {
      batchGood.push(batch[i].text);
      rows.push({ report: entry.report, name: batch[i].name });
    } else {
      refused.push({ name: batch[i].name, problems: entry.error ?? [{ path: '', message: '未能评分' }] });
    }
  });
  rows.sort((a, b) => (a.report.rank ?? Infinity) - (b.report.rank ?? Infinity));
  tbody.replaceChildren(...rows.map(({ report, name }) => {
    const moves = report.lines.filter((l) => l.kind === 'quota' || l.kind === 'veto').map((l) => l.reason);
    return h('tr', { dataset: { unit: report.unit.id } },
      h('td', { className: 'num' }, report.rank === null || report.rank === undefined ? '不排名' : String(report.rank)),
      h('td', {}, report.unit.id),
      h('td', {}, report.unit.name),
      h('td', {}, report.unit.group ?? ''),
      h('td', { className: 'num' }, report.total),
      h('td', { className: moves.length > 0 ? 'moved' : '' }, report.grade),
      h('td', { className: 'reasons' }, moves.length > 0 ? h('ul', {}, moves.map((m) => h('li', {}, m))) : report.grade_by_score === report.grade ? '' : `按分数为${report.grade_by_score}`),
      h('td', {}, report.status === 'final' ? '最终' : `暂定（${report.pending.length}项待定）`),
      h('td', { className: 'file' }, name));
  }));
  for (const r of refused) errors.push(...r.problems.map((p) => ({ path: '', message: `${r.name}：${p.message}` })));
  if (error) errors.push({ path: '', message: error.message });
  if (errors.length > 0) show($('batch-alert'), '以下考核表未能评分：', errors);
  $('batch-summary').textContent = batch.length === 0 ? '尚未载入考核表。' : `共${batch.length}份考核表，${rows.length}份已评分${refused.length > 0 ? `，${refused.length}份未能评分` : ''}。`;
  $('batch-csv').disabled = batchGood.length === 0;
}

$('batch-csv').addEventListener('click', () => {
  const csv = form.engine.batchCsv(batchGood); // UTF-8 with BOM, for Excel/WPS
  download(`批量评分-${form.rules.id}-${form.rules.version}.csv`, csv, 'text/csv;charset=utf-8');
});

// ------------------------------------------------------------------------------------------------
// Compare: the same submissions under the current and a second rule set

let compareRules = null; // {name, rules}
let compared = null; // {rules, texts, name}: what the table shows, for the CSV export

$('compare-builtin').addEventListener('change', () => {
  const id = $('compare-builtin').value;
  compareRules = id ? { name: id, rules: builtInRuleSetSource(id) } : null;
  renderCompare();
});

$('compare-rules').addEventListener('change', async (event) => {
  const input = event.target;
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  hide($('compare-alert'));
  try {
    compareRules = { name: file.name, rules: await readLimited(file, '细则文件') };
    $('compare-builtin').value = '';
    renderCompare();
  } catch (err) {
    show($('compare-alert'), err.message, err.problems ?? []);
  }
});

$('compare-all').addEventListener('change', () => renderCompare());

function standing(s, field) {
  if (!s) return '—';
  const value = s[field];
  return value === null || value === undefined ? '不排名' : String(value);
}

function renderCompare() {
  const tbody = $('diff-table').tBodies[0];
  hide($('compare-alert'));
  tbody.replaceChildren();
  $('rule-changes').replaceChildren();
  compared = null;
  $('compare-csv').disabled = true;
  if (!compareRules || !form.engine) {
    $('compare-summary').textContent = '请选择或载入新细则。';
    return;
  }
  const texts = batch.length > 0 ? batch.map((b) => b.text) : [JSON.stringify(form.submission)];
  let diff;
  try {
    diff = form.engine.diff(compareRules.rules, texts);
  } catch (err) {
    const where = typeof err.index === 'number' && batch[err.index] ? `（${batch[err.index].name}）` : '';
    show($('compare-alert'), `无法对比${where}：${err.message}`, err.problems ?? []);
    $('compare-summary').textContent = '';
    return;
  }
  compared = { rules: compareRules.rules, texts, name: `细则对比-${diff.old.id}-${diff.old.version}-${diff.new.id}-${diff.new.version}.csv` };
  $('compare-csv').disabled = false;
  const s = diff.summary;
  $('compare-summary').textContent = `${diff.old.id} ${diff.old.version} → ${diff.new.id} ${diff.new.version}：共${s.units}个单位，${s.changed}个有变化；总分上升${s.total_up}个、下降${s.total_down}个；等次上升${s.grade_up}个、下降${s.grade_down}个；无法评分${s.errors}个。`;
  $('rule-changes').replaceChildren(...(diff.rule_changes.length > 0 ? diff.rule_changes : ['两套细则的评分规则没有差别。']).map((c) => h('li', {}, c)));
  const showAll = $('compare-all').checked;
  const units = diff.units.filter((u) => showAll || u.changed);
  tbody.replaceChildren(...units.map((u) => {
    const arrow = (field) => `${standing(u.old, field)} → ${standing(u.new, field)}`;
    return h('tr', { dataset: { unit: u.unit.id }, className: u.changed ? 'changed' : '' },
      h('td', {}, `${u.unit.name}（${u.unit.id}）`),
      h('td', { className: 'num' }, arrow('total')),
      h('td', {}, arrow('grade')),
      h('td', { className: 'num' }, arrow('rank')),
      h('td', { className: 'reasons' },
        u.items.length === 0 && u.notes.length === 0 ? (u.changed ? '项目得分未变（排名随其他单位变化）' : '无变化') : '',
        h('ul', {}, u.items.map((item) => h('li', {},
          h('strong', {}, `${item.id} ${item.title}：${item.old ?? '—'} → ${item.new ?? '—'}`),
          item.reasons.length > 0 ? h('ul', {}, item.reasons.map((r) => h('li', {}, r))) : '')),
        u.notes.map((n) => h('li', {}, n)))));
  }));
  if (units.length === 0) tbody.append(h('tr', {}, h('td', { colSpan: 5 }, '没有单位的总分、等次或排名发生变化。')));
}

$('compare-csv').addEventListener('click', () => {
  if (!compared) return;
  hide($('compare-alert'));
  try {
    // Every unit, changed or not, as `kpi diff --format csv` writes it: UTF-8 with BOM, for Excel/WPS.
    download(compared.name, form.engine.diffCsv(compared.rules, compared.texts), 'text/csv;charset=utf-8');
  } catch (err) {
    show($('compare-alert'), `无法导出 CSV：${err.message}`, err.problems ?? []);
  }
});

// ------------------------------------------------------------------------------------------------
// Start: restore the last rule set and its draft

function start() {
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    if (!name?.startsWith(`${STORE}rules:`)) continue;
    const text = storage.get(name.slice(STORE.length));
    if (typeof text === 'string') customRules.set(name.slice(`${STORE}rules:`.length), text);
  }
  const last = storage.get('last');
  let restored = false;
  if (last?.key) {
    try {
      if (last.source === 'builtin' && builtins.some((r) => keyOf(r) === last.key)) restored = activate('builtin', last.id);
      else if (last.source === 'custom' && customRules.has(last.key)) restored = activate('custom', last.key);
    } catch (err) {
      // A stored rule-set file the engine no longer accepts: its drafts become orphans.
      customRules.delete(last.key);
      unloadable.set(`draft:${last.key}`, `细则文件无法加载：${err.message}`);
    }
  }
  if (!current) activate('builtin', builtins[0].id);
  if (restored) notice('已恢复上次自动保存的考核表。');
  $('loading').remove();
  document.body.dataset.ready = 'true';
  performance.mark('kpi-form-ready'); // read by benches/browser-form.mjs
}

start();
