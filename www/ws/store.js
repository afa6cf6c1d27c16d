// The workspaces' storage: IndexedDB (through the small `idb` wrapper, copied into /vendor/ by
// ./build and loaded only by this view). Three object stores:
//   workspaces  {id, name, rules: {text, id, version, title, source}, assessor, createdAt,
//                updatedAt, deletedAt, previous?}
//   units       {key, workspace, order, submission, updatedAt, rev, deletedAt, orphaned?}
//   attachments {id, workspace, unit, item, name, type, size, note, addedAt, blob}
// A unit's `rev` grows by one with every save; a save that finds another rev than the one it
// started from is refused (ConflictError), so two tabs never overwrite each other silently.
// Nothing is deleted before its replacement is written; every write is one transaction.

const DB_NAME = 'kpi-workspaces';
const DB_VERSION = 1;

/** An error with a Chinese message an assessor can act on, and whether the storage is full. */
export class StorageError extends Error {
  constructor(message, { cause, full = false, conflict = false } = {}) {
    super(message);
    this.name = 'StorageError';
    this.cause = cause;
    this.full = full;
    this.conflict = conflict;
  }
}

/** Turns any storage failure into a StorageError with words for the assessor. */
export function storageError(err, what = '保存') {
  if (err instanceof StorageError) return err;
  const name = err?.name ?? '';
  if (name === 'QuotaExceededError' || err?.code === 22 || /quota/i.test(String(err?.message ?? ''))) {
    return new StorageError(`${what}失败：浏览器存储空间已满。`, { cause: err, full: true });
  }
  if (name === 'InvalidStateError' || name === 'UnknownError' || name === 'SecurityError') {
    return new StorageError(`${what}失败：浏览器存储不可用（可能处于隐私模式，或存储被禁用、被清除）。`, { cause: err });
  }
  if (name === 'VersionError') {
    return new StorageError(`${what}失败：本页版本较旧，请刷新页面。`, { cause: err });
  }
  return new StorageError(`${what}失败：${err?.message ?? err}`, { cause: err });
}

let idbModule = null;
async function idb() {
  idbModule ??= await import('/vendor/idb/index.js');
  return idbModule;
}

/** Opens the database, or throws a StorageError saying why it cannot be used. */
export async function openStore({ onBlocked, onVersionChange } = {}) {
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    throw new StorageError('浏览器存储（IndexedDB）不可用：考核任务无法保存。请换用 Chrome、Edge、Firefox 或关闭隐私模式。');
  }
  const { openDB } = await idb();
  let db;
  try {
    db = await openDB(DB_NAME, DB_VERSION, {
      upgrade(database) {
        if (!database.objectStoreNames.contains('workspaces')) database.createObjectStore('workspaces', { keyPath: 'id' });
        if (!database.objectStoreNames.contains('units')) {
          database.createObjectStore('units', { keyPath: 'key' }).createIndex('workspace', 'workspace');
        }
        if (!database.objectStoreNames.contains('attachments')) {
          const s = database.createObjectStore('attachments', { keyPath: 'id' });
          s.createIndex('workspace', 'workspace');
          s.createIndex('unit', 'unit');
        }
      },
      blocked() { onBlocked?.(); },
      blocking() {
        // A newer page wants to upgrade: let it, and ask this one to reload.
        db?.close();
        onVersionChange?.();
      },
    });
  } catch (err) {
    throw storageError(err, '打开浏览器存储');
  }
  return new Store(db);
}

export function newId(prefix = '') {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return prefix + [...bytes].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 14);
}

export class Store {
  constructor(db) {
    this.db = db;
  }

  async #write(fn, what = '保存') {
    try {
      return await fn();
    } catch (err) {
      throw storageError(err, what);
    }
  }

  async workspaces({ deleted = false } = {}) {
    const all = await this.db.getAll('workspaces');
    return all.filter((w) => Boolean(w.deletedAt) === deleted);
  }

  workspace(id) {
    return this.db.get('workspaces', id);
  }

  putWorkspace(ws) {
    return this.#write(() => this.db.put('workspaces', ws));
  }

  /** A workspace and its units (and attachments) in one transaction. */
  putAll(ws, units = [], attachments = []) {
    return this.#write(async () => {
      const tx = this.db.transaction(['workspaces', 'units', 'attachments'], 'readwrite');
      const done = tx.done;
      tx.objectStore('workspaces').put(ws);
      for (const u of units) tx.objectStore('units').put(u);
      for (const a of attachments) tx.objectStore('attachments').put(a);
      await done;
    });
  }

  async units(workspace, { deleted = false } = {}) {
    const all = await this.db.getAllFromIndex('units', 'workspace', workspace);
    return all.filter((u) => Boolean(u.deletedAt) === deleted).sort((a, b) => a.order - b.order);
  }

  unit(key) {
    return this.db.get('units', key);
  }

  /**
   * Saves a unit if nobody else changed it since `rev` (its rev when this page read it); resolves
   * with the saved record (rev + 1). A changed record throws a StorageError with `conflict`.
   */
  saveUnit(unit, rev) {
    return this.#write(async () => {
      const tx = this.db.transaction('units', 'readwrite');
      const done = tx.done;
      const stored = await tx.store.get(unit.key);
      if (stored && rev !== undefined && stored.rev !== rev) {
        tx.abort();
        await done.catch(() => {});
        throw new StorageError('保存失败：这个单位的考核表已在另一个标签页或窗口中修改。为免覆盖，本页的修改未保存；请刷新页面查看最新内容。', { conflict: true });
      }
      const saved = { ...unit, rev: (stored?.rev ?? 0) + 1 };
      tx.store.put(saved);
      await done;
      return saved;
    });
  }

  putUnits(units) {
    return this.#write(async () => {
      const tx = this.db.transaction('units', 'readwrite');
      const done = tx.done;
      for (const u of units) tx.store.put(u);
      await done;
    });
  }

  attachments(workspace) {
    return this.db.getAllFromIndex('attachments', 'workspace', workspace);
  }

  putAttachment(a) {
    return this.#write(() => this.db.put('attachments', a), '保存佐证材料');
  }

  deleteAttachment(id) {
    return this.#write(() => this.db.delete('attachments', id), '删除佐证材料');
  }

  /** Removes a workspace with its units and attachments for good (after its undo has passed). */
  purge(id) {
    return this.#write(async () => {
      const tx = this.db.transaction(['workspaces', 'units', 'attachments'], 'readwrite');
      const done = tx.done;
      tx.objectStore('workspaces').delete(id);
      for (const key of await tx.objectStore('units').index('workspace').getAllKeys(id)) tx.objectStore('units').delete(key);
      for (const key of await tx.objectStore('attachments').index('workspace').getAllKeys(id)) tx.objectStore('attachments').delete(key);
      await done;
    }, '删除');
  }
}

/** The browser's storage use and quota (bytes), or null where unknown. */
export async function estimate() {
  try {
    return await navigator.storage?.estimate?.() ?? null;
  } catch {
    return null;
  }
}

/** Asks the browser not to evict this site's data; resolves with whether it agreed. */
export async function persist() {
  try {
    if (await navigator.storage?.persisted?.()) return true;
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}
