// One editor per workspace: the tab that opens a workspace first holds a Web Lock on it and edits;
// another tab on the same workspace opens it read-only and says so (it may take over, which turns
// the first one read-only). Saves are announced on a BroadcastChannel so read-only tabs follow
// along. Without Web Locks (old browsers) the per-unit revision check in store.js still refuses a
// save over another tab's change.

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('kpi-workspaces') : null;
const listeners = new Set();
channel?.addEventListener('message', (e) => {
  for (const fn of listeners) fn(e.data);
});

/** Tells the other tabs that something in a workspace changed. */
export function announce(message) {
  try {
    channel?.postMessage(message);
  } catch {
    // A closed channel: nothing to tell.
  }
}

export function onAnnounce(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Tries to become the editor of workspace `id`. Resolves with a handle `{editing, release(),
 * takeOver()}`; `onLost()` runs when another tab takes the workspace over.
 */
export async function claim(id, { onLost = () => {} } = {}) {
  const name = `kpi-workspace:${id}`;
  const handle = { editing: false, release: () => {}, takeOver: async () => false };
  if (!navigator.locks) {
    handle.editing = true;
    return handle;
  }
  const hold = (options) => new Promise((resolve) => {
    let release;
    const held = new Promise((r) => { release = r; });
    navigator.locks.request(name, options, (lock) => {
      if (!lock) {
        resolve(false);
        return undefined;
      }
      handle.release = () => release();
      resolve(true);
      return held;
    }).catch(() => {
      // Stolen by another tab (AbortError on our held promise): we are read-only now.
      if (handle.editing) {
        handle.editing = false;
        onLost();
      }
    });
  });
  handle.editing = await hold({ ifAvailable: true });
  handle.takeOver = async () => {
    handle.editing = await hold({ steal: true });
    return handle.editing;
  };
  return handle;
}
