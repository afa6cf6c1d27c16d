// The embed page (/embed.html): the <kpi-assessment> form alone, driven by its host page through
// postMessage, for OA and low-code form platforms that embed third-party controls as iframes.
//
// Protocol v1 (docs: README "Embedding in an OA system"; the host side is kpi-wasm/host.js):
//   host → page  {type: "kpi:set", v: 1, id?, rules?, submission?, unit?, values?, notes?, readonly?}
//                {type: "kpi:get", v: 1, id?}
//   page → host  {type: "kpi:ready", v: 1, rules, builtIns}
//                {type: "kpi:change", v: 1, submission, report, problems}      (a user's edit)
//                {type: "kpi:score", v: 1, id?, cause, submission, report, problems, valid}
//                                                     (every recomputation; with the id: the answer to kpi:set)
//                {type: "kpi:submission", v: 1, id?, submission, report, problems, valid}   (the answer to kpi:get)
//                {type: "kpi:error", v: 1, id?, code, message, problems}
//                {type: "kpi:resize", v: 1, height}                           (content height in CSS px)
//
// Who may talk to it comes from the deployment, never from the URL: the server's EMBED_ORIGINS,
// read from embed-config.json (and sent as the page's CSP frame-ancestors, so no other origin can
// even frame it). A message from any other origin, or from any window but the parent, is ignored;
// the page posts only to the parent, with the allowed origin as targetOrigin.
import { builtInRuleSets, MAX_DOCUMENT_BYTES } from '/pkg/index.js';
import '/pkg/element.js';

const V = 1;
const status = document.getElementById('embed-status');
const el = document.getElementById('kpi');
const framed = window.parent !== window;

function say(text, kind = 'info') {
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === '';
}

