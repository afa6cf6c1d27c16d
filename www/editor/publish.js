// 发布: the rule file with a new version, and the 考核细则 a district publishes (序号 / 考核内容 / 分值
// / 评分标准 / 依据, the deductions and bonus, the vetoes, the grades and quotas, the documents) as a
// print view and as XLSX. The document is written from the loaded rule set itself: the structure
// and figures from engine.form(), every sentence of 评分标准 from engine.criteria() (the engine's
// words for what it scores), so the published text and the scoring cannot disagree.
import { h, download, fileName } from '../dom.js';
import { textOf } from './json.js';

const NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/** The next version: the last run of digits plus one (2026.2 → 2026.3), else ".1" appended. */
export function nextVersion(version) {
  const m = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (!m) return `${version}.1`;
  const n = (BigInt(m[2]) + 1n).toString().padStart(m[2].length, '0');
  return `${m[1]}${n}${m[3]}`;
}

/** The published document's content, from the engine: what both the print view and the XLSX show. */
export function publishedDocument(engine) {
  const form = engine.form();
  const words = engine.criteria();
  const byId = (list) => new Map(list.map((c) => [c.id, c.text]));
  const items = byId(words.items);
  const documents = form.documents ?? [];
  const docs = new Map(documents.map((d) => [d.id, d]));
  const sources = (list) => (list ?? []).map((s) => `《${docs.get(s.doc)?.title ?? s.doc}》：“${s.quote}”`);
  const adjustments = byId(words.adjustments);
  const bonus = byId(words.bonus);
  const vetoes = byId(words.vetoes);
  return {
    rules: form.rules,
    general: words.general,
    sections: form.sections.map((s, i) => ({
      no: NUMBERS[i] ?? String(i + 1),
      title: s.title,
      points: s.points,
      outOf: s.out_of ?? null,
      items: s.items.map((it) => ({ id: it.id, title: it.title, points: it.points, text: items.get(it.id) ?? [], sources: sources(it.sources), example: Boolean(it.example) })),
    })),
    adjustments: form.adjustments.map((a) => ({ id: a.id, title: a.title, points: a.points ?? null, text: adjustments.get(a.id) ?? [], sources: sources(a.sources), example: a.example })),
    bonus: form.bonus ? { cap: form.bonus.cap, items: form.bonus.items.map((b) => ({ id: b.id, title: b.title, points: b.points ?? null, text: bonus.get(b.id) ?? [], sources: sources(b.sources), example: b.example })) } : null,
    vetoes: form.vetoes.map((v) => ({ id: v.id, title: v.title, text: vetoes.get(v.id) ?? [], sources: sources(v.sources), example: v.example })),
    grades: words.grades.map((g, i) => ({ name: g.title, text: g.text, example: form.grades[i]?.example ?? false })),
    quotas: words.quotas.map((q, i) => ({ grade: q.title, text: q.text, example: form.quotas?.[i]?.example ?? false })),
    documents,
    example: form.sections.some((s) => s.items.some((i) => i.example)) || form.grades.some((g) => g.example),
  };
}

const mark = (example) => (example ? '＊' : '');

function sectionHeading(s) {
  return `${s.no}、${s.title}（${s.points}分${s.outOf ? `，各项按${s.outOf}分评分后折算` : ''}）`;
}

