// Copies the browser libraries the app loads (only in the views that need them, by dynamic
// import) from tools/node_modules into www/vendor/, which tools/serve.mjs serves at /vendor/:
//   idb      IndexedDB wrapper (the workspaces' storage)           -> /vendor/idb/*.js
//   fflate   zip (the workspace file, kpi-workspace/1)              -> /vendor/fflate.js
//   exceljs  XLSX writer and reader (summary export, XLSX rosters)  -> /vendor/exceljs.min.js
// Nothing comes from a CDN. www/vendor/ is generated (see .gitignore).
import { cpSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const modules = `${root}tools/node_modules`;
const out = `${root}www/vendor`;
const need = ['idb/build/index.js', 'fflate/esm/browser.js', 'exceljs/dist/exceljs.min.js'];
for (const file of need) {
  if (!existsSync(`${modules}/${file}`)) {
    console.error(`tools/node_modules/${file} is missing: run (cd tools && npm install)`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/idb`, { recursive: true });
cpSync(`${modules}/idb/build`, `${out}/idb`, { recursive: true, filter: (f) => !f.endsWith('.map') && !f.endsWith('.d.ts') });
cpSync(`${modules}/fflate/esm/browser.js`, `${out}/fflate.js`);
// exceljs ships a UMD bundle; its source map comment would make the browser ask for a file we do not copy.
writeFileSync(`${out}/exceljs.min.js`, readFileSync(`${modules}/exceljs/dist/exceljs.min.js`, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
for (const name of ['idb', 'fflate', 'exceljs']) {
  const license = ['LICENSE', 'LICENSE.md', 'license', 'LICENSE.txt'].map((f) => `${modules}/${name}/${f}`).find(existsSync);
  if (license) cpSync(license, `${out}/${name}.LICENSE.txt`);
}
console.log('www/vendor: idb, fflate, exceljs');