async function loadConfig() {
  try {
    const response = await fetch(new URL('embed-config.json', location.href), { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) return [];
    const config = await response.json();
    if (config?.v !== 1 || !Array.isArray(config.origins)) return [];
    // Exact origins only; "*" or anything else that is not an origin is dropped.
    return config.origins.filter((o) => typeof o === 'string' && /^https?:\/\/[^/*\s]+$/.test(o) && new URL(o).origin === o);
  } catch {
    return [];
  }
}

const allowed = new Set(await loadConfig());
/** The host's origin: set by the first valid message (or known from location.ancestorOrigins). */
let hostOrigin = null;
if (framed && location.ancestorOrigins && location.ancestorOrigins.length > 0 && allowed.has(location.ancestorOrigins[0])) {
  hostOrigin = location.ancestorOrigins[0];
}

function post(message) {
  if (!framed) return;
  const data = { ...message, v: V };
  // Before the host is known, to each allowed origin: the browser delivers it only to the one the
  // parent actually has, and drops the others.
  for (const origin of hostOrigin ? [hostOrigin] : allowed) window.parent.postMessage(data, origin);
}

function state() {
  return {
    submission: el.submission,
    report: el.report,
    problems: el.problems,
    valid: el.submission !== null && el.report !== null && el.problems.length === 0,
  };
}

function errorMessage(err, id, code = 'embed.error') {
  const problems = Array.isArray(err?.problems) ? err.problems.map((p) => ({ code: String(p.code), path: String(p.path), message: String(p.message) })) : [];
  return { type: 'kpi:error', id, code: typeof err?.code === 'string' ? err.code : code, message: String(err?.message ?? err), problems };
}

function isUrl(text) {
  const t = text.trim();
  return !t.startsWith('{') && !builtInRuleSets().some((r) => r.id === t) && /[/.]/.test(t);
}

/** Rule-set JSON text, a built-in id or an object as the element takes it; a URL is fetched (same origin only). */
async function rulesOf(rules) {
  if (typeof rules !== 'string' || !isUrl(rules)) return rules;
  const url = new URL(rules, location.href);
  if (url.origin !== location.origin) {
    throw Object.assign(new Error(`考核细则地址须与嵌入页同源（${location.origin}），可改为直接发送细则 JSON`), { code: 'embed.rules_url' });
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw Object.assign(new Error(`无法读取考核细则 ${rules}：HTTP ${response.status}`), { code: 'embed.rules_url' });
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw Object.assign(new Error('考核细则文件超过 8 MiB 上限'), { code: 'json.too_large' });
  return text;
}

// While a kpi:set is applied, the element's own load events are not forwarded: the answer is one
// kpi:score with the request's id.
let applying = false;

async function set(msg) {
  applying = true;
  try {
    if (msg.rules !== undefined) el.setRules(await rulesOf(msg.rules));
    if (msg.submission !== undefined) el.submission = msg.submission;
    if (msg.unit !== undefined) el.unit = msg.unit;
    if (msg.values !== undefined) el.values = msg.values;
    if (msg.notes !== undefined) el.notes = msg.notes;
    if (msg.readonly !== undefined) el.readonly = Boolean(msg.readonly);
  } finally {
    applying = false;
  }
  if (el.rules) say('');
  post({ type: 'kpi:score', id: msg.id, cause: 'set', ...state() });
}

const handlers = {
  'kpi:set': set,
  'kpi:get': async (msg) => post({ type: 'kpi:submission', id: msg.id, ...state() }),
};

// Messages are handled one after another, in the order they came.
let queue = Promise.resolve();

window.addEventListener('message', (event) => {
  if (!framed || event.source !== window.parent || !allowed.has(event.origin)) return;
  if (hostOrigin !== null && event.origin !== hostOrigin) return;
  const msg = event.data;
  if (msg === null || typeof msg !== 'object' || typeof msg.type !== 'string' || !msg.type.startsWith('kpi:')) return;
  hostOrigin = event.origin;
  const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : undefined;
  queue = queue.then(async () => {
    if (msg.v !== undefined && msg.v !== V) {
      return post({ type: 'kpi:error', id, code: 'embed.version', message: `不支持的协议版本 ${String(msg.v)}，本页支持版本 ${V}`, problems: [] });
    }
    const handler = Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
    if (!handler) return post({ type: 'kpi:error', id, code: 'embed.type', message: `不认识的消息类型 ${msg.type}`, problems: [] });
    try {
      await handler({ ...msg, id });
    } catch (err) {
      post(errorMessage(err, id));
    }
  });
});

el.addEventListener('kpi-change', (e) => {
  if (!applying) post({ type: 'kpi:change', submission: e.detail.submission, report: e.detail.report, problems: e.detail.problems });
});
el.addEventListener('kpi-score', (e) => {
  if (!applying) post({ type: 'kpi:score', cause: e.detail.cause, submission: e.detail.submission, report: e.detail.report, problems: e.detail.problems, valid: e.detail.report !== null && e.detail.problems.length === 0 });
});
el.addEventListener('kpi-error', (e) => {
  if (!applying) post(errorMessage(e.detail.error, undefined));
});

// The content's height, whenever it changes, so the host can size the iframe to it.
let lastHeight = -1;
new ResizeObserver(() => {
  const height = Math.ceil(document.body.getBoundingClientRect().height);
  if (height !== lastHeight) {
    lastHeight = height;
    post({ type: 'kpi:resize', height });
  }
}).observe(document.body);

if (allowed.size === 0) {
  say('此嵌入页未开放：服务器未设置允许嵌入的来源（EMBED_ORIGINS）。', 'error');
} else if (!framed) {
  say('此页面供 OA 表单以 iframe 嵌入，由宿主页面通过 postMessage 设置考核细则和数据（见 kpi-wasm/host.js）。');
} else {
  say('等待宿主页面设置考核细则……');
  post({ type: 'kpi:ready', rules: el.rules, builtIns: builtInRuleSets() });
}
document.body.dataset.ready = 'true';
