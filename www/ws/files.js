// Files out of and into a workspace: the summary as XLSX (exceljs, loaded only here), and the
// whole workspace as one file (kpi-workspace/1: a zip made with fflate, loaded only here; see
// docs/WORKSPACE.md): workspace.json (the workspace, every unit's submission, the attachments'
// descriptions), rules.json (the rule set, verbatim) and attachments/<id> (the files, as added).
import { loadExcel } from './roster.js';
import { summaryHead, deductionLines, signed } from './report.js';

let fflate = null;
async function zipLib() {
  fflate ??= await import('/vendor/fflate.js');
  return fflate;
}

/**
 * A decimal from the engine as a spreadsheet number, only where the number is exactly the
 * engine's text (a spreadsheet cell holds a binary number; scores have few digits, so this holds
 * for every score): otherwise the text itself. Nothing is computed with it.
 */
export function spreadsheetNumber(text) {
  if (typeof text !== 'string' || !/^-?\d{1,12}(\.\d{1,6})?$/.test(text)) return text;
  const n = Number(text);
  const plain = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return String(n) === plain.replace(/^-0$/, '0') ? n : text;
}

/** The summary rows (report.js summaryRows) as an XLSX workbook's bytes. */
export async function summaryXlsx({ rows, form, workspace, rules, result, units }) {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kpi-wasm';
  wb.created = new Date();
  const sheet = wb.addWorksheet('汇总表', { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  const head = summaryHead(form);
  sheet.addRow(head);
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow(r.cells.map((c, i) => {
      if (typeof c === 'object') return spreadsheetNumber(c.text);
      if (i === 0 && /^\d+$/.test(c)) return Number.parseInt(c, 10);
      return c;
    }));
  }
  head.forEach((title, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.min(40, Math.max(8, title.length * 2 + 2));
    if (i >= 4 && i < 4 + form.sections.length) col.numFmt = '0.00';
  });
  const totalCol = sheet.getColumn(head.indexOf('总分') + 1);
  totalCol.numFmt = '0.00';
  const lines = wb.addWorksheet('扣分明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  lines.addRow(['单位编号', '单位名称', '项目', '扣分原因', '分值']);
  lines.getRow(1).font = { bold: true };
  for (const u of units) {
    const report = result?.reports.get(u.key);
    if (!report) continue;
    for (const l of deductionLines(report)) lines.addRow([report.unit.id, report.unit.name, l.where, l.reason, spreadsheetNumber(l.points)]);
  }
  [12, 16, 28, 60, 8].forEach((w, i) => { lines.getColumn(i + 1).width = w; });
  const about = wb.addWorksheet('说明');
  about.addRows([
    ['考核任务', workspace.name],
    ['考核细则', `${rules.title}（${rules.id}，版本 ${rules.version}）`],
    ['导出时间', new Date().toLocaleString('zh-CN', { hour12: false })],
    ['单位数', String(units.length)],
    ['说明', '分数、排名、等次均由评分引擎计算；「暂定」表示尚有单位或项目未完成，结果可能变化。'],
  ]);
  about.getColumn(1).width = 12;
  about.getColumn(2).width = 80;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export const WORKSPACE_FORMAT = 'kpi-workspace/1';
const local = (key) => key.slice(key.indexOf('/') + 1);

/** The whole workspace as one zip file's bytes. */
export async function exportWorkspace({ workspace, units, attachments }) {
  const { zipSync, strToU8 } = await zipLib();
  const doc = {
    format: WORKSPACE_FORMAT,
    exported_at: new Date().toISOString(),
    workspace: {
      id: workspace.id,
      name: workspace.name,
      assessor: workspace.assessor ?? '',
      created_at: workspace.createdAt,
      updated_at: workspace.updatedAt,
    },
    rules: { id: workspace.rules.id, version: workspace.rules.version, title: workspace.rules.title, source: workspace.rules.source, file: 'rules.json' },
    units: units.map((u) => {
      const out = { key: local(u.key), order: u.order, updated_at: u.updatedAt, submission: u.submission };
      if (u.orphaned) out.orphaned = u.orphaned;
      return out;
    }),
    attachments: [],
  };
  const files = { 'rules.json': [strToU8(workspace.rules.text), { level: 6 }] };
  for (const a of [...attachments].sort((x, y) => x.id.localeCompare(y.id))) {
    const id = local(a.id);
    const bytes = new Uint8Array(await a.blob.arrayBuffer());
    doc.attachments.push({ id, unit: local(a.unit), item: a.item, name: a.name, type: a.type, size: a.size, note: a.note ?? '', added_at: a.addedAt, file: `attachments/${id}` });
    files[`attachments/${id}`] = [bytes, { level: 0 }];
  }
  files['workspace.json'] = [strToU8(`${JSON.stringify(doc, null, 2)}\n`), { level: 6 }];
  // workspace.json first: a reader can tell what the file is from its first entry.
  const ordered = { 'workspace.json': files['workspace.json'], ...files };
  return zipSync(ordered, { mtime: new Date('2000-01-01T00:00:00Z') });
}

/**
 * Reads a workspace file: `{doc, rulesText, files: Map local attachment id -> Uint8Array}`, or
 * throws with a Chinese message saying what is wrong (nothing is stored here).
 */
export async function readWorkspaceFile(bytes) {
  const { unzipSync, strFromU8 } = await zipLib();
  let entries;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new Error('不是考核任务文件：无法作为 zip 读取（文件可能已损坏）。');
  }
  if (!entries['workspace.json']) throw new Error('不是考核任务文件：缺少 workspace.json。');
  let doc;
  try {
    doc = JSON.parse(strFromU8(entries['workspace.json']));
  } catch {
    throw new Error('考核任务文件中的 workspace.json 不是有效的 JSON。');
  }
  if (doc?.format !== WORKSPACE_FORMAT) throw new Error(`不是考核任务文件：格式应为「${WORKSPACE_FORMAT}」，实为「${String(doc?.format ?? '（无）')}」。`);
  const rulesFile = entries[doc.rules?.file ?? 'rules.json'];
  if (!rulesFile) throw new Error('考核任务文件缺少考核细则（rules.json）。');
  if (!Array.isArray(doc.units)) throw new Error('考核任务文件中没有单位列表。');
  const files = new Map();
  for (const a of doc.attachments ?? []) {
    const data = entries[a.file];
    if (!data) throw new Error(`考核任务文件缺少佐证材料「${a.name}」（${a.file}）。`);
    files.set(a.id, data);
  }
  return { doc, rulesText: strFromU8(rulesFile), files };
}

export { signed };