/** The print view of the published document (text nodes only). */
export function renderDocument(d) {
  const lines = (text) => text.map((t) => h('p', {}, t));
  const table = (head, rows, testid) => h('table', { className: 'pub-table', testid },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows));
  const entryRows = (list, kind) => list.map((e) => h('tr', { dataset: { id: e.id, kind } },
    h('td', {}, e.title + mark(e.example)), h('td', { className: 'num' }, e.points ?? ''), h('td', {}, lines(e.text)), h('td', { className: 'src' }, lines(e.sources))));
  return h('article', { className: 'published', testid: 'pub-doc' },
    h('h1', {}, d.rules.title),
    h('p', { className: 'pub-meta' }, `版本 ${d.rules.version} · 考核年度 ${d.rules.period} · 满分 ${d.rules.full_score} 分`),
    d.rules.description ? h('p', { className: 'pub-desc' }, d.rules.description) : '',
    h('h2', {}, '总体规定'), h('ul', {}, d.general.map((g) => h('li', {}, g))),
    h('h2', {}, '考核内容与评分标准'),
    table(['序号', '考核内容', '分值', '评分标准', '依据'], d.sections.flatMap((s) => [
      h('tr', { className: 'pub-section' }, h('th', { colSpan: 5, scope: 'rowgroup' }, sectionHeading(s))),
      ...s.items.map((it) => h('tr', { dataset: { id: it.id }, testid: 'pub-item' },
        h('td', {}, it.id), h('td', {}, it.title + mark(it.example)), h('td', { className: 'num' }, it.points), h('td', {}, lines(it.text)), h('td', { className: 'src' }, lines(it.sources)))),
    ]), 'pub-items'),
    d.adjustments.length > 0 ? [h('h2', {}, '扣分项'), table(['扣分项', '最多扣分', '评分标准', '依据'], entryRows(d.adjustments, 'adjustment'), 'pub-adjustments')] : '',
    d.bonus ? [h('h2', {}, `加分项（累计不超过${d.bonus.cap}分）`), table(['加分项', '最多加分', '评分标准', '依据'], entryRows(d.bonus.items, 'bonus'), 'pub-bonus')] : '',
    d.vetoes.length > 0 ? [h('h2', {}, '一票否决'), table(['否决情形', '', '认定与后果', '依据'], entryRows(d.vetoes, 'veto'), 'pub-vetoes')] : '',
    h('h2', {}, '考核等次'),
    table(['等次', '总分'], d.grades.map((g) => h('tr', { dataset: { grade: g.name } }, h('td', {}, g.name + mark(g.example)), h('td', {}, g.text.join('；')))), 'pub-grades'),
    d.quotas.length > 0 ? h('ul', { className: 'pub-quotas', testid: 'pub-quotas' }, d.quotas.map((q) => h('li', {}, q.text.join('；') + mark(q.example)))) : '',
    d.documents.length > 0 ? [h('h2', {}, '依据文件'), h('ol', { className: 'pub-docs' }, d.documents.map((doc) => h('li', {}, `《${doc.title}》${[doc.number, doc.issuer, doc.date].filter(Boolean).join('，') ? `（${[doc.number, doc.issuer, doc.date].filter(Boolean).join('，')}）` : ''}`)))] : '',
    d.example ? h('p', { className: 'pub-note' }, '注：标＊的项目中有示例值（依据文件未规定的分值或阈值），发布前请核定。') : '',
    h('p', { className: 'pub-note' }, '本细则的评分标准由评分引擎根据计分规则生成，与系统评分一致。'));
}

