// Writes the peer engines' rule definitions, translated from a kpi-rules/1 rule set, into
// benches/peers/generated/ (committed, so they can be inspected):
//
//   node benches/peers/generate.mjs [rules/subdistrict.json]
//
// benches/compare.mjs and benches/browser-compare.mjs call generate() on every run, so the files always
// match the rule set they benchmark; a changed file shows up in `git status`.
import { readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translateZenGraph, translateZenExpression, translateJre, translatePlainJs } from './translate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const generatedDir = join(here, 'generated');

/** The generated files' names for a rule set id (relative to generated/). */
export function generatedNames(id) {
  return {
    jdm: `${id}.jdm.json`,
    zenExpression: `${id}.zen-expression.txt`,
    jreNumber: `${id}.jre-number.json`,
    jreNumberGlue: `${id}.jre-number.glue.mjs`,
    jreBig: `${id}.jre-big.json`,
    jreBigGlue: `${id}.jre-big.glue.mjs`,
    plain: `${id}.plain.mjs`,
    plainNaive: `${id}.plain-naive.mjs`,
    plainBig: `${id}.plain-big.mjs`,
  };
}

/**
 * Translates `rulesPath` and writes the files; returns {id, names, changed: [file names rewritten],
 * untranslated: {key: reason}}. A peer whose translator does not handle a construct of the rule set
 * is left out (its files removed, so it cannot run stale rules) and reported, not fatal for the rest.
 */
export function generate(rulesPath) {
  const rules = JSON.parse(readFileSync(rulesPath, 'utf8'));
  const names = generatedNames(rules.id);
  const untranslated = {};
  const attempt = (keys, make) => {
    try {
      return make();
    } catch (err) {
      for (const k of keys) untranslated[k] = String(err?.message ?? err);
      return null;
    }
  };
  const jre = (mode) => attempt(mode === 'big' ? ['jreBig', 'jreBigGlue'] : ['jreNumber', 'jreNumberGlue'], () => translateJre(rules, mode));
  const jreNumber = jre('number');
  const jreBig = jre('big');
  const contents = {
    jdm: attempt(['jdm'], () => JSON.stringify(translateZenGraph(rules), null, 2) + '\n'),
    zenExpression: attempt(['zenExpression'], () => translateZenExpression(rules) + '\n'),
    jreNumber: jreNumber && JSON.stringify({ rules: jreNumber.rules, lines: jreNumber.lines }, null, 2) + '\n',
    jreNumberGlue: jreNumber?.glue ?? null,
    jreBig: jreBig && JSON.stringify({ rules: jreBig.rules, lines: jreBig.lines }, null, 2) + '\n',
    jreBigGlue: jreBig?.glue ?? null,
    plain: attempt(['plain'], () => translatePlainJs(rules, 'careful')),
    plainNaive: attempt(['plainNaive'], () => translatePlainJs(rules, 'naive')),
    plainBig: attempt(['plainBig'], () => translatePlainJs(rules, 'big')),
  };
  mkdirSync(generatedDir, { recursive: true });
  const changed = [];
  for (const [k, text] of Object.entries(contents)) {
    const file = join(generatedDir, names[k]);
    if (text === null) {
      if (existsSync(file)) rmSync(file);
      continue;
    }
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text);
    changed.push(names[k]);
  }
  return { id: rules.id, version: rules.version, names, changed, untranslated };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rulesPath = process.argv[2] ?? join(here, '..', '..', 'rules', 'subdistrict.json');
  const r = generate(rulesPath);
  console.log(`${r.id} ${r.version}: ${r.changed.length ? 'wrote ' + r.changed.join(', ') : 'all files up to date'} in ${generatedDir}`);
}
