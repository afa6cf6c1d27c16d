// Copies the browser libraries the app loads (only in the views that need them, by dynamic
// import) from tools/node_modules into www/vendor/, which tools/serve.mjs serves at /vendor/:
//   idb      IndexedDB wrapper (the workspaces' storage)           -> /vendor/idb/*.js
//   fflate   zip (the workspace file, kpi-workspace/1)              -> /vendor/fflate.js
//   exceljs  XLSX writer and reader (summary export, XLSX rosters)  -> /vendor/exceljs.min.js
//   CodeMirror 6 (the 细则编辑 view's source editor), bundled from tools/codemirror-entry.mjs with
//   Vite into one minified ES module                                -> /vendor/codemirror.js
// Nothing comes from a CDN. www/vendor/ is generated (see .gitignore).
import { cpSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../', import.meta.url));
const modules = `${root}tools/node_modules`;
const out = `${root}www/vendor`;
const need = ['idb/build/index.js', 'fflate/esm/browser.js', 'exceljs/dist/exceljs.min.js', '@codemirror/view/dist/index.js', '@codemirror/lang-json/dist/index.js'];
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
// CodeMirror: its packages are many small ES modules; one bundle is one request and ~100 KB
// gzipped instead of a few dozen files. The licenses (all MIT, one author) go beside it.
await build({
  configFile: false,
  logLevel: 'warn',
  root: `${root}tools`,
  build: {
    outDir: out,
    emptyOutDir: false,
    copyPublicDir: false,
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    // Not lib mode: that leaves an ES bundle's whitespace in. An app build of one entry that keeps
    // its exports is the same module, minified.
    rolldownOptions: {
      input: `${root}tools/codemirror-entry.mjs`,
      preserveEntrySignatures: 'strict',
      output: { format: 'es', entryFileNames: 'codemirror.js' },
    },
  },
});
cpSync(`${modules}/@codemirror/view/LICENSE`, `${out}/codemirror.LICENSE.txt`);
console.log('www/vendor: idb, fflate, exceljs, codemirror');
