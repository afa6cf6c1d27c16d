// The single assessment form (考核表 view): the <kpi-assessment> element plus a rule-set picker,
// loading rule-set files, autosave to localStorage (one small draft per rule set: bulk data lives
// in the workspaces' IndexedDB), import/export of one submission, print and clear.
// No scoring here: every number comes from the engine through the element.
import { builtInRuleSets, builtInRuleSetSource, loadTools } from '/pkg/index.js';
import '/pkg/element.js'; // defines <kpi-assessment>
import { $, h, show, hide, download, readLimited, parseJsonText, confirmDialog } from './dom.js';

export const form = $('form');
export const builtins = builtInRuleSets();
const STORE = 'kpi-assessment:';

export const notice = (message, ...extra) => {
  show($('notice'), message);
  if (extra.length > 0) $('notice').firstChild.append(' ', ...extra);
};
export const alertBox = (message, problems) => {
  hide($('notice'));
  show($('alert'), message, problems);
};

export const keyOf = (info) => `${info.id}@${info.version}`;

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
export const customRules = new Map(); // key -> rule-set JSON text

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
    // The file's own test cases, run by the engine: a rule file whose cases fail is not simply 已加载.
    await loadTools(); // runTests is in the package's tools module
    const tests = form.engine.runTests();
    if (tests.failed > 0) {
      const failed = tests.cases.filter((c) => !c.passed);
      alertBox(`已加载细则「${form.rules.title}」（版本 ${form.rules.version}），但其内嵌测试用例有${tests.failed}个未通过（共${tests.cases.length}个）：评分结果可能与细则作者的预期不符，请先在「细则编辑」中检查。`,
        failed.map((c) => ({ message: `「${c.name}」：${c.failures.join('；')}` })));
    } else if ($('notice').hidden) {
      const passed = tests.cases.length > 0 ? `，内嵌测试用例${tests.passed}个全部通过` : '';
      notice(`已加载细则「${form.rules.title}」（版本 ${form.rules.version}）${passed}${restored ? '，并恢复了自动保存的考核表' : ''}。`);
    }
  } catch (err) {
    alertBox(`细则文件「${file.name}」无法加载：${err.message}`, err.problems ?? []);
  }
});

// ------------------------------------------------------------------------------------------------
// Import, export, clear, print

/** Whether a submission has anything an assessor typed (a replacement asks first). */
function hasContent(doc) {
  return Object.keys(doc.values ?? {}).length > 0 || Object.keys(doc.notes ?? {}).length > 0
    || Boolean(doc.unit?.id?.trim() || doc.unit?.name?.trim()) || Object.keys(doc.meta ?? {}).length > 0;
}

$('import').addEventListener('change', async (event) => {
  const input = event.target;
  const file = input.files[0];
  input.value = '';
  if (!file) return;
  hide($('alert'), $('notice'));
  try {
    const text = await readLimited(file, '考核表文件');
    const doc = parseJsonText(text, `考核表文件「${file.name}」`);
    const rules = doc && typeof doc === 'object' ? doc.rules : undefined;
    const sameRules = rules && rules.id === current.id && rules.version === current.version;
    if (sameRules || !rules || typeof rules !== 'object') {
      const problems = form.checkSubmission(doc);
      if (problems.length > 0) return alertBox(`考核表「${file.name}」无法导入，当前填写内容未改动：`, problems);
      const previous = form.submission;
      if (hasContent(previous)) {
        const who = previous.unit.name || previous.unit.id || '未填写单位名称';
        const ok = await confirmDialog({
          title: '用导入的考核表替换当前填写内容？',
          body: [`当前考核表（${who}）已有填写内容，导入「${file.name}」将替换全部填写内容、情况说明和被考核单位信息。替换后可点「撤销导入」恢复。`],
          ok: '替换', testid: 'confirm-import',
        });
        if (!ok) return notice('已取消导入，当前填写内容未改动。');
      }
      form.submission = doc;
      saveNow();
      const undo = h('button', { type: 'button', testid: 'undo-import' }, '撤销导入');
      undo.addEventListener('click', () => {
        form.submission = previous;
        saveNow();
        notice('已撤销导入，恢复了导入前的填写内容。');
      });
      return notice(`已导入考核表「${file.name}」。`, undo);
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

// A draft moves into a workspace (考核任务) as one of its units: the way from one form to a district's.
$('to-workspace').addEventListener('click', async () => {
  hide($('alert'), $('notice'));
  const doc = form.submission;
  if (!doc.unit.id.trim() || !doc.unit.name.trim()) {
    alertBox('请先填写被考核单位名称和编号，再存入考核任务。', []);
    return;
  }
  const rulesText = current.source === 'builtin' ? builtInRuleSetSource(current.id) : customRules.get(current.key);
  const { addToWorkspace } = await import('./ws/workspace.js');
  await addToWorkspace({ submission: doc, rulesText, rules: form.rules });
});

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
// Start: restore the last rule set and its draft

/** Restores the last rule set and its draft; marks the page ready. */
export function startForm() {
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

