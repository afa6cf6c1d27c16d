// Small DOM helpers shared by the app's views. Elements are built with `h()` (the same helper the
// form renderer uses, from the package): text only, never markup, because rule-set and file
// contents are untrusted.
import { h, setChildren, parseJsonExact, plainWords } from '/pkg/form-view.js';
import { MAX_DOCUMENT_BYTES } from '/pkg/index.js';

export { h, setChildren };

export const $ = (id) => document.getElementById(id);

/**
 * Shows `message` and a list of problems (`{message, path?}`) in a banner, in the assessor's words:
 * fields by label; the JSON position only for a rule-set file's problems (its author needs it).
 */
export function show(box, message, problems = []) {
  const where = (p) => (p.path && !/^\/(values|unit|notes|meta|period|rules)(\/|$)/.test(p.path) ? `（位置 ${p.path}）` : '');
  box.replaceChildren(h('p', {}, message), problems.length > 0 ? h('ul', {}, problems.map((p) => h('li', {}, `${plainWords(p.message)}${where(p)}`))) : '');
  box.hidden = false;
}

export function hide(...boxes) {
  for (const box of boxes) {
    box.hidden = true;
    box.replaceChildren();
  }
}

/** Saves `data` (text, bytes or a Blob) as a file named `name`. */
export function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function megabytes(bytes) {
  return `${(bytes / 1048576).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} MB`;
}

/** An Error with a list of problems, as the engine throws them. */
export function problemError(message, problems = []) {
  const err = new Error(message);
  err.problems = problems;
  return err;
}

/** Reads a chosen file as text, refusing one over the engine's limit before reading a byte. */
export async function readLimited(file, what, limit = MAX_DOCUMENT_BYTES) {
  if (file.size > limit) {
    throw problemError(`${what}「${file.name}」过大（${megabytes(file.size)}），超过 ${limit === MAX_DOCUMENT_BYTES ? '8 MiB' : megabytes(limit)} 上限，未读取。`);
  }
  return file.text();
}

/**
 * Parses JSON text keeping number literals as written, or throws one Chinese message saying
 * where it breaks (the browser's own message is English and is not shown).
 */
export function parseJsonText(text, what = '文件') {
  try {
    return parseJsonExact(text);
  } catch (err) {
    const at = /position (\d+)/.exec(String(err?.message ?? ''));
    let where = '';
    if (at) {
      const before = text.slice(0, Number.parseInt(at[1], 10));
      const line = before.split('\n').length;
      where = `（第${line}行第${before.length - before.lastIndexOf('\n')}个字符附近）`;
    } else if (text.trim() === '') {
      where = '（文件是空的）';
    } else {
      where = '（内容不完整或不是 JSON）';
    }
    throw problemError(`${what}不是有效的 JSON${where}。`);
  }
}

/** Local date and time for "last changed" columns: 2026-03-05 14:07. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Today as YYYY-MM-DD (local). */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A file name without characters that file systems refuse. */
export function fileName(text) {
  return String(text).replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120);
}

/** Opens a modal <dialog> and resolves with its returnValue when it closes. */
export function ask(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

/** A confirm dialog built on the fly: resolves true when `ok` is chosen. */
export async function confirmDialog({ title, body = [], ok = '确定', cancel = '取消', danger = false, testid = 'confirm' }) {
  const dialog = h('dialog', { testid, 'aria-label': title },
    h('form', { method: 'dialog' },
      h('h2', {}, title),
      ...body.map((b) => (typeof b === 'string' ? h('p', {}, b) : b)),
      h('div', { className: 'dialog-buttons' },
        h('button', { value: 'cancel', testid: `${testid}-cancel`, autofocus: true }, cancel),
        h('button', { value: 'ok', className: danger ? 'danger' : '', testid: `${testid}-ok` }, ok))));
  document.body.append(dialog);
  const answer = await ask(dialog);
  dialog.remove();
  return answer === 'ok';
}
