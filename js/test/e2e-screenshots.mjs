// Screenshots of the browser form for review and for the README (not a test):
//   node js/test/e2e-screenshots.mjs [outdir]     (default target/screenshots; docs/screenshot-form.png is the 1366×768 one)
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = process.argv[2] ?? `${root}target/screenshots`;
mkdirSync(out, { recursive: true });
const { createAppServer, listen } = await import('../../tools/serve.mjs');
const { chromium } = createRequire(`${root}tools/package.json`)('playwright-core');
const server = createAppServer();
const base = await listen(server, 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const dq = readFileSync(`${root}examples/subdistrict-dq.json`);

async function shoot(name, { width, height, print = false, full = false, scroll = 0 }) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/#form`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.getByTestId('import').setInputFiles({ name: 'subdistrict-dq.json', mimeType: 'application/json', buffer: dq });
  await page.getByTestId('notice').waitFor();
  if (scroll) await page.mouse.wheel(0, scroll);
  if (print) {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: `${out}/${name}.pdf`, format: 'A4', printBackground: true });
  }
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
  await context.close();
}

await shoot('form-1366', { width: 1366, height: 768 });
await shoot('form-tablet', { width: 820, height: 1180 });
await shoot('print', { width: 794, height: 1123, print: true, full: true });
// The batch and compare views with the example district.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/#batch`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.getByTestId('tab-batch').click();
  const units = readdirSync(`${root}examples/units`).map((f) => ({ name: f, mimeType: 'application/json', buffer: readFileSync(`${root}examples/units/${f}`) }));
  await page.getByTestId('batch-files').setInputFiles([...units, { name: 'subdistrict-dq.json', mimeType: 'application/json', buffer: dq }]);
  await page.getByTestId('batch-table').locator('tbody tr').first().waitFor();
  await page.screenshot({ path: `${out}/batch.png` });
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('compare-rules').setInputFiles({ name: 'subdistrict-2027.json', mimeType: 'application/json', buffer: readFileSync(`${root}examples/subdistrict-2027.json`) });
  await page.getByTestId('diff-table').locator('tbody tr').first().waitFor();
  await page.screenshot({ path: `${out}/compare.png` });
  await context.close();
}
await browser.close();
server.close();
console.log(`screenshots in ${out}`);
