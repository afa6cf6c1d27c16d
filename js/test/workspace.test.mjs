// End-to-end tests of the assessment workspaces (考核任务) in real Chromium (playwright-core):
// a roster in, units filled by label, survival across a browser restart, live ranks against the
// CLI byte for byte, printed reports (PDF read back), the XLSX read back with openpyxl, the
// workspace file round trip with attachments, two tabs, and a full disk. Every expected number
// comes from the engine (pkg/ in Node) or the CLI, never typed in here.
//
//   node --test js/test/workspace.test.mjs      (./test runs it with the other js/test/*.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(`${root}pkg/element.js`)) throw new Error('pkg/ is missing: run ./build first');
if (!existsSync(`${root}www/vendor/exceljs.min.js`)) throw new Error('www/vendor/ is missing: run ./build first');
const { Engine } = await import('../../pkg/index.js');
const { plainWords } = await import('../../pkg/form-view.js');
const { createAppServer, listen } = await import('../../tools/serve.mjs');
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');

const read = (p) => readFileSync(`${root}${p}`, 'utf8');
const DQ = read('examples/subdistrict-dq.json');
const UNITS = [...readdirSync(`${root}examples/units`).sort().map((f) => read(`examples/units/${f}`)), DQ].map((t) => JSON.parse(t));
const KPI = `${root}target/release/kpi`;
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

let server, base, browser;
const scratch = mkdtempSync(`${tmpdir()}/kpi-ws-test-`);

