// 发布前对比: the rule set being edited against the previous version (a built-in or a file), on a
// workspace's or a folder's submissions: the rule changes in words (engine.ruleChanges), every
// unit whose total, grade or rank changes (engine.diff), and the threshold probe (engine.probe,
// bounded by the engine). Every figure and sentence is the engine's.
import { Engine, builtInRuleSets, builtInRuleSetSource, diffSummaryText, loadTools } from '/pkg/index.js';
import { h, download, readLimited } from '../dom.js';

await loadTools(); // ruleChanges, diff, diffCsv, diffSummaryText

const MAX_PROBE_ROWS = 200;

export function createCompare(pane, { current }) {
  let oldRules = null; // {name, text}
  let subs = []; // [{name, text}]
  let subsFrom = '';
  let ran = false;

  const builtin = h('select', { testid: 'cmp-old-builtin', 'aria-label': '旧版细则（内置）' },
    h('option', { value: '' }, '（选择内置细则）'),
    builtInRuleSets().map((r) => h('option', { value: r.id }, `${r.title}（${r.version}）`)));
  const oldFile = h('input', { type: 'file', accept: '.json,application/json', testid: 'cmp-old-file' });
  const files = h('input', { type: 'file', accept: '.json,.jsonl,application/json', multiple: true, testid: 'cmp-files' });
  const folder = h('input', { type: 'file', multiple: true, testid: 'cmp-folder' });
  folder.webkitdirectory = true;
  const workspaces = h('select', { testid: 'cmp-workspace', 'aria-label': '考核任务' }, h('option', { value: '' }, '（选择考核任务）'));
  const run = h('button', { type: 'button', testid: 'cmp-run' }, '对比');
  const probe = h('button', { type: 'button', testid: 'cmp-probe' }, '阈值探测');
  const csv = h('button', { type: 'button', testid: 'cmp-csv', disabled: true }, '导出 CSV');
  const all = h('input', { type: 'checkbox', testid: 'cmp-all' });
  const oldName = h('span', { className: 'rules-name', testid: 'cmp-old-name' }, '未选择');
  const subsName = h('span', { className: 'rules-name', testid: 'cmp-subs-name' }, '未载入（将使用一份中性考核表做阈值探测）');
  const alert = h('div', { className: 'banner error', role: 'alert', hidden: true, testid: 'cmp-alert' });
  const summary = h('p', { testid: 'cmp-summary', role: 'status' });
  const changes = h('ul', { className: 'rule-changes', testid: 'cmp-rule-changes' });
  const tbody = h('tbody');
  const table = h('table', { className: 'grid', testid: 'cmp-table' },
    h('thead', {}, h('tr', {}, ['单位', '总分（旧→新）', '等次（旧→新）', '排名（旧→新）', '变化的项目及原因'].map((t) => h('th', { scope: 'col' }, t)))), tbody);
  const probeBox = h('div', { testid: 'cmp-probe-result' });

  pane.replaceChildren(
    h('h2', {}, '发布前对比：修订后的细则与旧版细则'),
    h('p', { className: 'lead' }, '选择旧版细则和考核表（考核任务中的，或文件夹、文件中的），查看细则改了什么、哪些单位的总分、等次、排名会变，以及阈值两侧的模拟考核表结果。'),
    h('div', { className: 'toolbar' },
      h('label', { className: 'pick' }, '旧版细则', builtin),
      h('label', { className: 'button file' }, '载入旧版细则文件…', oldFile),
      h('span', {}, '当前：', oldName)),
    h('div', { className: 'toolbar' },
      h('label', { className: 'pick' }, '考核表来自', workspaces),
      h('label', { className: 'button file' }, '载入文件夹…', folder),
      h('label', { className: 'button file' }, '载入考核表文件…', files),
      h('span', {}, '当前：', subsName)),
    h('div', { className: 'toolbar' }, run, probe, csv, h('label', { className: 'check' }, all, ' 显示无变化的单位')),
    alert, summary,
    h('h3', {}, '细则变化'), changes,
    h('h3', {}, '各单位的变化'), h('div', { className: 'table-wrap' }, table),
    h('h3', {}, '阈值探测'), probeBox);

  const fail = (message, problems = []) => {
    alert.replaceChildren(h('p', {}, message), problems.length > 0 ? h('ul', {}, problems.slice(0, 20).map((p) => h('li', {}, p.message))) : '');
    alert.hidden = false;
  };

  function setOld(name, text) {
    oldRules = { name, text };
    oldName.textContent = name;
    if (ran) compareNow();
  }

  builtin.addEventListener('change', () => {
    if (builtin.value) setOld(`内置：${builtin.selectedOptions[0].textContent}`, builtInRuleSetSource(builtin.value));
  });
  oldFile.addEventListener('change', async () => {
    const f = oldFile.files[0];
    oldFile.value = '';
    if (!f) return;
    try {
      setOld(`文件：${f.name}`, await readLimited(f, '细则文件'));
      builtin.value = '';
    } catch (err) {
      fail(err.message);
    }
  });

  async function readFiles(list, from) {
    const out = [];
    for (const f of [...list].filter((x) => /\.jsonl?$/i.test(x.name)).sort((a, b) => (a.webkitRelativePath || a.name).localeCompare(b.webkitRelativePath || b.name))) {
      const text = await readLimited(f, '考核表文件');
      if (/\.jsonl$/i.test(f.name)) {
        text.split('\n').filter((l) => l.trim() !== '').forEach((line, i) => out.push({ name: `${f.name}:${i + 1}`, text: line }));
      } else out.push({ name: f.webkitRelativePath || f.name, text });
    }
    subs = out;
    subsFrom = from;
    subsName.textContent = `${from}，${out.length}份考核表`;
    workspaces.value = '';
    if (ran) compareNow();
  }
  files.addEventListener('change', async () => {
    try { await readFiles(files.files, '文件'); } catch (err) { fail(err.message); }
    files.value = '';
  });
  folder.addEventListener('change', async () => {
    const name = folder.files[0]?.webkitRelativePath?.split('/')[0] ?? '文件夹';
    try { await readFiles(folder.files, `文件夹「${name}」`); } catch (err) { fail(err.message); }
    folder.value = '';
  });

  let store = null;
  async function listWorkspaces() {
    try {
      store ??= await (await import('../ws/store.js')).openStore();
      const list = await store.workspaces();
      workspaces.replaceChildren(h('option', { value: '' }, list.length > 0 ? '（选择考核任务）' : '（还没有考核任务）'),
        ...list.map((w) => h('option', { value: w.id }, `${w.name}（${w.rules?.title ?? ''} ${w.rules?.version ?? ''}）`)));
    } catch {
      workspaces.replaceChildren(h('option', { value: '' }, '（浏览器存储不可用）'));
    }
  }
  workspaces.addEventListener('change', async () => {
    if (!workspaces.value || !store) return;
    const name = workspaces.selectedOptions[0].textContent;
    const units = await store.units(workspaces.value);
    subs = units.map((u) => ({ name: `${u.submission?.unit?.name ?? ''}（${u.submission?.unit?.id ?? ''}）`, text: JSON.stringify(u.submission) }));
    subsFrom = `考核任务「${name}」`;
    subsName.textContent = `${subsFrom}，${subs.length}份考核表`;
    if (ran) compareNow();
  });

  function oldEngine() {
    if (!oldRules) {
      fail('请先选择旧版细则（内置细则或文件）。');
      return null;
    }
    try {
      return new Engine(oldRules.text);
    } catch (err) {
      fail(`旧版细则无法加载：${err.message}`, err.problems ?? []);
      return null;
    }
  }

  function newText() {
    const s = current();
    if (!s.loaded) {
      fail('正在编辑的细则有问题，不能对比：请先处理「问题」中列出的各项。', s.problems);
      return null;
    }
    return s.text;
  }

  function standing(x, field) {
    if (!x) return '—';
    const v = x[field];
    return v === null || v === undefined ? '不排名' : String(v);
  }

  function compareNow() {
    alert.hidden = true;
    ran = true;
    const text = newText();
    const engine = text === null ? null : oldEngine();
    if (!engine) return;
    try {
      changes.replaceChildren(...(() => {
        const list = engine.ruleChanges(text);
        return (list.length > 0 ? list : ['两套细则的评分规则没有差别。']).map((c) => h('li', {}, c));
      })());
      if (subs.length === 0) {
        summary.textContent = '未载入考核表：只列出细则变化；可做阈值探测。';
        tbody.replaceChildren();
        csv.disabled = true;
        return;
      }
      const diff = engine.diff(text, subs.map((s) => s.text));
      summary.textContent = `${diff.old.id} ${diff.old.version} → ${diff.new.id} ${diff.new.version}（${subsFrom}）：${diffSummaryText(diff.summary)}`;
      const units = diff.units.filter((u) => all.checked || u.changed);
      tbody.replaceChildren(...units.map((u) => h('tr', { className: u.changed ? 'changed' : '', testid: 'cmp-unit', dataset: { unit: u.unit.id } },
        h('td', {}, `${u.unit.name}（${u.unit.id}）`),
        h('td', { className: 'num' }, `${standing(u.old, 'total')} → ${standing(u.new, 'total')}`),
        h('td', {}, `${standing(u.old, 'grade')} → ${standing(u.new, 'grade')}`),
        h('td', { className: 'num' }, `${standing(u.old, 'rank')} → ${standing(u.new, 'rank')}`),
        h('td', { className: 'reasons' },
          u.items.length === 0 && u.notes.length === 0 ? (u.changed ? '项目得分未变（排名随其他单位变化）' : '无变化') : '',
          h('ul', {}, u.items.map((item) => h('li', {}, h('strong', {}, `${item.id} ${item.title}：${item.old ?? '—'} → ${item.new ?? '—'}`),
            item.reasons.length > 0 ? h('ul', {}, item.reasons.map((r) => h('li', {}, r))) : '')),
            u.notes.map((n) => h('li', {}, n)))))));
      if (units.length === 0) tbody.append(h('tr', {}, h('td', { colSpan: 5 }, '没有单位的总分、等次或排名发生变化。')));
      csv.disabled = false;
    } catch (err) {
      const where = typeof err.index === 'number' && subs[err.index] ? `（${subs[err.index].name}）` : '';
      fail(`无法对比${where}：${err.message}`, err.problems ?? []);
    } finally {
      engine.free();
    }
  }

  let worker = null;
  function probeNow() {
    alert.hidden = true;
    const text = newText();
    if (text === null) return;
    if (!oldRules) {
      fail('请先选择旧版细则（内置细则或文件）。');
      return;
    }
    worker?.terminate();
    // In a worker: the engine bounds the work, but on a large rule set it takes seconds.
    worker = new Worker('/editor/probe-worker.js', { type: 'module' });
    const stop = h('button', { type: 'button', testid: 'cmp-probe-stop' }, '停止');
    stop.addEventListener('click', () => {
      worker?.terminate();
      worker = null;
      probeBox.replaceChildren(h('p', {}, '已停止探测。'));
    });
    probeBox.replaceChildren(h('p', { testid: 'cmp-probe-running' }, '正在探测：在两套细则提到的每个阈值两侧逐项模拟考核表（可继续编辑）… ', stop));
    const base = subs.length > 0 ? subsFrom : '中性考核表';
    worker.addEventListener('error', (event) => {
      worker?.terminate();
      worker = null;
      probeBox.replaceChildren();
      fail(`无法探测：${event.message ?? '探测程序未能启动'}`);
    });
    worker.addEventListener('message', (event) => {
      worker?.terminate();
      worker = null;
      const { findings, ms, error, problems } = event.data;
      if (error) {
        probeBox.replaceChildren();
        fail(`无法探测：${error}`, problems ?? []);
        return;
      }
      const rows = findings.slice(0, MAX_PROBE_ROWS);
      probeBox.replaceChildren(
        h('p', { testid: 'cmp-probe-summary' }, findings.length === 0
          ? `在两套细则提到的每个阈值两侧逐项模拟（起点：${base}），新旧细则结果完全相同（用时${ms}毫秒）。`
          : `新旧细则结果不同的模拟考核表共${findings.length}份${findings.length > rows.length ? `，下表列出前${rows.length}份` : ''}（起点：${base}；用时${ms}毫秒）。`),
        rows.length > 0 ? h('div', { className: 'table-wrap' }, h('table', { className: 'grid', testid: 'cmp-probe-table' },
          h('thead', {}, h('tr', {}, ['起点', '填报项', '取值', '旧总分', '旧等次', '新总分', '新等次', '变化项目'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows.map((f) => h('tr', {},
            h('td', {}, f.base), h('td', {}, `${f.label}（${f.input}）`), h('td', { className: 'num' }, f.value),
            h('td', { className: 'num' }, f.old.total), h('td', {}, f.old.grade), h('td', { className: 'num' }, f.new.total), h('td', {}, f.new.grade),
            h('td', {}, f.items.map((i) => `${i.id} ${i.old ?? '—'}→${i.new ?? '—'}`).join('；'))))))) : '');
    });
    worker.postMessage({ old: oldRules.text, new: text, submissions: subs.map((s) => s.text) });
  }

  run.addEventListener('click', compareNow);
  probe.addEventListener('click', probeNow);
  all.addEventListener('change', () => ran && compareNow());
  csv.addEventListener('click', () => {
    const text = newText();
    const engine = text === null ? null : oldEngine();
    if (!engine) return;
    try {
      download('细则对比.csv', engine.diffCsv(text, subs.map((s) => s.text)), 'text/csv;charset=utf-8');
    } catch (err) {
      fail(`无法导出：${err.message}`, err.problems ?? []);
    } finally {
      engine.free();
    }
  });

  listWorkspaces();

  return {
    /** The edited rules changed: pick the built-in of the same id as the default old version, re-run a shown diff. */
    rulesChanged() {
      const s = current();
      if (!oldRules && s.doc && builtInRuleSetSource(String(s.doc.id))) {
        builtin.value = String(s.doc.id);
        oldRules = { name: `内置：${builtin.selectedOptions[0].textContent}`, text: builtInRuleSetSource(String(s.doc.id)) };
        oldName.textContent = oldRules.name;
      }
      if (ran && !pane.hidden && s.loaded) compareNow();
    },
  };
}
