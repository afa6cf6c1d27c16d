// 细则对比: the batch's submissions (or the current form) under the current and a second rule set.
import { builtInRuleSetSource, loadTools } from '/pkg/index.js';
import { $, h, show, hide, download, readLimited } from './dom.js';
import { form } from './drafts.js';
import { batch } from './batch.js';

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

export async function renderCompare() {
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
    await loadTools(); // diff and diffCsv are in the package's tools module, loaded on first use
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

$('compare-csv').addEventListener('click', async () => {
  if (!compared) return;
  hide($('compare-alert'));
  try {
    await loadTools();
    // Every unit, changed or not, as `kpi diff --format csv` writes it: UTF-8 with BOM, for Excel/WPS.
    download(compared.name, form.engine.diffCsv(compared.rules, compared.texts), 'text/csv;charset=utf-8');
  } catch (err) {
    show($('compare-alert'), `无法导出 CSV：${err.message}`, err.problems ?? []);
  }
});
