// The package's stated browser support floor (Chrome/Edge 96, Firefox 93, Safari 16.4; see
// js/README.pkg.md) holds for what is shipped: every .js in pkg/ parses as an ES2022 module with no
// newer syntax and calls no API newer than the floor; the CSS uses nothing newer; the .wasm uses
// exactly the WebAssembly features the floor has. And the tarball ./build wrote installs what the
// README says it does.
//
//   node --test js/test/floor.test.mjs      (after ./build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(`${root}tools/package.json`);
const ts = require('typescript');
const read = (p) => readFileSync(`${root}${p}`, 'utf8');

const FLOOR = { chrome: 96, firefox: 93, safari: '16.4' };

/** APIs newer than the floor (first Chrome / Firefox / Safari version that has them). */
const NEWER_APIS = {
  structuredClone: 'Chrome 98, Safari 15.4 — but Firefox 94',
  findLast: 'Chrome 97, Firefox 104', findLastIndex: 'Chrome 97, Firefox 104',
  toSorted: 'Chrome 110', toReversed: 'Chrome 110', toSpliced: 'Chrome 110',
  withResolvers: 'Chrome 119', groupBy: 'Chrome 117', fromAsync: 'Chrome 121',
  isWellFormed: 'Chrome 111', toWellFormed: 'Chrome 111', waitAsync: 'Firefox none',
  canParse: 'Chrome 120', adoptedStyleSheets: 'Firefox 101', requestIdleCallback: 'Safari none',
  checkVisibility: 'Chrome 105', showPopover: 'Chrome 114', CloseWatcher: 'Chrome 120',
  union: 'Chrome 122', intersection: 'Chrome 122', symmetricDifference: 'Chrome 122', isSubsetOf: 'Chrome 122',
  Iterator: 'Chrome 122', hasIndices: 'Chrome 90 but Safari 15', transferToFixedLength: 'Chrome 114',
  ariaLabel: 'ElementInternals ARIA: Firefox 119', ariaDescription: 'Firefox 119',
};
/** Syntax newer than ES2022 (the floor's language level). */
function newerSyntax(node, sf) {
  if (node.kind === ts.SyntaxKind.Decorator) return 'decorator';
  if (node.kind === ts.SyntaxKind.AccessorKeyword) return 'accessor field';
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Using) !== 0) return 'using declaration';
  if (ts.isRegularExpressionLiteral(node) && /\/[a-z]*v[a-z]*$/.test(node.text)) return 'regexp v flag';
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && (node.attributes || node.assertClause)) return 'import attributes';
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 1) return 'import() options';
  void sf;
  return null;
}

const shippedJs = () => readdirSync(`${root}pkg`).filter((f) => f.endsWith('.js'));

