// A unit's report (考核结果报告) and the workspace's summary table (汇总表), built from the
// engine's batch reports: every number, rank, grade and status is the engine's; this module only
// lays them out. A report reads: the result (最终 only when the engine says final), the deduction
// summary (扣分汇总: section subtotals and every deduction line), then the detail, the evidence
// (佐证材料) by name, and the sign-off lines (考核人员, 日期, 公章).
import { h } from '../dom.js';

const ZERO = /^[-+]?0(\.0+)?$/;
const SECTION_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export const isZero = (amount) => ZERO.test(String(amount ?? '0'));
export const signed = (p) => (String(p).startsWith('-') ? String(p) : `+${p}`);

// The engine's words for a report's status (form().status_labels), set when a workspace opens.
let labels = { final: '最终', provisional: '暂定' };

/** Takes the status words from the engine's form description. */
export function useStatusLabels(statusLabels) {
  labels = statusLabels;
}

/** 最终 / 暂定 as the engine says. */
export function statusWord(report) {
  return report?.status === 'final' ? labels.final : labels.provisional;
}

/** The grade as it may be shown: a provisional report has no grade yet, only what its score reads now. */
export function gradeWord(report) {
  if (!report) return '—';
  // A rule set without grades, or a veto that withholds the grade (不评等次): the engine's words.
  if (report.status === 'final') return report.grade ?? report.grade_text ?? '不评等次';
  return '待定';
}

export function gradeHint(report) {
  if (!report || report.status === 'final' || report.grade == null) return '';
  return `暂定为「${report.grade}」，待全部单位填写完成后确定`;
}

export function rankWord(report) {
  if (!report) return '—';
  if (report.rank === null || report.rank === undefined) return report.unit?.ranked === false ? '不参与排名' : '—';
  return `第${report.rank}名`;
}

/** Why the grade differs from the score's (quota moves, vetoes), as the engine words it. */
export function gradeMoves(report) {
  if (!report) return [];
  return report.lines.filter((l) => l.kind === 'quota' || l.kind === 'veto').map((l) => l.reason);
}

/**
 * Every line that takes or gives back points, with the item it belongs to, in report order. A
 * section's conversion to its points (scored out of 100, 满分15分: 100 → 15) and the total's rescaling
 * over applicable items are not among them: they change the scale, not what was taken.
 */
export function deductionLines(report) {
  const out = [];
  const add = (where, lines) => {
    for (const l of lines) if (!['info', 'add', 'convert', 'rescale'].includes(l.kind) && !isZero(l.points)) out.push({ where, reason: l.reason, points: l.points });
  };
  for (const s of report.sections) {
    add(s.title, s.lines);
    for (const i of s.items) add(`${i.id} ${i.title}`, i.lines);
  }
  for (const a of report.adjustments) add(`扣分项：${a.title}`, a.lines);
  add('总分', report.lines.filter((l) => l.kind !== 'quota'));
  return out;
}

function bonusLines(report) {
  const out = [];
  for (const b of report.bonus?.items ?? []) for (const l of b.lines) if (!isZero(l.points)) out.push({ where: b.title, reason: l.reason, points: l.points });
  for (const l of report.bonus?.lines ?? []) if (!isZero(l.points)) out.push({ where: '加分合计', reason: l.reason, points: l.points });
  return out;
}

const table = (className, head, rows, caption) => h('table', { className },
  caption ? h('caption', {}, caption) : null,
  h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
  h('tbody', {}, rows));
const td = (text, className) => h('td', { className }, text);

/**
 * The blocks of one unit's report, in order (each kept whole on a page; tables split by rows).
 * `ctx`: {form, unit (record), attachments: [{item, name, note, size}], rejected: Set of input ids}.
 */