/** The published document as an XLSX workbook's bytes (exceljs, loaded only when asked). */
export async function documentXlsx(d) {
  const { loadExcel } = await import('../ws/roster.js');
  const { spreadsheetNumber } = await import('../ws/files.js');
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kpi-wasm';
  wb.created = new Date();
  const wrap = { wrapText: true, vertical: 'top' };
  const sheet = wb.addWorksheet('考核细则', { views: [{ state: 'frozen', ySplit: 3 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.addRow([d.rules.title]).font = { bold: true, size: 14 };
  sheet.addRow([`版本 ${d.rules.version} · 考核年度 ${d.rules.period} · 满分 ${d.rules.full_score} 分；${d.general.join('；')}`]);
  const head = sheet.addRow(['序号', '考核内容', '分值', '评分标准', '依据']);
  head.font = { bold: true };
  for (const s of d.sections) {
    const row = sheet.addRow([sectionHeading(s)]);
    row.font = { bold: true };
    sheet.mergeCells(row.number, 1, row.number, 5);
    for (const it of s.items) {
      const r = sheet.addRow([it.id, it.title + mark(it.example), spreadsheetNumber(it.points), it.text.join('\n'), it.sources.join('\n')]);
      r.alignment = wrap;
    }
  }
  [8, 26, 8, 70, 50].forEach((w, i) => { sheet.getColumn(i + 1).width = w; });
  const other = wb.addWorksheet('扣分加分与否决', { views: [{ state: 'frozen', ySplit: 1 }] });
  other.addRow(['类别', '编号', '名称', '分值', '评分标准', '依据']).font = { bold: true };
  for (const a of d.adjustments) other.addRow(['扣分项', a.id, a.title + mark(a.example), a.points === null ? '' : spreadsheetNumber(a.points), a.text.join('\n'), a.sources.join('\n')]).alignment = wrap;
  for (const b of d.bonus?.items ?? []) other.addRow(['加分项', b.id, b.title + mark(b.example), b.points === null ? '' : spreadsheetNumber(b.points), b.text.join('\n'), b.sources.join('\n')]).alignment = wrap;
  if (d.bonus) other.addRow(['加分上限', '', '', spreadsheetNumber(d.bonus.cap), `加分累计不超过${d.bonus.cap}分`, '']);
  for (const v of d.vetoes) other.addRow(['一票否决', v.id, v.title + mark(v.example), '', v.text.join('\n'), v.sources.join('\n')]).alignment = wrap;
  [10, 12, 26, 8, 70, 50].forEach((w, i) => { other.getColumn(i + 1).width = w; });
  const grades = wb.addWorksheet('等次与比例');
  grades.addRow(['等次', '总分']).font = { bold: true };
  for (const g of d.grades) grades.addRow([g.name + mark(g.example), g.text.join('；')]);
  for (const q of d.quotas) grades.addRow([`比例：${q.grade}`, q.text.join('；')]);
  grades.getColumn(1).width = 14;
  grades.getColumn(2).width = 80;
  if (d.documents.length > 0) {
    const docs = wb.addWorksheet('依据文件');
    docs.addRow(['编号', '文件名称', '文号', '发文单位', '日期']).font = { bold: true };
    for (const doc of d.documents) docs.addRow([doc.id, doc.title, doc.number ?? '', doc.issuer ?? '', doc.date ?? '']);
    [10, 50, 24, 30, 12].forEach((w, i) => { docs.getColumn(i + 1).width = w; });
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export function createPublish(pane, { current, setVersion }) {
  const version = h('input', { id: 'pub-version', testid: 'pub-version', autocomplete: 'off' });
  const apply = h('button', { type: 'button', testid: 'pub-apply-version' }, '改为此版本号');
  const save = h('button', { type: 'button', className: 'primary', testid: 'pub-download' }, '下载细则文件');
  const print = h('button', { type: 'button', testid: 'pub-print' }, '打印考核细则');
  const xlsx = h('button', { type: 'button', testid: 'pub-xlsx' }, '导出 XLSX');
  const alert = h('div', { className: 'banner error', role: 'alert', hidden: true, testid: 'pub-alert' });
  const docBox = h('div', { className: 'pub-preview', testid: 'pub-preview' });
  let shownFor = null;

  pane.replaceChildren(
    h('h2', {}, '发布：细则文件与考核细则文本'),
    h('p', { className: 'lead' }, '发布前先处理完全部问题、通过全部测试用例，并在「发布前对比」中核对对各单位的影响。考核细则文本由评分引擎根据计分规则生成，与评分结果一致。'),
    h('div', { className: 'toolbar' },
      h('label', { className: 'pick', htmlFor: 'pub-version' }, '新版本号', version), apply, save, print, xlsx),
    alert, docBox);

  const fail = (message, problems = []) => {
    alert.replaceChildren(h('p', {}, message), problems.length > 0 ? h('ul', {}, problems.slice(0, 10).map((p) => h('li', {}, p.message))) : '');
    alert.hidden = false;
  };

  /** The current rules, loaded, or a message why they cannot be published. */
  function ready() {
    alert.hidden = true;
    const s = current();
    if (!s.loaded) {
      fail(`细则有${s.problems.length}个问题，不能发布。`, s.problems);
      return null;
    }
    if (s.tests && s.tests.failed > 0) {
      fail(`有${s.tests.failed}个测试用例未通过，不能发布：请修改细则或测试用例。`, s.tests.cases.filter((c) => !c.passed).map((c) => ({ message: `${c.name}：${c.failures.join('；')}` })));
      return null;
    }
    return s;
  }

  function withDocument(fn) {
    const s = ready();
    if (!s) return null;
    return fn(publishedDocument(s.engine), s);
  }

  apply.addEventListener('click', () => {
    const v = version.value.trim();
    if (!v) return;
    shownFor = v;
    setVersion(v);
  });
  save.addEventListener('click', () => {
    const s = ready();
    if (!s) return;
    download(fileName(`${textOf(s.doc?.id)}-${textOf(s.doc?.version)}.json`), `${s.text}\n`, 'application/json');
  });
  print.addEventListener('click', () => {
    const d = withDocument((doc) => doc);
    if (!d) return;
    docBox.replaceChildren(renderDocument(d));
    document.body.classList.add('printing-rules');
    const done = () => document.body.classList.remove('printing-rules');
    window.addEventListener('afterprint', done, { once: true });
    window.print();
  });
  xlsx.addEventListener('click', async () => {
    const d = withDocument((doc) => doc);
    if (!d) return;
    try {
      download(fileName(`考核细则-${d.rules.id}-${d.rules.version}.xlsx`), await documentXlsx(d), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (err) {
      fail(`无法导出 XLSX：${err.message}`);
    }
  });

  return {
    rulesChanged() {
      const s = current();
      if (s.doc && document.activeElement !== version) {
        const v = textOf(s.doc.version);
        if (shownFor !== v) {
          version.value = nextVersion(v);
          shownFor = v;
        }
      }
      if (pane.hidden || !s.loaded) return;
      docBox.replaceChildren(renderDocument(publishedDocument(s.engine)));
    },
  };
}