test('every shipped .js is ES2022 at most: no newer syntax, no API newer than the floor', () => {
  assert.ok(existsSync(`${root}pkg/index.js`), 'run ./build first');
  const files = [...shippedJs().map((f) => `pkg/${f}`), 'www/embed.js'];
  assert.ok(files.includes('pkg/host.js') && files.includes('pkg/element.js') && files.includes('pkg/kpi_wasm.js'));
  const found = [];
  for (const file of files) {
    const text = read(file);
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    assert.deepEqual(sf.parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], `${file} parses as ES2022`);
    const visit = (node) => {
      const syntax = newerSyntax(node, sf);
      if (syntax) found.push(`${file}: ${syntax}`);
      if (ts.isIdentifier(node) && Object.hasOwn(NEWER_APIS, node.text)) {
        // A feature-tested use (`if (Symbol.dispose)` style) would be fine; none is expected.
        found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.pos).line + 1}: ${node.text} (${NEWER_APIS[node.text]})`);
      }
      if (ts.isPropertyAccessExpression(node) && node.expression.getText(sf) === 'Symbol' && ['dispose', 'asyncDispose'].includes(node.name.text)) {
        // Symbol.dispose (Chrome 125) only where its absence is checked, as wasm-bindgen does.
        const guarded = /if\s*\(\s*Symbol\.(async)?[dD]ispose\s*\)|Symbol\.(async)?[dD]ispose\s*\?|typeof Symbol\.(async)?dispose/.test(text.slice(Math.max(0, node.pos - 80), node.end + 5));
        if (!guarded) found.push(`${file}: unguarded Symbol.${node.name.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  assert.deepEqual(found, [], `beyond the floor ${JSON.stringify(FLOOR)}`);
});

test('the CSS uses nothing newer than the floor', () => {
  const newer = [[/:has\(/, ':has() (Firefox 121)'], [/@container/, '@container (Firefox 110)'], [/@layer/, '@layer (Chrome 99)'], [/@scope/, '@scope'],
    [/color-mix\(/, 'color-mix() (Chrome 111)'], [/light-dark\(/, 'light-dark()'], [/\b\d+(\.\d+)?(dvh|svh|lvh|dvw|cqw|cqh)\b/, 'viewport/container units'],
    [/text-wrap/, 'text-wrap'], [/@property/, '@property'], [/subgrid/, 'subgrid (Chrome 117)'], [/^\s*&/m, 'CSS nesting (Chrome 112)'], [/:popover-open/, 'popover']];
  for (const file of ['pkg/element.css', 'www/embed.css']) {
    const css = read(file).replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [re, what] of newer) assert.doesNotMatch(css, re, `${file}: ${what}`);
  }
});

test('both .wasm modules use exactly the WebAssembly features of the floor (reference types, bulk memory, sign-ext, non-trapping float-to-int, multi-value)', () => {
  for (const module of ['kpi_wasm_bg.wasm', 'kpi_wasm_tools_bg.wasm']) checkFloorFeatures(module);
});

function checkFloorFeatures(module) {
  const opt = `${root}tools/node_modules/.bin/wasm-opt`;
  const floor = ['--enable-mutable-globals', '--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-bulk-memory', '--enable-reference-types', '--enable-multivalue'];
  // Without its target-features section, the module is validated against the features given only.
  const bare = join(tmpdir(), `kpi-floor-${process.pid}-${module}`);
  execFileSync(opt, [`${root}pkg/${module}`, '--detect-features', '--strip-target-features', '-o', bare], { stdio: 'pipe' });
  const validate = (flags) => {
    try {
      execFileSync(opt, [bare, '--mvp-features', ...flags, '-o', '/dev/null'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };
  assert.equal(validate(floor), true, `${module} validates with the floor's features`);
  // The check bites: without reference types (what decides Chrome 96) it does not validate.
  assert.equal(validate(floor.filter((f) => f !== '--enable-reference-types')), false, `${module} needs reference types`);
  assert.equal(validate([]), false, `${module} needs more than the MVP`);
  rmSync(bare);
}

test('the tarball installs the package the README describes; pkg/README.md is js/README.pkg.md', () => {
  const pkg = JSON.parse(read('pkg/package.json'));
  const tarball = `${root}target/kpi-wasm-${pkg.version}.tgz`;
  assert.ok(existsSync(tarball), tarball);
  const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((l) => l.replace(/^package\//, '')).sort();
  assert.deepEqual(listed, [...pkg.files, 'package.json'].sort());
  for (const f of ['host.js', 'host.d.ts', 'element.js', 'element.d.ts', 'README.md', 'kpi_wasm_bg.wasm', 'kpi_wasm_tools.js', 'kpi_wasm_tools_bg.wasm']) assert.ok(listed.includes(f), f);
  assert.deepEqual(pkg.exports['./host.js'], { types: './host.d.ts', import: './host.js', default: './host.js' });
  assert.equal(read('pkg/README.md'), read('js/README.pkg.md'));
  const readme = read('js/README.pkg.md');
  for (const heading of ['## Browser support', '## Install', '## The engine', '## The form element', '## Embedding as an iframe', '## Types']) assert.ok(readme.includes(heading), heading);
  for (const words of ['kpi-change', 'kpi-score', 'kpi-error', '--kpi-sticky-top', '--kpi-font-size', '--kpi-accent', '::part(', '@page', 'setFormValue', 'whenDefined', 'EMBED_ORIGINS', 'kpi:set', 'kpi:get', 'kpi:ready', 'kpi:change', 'kpi:score', 'kpi:submission', 'kpi:error', 'kpi:resize', 'js.argument', 'js.freed', 'npm install ./kpi-wasm-']) {
    assert.ok(readme.includes(words), `pkg README mentions ${words}`);
  }
  assert.ok(readme.includes(`Chrome / Edge ${FLOOR.chrome}, Firefox ${FLOOR.firefox}, Safari ${FLOOR.safari}`));
  assert.deepEqual(pkg.browserslist, [`chrome >= ${FLOOR.chrome}`, `edge >= ${FLOOR.chrome}`, `firefox >= ${FLOOR.firefox}`, `safari >= ${FLOOR.safari}`, `ios_saf >= ${FLOOR.safari}`]);
});

test('the package types type-check, host.d.ts and the new element API included (tsc, DOM lib)', () => {
  execFileSync(`${root}tools/node_modules/.bin/tsc`, ['-p', `${root}js/test/embed-tsconfig.json`], { stdio: 'inherit' });
});
