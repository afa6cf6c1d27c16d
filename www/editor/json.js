// JSON for the rule editor: a rule set read into plain objects with every number kept as its
// literal text (a `Num`), written back with those literals unchanged, and JSON pointers. Nothing
// here reads a number's value: decimals are the engine's business.

/** A JSON number as written (`2.5`, `1e3`): kept as text, written back verbatim. */
export class Num {
  constructor(text) {
    this.text = String(text);
  }
  toString() {
    return this.text;
  }
}

/** Parses JSON text; numbers become `Num` with their literal text. Throws SyntaxError. */
export function parseDoc(text) {
  return JSON.parse(text, function (_key, value, context) {
    if (typeof value !== 'number') return value;
    return new Num(context && typeof context.source === 'string' ? context.source : String(value));
  });
}

const INDENT = '  ';
/** Arrays and objects of scalars this short stay on one line. */
const INLINE = 100;

function scalar(value) {
  if (value instanceof Num) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  return null;
}

function inline(value) {
  const s = scalar(value);
  if (s !== null) return s;
  if (Array.isArray(value)) {
    const parts = value.map(scalar);
    return parts.includes(null) ? null : `[${parts.join(', ')}]`;
  }
  const parts = [];
  for (const [k, v] of Object.entries(value)) {
    const s2 = scalar(v);
    if (s2 === null) return null;
    parts.push(`${JSON.stringify(k)}: ${s2}`);
  }
  return `{${parts.join(', ')}}`;
}

/**
 * JSON text of a document, two-space indented; arrays and objects holding only scalars stay on
 * one line when short (a band, a grade, a source quote), as people write rule files.
 */
export function formatDoc(value, indent = '') {
  const one = inline(value);
  if (one !== null && (scalar(value) !== null || one.length + indent.length <= INLINE)) return one;
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + formatDoc(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatDoc(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** A deep copy (Num kept as Num). */
export function clone(value) {
  if (value instanceof Num) return new Num(value.text);
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

/** The segments of a JSON pointer (`/sections/0/items` → ['sections', '0', 'items']). */
export function segments(pointer) {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer from segments. */
export function pointer(parts) {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at a pointer, or undefined. */
export function getAt(doc, path) {
  let cur = doc;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, s)) return undefined;
    cur = cur[s];
  }
  return cur;
}

/**
 * Sets (or with `undefined`, deletes) the value at a pointer, creating objects on the way. A new
 * key goes where `order` puts it among the object's keys (the format's field order), else last.
 */
export function setAt(doc, path, value, order = null) {
  const parts = segments(path);
  const last = parts.pop();
  let cur = doc;
  for (const s of parts) {
    if (cur[s] === null || typeof cur[s] !== 'object') cur[s] = {};
    cur = cur[s];
  }
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
    return;
  }
  if (Array.isArray(cur) || Object.hasOwn(cur, last) || !order || !order.includes(last)) {
    cur[last] = value;
    return;
  }
  // Re-insert keys so that the new one sits in the format's order.
  const entries = Object.entries(cur);
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  let at = entries.findIndex(([k]) => rank(k) > rank(last));
  if (at < 0) at = entries.length;
  entries.splice(at, 0, [last, value]);
  for (const k of Object.keys(cur)) delete cur[k];
  for (const [k, v] of entries) cur[k] = v;
}

/** The text of a scalar for an input box: strings as they are, numbers as written. */
export function textOf(value) {
  if (value === undefined || value === null) return '';
  if (value instanceof Num) return value.text;
  if (typeof value === 'string') return value;
  return String(value);
}