before(async () => {
  server = createAppServer();
  base = await listen(server, 0);
  browser = await chromium.launch(LAUNCH);
  if (!existsSync(KPI)) execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'kpi'], { cwd: root, stdio: 'inherit' });
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Watches a page: no request off 127.0.0.1, no CSP violation, no page error. */
function watch(context, page, problems) {
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`outside: ${u}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
}

async function newPage(context, problems, hash = '#workspaces') {
  const page = await context.newPage();
  watch(context, page, problems);
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.print = () => { window.__printed = (window.__printed ?? 0) + 1; };
  });
  await page.goto(`${base}/${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

/** A fresh context (its own storage) and a page on the workspace list. */
async function open({ init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  context.setDefaultTimeout(15000);
  if (init) await context.addInitScript(init);
  const problems = [];
  const page = await newPage(context, problems);
  return {
    page, context, problems,
    async done() {
      if (process.env.KPI_SHOT) await page.screenshot({ path: process.env.KPI_SHOT, fullPage: true }).catch(() => {});
      for (const p of context.pages()) problems.push(...(await p.evaluate(() => window.__csp ?? []).catch(() => [])).map((v) => `csp: ${v}`));
      await context.close();
      assert.deepEqual(problems, [], 'no outside request, CSP violation or page error');
    },
  };
}

const rosterCsv = (units, { ranked = () => '是', group = () => '' } = {}) => `\ufeff单位编号,单位名称,分组,是否参与排名\r\n${units.map((u, i) => `${u.unit.id},${u.unit.name},${group(u, i)},${ranked(u, i)}`).join('\r\n')}\r\n`;

/** Creates a workspace from a roster file through the dialog; resolves on its page. */
async function createWorkspace(page, { name, rules = 'builtin:subdistrict', rulesFile, csv, xlsx, assessor = '' }) {
  await page.getByTestId('ws-new').click();
  const dialog = page.getByTestId('ws-create-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('任务名称').fill(name);
  if (rulesFile) {
    await dialog.getByLabel('考核细则', { exact: true }).selectOption('file');
    await page.getByTestId('ws-rules-file').setInputFiles({ name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(rulesFile) });
  } else {
    await dialog.getByLabel('考核细则', { exact: true }).selectOption(rules);
  }
  if (assessor) await dialog.getByLabel('考核人员（各单位默认）').fill(assessor);
  if (csv) await page.getByTestId('ws-roster-file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  if (xlsx) await page.getByTestId('ws-roster-file').setInputFiles({ name: 'roster.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
  await page.waitForFunction(() => /名单共\d+个单位/.test(document.querySelector('[data-testid=ws-roster-preview]').textContent));
  await page.getByTestId('ws-create').click();
  await page.getByTestId('ws-units').waitFor();
  await rankedAfter(page, 0);
}

/** Waits until the workspace has ranked after `since` (ms since epoch) and every save is done. */
async function rankedAfter(page, since) {
  await page.waitForFunction((t) => Number(document.body.dataset.rankedAt ?? 0) > t, since);
}

async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=ws-save-status]');
    return !s || s.textContent === '' || s.textContent.startsWith('已保存');
  });
}

const stamp = (page) => page.evaluate(() => Number(document.body.dataset.rankedAt ?? 0));

async function openUnit(page, name) {
  await page.getByTestId('ws-units').getByRole('link', { name, exact: true }).click();
  await page.locator('.ws-form-host').waitFor();
  await page.getByTestId('ws-standing').waitFor();
}

async function backToWorkspace(page) {
  await page.locator('.crumbs a').nth(1).click({ timeout: 5000 }).catch(async (err) => {
    await page.screenshot({ path: `${tmpdir()}/kpi-ws-failure.png` });
    throw err;
  });
  await page.getByTestId('ws-units').waitFor();
}

const form = (page) => page.locator('.ws-form-host');

/** Fills fields by their labels, as an assessor does. */
async function fillByLabel(page, engineForm, values) {
  for (const input of engineForm.inputs) {
    const value = values[input.id];
    if (value === undefined || value === null) continue;
    const field = form(page).getByLabel(input.label, { exact: true });
    if (input.type === 'bool') await field.selectOption(value ? '是' : '否');
    else if (input.type === 'choice') await field.selectOption(String(value));
    else await field.fill(String(value));
  }
}

async function importIntoUnit(page, doc) {
  const before = await stamp(page);
  await page.getByTestId('ws-unit-import').setInputFiles({ name: `${doc.unit.id}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await page.getByTestId('ws-notice').getByText('已将').waitFor();
  await rankedAfter(page, before);
  await settled(page);
}

async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

function pdfText(bytes) {
  const file = `${scratch}/${Math.random().toString(36).slice(2)}.pdf`;
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** A workspace of the example district, each unit's submission imported into its form. */
async function exampleDistrict(page, name = '2026年度街镇安全生产考核') {
  await createWorkspace(page, { name, csv: rosterCsv(UNITS) });
  for (const doc of UNITS) {
    await openUnit(page, doc.unit.name);
    await importIntoUnit(page, doc);
    await backToWorkspace(page);
  }
}

// ------------------------------------------------------------------------------------------------

test('a workspace from a roster CSV: three units filled by label survive a browser restart', async () => {
  const engine = new Engine('subdistrict');
  const f = engine.form();
  const profile = mkdtempSync(`${tmpdir()}/kpi-ws-profile-`);
  const filled = [
    { safety_meetings: '4', drills: '2', plan_made: true },
    { safety_meetings: '3', hazards_found: '10', hazards_fixed: '9' },
    { not_logged: '1', self_check_rate: '95.5', level: undefined },
  ];
  const run = async (fn) => {
    const context = await chromium.launchPersistentContext(profile, { ...LAUNCH, viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(15000);
    const problems = [];
    try {
      const page = await newPage(context, problems);
      await fn(page);
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, []);
  };
  await run(async (page) => {
    await createWorkspace(page, { name: '街镇考核（重启测试）', csv: rosterCsv(UNITS) });
    assert.equal(await page.getByTestId('ws-units').locator('tbody tr').count(), UNITS.length);
    for (let i = 0; i < 3; i++) {
      await openUnit(page, UNITS[i].unit.name);
      await fillByLabel(page, f, filled[i]);
      await settled(page);
      await backToWorkspace(page);
    }
    const statuses = await page.getByTestId('ws-units').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.cells[1].textContent, r.cells[4].textContent]));
    for (let i = 0; i < UNITS.length; i++) {
      assert.deepEqual(statuses.find((s) => s[0] === UNITS[i].unit.id), [UNITS[i].unit.id, i < 3 ? '填写中' : '未填写']);
    }
  });
  // A new browser on the same profile: everything is there.
  await run(async (page) => {
    await page.getByTestId('ws-list').getByRole('link', { name: '街镇考核（重启测试）' }).click();
    await page.getByTestId('ws-units').waitFor();
    for (let i = 0; i < 3; i++) {
      await openUnit(page, UNITS[i].unit.name);
      for (const [id, value] of Object.entries(filled[i])) {
        if (value === undefined) continue;
        const input = f.inputs.find((x) => x.id === id);
        const field = form(page).getByLabel(input.label, { exact: true });
        assert.equal(await field.inputValue(), input.type === 'bool' ? String(value) : value, `${UNITS[i].unit.name} ${input.label}`);
      }
      // The unit's current total is the engine's batch report for the saved submissions.
      await backToWorkspace(page);
    }
  });
  rmSync(profile, { recursive: true, force: true });
});

test('live ranks and quota moves are the CLI\'s, byte for byte; CSV and XLSX (read back with openpyxl) agree', async () => {
  const { page, done } = await open();
  await exampleDistrict(page);
  const jsonl = await download(page, () => page.getByTestId('ws-export-jsonl').click());
  const reports = await download(page, () => page.getByTestId('ws-export-reports').click());
  const file = `${scratch}/district.jsonl`;
  writeFileSync(file, jsonl.bytes);
  const cli = execFileSync(KPI, ['score', '--rules', 'subdistrict', '--format', 'json', '--provisional', file]);
  assert.ok(reports.bytes.equals(cli), 'the page\'s batch reports are the CLI\'s, byte for byte');
  // The submissions the page ranked are the example files (values as typed, numbers as text).
  const texts = jsonl.bytes.toString('utf8').trim().split('\n');
  const engine = new Engine('subdistrict');
  const expected = engine.scoreBatch(texts).map((e) => e.report);
  assert.ok(expected.some((r) => r.lines.some((l) => l.kind === 'quota')), 'the district has a quota move');
  // The units table shows the engine's rank, total, grade and quota moves for every unit.
  const rows = await page.getByTestId('ws-units').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  for (const r of expected) {
    const row = rows.find((x) => x[1] === r.unit.id);
    assert.equal(row[0], String(r.rank), r.unit.name);
    assert.equal(row[5], r.total, r.unit.name);
    assert.equal(row[6], r.status === 'final' ? r.grade : '待定', r.unit.name);
    for (const l of r.lines.filter((x) => x.kind === 'quota')) assert.ok(row[8].includes(l.reason), l.reason);
  }
  // Each unit's page says its rank and grade, with the quota's reason.
  const moved = expected.find((r) => r.lines.some((l) => l.kind === 'quota'));
  await openUnit(page, moved.unit.name);
  assert.equal(await page.getByTestId('ws-rank').textContent(), `第${moved.rank}名`);
  assert.match(await page.getByTestId('ws-moves').textContent(), new RegExp(moved.lines.find((l) => l.kind === 'quota').reason.slice(0, 10)));
  assert.equal(await form(page).getByTestId('total').textContent(), moved.total);
  await backToWorkspace(page);

  // CSV: the engine's batchCsv of the same submissions, with the BOM.
  const csv = await download(page, () => page.getByTestId('ws-csv').click());
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(csv.bytes.toString('utf8'), engine.batchCsv(texts));
  // XLSX: read back with a real reader (openpyxl); every unit's rank, total and grade.
  const xlsx = await download(page, () => page.getByTestId('ws-xlsx').click());
  assert.match(xlsx.name, /\.xlsx$/);
  const xfile = `${scratch}/summary.xlsx`;
  writeFileSync(xfile, xlsx.bytes);
  const sheet = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {name: [[None if c is None else str(c) for c in row] for row in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames}
print(json.dumps(out, ensure_ascii=False))`, xfile], { encoding: 'utf8' }));
  const [head, ...body] = sheet['汇总表'];
  assert.deepEqual(head.slice(0, 4), ['排名', '单位编号', '单位名称', '分组']);
  const col = (name) => head.indexOf(name);
  assert.equal(body.length, expected.length);
  for (const r of expected) {
    const row = body.find((x) => x[col('单位编号')] === r.unit.id);
    assert.ok(row, r.unit.id);
    assert.equal(row[col('排名')], String(r.rank));
    // A number cell holds the engine's decimal exactly (openpyxl gives e.g. "97.5" for "97.50").
    assert.equal(Number(row[col('总分')]).toFixed(2), r.total, 'the same decimal');
    assert.equal(row[col('总分')], r.total.replace(/\.?0+$/, ''));
    assert.equal(row[col('等次')], r.status === 'final' ? r.grade : '待定');
    r.sections.forEach((s) => assert.equal(row[head.findIndex((h) => h.startsWith(s.title))], s.score.replace(/\.?0+$/, '') || '0', s.title));
  }
  // The summary's order is the ranking's.
  assert.deepEqual(body.map((x) => x[col('单位编号')]), [...expected].sort((a, b) => a.rank - b.rank).map((r) => r.unit.id));
  assert.ok(sheet['扣分明细'].length > 1, 'the deduction lines sheet');
  await done();
});

