// The rule editor's source view: the rule set as JSON in CodeMirror 6 (bundled at build time into
// /vendor/codemirror.js, loaded only when this view opens), with the engine's problems as inline
// markers, completion from the rule-set JSON Schema (/vendor/kpi-rules.schema.json) and formatting.
//
// A problem's JSON pointer is resolved against the text through CodeMirror's JSON syntax tree:
// that is where the text shows it, nothing more. The problems themselves come from the engine.
import * as cm from '/vendor/codemirror.js';
import { segments } from './json.js';

const VALUE_TYPES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

function values(node) {
  const out = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (VALUE_TYPES.has(c.name)) out.push(c);
  return out;
}

function propertyName(state, prop) {
  const name = prop.getChild('PropertyName');
  if (!name) return null;
  try {
    return JSON.parse(state.sliceDoc(name.from, name.to));
  } catch {
    return null;
  }
}

function propertyValue(prop) {
  for (let c = prop.lastChild; c; c = c.prevSibling) if (VALUE_TYPES.has(c.name)) return c;
  return null;
}

/**
 * The text range a JSON pointer names: `{from, to, exact}`. A pointer that ends at a missing key
 * or index gives its deepest existing parent (`exact: false`), marked on its first line.
 */
export function resolvePointer(state, path) {
  // The whole text parsed (the editor parses lazily, around what is shown).
  const tree = cm.ensureSyntaxTree(state, state.doc.length, 500) ?? cm.syntaxTree(state);
  let node = values(tree.topNode)[0];
  if (!node) return { from: 0, to: Math.min(1, state.doc.length), exact: false };
  let prop = null;
  for (const seg of segments(path)) {
    let next = null;
    if (node.name === 'Object') {
      for (const p of node.getChildren('Property')) {
        if (propertyName(state, p) === seg) {
          next = propertyValue(p);
          prop = p;
          break;
        }
      }
    } else if (node.name === 'Array' && /^\d+$/.test(seg)) {
      next = values(node)[Number(seg)] ?? null;
      prop = null;
    }
    if (!next) {
      const line = state.doc.lineAt(node.from);
      const anchor = prop?.getChild('PropertyName') ?? node;
      return { from: anchor.from, to: Math.max(Math.min(line.to, anchor.to), anchor.from + 1), exact: false };
    }
    node = next;
  }
  // A long object or array is marked on its key (or first line), not as a whole.
  if ((node.name === 'Object' || node.name === 'Array') && state.doc.lineAt(node.from).number !== state.doc.lineAt(node.to).number) {
    const name = prop?.getChild('PropertyName');
    if (name) return { from: name.from, to: name.to, exact: true };
    return { from: node.from, to: state.doc.lineAt(node.from).to, exact: true };
  }
  return { from: node.from, to: Math.max(node.to, node.from + 1), exact: true };
}

// ------------------------------------------------------------------------------------------------
// Completion from the JSON Schema

let schemaPromise = null;
function loadSchema() {
  schemaPromise ??= fetch('/vendor/kpi-rules.schema.json').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  return schemaPromise;
}

function deref(root, s) {
  let guard = 0;
  while (s && s.$ref && guard++ < 20) {
    const parts = s.$ref.replace(/^#\//, '').split('/');
    let cur = root;
    for (const p of parts) cur = cur?.[p];
    s = cur ? { ...cur, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) } : null;
  }
  return s;
}

/** Every schema a value at this path may match (oneOf/anyOf/allOf branches flattened). */
function schemasAt(root, path) {
  let current = [root];
  for (const seg of path) {
    const next = [];
    for (const s0 of current.flatMap((s) => branches(root, s))) {
      if (typeof seg === 'number') {
        if (s0.items) next.push(s0.items);
      } else if (s0.properties?.[seg]) next.push(s0.properties[seg]);
      else if (s0.additionalProperties && typeof s0.additionalProperties === 'object') next.push(s0.additionalProperties);
      else if (s0.patternProperties) next.push(...Object.values(s0.patternProperties));
    }
    current = next;
  }
  return current.flatMap((s) => branches(root, s));
}

function branches(root, s) {
  const d = deref(root, s);
  if (!d) return [];
  const subs = [...(d.oneOf ?? []), ...(d.anyOf ?? []), ...(d.allOf ?? [])];
  return subs.length > 0 ? [d, ...subs.flatMap((x) => branches(root, x))] : [d];
}

/** The path (keys and indices) of the value that contains `node`. */
function pathOf(state, node) {
  const path = [];
  for (let n = node; n; n = n.parent) {
    const parent = n.parent;
    if (!parent) break;
    if (parent.name === 'Property' && VALUE_TYPES.has(n.name)) path.unshift(propertyName(state, parent));
    else if (parent.name === 'Array' && VALUE_TYPES.has(n.name)) path.unshift(values(parent).findIndex((v) => v.from === n.from));
  }
  return path;
}

function describeSchema(s) {
  return s.description ?? '';
}

