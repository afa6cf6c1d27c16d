// kpi-wasm/host.js: the host page's side of the embed protocol (v1), for OA and low-code form
// platforms that take a third-party control only as an iframe. No dependencies, no wasm: the form
// and the engine run in the iframe (/embed.html, served with EMBED_ORIGINS naming this page's
// origin); this file creates the iframe and talks to it by postMessage.
//
//   import { createEmbed } from 'kpi-wasm/host.js';
//   const kpi = createEmbed(document.getElementById('slot'), { src: 'https://kpi.example.com/embed.html' });
//   await kpi.set({ rules: 'subdistrict', unit: { id: 'yp-dq', name: '大桥街道' }, values: saved });
//   kpi.addEventListener('change', (e) => saveDraft(e.detail.submission));
//   const { submission, report, valid } = await kpi.get();
//
// Messages are accepted only from the iframe's window and the embed page's origin; they are posted
// with that origin as targetOrigin, so nothing reaches a page the iframe may have been navigated to.

/** The protocol version this helper speaks. */
export const PROTOCOL_VERSION = 1;

/** An Error with the page's `code` and `problems` (the engine's, for rules or values that do not load). */
function embedError(code, message, problems = []) {
  const err = new Error(message);
  err.code = code;
  err.problems = problems;
  return err;
}

/**
 * One embedded form. Events (CustomEvent, `detail` is the page's message): `ready`, `change` (a
 * user's edit: submission, report, problems), `score` (every recomputation), `error` (code,
 * message, problems), `resize` (height).
 */
export class KpiEmbed extends EventTarget {
  #origin;
  #pending = new Map();
  #nextId = 1;
  #timeout;
  #autoResize;
  #onMessage;
  #readyResolve;
  #destroyed = false;
  #readyMessage = null;
  #readyTimer;

  /**
   * @param {Element} container where the iframe goes (appended)
   * @param {object} options `src` (URL of embed.html, required), `title`, `autoResize` (true),
   *   `timeout` (ms, 20000), and any of `rules`, `submission`, `unit`, `values`, `notes`, `readonly`
   *   to set once the page is ready.
   */
  constructor(container, { src, title = '安全生产考核表', autoResize = true, timeout = 20000, ...initial } = {}) {
    super();
    if (typeof src !== 'string' || src === '') throw embedError('host.argument', 'createEmbed 需要 src：嵌入页 embed.html 的地址');
    const url = new URL(src, document.baseURI);
    this.#origin = url.origin;
    this.#timeout = timeout;
    this.#autoResize = autoResize;
    /** The iframe (style or size it as you like; its height follows the content when autoResize). */
    this.iframe = document.createElement('iframe');
    this.iframe.title = title;
    this.iframe.src = url.href;
    this.iframe.style.display = 'block';
    this.iframe.style.width = '100%';
    this.iframe.style.border = '0';
    this.iframe.style.minHeight = '120px';
    /**
     * Resolves when the page has said kpi:ready (and, if options gave a state, once it is set);
     * rejects with `host.timeout` if it has not within `timeout` (wrong `src`, or this page's origin
     * not in the server's EMBED_ORIGINS, or this page's own CSP lacking `frame-src` for it).
     */
    this.ready = new Promise((resolve, reject) => {
      this.#readyResolve = resolve;
      const timer = setTimeout(() => reject(embedError('host.timeout', `嵌入页 ${this.#origin} 未就绪（检查 src、服务器的 EMBED_ORIGINS 和本页 CSP 的 frame-src）`)), timeout);
      this.#readyTimer = timer;
    });
    this.ready.catch(() => {});
    this.#onMessage = (event) => this.#receive(event);
    window.addEventListener('message', this.#onMessage);
    container.append(this.iframe);
    const keys = ['rules', 'submission', 'unit', 'values', 'notes', 'readonly'].filter((k) => initial[k] !== undefined);
    if (keys.length > 0) {
      const state = Object.fromEntries(keys.map((k) => [k, initial[k]]));
      this.ready = this.ready.then(() => this.set(state)).then(() => undefined);
      this.ready.catch(() => {}); // also an `error` event; a caller awaiting `ready` still sees it
    }
  }

  /** The embed page's origin (where messages come from and go to). */
  get origin() {
    return this.#origin;
  }

  #receive(event) {
    if (this.#destroyed || event.source !== this.iframe.contentWindow || event.origin !== this.#origin) return;
    const msg = event.data;
    if (msg === null || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION || typeof msg.type !== 'string') return;
    const type = msg.type.startsWith('kpi:') ? msg.type.slice(4) : '';
    if (type === 'ready') {
      this.#readyMessage = msg;
      clearTimeout(this.#readyTimer);
      this.#readyResolve(msg);
    }
    if (type === 'resize' && this.#autoResize && Number.isFinite(msg.height) && msg.height >= 0) {
      this.iframe.style.height = `${Math.ceil(msg.height)}px`;
    }
    if (msg.id !== undefined && this.#pending.has(msg.id) && (type === 'score' || type === 'submission' || type === 'error')) {
      const { resolve, reject, timer } = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      clearTimeout(timer);
      if (type === 'error') reject(embedError(msg.code, msg.message, msg.problems));
      else resolve(msg);
    }
    if (['ready', 'change', 'score', 'submission', 'error', 'resize'].includes(type)) {
      this.dispatchEvent(new CustomEvent(type, { detail: msg }));
    }
  }

  #request(message) {
    if (this.#destroyed) return Promise.reject(embedError('host.destroyed', '嵌入的考核表已移除'));
    const id = `h${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(embedError('host.timeout', `嵌入页 ${this.#origin} 未在 ${this.#timeout} 毫秒内应答`));
      }, this.#timeout);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.iframe.contentWindow.postMessage({ ...message, v: PROTOCOL_VERSION, id }, this.#origin);
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(embedError('host.argument', `无法发送到嵌入页：${err?.message ?? err}`));
      }
    });
  }

  async #whenReady() {
    const ready = new Promise((resolve) => {
      if (this.#readyMessage !== null) resolve();
      else this.addEventListener('ready', () => resolve(), { once: true });
    });
    let timer;
    const timeout = new Promise((_resolve, reject) => {
      timer = setTimeout(() => reject(embedError('host.timeout', `嵌入页 ${this.#origin} 未就绪（检查 src、服务器的 EMBED_ORIGINS 和本页 CSP 的 frame-src）`)), this.#timeout);
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sets any of `rules` (built-in id, URL on the embed server, rule-set JSON text or object),
   * `submission`, `unit`, `values` (OA strings such as "true" and "12" are fine), `notes`,
   * `readonly`. Resolves with the page's kpi:score answer (`report`, `problems`, `submission`,
   * `valid`); rejects with an Error carrying `code` and `problems` when something does not load.
   */
  async set(state) {
    await this.#whenReady();
    return this.#request({ ...state, type: 'kpi:set' });
  }

  /** The current `{submission, report, problems, valid}` (the page's kpi:submission answer). */
  async get() {
    await this.#whenReady();
    return this.#request({ type: 'kpi:get' });
  }

  /** Removes the iframe and stops listening; pending requests reject. */
  destroy() {
    this.#destroyed = true;
    window.removeEventListener('message', this.#onMessage);
    clearTimeout(this.#readyTimer);
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(embedError('host.destroyed', '嵌入的考核表已移除'));
    }
    this.#pending.clear();
    this.iframe.remove();
  }
}

/** Creates the iframe in `container` and returns its KpiEmbed. */
export function createEmbed(container, options) {
  return new KpiEmbed(container, options);
}