test('printed reports: 最终 only when every unit is complete; page numbers, unit and rule set on every page; the summary', async () => {
  const { page, done } = await open();
  const engine = new Engine('subdistrict');
  // Six of the seven complete: whatever the engine says of each report is what prints, and the
  // incomplete unit (and, while it is incomplete, its ranked peers) is 暂定.
  const incomplete = structuredClone(UNITS[0]);
  delete incomplete.values.drills;
  const docs = [incomplete, ...UNITS.slice(1)];
  await createWorkspace(page, { name: '打印测试', csv: rosterCsv(docs), assessor: '王检查' });
  for (const doc of docs) {
    await openUnit(page, doc.unit.name);
    await importIntoUnit(page, doc);
    await backToWorkspace(page);
  }
  const partial = engine.scoreBatch(docs.map((d) => JSON.stringify(d))).map((e) => e.report);
  const printUnit = async (report) => {
    await openUnit(page, report.unit.name);
    await page.getByTestId('ws-open-report').click();
    await page.getByTestId('print-pages').waitFor();
    await page.getByTestId('preview-print').click();
    const pdf = pdfText(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const pages = pdf.split('\f').filter((p) => p.trim() !== '');
    assert.equal(pages.length, Number(await page.evaluate(() => document.body.dataset.printPages)));
    pages.forEach((p, i) => {
      assert.ok(p.includes(report.unit.name), `page ${i + 1}: the unit`);
      assert.ok(p.includes(report.rules.title), `page ${i + 1}: the rule set`);
      assert.ok(p.replace(/\s+/g, '').includes(`第${i + 1}页共${pages.length}页`), `page ${i + 1}: 第N页 共M页`);
    });
    await page.getByTestId('preview-back').click();
    await page.locator('.crumbs a').nth(1).click();
    await page.getByTestId('ws-units').waitFor();
    return pdf;
  };
  // The incomplete unit: 暂定, never 最终.
  assert.equal(partial[0].status, 'provisional');
  let text = await printUnit(partial[0]);
  assert.equal(await page.evaluate(() => window.__printed), 1);
  assert.ok(!text.includes('最终'), 'no 最终 on an incomplete unit\'s report');
  assert.match(text, /暂定/);
  for (const words of ['扣分汇总', '考核人员（签字）', '王检查', '公章', '评分明细']) assert.ok(text.includes(words), words);
  assert.ok(text.indexOf('扣分汇总') < text.indexOf('评分明细'), 'the deduction summary comes before the detail');
  // A complete unit while a peer is incomplete prints what the engine says of it (the engine keeps
  // it provisional while a peer in its ranking group is incomplete; the page never decides that).
  text = await printUnit(partial[1]);
  if (partial[1].status === 'provisional') assert.ok(!text.includes('最终'), 'a peer is incomplete: no 最终');
  else assert.match(text, /最终结果/);

  // Complete the last unit: every report is final, and so is every printout.
  await openUnit(page, incomplete.unit.name);
  const drills = engine.form().inputs.find((i) => i.id === 'drills');
  const before = await stamp(page);
  let pages;
  await form(page).getByLabel(drills.label, { exact: true }).fill(String(UNITS[0].values.drills));
  await rankedAfter(page, before);
  await settled(page);
  const final = engine.scoreBatch(UNITS.map((d) => JSON.stringify(d))).map((e) => e.report);
  assert.ok(final.every((r) => r.status === 'final'), 'the engine: all complete, all final');
  assert.equal(await page.getByTestId('ws-status').textContent(), '最终');
  await backToWorkspace(page);
  await page.getByTestId('ws-print-all').click();
  await page.getByTestId('print-pages').waitFor();
  text = pdfText(await page.pdf({ preferCSSPageSize: true }));
  pages = text.split('\f').filter((p) => p.trim() !== '');
  for (const r of final) {
    const own = pages.filter((p) => p.includes(r.unit.name) && p.includes('第'));
    const m = own[0].replace(/\s+/g, '').match(/第1页共(\d+)页/);
    assert.ok(m, `${r.unit.name}: numbered pages`);
    assert.ok(own.length >= Number(m[1]), `${r.unit.name}: its name on each of its pages`);
  }
  assert.match(text, /最终/);
  assert.ok(!/暂定结果/.test(text), 'no provisional page');
  for (const r of final) assert.ok(text.includes(r.total), `${r.unit.name} ${r.total}`);
  // The summary table, landscape.
  await page.getByTestId('preview-back').click();
  await page.getByTestId('ws-summary').click();
  await page.getByTestId('summary-table').waitFor();
  assert.match(await page.getByTestId('summary-state').textContent(), /最终结果/);
  await page.getByTestId('summary-print').click();
  await page.getByTestId('print-pages').waitFor();
  text = pdfText(await page.pdf({ preferCSSPageSize: true }));
  const flat = text.replace(/\s+/g, '');
  for (const words of ['汇总表', '排名', '等次调整及否决', '第1页共1页']) assert.ok(flat.includes(words), words);
  for (const r of final) assert.ok(text.includes(r.unit.name));
  await done();
});

test('export + import of a workspace round-trips exactly, attachments included', async () => {
  const { page, context, done } = await open();
  await createWorkspace(page, { name: '导出导入', csv: rosterCsv(UNITS.slice(0, 3)) });
  await openUnit(page, UNITS[1].unit.name);
  await importIntoUnit(page, UNITS[1]);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7), Buffer.from('\n%%EOF\n')]);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const details = form(page).locator('[data-evidence="1.1"]');
  await details.locator('summary').click();
  await form(page).getByTestId('evidence-file-1.1').setInputFiles([{ name: '会议记录.pdf', mimeType: 'application/pdf', buffer: pdf }, { name: '现场照片.png', mimeType: 'image/png', buffer: png }]);
  await form(page).getByLabel('项目1.1佐证材料说明').fill('第三季度安委会会议');
  await form(page).getByTestId('evidence-add-1.1').click();
  await form(page).getByTestId('evidence-list-1.1').getByText('现场照片.png').waitFor();
  // Too big: refused with the limit, nothing stored.
  await form(page).getByTestId('evidence-file-1.1').setInputFiles({ name: '太大.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(20 * 1048576 + 1) });
  await form(page).getByTestId('evidence-add-1.1').click();
  await form(page).locator('[data-evidence="1.1"] .kpi-error').getByText('20 MB').waitFor();
  assert.equal(await form(page).getByTestId('evidence-list-1.1').locator('li').count(), 2);
  // The report lists the evidence by name.
  await page.getByTestId('ws-open-report').click();
  await page.getByTestId('print-pages').waitFor();
  const reportText = await page.getByTestId('print-pages').textContent();
  assert.ok(reportText.includes('会议记录.pdf') && reportText.includes('现场照片.png'));
  await page.getByTestId('preview-back').click();
  await page.locator('.crumbs a').nth(1).click();
  await page.getByTestId('ws-units').waitFor();

  const first = await download(page, () => page.getByTestId('ws-export').click());
  assert.match(first.name, /\.kpiws\.zip$/);
  // A second browser (empty storage) imports it and exports it again.
  const other = await open();
  await other.page.getByTestId('ws-import').setInputFiles({ name: first.name, mimeType: 'application/zip', buffer: first.bytes });
  await other.page.getByTestId('ws-units').waitFor();
  assert.match(await other.page.getByTestId('ws-notice').textContent(), /3个单位，2份佐证材料/);
  const second = await download(other.page, () => other.page.getByTestId('ws-export').click());
  const unzip = (bytes) => {
    const file = `${scratch}/${Math.random().toString(36).slice(2)}.zip`;
    writeFileSync(file, bytes);
    return JSON.parse(execFileSync('python3', ['-c', `
import json, sys, zipfile, base64
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))`, file], { encoding: 'utf8' }));
  };
  const a = unzip(first.bytes);
  const b = unzip(second.bytes);
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const name of Object.keys(a)) {
    if (name === 'workspace.json') continue;
    assert.equal(b[name], a[name], name);
  }
  const docA = JSON.parse(Buffer.from(a['workspace.json'], 'base64').toString('utf8'));
  const docB = JSON.parse(Buffer.from(b['workspace.json'], 'base64').toString('utf8'));
  delete docA.exported_at;
  delete docB.exported_at;
  assert.deepEqual(docB, docA, 'workspace.json round-trips');
  assert.equal(docA.format, 'kpi-workspace/1');
  assert.equal(docA.attachments.length, 2);
  const stored = docA.attachments.find((x) => x.name === '会议记录.pdf');
  assert.equal(stored.note, '第三季度安委会会议');
  assert.ok(Buffer.from(a[stored.file], 'base64').equals(pdf), 'the attachment\'s bytes');
  const saved = docA.units[1].submission;
  assert.deepEqual(saved.unit, UNITS[1].unit);
  assert.deepEqual(Object.fromEntries(Object.entries(saved.values).map(([k, v]) => [k, String(v)])), Object.fromEntries(Object.entries(UNITS[1].values).map(([k, v]) => [k, String(v)])));
  // Importing it again where it exists asks first; 替换 keeps the old one in 最近删除.
  await other.page.getByTestId('tab-workspaces').click();
  await other.page.getByTestId('ws-import').setInputFiles({ name: first.name, mimeType: 'application/zip', buffer: first.bytes });
  await other.page.getByTestId('confirm-replace').waitFor();
  await other.page.getByTestId('confirm-replace-ok').click();
  await other.page.getByTestId('ws-units').waitFor();
  await other.page.getByTestId('tab-workspaces').click();
  await other.page.getByTestId('ws-deleted').waitFor();
  assert.match(await other.page.getByTestId('ws-deleted').textContent(), /替换前/);
  // Not a workspace file: said, nothing changes.
  await other.page.getByTestId('ws-import').setInputFiles({ name: 'x.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await other.page.getByTestId('ws-notice').getByText('无法导入').waitFor();
  await other.done();
  await done();
  void context;
});

test('two tabs on one workspace: the second is read-only and follows; taking over makes the first read-only', async () => {
  const { page, context, problems, done } = await open();
  const engine = new Engine('subdistrict');
  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  await createWorkspace(page, { name: '两个标签页', csv: rosterCsv(UNITS.slice(0, 2)) });
  await openUnit(page, UNITS[0].unit.name);
  const url = page.url();
  const second = await newPage(context, problems, new URL(url).hash);
  await second.locator('.ws-form-host').waitFor();
  await second.getByTestId('ws-readonly').waitFor();
  assert.match(await second.getByTestId('ws-readonly').textContent(), /只读/);
  assert.equal(await form(second).getByLabel(label('drills'), { exact: true }).isDisabled(), true);
  // The first tab edits; the second follows.
  await form(page).getByLabel(label('drills'), { exact: true }).fill('3');
  await settled(page);
  await second.waitForFunction((l) => {
    const host = document.querySelector('.ws-form-host');
    const field = [...host.shadowRoot.querySelectorAll('label')].find((x) => x.textContent === l);
    return field && host.shadowRoot.getElementById(field.htmlFor).value === '3';
  }, label('drills'));
  // The second takes over: now the first is read-only, and nothing is overwritten.
  await second.getByTestId('ws-take-over').click();
  await page.getByTestId('ws-readonly').waitFor();
  await page.waitForFunction(() => document.querySelector('.ws-form-host').shadowRoot.querySelector('input[data-input="drills"]').disabled);
  await form(second).getByLabel(label('drills'), { exact: true }).fill('4');
  await settled(second);
  await second.reload();
  await second.locator('.ws-form-host').waitFor();
  assert.equal(await form(second).getByLabel(label('drills'), { exact: true }).inputValue(), '4');
  await done();
});

test('storage full: said loudly, the edit kept in the page, nothing already saved lost; a retry saves it', async () => {
  const { page, done } = await open({
    init: () => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    },
  });
  const engine = new Engine('subdistrict');
  const label = (id) => engine.form().inputs.find((i) => i.id === id).label;
  await createWorkspace(page, { name: '存储已满', csv: rosterCsv(UNITS.slice(0, 2)) });
  await openUnit(page, UNITS[0].unit.name);
  await form(page).getByLabel(label('drills'), { exact: true }).fill('2');
  await settled(page);
  await page.evaluate(() => { window.__full = true; });
  await form(page).getByLabel(label('safety_meetings'), { exact: true }).fill('5');
  await page.getByTestId('ws-storage-alert').waitFor();
  const alert = await page.getByTestId('ws-storage-alert').textContent();
  assert.match(alert, /存储空间已满/);
  assert.match(alert, /尚未保存/);
  assert.match(alert, /已保存的内容没有丢失/);
  assert.match(await page.getByTestId('ws-save-status').textContent(), /未保存/);
  assert.equal(await form(page).getByLabel(label('safety_meetings'), { exact: true }).inputValue(), '5', 'the edit stays in the page');
  // Space again: a retry saves, and after a reload both values are there.
  await page.evaluate(() => { window.__full = false; });
  await page.getByTestId('ws-retry-save').click();
  await page.getByTestId('ws-storage-alert').waitFor({ state: 'hidden' });
  await settled(page);
  await page.reload();
  await page.locator('.ws-form-host').waitFor();
  assert.equal(await form(page).getByLabel(label('drills'), { exact: true }).inputValue(), '2');
  assert.equal(await form(page).getByLabel(label('safety_meetings'), { exact: true }).inputValue(), '5');
  await done();
});

