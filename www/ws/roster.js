// Unit rosters (单位名单): typed or pasted text (comma- or tab-separated, as Excel/WPS copy it),
// CSV files (UTF-8 with or without BOM, or GBK as Chinese Excel saves them) and XLSX files (read
// with exceljs, loaded only when an XLSX roster is chosen). Columns by header: 单位编号, 单位名称,
// 分组, 是否参与排名 and the optional 单位标签 (comma-separated); without a header line the first
// four columns are taken in that order. Every problem is reported with its row.

export const COLUMNS = ['单位编号', '单位名称', '分组', '是否参与排名', '单位标签'];
const ALIASES = {
  单位编号: ['单位编号', '编号', '单位代码', '代码', 'id'],
  单位名称: ['单位名称', '名称', '单位', 'name'],
  分组: ['分组', '组别', '类别', '排名分组', 'group'],
  是否参与排名: ['是否参与排名', '参与排名', '纳入排名', '是否排名', 'ranked'],
  单位标签: ['单位标签', '标签', 'tags'],
};
const YES = new Set(['', '是', 'y', 'yes', 'true', '1', '参与', '排名', '√', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '不参与', '不排名', '×', '✗']);

/** Splits delimited text into rows of cells (RFC 4180 quotes; the delimiter guessed). */
export function parseDelimited(text) {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') ? '\t' : (firstLine.includes(',') || !firstLine.includes('，')) ? ',' : '，';
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (quoted) {
      if (c === '"' && clean[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && clean[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV bytes as text: UTF-8 when valid, else GBK (what Excel in Chinese saves by default). */
export function decodeCsv(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** The first worksheet of an XLSX file as rows of cell texts. */
export async function xlsxRows(bytes) {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes);
  } catch {
    throw new Error('不是有效的 XLSX 文件（可能已损坏，或是旧版 .xls：请在 Excel/WPS 中另存为 .xlsx 或 .csv）。');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const cells = [];
    for (let c = 1; c <= Math.max(row.cellCount, 5); c++) cells.push(cellText(row.getCell(c)));
    rows[number - 1] = cells;
  });
  return Array.from(rows, (r) => r ?? []);
}

function cellText(cell) {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
    if ('text' in v) return String(v.text);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(cell.text ?? v);
}

let excel = null;
/** exceljs (copied into /vendor/ by ./build), loaded on first use. */
export async function loadExcel() {
  if (!excel) {
    await import('/vendor/exceljs.min.js');
    excel = globalThis.ExcelJS;
    if (!excel) throw new Error('表格组件（exceljs）未能加载。');
  }
  return excel;
}

/**
 * Reads a roster from rows of cells: `{units: [{id, name, group, ranked, tags}], problems:
 * [{row, message}]}`. Rows are numbered as the file shows them (1 = the first line).
 */
export function readRoster(rows) {
  const problems = [];
  const units = [];
  const nonEmpty = rows.map((r, i) => ({ cells: r.map((c) => String(c ?? '').trim()), line: i + 1 })).filter((r) => r.cells.some((c) => c !== ''));
  if (nonEmpty.length === 0) return { units, problems: [{ row: 0, message: '名单是空的：每行一个单位，至少填写单位编号和单位名称。' }] };
  const head = nonEmpty[0].cells;
  const find = (column) => head.findIndex((h) => ALIASES[column].some((a) => h.toLowerCase() === a.toLowerCase()));
  let index;
  let body;
  if (find('单位编号') >= 0 || find('单位名称') >= 0) {
    index = Object.fromEntries(COLUMNS.map((c) => [c, find(c)]));
    body = nonEmpty.slice(1);
    for (const c of ['单位编号', '单位名称']) {
      if (index[c] < 0) problems.push({ row: nonEmpty[0].line, message: `表头缺少「${c}」列（需要：单位编号、单位名称，可选：分组、是否参与排名、单位标签）。` });
    }
    if (problems.length > 0) return { units, problems };
  } else {
    index = { 单位编号: 0, 单位名称: 1, 分组: 2, 是否参与排名: 3, 单位标签: 4 };
    body = nonEmpty;
  }
  const seen = new Map();
  for (const { cells, line } of body) {
    const get = (c) => (index[c] >= 0 ? cells[index[c]] ?? '' : '');
    const id = get('单位编号');
    const name = get('单位名称');
    const rankedText = get('是否参与排名').toLowerCase();
    const where = `第${line}行`;
    if (id === '') problems.push({ row: line, message: `${where}：缺少单位编号。` });
    if (name === '') problems.push({ row: line, message: `${where}：缺少单位名称。` });
    if (id !== '' && seen.has(id)) problems.push({ row: line, message: `${where}：单位编号「${id}」与第${seen.get(id)}行重复。` });
    if (id.length > 100 || name.length > 200) problems.push({ row: line, message: `${where}：单位编号或名称过长。` });
    let ranked = true;
    if (NO.has(rankedText)) ranked = false;
    else if (!YES.has(rankedText)) problems.push({ row: line, message: `${where}：「是否参与排名」应填「是」或「否」，实为「${get('是否参与排名')}」。` });
    if (id !== '' && !seen.has(id)) seen.set(id, line);
    const tags = get('单位标签').split(/[,，、;；]/).map((t) => t.trim()).filter(Boolean);
    units.push({ id, name, group: get('分组'), ranked, tags });
  }
  if (units.length === 0 && problems.length === 0) problems.push({ row: 0, message: '名单只有表头，没有单位。' });
  return { units, problems };
}

/** Reads a roster file (CSV, TXT or XLSX). */
export async function readRosterFile(file) {
  if (file.size > 20 * 1048576) throw new Error(`名单文件「${file.name}」过大（超过 20 MB），未读取。`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (/\.xlsx$/i.test(file.name) || isZip) return readRoster(await xlsxRows(bytes));
  if (/\.xls$/i.test(file.name)) throw new Error('不支持旧版 .xls 文件：请在 Excel/WPS 中另存为 .xlsx 或 .csv。');
  return readRoster(parseDelimited(decodeCsv(bytes)));
}
