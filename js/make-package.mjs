// Writes pkg/package.json from pkg.json (the npm manifest kept in the repository): the version is
// checked against Cargo.toml by the tests; here we add the entry points and the shipped files.
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../pkg.json', import.meta.url), 'utf8'));
Object.assign(manifest, {
  type: 'module',
  main: './index.js',
  module: './index.js',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', import: './index.js', default: './index.js' },
    './element': { types: './element.d.ts', import: './element.js', default: './element.js' },
    './element.js': { types: './element.d.ts', import: './element.js', default: './element.js' },
    './host': { types: './host.d.ts', import: './host.js', default: './host.js' },
    './host.js': { types: './host.d.ts', import: './host.js', default: './host.js' },
    './element.css': './element.css',
    './kpi_wasm_bg.wasm': './kpi_wasm_bg.wasm',
    './kpi_wasm_tools_bg.wasm': './kpi_wasm_tools_bg.wasm',
    './package.json': './package.json',
  },
  files: ['index.js', 'index.d.ts', 'builtins.js', 'kpi_wasm.js', 'kpi_wasm_bg.wasm', 'kpi_wasm_tools.js', 'kpi_wasm_tools_bg.wasm', 'element.js', 'element.d.ts', 'form-view.js', 'records-view.js', 'element.css', 'host.js', 'host.d.ts', 'README.md'],
  // The browser support floor (README.md, "Browser support"), checked by js/test/floor.test.mjs.
  browserslist: ['chrome >= 96', 'edge >= 96', 'firefox >= 93', 'safari >= 16.4', 'ios_saf >= 16.4'],
  sideEffects: ['./index.js', './element.js'],
  engines: { node: '>=18' },
});
const out = process.argv[2] ?? new URL('../pkg', import.meta.url).pathname;
writeFileSync(`${out}/package.json`, JSON.stringify(manifest, null, 2) + '\n');