test('an XLSX roster; unranked units and groups; an invalid value is an error on its item, never full marks', async () => {
  const xfile = `${scratch}/roster.xlsx`;
  execFileSync('python3', ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(['单位编号', '单位名称', '分组', '是否参与排名'])
ws.append(['a1', '甲街道', '街道', '是'])
ws.append(['a2', '乙街道', '街道', '是'])
ws.append(['b1', '丙镇', '镇', '否'])
wb.save(sys.argv[1])`, xfile]);
  const { page, done } = await open();
  await createWorkspace(page, { name: 'XLSX名单', xlsx: readFileSync(xfile) });
  const rows = await page.getByTestId('ws-units').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => [r[1], r[2], r[3]]).sort(), [['a1', '甲街道', '街道'], ['a2', '乙街道', '街道'], ['b1', '丙镇', '镇']]);
  assert.equal(rows.find((r) => r[1] === 'b1')[0], '不参与排名');
  const engine = new Engine('subdistrict');
  const input = engine.form().inputs.find((i) => i.id === 'safety_meetings');
  const item = engine.form().sections.flatMap((s) => s.items).find((i) => i.inputs.includes('safety_meetings'));
  await openUnit(page, '甲街道');
  await form(page).getByLabel(input.label, { exact: true }).fill('abc');
  await settled(page);
  const card = form(page).locator(`[data-entry="${item.id}"]`);
  assert.equal(await card.getAttribute('data-status'), 'error');
  assert.equal(await form(page).getByTestId(`item-score-${item.id}`).textContent(), '—');
  assert.match(await card.textContent(), /有错误/);
  assert.equal(await page.getByTestId('ws-status').textContent(), '暂定');
  const message = engine.validate({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: engine.ruleSet().version }, unit: { id: 'a1', name: '甲街道' }, values: { safety_meetings: 'abc' } }).find((p) => p.path === '/values/safety_meetings').message;
  assert.equal(await form(page).getByTestId('error-safety_meetings').textContent(), plainWords(message));
  assert.ok(!(await form(page).getByTestId('error-safety_meetings').textContent()).includes('safety_meetings'), 'no input id in the message');
  // The banner names the field as a link that focuses it.
  await form(page).getByTestId('problems').getByRole('link', { name: input.label }).click();
  assert.equal(await page.evaluate(() => document.querySelector('.ws-form-host').shadowRoot.activeElement?.dataset.input), 'safety_meetings');
  // The unit list says 有错误.
  await backToWorkspace(page);
  assert.equal(await page.getByTestId('ws-units').locator('tr[data-unit="a1"] td.st').textContent(), '有错误');
  // An impossible 考核日期 from a file is refused at the field and not saved.
  await openUnit(page, '乙街道');
  await page.getByTestId('ws-unit-import').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: engine.ruleSet().version }, unit: { id: 'a2', name: '乙街道' }, values: { drills: '1' }, meta: { date: '2026-02-30' } })) });
  await page.getByTestId('ws-notice').getByText('已将').waitFor();
  assert.match(await form(page).locator('#kpi-unit-date-error').textContent(), /不存在/);
  await settled(page);
  const saved = await download(page, () => page.getByTestId('ws-unit-export').click());
  assert.equal(JSON.parse(saved.bytes.toString('utf8')).meta?.date, undefined);
  await done();
});

test('a rule-set change keeps values by input id, lists what no longer fits, and can be undone', async () => {
  const { page, done } = await open();
  await createWorkspace(page, { name: '更换细则', csv: rosterCsv(UNITS.slice(0, 2)) });
  await openUnit(page, UNITS[0].unit.name);
  await importIntoUnit(page, UNITS[0]);
  await backToWorkspace(page);
  // The 2027 revision: the same inputs, so every value fits.
  await page.getByTestId('ws-change-rules').click();
  await page.getByTestId('ws-new-rules-file').setInputFiles({ name: 'subdistrict-2027.json', mimeType: 'application/json', buffer: readFileSync(`${root}examples/subdistrict-2027.json`) });
  await page.getByTestId('ws-rules-pick-ok').click();
  await page.getByTestId('ws-rules-apply').waitFor();
  const listed = await page.getByTestId('ws-rules-apply').textContent();
  const next = new Engine(read('examples/subdistrict-2027.json'));
  for (const change of new Engine('subdistrict').ruleChanges(read('examples/subdistrict-2027.json'))) assert.ok(listed.includes(change), change);
  assert.match(await page.getByTestId('ws-rules-misfits').textContent(), /都与新细则相符/);
  await page.getByTestId('ws-rules-apply-ok').click();
  await page.getByTestId('ws-units').waitFor();
  await rankedAfter(page, 0);
  const row = page.getByTestId('ws-units').locator(`tr[data-unit="${UNITS[0].unit.id}"]`);
  const texts = [UNITS[0], UNITS[1]].map((u) => JSON.stringify({ ...u, rules: { id: 'subdistrict', version: next.ruleSet().version } }));
  texts[1] = JSON.stringify({ format: 'kpi-submission/1', rules: { id: 'subdistrict', version: next.ruleSet().version }, unit: UNITS[1].unit, period: '2026', values: {}, notes: {} });
  const expected = next.scoreBatch(texts)[0].report;
  assert.equal((await row.locator('td').nth(5).textContent()), expected.total, 'scored under the new rules');
  // Another rule set altogether: the values it has no input for are listed (and kept aside).
  await page.getByTestId('ws-change-rules').click();
  await page.getByTestId('ws-new-rules').selectOption('builtin:department');
  await page.getByTestId('ws-rules-pick-ok').click();
  await page.getByTestId('ws-rules-apply').waitFor();
  const misfits = await page.getByTestId('ws-rules-misfits').textContent();
  const label = new Engine('subdistrict').form().inputs.find((i) => i.id === 'drills').label;
  assert.ok(misfits.includes(`${UNITS[0].unit.name}：「${label}」`), 'a value with no input in the new rules is listed by its label');
  assert.ok(!misfits.includes('(drills)'), 'no input ids');
  await page.getByTestId('ws-rules-apply-ok').click();
  await page.getByTestId('ws-undo').waitFor();
  // What no longer fits is kept with the unit, in the workspace file.
  const exported = await download(page, () => page.getByTestId('ws-export').click());
  const zfile = `${scratch}/changed.zip`;
  writeFileSync(zfile, exported.bytes);
  const kept = JSON.parse(execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("workspace.json").decode())', zfile], { encoding: 'utf8' }));
  const unit0 = kept.units.find((u) => u.submission.unit.id === UNITS[0].unit.id);
  assert.equal(String(unit0.orphaned.values.drills), String(UNITS[0].values.drills));
  await page.getByTestId('ws-undo-rules').click();
  await page.getByTestId('ws-units').waitFor();
  await page.getByTestId('ws-notice').getByText('已撤销更换').waitFor();
  assert.match(await page.locator('.ws-head .lead').textContent(), /subdistrict，版本 2027\.1/);
  assert.equal((await row.locator('td').nth(5).textContent()), expected.total, 'the values are back');
  await done();
});

test('a single form moves into a workspace as a unit (a new one, then the same unit again, asked first)', async () => {
  const { page, done } = await open();
  await page.getByTestId('tab-form').click();
  await page.getByTestId('import').setInputFiles({ name: 'dq.json', mimeType: 'application/json', buffer: Buffer.from(DQ) });
  await page.getByTestId('notice').getByText('已导入').waitFor();
  await page.getByTestId('to-workspace').click();
  await page.getByTestId('confirm-to-workspace').waitFor();
  await page.getByTestId('confirm-to-workspace-ok').click();
  await page.locator('.ws-form-host').waitFor();
  await page.getByTestId('ws-rank').waitFor();
  const engine = new Engine('subdistrict');
  const expected = engine.scoreBatch([DQ])[0].report;
  assert.equal(await page.getByTestId('ws-total').textContent(), expected.total);
  assert.equal(await page.getByTestId('ws-rank').textContent(), `第${expected.rank}名`);
  // Again: the workspace has this unit already, so it asks before replacing.
  await page.getByTestId('tab-form').click();
  await page.getByTestId('to-workspace').click();
  await page.getByTestId('confirm-to-workspace-ok').click();
  await page.getByTestId('confirm-to-workspace-replace').waitFor();
  await page.getByTestId('confirm-to-workspace-replace-cancel').click();
  assert.equal(await page.getByTestId('tab-form').getAttribute('aria-selected'), 'true', 'nothing happened');
  await done();
});
