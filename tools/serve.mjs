// A small, dependency-free static server for the browser app: www/ at "/", the built package pkg/
// at "/pkg/". Listens on 127.0.0.1 only, sends a strict Content-Security-Policy with every response
// (Node's own 400/431 answers included), serves .wasm as application/wasm, and refuses any path that
// resolves outside its two roots, symbolic links followed. The embed page (/embed.html) may be
// framed by the host origins in EMBED_ORIGINS only; it reads them from /embed-config.json.
//
//   node tools/serve.mjs            # http://127.0.0.1:8080 (PORT=… to change)
//   EMBED_ORIGINS=https://oa.example.com node tools/serve.mjs   # open /embed.html to that OA origin
//   import { createAppServer } from './tools/serve.mjs'   # tests: listen(0) for a free port
import { createServer, STATUS_CODES } from 'node:http';
import { open, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The policy of the scripts and styles: this origin only, wasm allowed, nothing inline. */
const BASE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/**
 * The policy every response carries (except the embed page's): scripts and wasm from this origin
 * only, nothing inline, and framed by pages of this origin only.
 */
export const CSP = `${BASE_CSP}; frame-ancestors 'self'`;

/**
 * The embed page's policy: the same, framed only by the deployment's allowed host origins
 * (`EMBED_ORIGINS`), by none when there are none.
 */
export function embedCsp(origins) {
  return `${BASE_CSP}; frame-ancestors ${origins.length > 0 ? origins.join(' ') : "'none'"}`;
}

const repo = fileURLToPath(new URL('../', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The allowed host origins of the embed page from `EMBED_ORIGINS` text ("https://oa.example.com,
 * http://10.0.0.5:8080"): each an exact origin (scheme, host, port; no path, no "*", no "null").
 * Throws on anything else, so a typo is a refusal to start rather than an open door.
 */
export function parseEmbedOrigins(text = '') {
  const origins = [];
  for (const part of String(text).split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    let url;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    const origin = url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : null;
    if (origin === null || origin === 'null' || entry.includes('*') || entry.replace(/\/$/, '') !== origin) {
      throw new Error(`EMBED_ORIGINS 中的「${entry}」不是来源（应为 https://主机[:端口]，不含路径，不可用 *）/ not an origin: ${entry}`);
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/**
 * Maps a request path to `{file, base}` (the file under one of the roots and that root), or null
 * when it is malformed or would leave its root (`..`, `.`, empty segments such as "//", encoded
 * slashes, NUL bytes). Symbolic links are checked when the file is opened.
 */
export function resolveRequest(urlPath, roots) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || !path.startsWith('/')) return null;
  const segments = path.split('/');
  // segments[0] is the empty text before the leading "/"; the last may be empty (a directory).
  if (segments.some((s, i) => s === '..' || s === '.' || (s === '' && i > 0 && i < segments.length - 1))) return null;
  // The longest matching mount wins: "/pkg/" before "/".
  const mounts = Object.keys(roots).sort((a, b) => b.length - a.length);
  for (const mount of mounts) {
    if (path === mount.replace(/\/$/, '') || path.startsWith(mount)) {
      const base = resolve(roots[mount]);
      const file = resolve(base, '.' + sep + path.slice(mount.length));
      if (file !== base && !file.startsWith(base + sep)) return null;
      return { file, base };
    }
  }
  return null;
}

/** The file a request path maps to, or null (see resolveRequest). */
export function resolvePath(urlPath, roots) {
  return resolveRequest(urlPath, roots)?.file ?? null;
}

/** Opens `file` for reading if its real path (symbolic links followed) is still inside `base`'s. */
async function openInside(file, base) {
  const [realFile, realBase] = await Promise.all([realpath(file), realpath(base)]);
  if (realFile !== realBase && !realFile.startsWith(realBase + sep)) {
    const err = new Error('outside its root');
    err.code = 'EOUTSIDE';
    throw err;
  }
  return open(realFile, 'r');
}

/** A server's page policy: CSP, plus `frame-src` for the other origins its pages frame (if any). */
function pagePolicy(frameSources) {
  return frameSources.length > 0 ? `${CSP}; frame-src 'self' ${frameSources.join(' ')}` : CSP;
}

/** The headers every response carries, the embed page's policy aside. */
function baseHeaders(csp = CSP) {
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  if (csp.endsWith("frame-ancestors 'self'") || csp.includes("frame-ancestors 'self';")) headers['x-frame-options'] = 'SAMEORIGIN';
  return headers;
}

/**
 * An http.Server serving `www` at "/" and `pkg` at "/pkg/" (both default to this repository's).
 * `embedOrigins`: the host origins allowed to frame `/embed.html` and talk to it
 * (parseEmbedOrigins(process.env.EMBED_ORIGINS) when run as a program); delivered to the page as
 * `/embed-config.json` and as its `frame-ancestors`. `mounts`: more folders by path prefix
 * (`{'/node_modules/kpi-wasm/': dir}`); `frameSources`: other origins this server's pages may frame
 * (a host page of the embed page, in tests): added to the policy as `frame-src`.
 */
export function createAppServer({ www = join(repo, 'www'), pkg = join(repo, 'pkg'), embedOrigins = [], mounts = {}, frameSources = [] } = {}) {
  const roots = { ...mounts, '/': www, '/pkg/': pkg };
  const origins = parseEmbedOrigins(embedOrigins.join(','));
  const policy = pagePolicy(parseEmbedOrigins(frameSources.join(',')));
  const embedPage = resolve(www, 'embed.html');
  const embedConfig = JSON.stringify({ format: 'kpi-embed-config/1', v: 1, origins }, null, 2) + '\n';
  const server = createServer(async (req, res) => {
    const headers = baseHeaders(policy);
    const fail = (status, text) => {
      res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return fail(405, '405 method not allowed\n');
    }
    let urlPath;
    try {
      // Only an origin-form target ("/path?query"): "//host/…" or "http://…" would let the URL
      // parser read a path the server never meant.
      if (!req.url.startsWith('/') || req.url.startsWith('//')) return fail(400, '400 bad request\n');
      urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
      // The URL parser folds "/./" and "/../" away; the path as sent must not have them either.
      const sent = req.url.split(/[?#]/)[0];
      if (sent !== urlPath && resolveRequest(sent, roots) === null) return fail(404, '404 not found\n');
    } catch {
      return fail(400, '400 bad request\n');
    }
    if (urlPath === '/embed-config.json') {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.json'], 'cache-control': 'no-store', 'content-length': Buffer.byteLength(embedConfig) });
      return res.end(req.method === 'HEAD' ? undefined : embedConfig);
    }
    const target = resolveRequest(urlPath, roots);
    if (target === null) return fail(404, '404 not found\n');
    let { file } = target;
    let handle;
    try {
      handle = await openInside(file, target.base);
      let info = await handle.stat();
      if (info.isDirectory()) {
        await handle.close();
        handle = undefined;
        if (!urlPath.endsWith('/')) {
          // urlPath starts with one "/" and has no empty segment: never a protocol-relative "//host".
          res.writeHead(301, { ...headers, location: `${urlPath}/` });
          return res.end();
        }
        file = join(file, 'index.html');
        handle = await openInside(file, target.base);
        info = await handle.stat();
      }
      if (!info.isFile()) return fail(404, '404 not found\n');
      const body = await handle.readFile();
      const own = file === embedPage ? baseHeaders(embedCsp(origins)) : headers;
      res.writeHead(200, { ...own, 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      fail(404, '404 not found\n');
    } finally {
      await handle?.close();
    }
  });
  // Node answers a request it cannot parse (400), with headers too large (431) or too slow (408)
  // by itself, without our headers: write that answer here, with the policy.
  server.on('clientError', (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = `${status} ${STATUS_CODES[status].toLowerCase()}\n`;
    const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`];
    for (const [name, value] of Object.entries({ ...baseHeaders(), 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' })) {
      lines.push(`${name}: ${value}`);
    }
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
  return server;
}

/** Starts the server on 127.0.0.1:`port` and resolves with its address once it listens. */
export function listen(server, port) {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number.parseInt(process.env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT 无效 / invalid PORT: ${process.env.PORT}`);
    process.exit(2);
  }
  let embedOrigins;
  try {
    embedOrigins = parseEmbedOrigins(process.env.EMBED_ORIGINS ?? '');
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  const server = createAppServer({ embedOrigins });
  listen(server, port).then(
    (address) => {
      console.log(`考核表已启动：${address}/   （Ctrl+C 停止）`);
      console.log(`Assessment form: ${address}/   (Ctrl+C to stop)`);
      console.log(embedOrigins.length > 0
        ? `嵌入页 ${address}/embed.html 允许的宿主来源 / embed page host origins: ${embedOrigins.join(' ')}`
        : '嵌入页 /embed.html 未开放：EMBED_ORIGINS 未设置 / embed page closed: EMBED_ORIGINS not set');
    },
    (err) => {
      console.error(`无法监听 127.0.0.1:${port} / cannot listen on 127.0.0.1:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