export function reportBlocks(report, ctx) {
  const form = ctx.form;
  const labels = new Map(form.inputs.map((i) => [i.id, i.label]));
  const itemsById = new Map(form.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
  const rejected = ctx.rejected ?? new Set();
  const errorItems = new Set([...itemsById.values()].filter((i) => i.inputs.some((id) => rejected.has(id))).map((i) => i.id));
  const meta = ctx.unit?.submission?.meta ?? report.meta ?? {};
  const u = report.unit;
  const final = report.status === 'final';
  const blocks = [];

  blocks.push(h('div', { className: 'rp-title' },
    h('h1', {}, `${report.rules.title}`),
    h('p', { className: 'rp-sub' }, '考核结果报告'),
    h('dl', { className: 'rp-unit' },
      h('div', {}, h('dt', {}, '被考核单位'), h('dd', { testid: 'report-unit' }, `${u.name}（编号 ${u.id}）`)),
      u.group ? h('div', {}, h('dt', {}, '分组'), h('dd', {}, u.group)) : null,
      h('div', {}, h('dt', {}, '考核年度'), h('dd', {}, report.period)),
      h('div', {}, h('dt', {}, '考核细则'), h('dd', {}, `${report.rules.title}（${report.rules.id}，版本 ${report.rules.version}）`)))));

  const moves = gradeMoves(report);
  blocks.push(h('div', { className: `rp-result ${final ? 'rp-final' : 'rp-provisional'}`, testid: 'report-result' },
    h('div', { className: 'rp-metric' }, h('span', {}, final ? '总分' : '暂计总分'), h('strong', { testid: 'report-total' }, `${report.total}`), h('small', {}, `满分 ${report.full_score}`)),
    h('div', { className: 'rp-metric' }, h('span', {}, '等次'), h('strong', { testid: 'report-grade' }, gradeWord(report)), final ? null : h('small', {}, gradeHint(report))),
    h('div', { className: 'rp-metric' }, h('span', {}, '排名'), h('strong', { testid: 'report-rank' }, rankWord(report))),
    h('div', { className: 'rp-metric' }, h('span', {}, '状态'), h('strong', { testid: 'report-status' }, statusWord(report)), final ? null : h('small', {}, `${report.pending.length}项待定`)),
    moves.length > 0 ? h('ul', { className: 'rp-moves' }, moves.map((m) => h('li', {}, m))) : null,
    !final ? h('div', { className: 'rp-pending' },
      h('p', {}, h('strong', {}, '暂定原因：'), '以下事项未定，待定项目按满分暂计，本报告为暂定结果，可能变化。'),
      h('ul', {}, report.pending.map((p) => h('li', {}, `${p.title}：${p.reason}`))),
      errorItems.size > 0 ? h('p', {}, `另有${errorItems.size}个项目的填写有误（${[...errorItems].join('、')}），未计分。`) : null) : null));

  // 扣分汇总: section subtotals, then every deduction line.
  const sectionRows = report.sections.map((s, i) => h('tr', {},
    td(`${SECTION_NUMBERS[i] ?? i + 1}、${s.title}`), td(s.points, 'num'), td(s.score ?? '不涉及', 'num')));
  const adjustments = report.adjustments.filter((a) => !isZero(a.amount));
  if (adjustments.length > 0) sectionRows.push(h('tr', {}, td('扣分项'), td('', 'num'), td(adjustments.map((a) => a.amount).join(' '), 'num')));
  if (report.bonus) sectionRows.push(h('tr', {}, td('加分'), td(`至多${report.bonus.cap}`, 'num'), td(signed(report.bonus.amount), 'num')));
  sectionRows.push(h('tr', { className: 'rp-sum' }, td(final ? '总分' : '暂计总分'), td(report.full_score, 'num'), td(report.total, 'num')));
  blocks.push(h('h2', { className: 'rp-h2' }, '扣分汇总'));
  blocks.push(table('rp-table rp-sections', ['考核内容', '满分', '得分'], sectionRows));
  const lines = deductionLines(report);
  blocks.push(table('rp-table rp-deductions', ['序号', '项目', '扣分原因', '分值'],
    lines.length > 0 ? lines.map((l, i) => h('tr', {}, td(String(i + 1), 'num'), td(l.where), td(l.reason), td(signed(l.points), 'num')))
      : [h('tr', {}, h('td', { colSpan: 4 }, final ? '无扣分。' : '目前无扣分（待定项目按满分暂计）。'))],
    '扣分明细'));
  const bonus = bonusLines(report);
  if (bonus.length > 0) {
    blocks.push(table('rp-table rp-bonus', ['项目', '加分原因', '分值'], bonus.map((l) => h('tr', {}, td(l.where), td(l.reason), td(signed(l.points), 'num'))), '加分明细'));
  }

  // Detail.
  blocks.push(h('h2', { className: 'rp-h2' }, '评分明细'));
  const evidence = new Map();
  for (const a of ctx.attachments ?? []) {
    if (!evidence.has(a.item)) evidence.set(a.item, []);
    evidence.get(a.item).push(a);
  }
  const notes = ctx.unit?.submission?.notes ?? {};
  report.sections.forEach((s, si) => {
    const rows = s.items.map((item) => {
      const error = errorItems.has(item.id);
      const def = itemsById.get(item.id);
      const scoreText = error ? '有错误' : item.status === 'pending' ? '待定' : item.status === 'not_applicable' ? `不涉及${item.score === null ? '' : ` ${item.score}`}` : item.score;
      const detail = [];
      if (item.value !== undefined && item.value !== null) detail.push(h('li', { className: 'rp-info' }, `指标实际值：${item.value}`));
      for (const l of item.lines) detail.push(h('li', {}, l.reason, l.kind === 'info' || isZero(l.points) ? '' : h('span', { className: 'rp-pts' }, ` ${signed(l.points)}`)));
      if (error) detail.push(h('li', { className: 'rp-error' }, `填写有误：${def.inputs.filter((id) => rejected.has(id)).map((id) => `「${labels.get(id) ?? id}」`).join('、')}，本项未计分`));
      if (item.status === 'pending' && !error) {
        const p = report.pending.find((x) => x.kind === 'item' && x.id === item.id);
        if (p) detail.push(h('li', { className: 'rp-info' }, `待定：${p.reason}`));
      }
      if (notes[item.id]) detail.push(h('li', { className: 'rp-note' }, `情况说明：${notes[item.id]}`));
      for (const a of evidence.get(item.id) ?? []) detail.push(h('li', { className: 'rp-evidence' }, `佐证材料：${a.name}${a.note ? `（${a.note}）` : ''}`));
      return h('tr', { className: error ? 'rp-error-row' : '' },
        td(item.id), h('td', {}, h('div', {}, item.title), detail.length > 0 ? h('ul', { className: 'rp-lines' }, detail) : null),
        td(item.points, 'num'), td(scoreText, 'num'));
    });
    blocks.push(table('rp-table rp-detail', ['序号', '考核项目及扣分情况', '满分', '得分'], rows, `${SECTION_NUMBERS[si] ?? si + 1}、${s.title}（满分${s.points}分，${s.score === null ? '不涉及' : `得分${s.score}分`}）`));
  });
  const others = [];
  for (const a of report.adjustments) {
    others.push(h('tr', {}, td(`扣分项：${a.title}`), h('td', {}, h('ul', { className: 'rp-lines' }, a.lines.map((l) => h('li', {}, l.reason, isZero(l.points) ? '' : ` ${signed(l.points)}`)))), td(a.status === 'pending' ? '待定' : a.amount, 'num')));
  }
  for (const b of report.bonus?.items ?? []) {
    others.push(h('tr', {}, td(`加分项：${b.title}`), h('td', {}, h('ul', { className: 'rp-lines' }, b.lines.map((l) => h('li', {}, l.reason, isZero(l.points) ? '' : ` ${signed(l.points)}`)))), td(b.status === 'pending' ? '待定' : signed(b.amount), 'num')));
  }
  for (const v of report.vetoes) {
    others.push(h('tr', { className: v.triggered === true ? 'rp-error-row' : '' }, td(`一票否决：${v.title}`), td(v.effect_text ?? ''), td(v.triggered === true ? '已触发' : v.triggered === false ? '未触发' : '待定', 'num')));
  }
  if (others.length > 0) blocks.push(table('rp-table rp-others', ['事项', '情况', '结果'], others, '扣分项、加分项与一票否决'));
  if (report.warnings.length > 0) blocks.push(h('div', { className: 'rp-warnings' }, h('p', {}, '提示：'), h('ul', {}, report.warnings.map((w) => h('li', {}, w.message)))));

  const files = ctx.attachments ?? [];
  blocks.push(table('rp-table rp-files', ['项目', '佐证材料', '说明'],
    files.length > 0 ? files.map((a) => h('tr', {}, td(a.item), td(a.name), td(a.note ?? ''))) : [h('tr', {}, h('td', { colSpan: 3 }, '无。'))],
    `佐证材料（${files.length}份）`));

  blocks.push(h('div', { className: 'rp-sign', testid: 'report-sign' },
    h('div', {}, h('span', {}, '考核人员（签字）：'), h('span', { className: 'rp-line' }, meta.assessor ?? '')),
    h('div', {}, h('span', {}, '考核日期：'), h('span', { className: 'rp-line' }, meta.date ?? '')),
    h('div', {}, h('span', {}, '被考核单位负责人（签字）：'), h('span', { className: 'rp-line' })),
    h('div', {}, h('span', {}, '日期：'), h('span', { className: 'rp-line' }, '        年    月    日')),
    h('div', { className: 'rp-seal' }, h('span', {}, '考核组（公章）')),
    h('div', { className: 'rp-seal' }, h('span', {}, '被考核单位（公章）'))));
  return blocks;
}

/**
 * The summary rows (汇总表) in rank order: unranked units after the ranked ones, units the engine
 * could not score last. Each row: {key, cells: [{text, number?}], report?}.
 */
export function summaryRows(result, units, form) {
  const rows = [];
  const order = new Map(units.map((u, i) => [u.key, i]));
  for (const u of units) {
    const report = result?.reports.get(u.key);
    const unit = u.submission.unit;
    if (!report) {
      const problems = result?.errors.get(u.key) ?? [];
      rows.push({ key: u.key, report: null, unit, sort: [2, 0, order.get(u.key)], cells: [
        '—', unit.id, unit.name, unit.group ?? '', ...form.sections.map(() => ''), '', '', '', '', `无法评分：${problems.map((p) => p.message).join('；')}`, '无法评分'] });
      continue;
    }
    const adjustments = report.adjustments.filter((a) => !isZero(a.amount)).map((a) => `${a.title} ${a.amount}`).join('；');
    const vetoes = report.vetoes.filter((v) => v.triggered === true).map((v) => `一票否决「${v.title}」`);
    const moves = [...gradeMoves(report).filter((m) => !vetoes.some((v) => m.includes(v))), ...vetoes];
    if (report.grade !== report.grade_by_score && moves.length === 0) moves.push(`按分数为${report.grade_by_score}`);
    rows.push({ key: u.key, report, unit, sort: [report.rank === null || report.rank === undefined ? 1 : 0, report.rank ?? 0, order.get(u.key)], cells: [
      rankWord(report).replace(/^第(\d+)名$/, '$1'), unit.id, unit.name, unit.group ?? '',
      ...report.sections.map((s) => (s.score === null ? '不涉及' : { text: s.score, number: true })),
      adjustments, report.bonus ? { text: report.bonus.amount, number: true } : '',
      { text: report.total, number: true }, gradeWord(report), moves.join('；'), statusWord(report)] });
  }
  rows.sort((a, b) => a.sort[0] - b.sort[0] || a.sort[1] - b.sort[1] || a.sort[2] - b.sort[2]);
  return rows;
}

export function summaryHead(form) {
  return ['排名', '单位编号', '单位名称', '分组', ...form.sections.map((s) => `${s.title}（${s.points}）`), '扣分项', '加分', '总分', '等次', '等次调整及否决', '状态'];
}

/** The summary as a table element. */
export function summaryTable(rows, form, { links = false, onOpen } = {}) {
  const head = summaryHead(form);
  return h('table', { className: 'rp-table rp-summary', testid: 'summary-table' },
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { unit: r.unit.id } }, r.cells.map((c, i) => {
      const text = typeof c === 'string' ? c : c.text;
      if (links && i === 2 && onOpen) {
        const a = h('a', { href: `#${r.key}` }, text);
        a.addEventListener('click', (e) => { e.preventDefault(); onOpen(r.key); });
        return h('td', {}, a);
      }
      return h('td', { className: typeof c === 'object' && c.number ? 'num' : i === 0 ? 'num' : '' }, text);
    })))));
}
