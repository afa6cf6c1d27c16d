// Benchmark of the workspace's live ranking (not a test): a generated 300-unit district workspace
// (the example units' submissions, each varied by its index) is imported into the app in headless
// Chromium; then, on one unit's page, a field is edited again and again (the `input` event an
// assessor's keystroke fires) and the time from the edit to the updated ranks on the page is
// measured (the debounce pause included: ranking waits until typing pauses, so that is what an
// assessor waits). Also: the engine's part (one scoreBatchJson over all units) and the size of
// the workspace file (kpi-workspace/1) for 300 units.
//
//   node benches/workspace-rank.mjs [units=300] [edits=40]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const count = parseInt(process.argv[2] ?? '300', 10);
const edits = parseInt(process.argv[3] ?? '40', 10);
const require = createRequire(`${root}tools/package.json`);
const { chromium } = require('playwright-core');
const { zipSync, strToU8 } = require('fflate');
const { createAppServer, listen } = await import('../tools/serve.mjs');
const { builtInRuleSetSource } = await import('../pkg/index.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(1)} ms`;

// A district of `count` units: the examples' values, varied so totals and ranks differ.
const examples = [...readdirSync(`${root}examples/units`).sort().map((f) => readFileSync(`${root}examples/units/${f}`, 'utf8')), readFileSync(`${root}examples/subdistrict-dq.json`, 'utf8')].map((t) => JSON.parse(t));
const units = [];
for (let i = 0; i < count; i++) {
  const doc = structuredClone(examples[i % examples.length]);
  doc.unit = { id: `jd${String(i + 1).padStart(3, '0')}`, name: `第${i + 1}街道`, ...(i % 10 === 9 ? { ranked: false } : {}) };
  doc.values.inspections = String(40 + (i % 37));
  doc.values.inspection_findings = String(100 + ((i * 7) % 211));
  doc.values.drills = String(i % 5);
  doc.values.safety_meetings = String(2 + (i % 4));
  units.push({ key: `u${i}`, order: i, updated_at: '2026-12-01T08:00:00.000Z', submission: doc });
}
const rulesText = builtInRuleSetSource('subdistrict');
const rules = JSON.parse(rulesText);
const workspace = {
  format: 'kpi-workspace/1',
  exported_at: '2026-12-01T08:00:00.000Z',
  workspace: { id: 'wbench', name: `基准：${count}个街道`, assessor: '', created_at: '2026-12-01T08:00:00.000Z', updated_at: '2026-12-01T08:00:00.000Z' },
  rules: { id: rules.id, version: rules.version, title: rules.title, source: 'builtin:subdistrict', file: 'rules.json' },
  units,
  attachments: [],
};
const file = zipSync({ 'workspace.json': strToU8(JSON.stringify(workspace)), 'rules.json': strToU8(rulesText) });

const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
await page.goto(`${base}/#workspaces`);
await page.getByTestId('ws-new').waitFor();
await page.getByTestId('ws-import').setInputFiles({ name: 'bench.kpiws.zip', mimeType: 'application/zip', buffer: Buffer.from(file) });
await page.getByTestId('ws-units').waitFor({ timeout: 60000 });
const listRows = await page.getByTestId('ws-units').locator('tbody tr').count();

// The workspace file of these 300 units, as the app exports it.
const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ws-export').click()]);
const exported = readFileSync(await download.path());

await page.getByTestId('ws-units').getByRole('link', { name: '第151街道', exact: true }).click();
await page.getByTestId('ws-standing').waitFor();
const result = await page.evaluate(async (n) => {
  const host = document.querySelector('.ws-form-host').shadowRoot;
  const field = host.querySelector('[data-input="inspection_findings"]');
  const rank = document.querySelector('[data-testid=ws-rank]');
  const waitRanked = (after) => new Promise((resolve) => {
    const check = () => {
      if (Number(document.body.dataset.rankedAt ?? 0) > after) resolve(performance.now());
      else requestAnimationFrame(check);
    };
    check();
  });
  const times = [];
  const engine = [];
  const ranks = new Set();
  for (let i = 0; i < n + 3; i++) {
    const before = Number(document.body.dataset.rankedAt ?? 0);
    field.value = String(50 + ((i * 53) % 400));
    const t0 = performance.now();
    field.dispatchEvent(new Event('input', { bubbles: true }));
    const t1 = await waitRanked(before);
    ranks.add(document.querySelector('[data-testid=ws-rank]').textContent);
    if (i >= 3) { // warm-up
      times.push(t1 - t0);
      engine.push(Number(document.body.dataset.rankMs));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  void rank;
  return { times, engine, ranks: [...ranks] };
}, edits);
await page.getByTestId('ws-open-report').waitFor();
await context.close();
await browser.close();
server.close();

console.log(`工作区：${count}个单位（列表 ${listRows} 行），每次修改后全区重新排名（一次 scoreBatchJson），含 150 ms 输入停顿等待`);
console.log(`修改 → 排名已更新（页面显示新排名）：中位数 ${ms(median(result.times))}，p95 ${ms(pct(result.times, 0.95))}，最快 ${ms(Math.min(...result.times))}，共 ${result.times.length} 次`);
console.log(`去掉 150 ms 停顿后：中位数 ${ms(median(result.times) - 150)}，p95 ${ms(pct(result.times, 0.95) - 150)}`);
console.log(`该单位出现过的排名：${result.ranks.join('、')}`);
console.log(`其中一次 scoreBatchJson（${count}份考核表，含结果解析）：中位数 ${ms(median(result.engine))}，p95 ${ms(pct(result.engine, 0.95))}`);
const { unzipSync } = require('fflate');
const json = unzipSync(new Uint8Array(exported))['workspace.json'].length;
console.log(`考核任务文件（kpi-workspace/1，zip）：${exported.length} 字节（${(exported.length / 1024).toFixed(1)} KB；其中 workspace.json 解压后 ${(json / 1024).toFixed(1)} KB），${count}个单位，无佐证材料`);
