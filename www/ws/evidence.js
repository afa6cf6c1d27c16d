// Evidence (佐证材料): files attached to an item of a unit's form, each with a note, kept in
// IndexedDB as Blobs. Limits: 20 MB a file, 500 MB a workspace (shown with the browser's own
// storage estimate). Listed by name in the report and the printout; carried in the workspace file.
import { h, megabytes, download } from '../dom.js';
import { newId } from './store.js';

export const MAX_FILE_BYTES = 20 * 1048576;
export const MAX_WORKSPACE_BYTES = 500 * 1048576;
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.gif,.webp,.bmp,.tif,.tiff,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.ofd,.txt,.csv,.zip,.rar,.7z,application/pdf,image/*';
const ALLOWED = /\.(pdf|jpe?g|png|gif|webp|bmp|tiff?|heic|docx?|xlsx?|pptx?|wps|et|dps|ofd|txt|csv|zip|rar|7z)$/i;

export function usedBytes(attachments) {
  return attachments.reduce((sum, a) => sum + (a.size ?? 0), 0);
}

/**
 * The evidence block of an item: its files and an add row. `ctx`: {list(item) -> attachments,
 * add(item, file, note) -> Promise, remove(attachment) -> Promise, readonly() -> bool}.
 */
export function evidenceBlock(entry, ctx) {
  const list = h('ul', { testid: `evidence-list-${entry.id}` });
  const count = h('span', {});
  const error = h('p', { className: 'kpi-error', hidden: true, role: 'alert' });
  const fileId = `kpi-evidence-file-${entry.id}`;
  const noteId = `kpi-evidence-note-${entry.id}`;
  const file = h('input', { type: 'file', id: fileId, accept: ACCEPT, multiple: true, testid: `evidence-file-${entry.id}` });
  const note = h('input', { type: 'text', id: noteId, autocomplete: 'off', placeholder: '说明（可选），如：2026年第3季度检查记录', testid: `evidence-note-${entry.id}` });
  const addButton = h('button', { type: 'button', testid: `evidence-add-${entry.id}` }, '添加');
  const chosen = h('span', { className: 'kpi-evidence-size' }, '未选择文件');
  file.addEventListener('change', () => {
    chosen.textContent = file.files.length === 0 ? '未选择文件' : [...file.files].map((f) => f.name).join('、');
  });
  const block = h('details', { className: 'kpi-evidence', dataset: { evidence: entry.id } },
    h('summary', {}, '佐证材料', count),
    list,
    h('div', { className: 'kpi-evidence-add' },
      h('span', {}, 'PDF、图片、Office 文档，每份不超过 20 MB'),
      h('label', { for: noteId }, `项目${entry.id}佐证材料说明`),
      h('span', {}),
      h('span', {}, h('label', { className: 'kpi-file-button', for: fileId }, `选择项目${entry.id}佐证材料文件…`, file), ' ', chosen),
      note, addButton),
    error);

  const render = () => {
    const items = ctx.list(entry.id);
    count.textContent = items.length > 0 ? `（${items.length}份）` : '';
    if (items.length > 0 && !block.open && !block.dataset.seen) {
      block.open = true;
      block.dataset.seen = 'true';
    }
    const readonly = ctx.readonly();
    for (const c of [file, note, addButton]) c.disabled = readonly;
    list.replaceChildren(...items.map((a) => {
      const save = h('button', { type: 'button' }, '下载');
      save.addEventListener('click', () => download(a.name, a.blob, a.type));
      const remove = h('button', { type: 'button', disabled: readonly }, '删除');
      remove.addEventListener('click', async () => {
        error.hidden = true;
        try {
          await ctx.remove(a);
        } catch (err) {
          error.textContent = err.message;
          error.hidden = false;
        }
      });
      return h('li', { className: 'kpi-evidence-row' }, h('span', {}, a.name), h('span', { className: 'kpi-evidence-size' }, a.size < 1048576 ? `${Math.max(1, Math.ceil(a.size / 1024))} KB` : megabytes(a.size)), a.note ? h('span', {}, `说明：${a.note}`) : null, save, remove);
    }));
  };
  addButton.addEventListener('click', async () => {
    error.hidden = true;
    const files = [...file.files];
    if (files.length === 0) {
      error.textContent = '请先选择文件。';
      error.hidden = false;
      file.focus();
      return;
    }
    try {
      for (const f of files) await ctx.add(entry.id, f, note.value.trim());
      file.value = '';
      note.value = '';
      chosen.textContent = '未选择文件';
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });
  render();
  return { block, render };
}

/** Checks a file against the limits; returns the record to store, or throws with the reason. */
export function evidenceRecord({ workspace, unit, item, file, note, used }) {
  if (!ALLOWED.test(file.name)) throw new Error(`「${file.name}」不是可接受的佐证材料类型（PDF、图片、Office/WPS 文档、压缩包）。`);
  if (file.size > MAX_FILE_BYTES) throw new Error(`「${file.name}」过大（${megabytes(file.size)}），每份佐证材料不超过 20 MB。`);
  if (used + file.size > MAX_WORKSPACE_BYTES) throw new Error(`添加「${file.name}」后本考核任务的佐证材料将超过 500 MB 上限（已用 ${megabytes(used)}）。`);
  return { id: `${workspace}/${newId('a')}`, workspace, unit, item, name: file.name, type: file.type || 'application/octet-stream', size: file.size, note, addedAt: new Date().toISOString(), blob: file };
}
