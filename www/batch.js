// 批量评分: many submission files scored together under the form's rule set (ranks, quotas, CSV).
// The list lives in memory; a district's lasting work belongs in a workspace (考核任务).
import { $, h, show, hide, download, readLimited } from './dom.js';
import { form } from './drafts.js';
import { loadTools } from '/pkg/index.js';

/** The loaded submissions, `{name, text}` each, in order. */
export let batch = [];

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

/** What the CSV is made of: the same batch as the table (see renderBatch), `{text, scored}` each. */
let csvBatch = [];

/** Whether the engine can read `text` as a submission (scored or not): batchCsv refuses one it cannot. */
function readable(text) {
  try {
    form.engine.batchCsv([text]);
    return true;
  } catch {
    return false;
  }
}

export function renderBatch(fileProblems = []) {
  const tbody = $('batch-table').tBodies[0];
  hide($('batch-alert'));
  if (!form.engine) return;
  const { entries, error } = scoreBatch();
  const labels = form.engine.form().status_labels;
  const rows = [];
  const refused = [];
  const errors = [...fileProblems];
  csvBatch = [];
  entries.forEach((entry, i) => {
    if (entry.report) {
      csvBatch.push({ text: batch[i].text, scored: true });
      rows.push({ report: entry.report, name: batch[i].name });
    } else {
      // Read but not scored, it stays in the CSV's batch (out of its rows): its group's ranks and
      // quotas stay provisional there as in the table. One the engine cannot read is left out.
      // (Whether it can be read is asked when the CSV is made: batchCsv is in the tools module.)
      csvBatch.push({ text: batch[i].text, scored: false });
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
      // A provisional report has no final grade yet: 待定, with what it reads now.
      h('td', { className: moves.length > 0 ? 'moved' : '' }, report.status === 'final' ? report.grade ?? report.grade_text ?? '不评等次' : report.grade == null ? '待定' : `待定（暂为${report.grade}）`),
      h('td', { className: 'reasons' }, moves.length > 0 ? h('ul', {}, moves.map((m) => h('li', {}, m))) : report.grade_by_score === report.grade ? '' : `按分数为${report.grade_by_score}`),
      h('td', {}, report.status === 'final' ? labels.final : `${labels.provisional}（${report.pending.length}项待定）`),
      h('td', { className: 'file' }, name));
  }));
  for (const r of refused) errors.push(...r.problems.map((p) => ({ path: '', message: `${r.name}：${p.message}` })));
  if (error) errors.push({ path: '', message: error.message });
  if (errors.length > 0) show($('batch-alert'), '以下考核表未能评分：', errors);
  $('batch-summary').textContent = batch.length === 0 ? '尚未载入考核表。' : `共${batch.length}份考核表，${rows.length}份已评分${refused.length > 0 ? `，${refused.length}份未能评分` : ''}。`;
  $('batch-csv').disabled = rows.length === 0;
}

$('batch-csv').addEventListener('click', async () => {
  try {
    await loadTools(); // batchCsv is in the package's tools module, loaded on first use
  } catch (err) {
    show($('batch-alert'), `无法导出 CSV：${err.message}`, err.problems ?? []);
    return;
  }
  const texts = csvBatch.filter((c) => c.scored || readable(c.text)).map((c) => c.text);
  const csv = form.engine.batchCsv(texts); // UTF-8 with BOM, for Excel/WPS
  download(`批量评分-${form.rules.id}-${form.rules.version}.csv`, csv, 'text/csv;charset=utf-8');
});