async function schemaCompletion(context) {
  const root = await loadSchema();
  if (!root) return null;
  const { state, pos } = context;
  const tree = cm.syntaxTree(state);
  let node = tree.resolveInner(pos, -1);
  const word = context.matchBefore(/"?[\w$]*"?/);
  // A property name: inside PropertyName, or where one may start in an object.
  let objectNode = null;
  if (node.name === 'PropertyName') objectNode = node.parent?.parent;
  else if (node.name === 'Object') objectNode = node;
  else if (node.name === '⚠' && node.parent?.name === 'Object') objectNode = node.parent;
  else if (node.name === '{' || node.name === ',') objectNode = node.parent?.name === 'Object' ? node.parent : null;
  if (objectNode && objectNode.name === 'Object') {
    const path = pathOf(state, objectNode);
    const present = new Set(objectNode.getChildren('Property').map((p) => propertyName(state, p)));
    const options = [];
    const seen = new Set();
    for (const s of schemasAt(root, path)) {
      for (const [key, sub] of Object.entries(s.properties ?? {})) {
        if (present.has(key) && !(node.name === 'PropertyName' && JSON.parse(state.sliceDoc(node.from, node.to) || '""') === key)) continue;
        if (seen.has(key)) continue;
        seen.add(key);
        const d = deref(root, sub) ?? {};
        options.push({ label: JSON.stringify(key), apply: `${JSON.stringify(key)}: `, type: 'property', detail: d.type ? String(d.type) : '', info: describeSchema(d) || describeSchema(sub) });
      }
    }
    if (options.length === 0) return null;
    const from = node.name === 'PropertyName' ? node.from : (word?.from ?? pos);
    return { from, options, validFor: /^"?[\w$]*"?$/ };
  }
  // A value: after "key": (a Property's value), or an array element.
  const prop = node.name === 'Property' ? node : node.parent?.name === 'Property' ? node.parent : null;
  if (prop && VALUE_TYPES.has(node.name) || (prop && (node.name === ':' || node.name === '⚠'))) {
    const key = propertyName(state, prop);
    const path = [...pathOf(state, prop.parent), key];
    const options = [];
    const seen = new Set();
    const add = (v, info) => {
      const text = JSON.stringify(v);
      if (seen.has(text)) return;
      seen.add(text);
      options.push({ label: text, type: 'constant', info });
    };
    for (const s of schemasAt(root, path)) {
      for (const v of s.enum ?? []) add(v, describeSchema(s));
      if (s.const !== undefined) add(s.const, describeSchema(s));
      if (s.type === 'boolean') { add(true, describeSchema(s)); add(false, describeSchema(s)); }
      for (const v of s.examples ?? []) add(v, `示例：${describeSchema(s)}`);
    }
    if (options.length === 0) return null;
    const from = VALUE_TYPES.has(node.name) ? node.from : pos;
    return { from, options, validFor: /^"?[^"]*"?$/ };
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// The editor

/**
 * Creates the source editor in `parent`. `onChange(text)` is called on every edit of the text by
 * the user (not when `setText` replaces it).
 */
export function createSourceEditor(host, { text, onChange, onFormat }) {
  let silent = false;
  // In a shadow root: CodeMirror then gives its styles as constructed style sheets, which the
  // page's Content-Security-Policy (no inline styles) allows; in the document it would add
  // <style> elements, which it refuses.
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  parent.className = 'wb-cm';
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/editor/source.css';
  shadow.replaceChildren(css, parent);
  const format = () => {
    onFormat?.();
    return true;
  };
  const view = new cm.EditorView({
    parent,
    root: shadow,
    state: cm.EditorState.create({
      doc: text,
      extensions: [
        cm.lineNumbers(),
        cm.highlightActiveLineGutter(),
        cm.highlightSpecialChars(),
        cm.history(),
        cm.foldGutter({ markerDOM: null }),
        cm.drawSelection(),
        cm.indentOnInput(),
        cm.syntaxHighlighting(cm.defaultHighlightStyle, { fallback: true }),
        cm.bracketMatching(),
        cm.closeBrackets(),
        cm.autocompletion({ override: [schemaCompletion], icons: false }),
        cm.highlightActiveLine(),
        cm.highlightSelectionMatches(),
        cm.lintGutter(),
        cm.json(),
        cm.EditorView.lineWrapping,
        cm.EditorView.contentAttributes.of({ 'aria-label': '考核细则 JSON 源文件', 'data-testid': 'source-content' }),
        cm.keymap.of([
          { key: 'Shift-Alt-f', run: format },
          { key: 'Mod-Shift-i', run: format },
          ...cm.closeBracketsKeymap, ...cm.defaultKeymap, ...cm.searchKeymap, ...cm.historyKeymap,
          ...cm.foldKeymap, ...cm.completionKeymap, ...cm.lintKeymap, cm.indentWithTab,
        ]),
        cm.EditorView.updateListener.of((update) => {
          if (update.docChanged && !silent) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    getText: () => view.state.doc.toString(),
    /** Replaces the whole text (keeps the cursor where it can). */
    setText(next) {
      if (next === view.state.doc.toString()) return;
      const head = Math.min(view.state.selection.main.head, next.length);
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, selection: { anchor: head } });
      } finally {
        silent = false;
      }
    },
    /** Shows the engine's problems as markers (errors, at the text their JSON pointer names). */
    setProblems(problems) {
      const diagnostics = problems.map((p) => {
        // A JSON syntax error has no pointer: the engine's message gives its line and column.
        const at = p.code === 'json.syntax' ? /第(\d+)行第(\d+)列/.exec(p.message) : null;
        const r = at && Number(at[1]) <= view.state.doc.lines
          ? (() => { const line = view.state.doc.line(Number(at[1])); const from = Math.min(line.from + Number(at[2]) - 1, line.to); return { from, to: Math.min(from + 1, view.state.doc.length) }; })()
          : resolvePointer(view.state, p.path);
        return { from: r.from, to: r.to, severity: 'error', message: `${p.message}（${p.code}）`, source: p.path || '/' };
      });
      view.dispatch(cm.setDiagnostics(view.state, diagnostics));
    },
    /** Puts the cursor on what a pointer names and scrolls it into view. */
    reveal(path) {
      const r = resolvePointer(view.state, path);
      view.dispatch({ selection: { anchor: r.from, head: r.to }, effects: cm.EditorView.scrollIntoView(r.from, { y: 'center' }) });
      view.focus();
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
