// A small, dependency-free static server for the browser app: www/ at "/", the built package pkg/
// at "/pkg/". Listens on 127.0.0.1 only, sends a strict Content-Security-Policy with every response,
// serves .wasm as application/wasm, and refuses any path that resolves outside its two roots.
//
//   node tools/serve.mjs            # http://127.0.0.1:8080 (PORT=… to change)
//   import { createAppServer } from './tools/serve.mjs'   # tests: listen(0) for a free port
import { createServer } from 'node:http';
import { open } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The policy every response carries: scripts and wasm from this origin only, nothing inline. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

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
 * Maps a request path to a file under one of the roots, or null when it is malformed or would
 * leave its root (`..`, encoded slashes, NUL bytes).
 */
export function resolvePath(urlPath, roots) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || !path.startsWith('/')) return null;
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  // The longest matching mount wins: "/pkg/" before "/".
  const mounts = Object.keys(roots).sort((a, b) => b.length - a.length);
  for (const mount of mounts) {
    if (path === mount.replace(/\/$/, '') || path.startsWith(mount)) {
      const base = resolve(roots[mount]);
      const file = resolve(base, '.' + sep + path.slice(mount.length));
      if (file !== base && !file.startsWith(base + sep)) return null;
      return file;
    }
  }
  return null;
}

/** An http.Server serving `www` at "/" and `pkg` at "/pkg/" (both default to this repository's). */
export function createAppServer({ www = join(repo, 'www'), pkg = join(repo, 'pkg') } = {}) {
  const roots = { '/': www, '/pkg/': pkg };
  return createServer(async (req, res) => {
    const headers = {
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    };
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
      urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
    } catch {
      return fail(400, '400 bad request\n');
    }
    let file = resolvePath(urlPath, roots);
    if (file === null) return fail(404, '404 not found\n');
    let handle;
    try {
      handle = await open(file, 'r');
      let info = await handle.stat();
      if (info.isDirectory()) {
        await handle.close();
        handle = undefined;
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { ...headers, location: `${urlPath}/` });
          return res.end();
        }
        file = join(file, 'index.html');
        handle = await open(file, 'r');
        info = await handle.stat();
      }
      if (!info.isFile()) return fail(404, '404 not found\n');
      const body = await handle.readFile();
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      fail(404, '404 not found\n');
    } finally {
      await handle?.close();
    }
  });
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
  const server = createAppServer();
  listen(server, port).then(
    (address) => {
      console.log(`考核表已启动：${address}/   （Ctrl+C 停止）`);
      console.log(`Assessment form: ${address}/   (Ctrl+C to stop)`);
    },
    (err) => {
      console.error(`无法监听 127.0.0.1:${port} / cannot listen on 127.0.0.1:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
