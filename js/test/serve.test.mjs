// tools/serve.mjs over real sockets: no path leaves its roots (symbolic links followed), no
// protocol-relative redirect, the Content-Security-Policy on every answer (Node's own 400/431
// included), and the embed page's allow-list from EMBED_ORIGINS only.
//
//   node --test js/test/serve.test.mjs      (needs no build)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAppServer, listen, CSP, embedCsp, parseEmbedOrigins, resolvePath } from '../../tools/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OA = 'http://127.0.0.1:5999';
let dir, outside, server, port;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-serve-'));
  const www = join(dir, 'www');
  const pkg = join(dir, 'pkg');
  outside = join(dir, 'secret');
  mkdirSync(www);
  mkdirSync(pkg);
  mkdirSync(outside);
  mkdirSync(join(www, 'name'));
  writeFileSync(join(www, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(www, 'name', 'index.html'), '<!doctype html><title>name</title>');
  writeFileSync(join(www, 'embed.html'), '<!doctype html><title>embed</title>');
  writeFileSync(join(pkg, 'index.js'), 'export {};');
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  // Links out of the roots (a file, a folder) and one inside.
  symlinkSync(join(outside, 'secret.txt'), join(www, 'leak.txt'));
  symlinkSync(outside, join(www, 'leakdir'));
  symlinkSync(outside, join(pkg, 'leakdir'));
  symlinkSync(join(www, 'index.html'), join(www, 'alias.html'));
  server = createAppServer({ www, pkg, embedOrigins: [OA] });
  const base = await listen(server, 0);
  port = Number(new URL(base).port);
});

after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes and returns the whole answer: status, headers (lower-case names), body. */
function raw(bytes) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...body] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.join('\r\n\r\n'), text });
    });
    socket.write(bytes);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const get = (target) => raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

test('a symbolic link out of a root is refused; one inside is served', async () => {
  for (const target of ['/leak.txt', '/leakdir/secret.txt', '/leakdir/', '/pkg/leakdir/secret.txt']) {
    const r = await get(target);
    assert.equal(r.status, 404, target);
    assert.ok(!r.text.includes('SECRET'), target);
    assert.equal(r.headers['content-security-policy'], CSP, target);
  }
  const alias = await get('/alias.html');
  assert.equal(alias.status, 200);
  assert.match(alias.body, /<title>home/);
});

test('no protocol-relative redirect: "/.//name", "//name" and other empty segments are 400 or 404', async () => {
  for (const target of ['/.//name', '//name', '///name', '/.//name/', '/%2F/name', '/%2e//name', '/name//', '/name//index.html', '/./name', '/%5Cname', '/\\name', '//127.0.0.1/name']) {
    const r = await get(target);
    assert.ok([400, 404].includes(r.status), `${target}: ${r.status}`);
    assert.equal(r.headers.location, undefined, target);
    assert.equal(r.headers['content-security-policy'], CSP, target);
  }
  // The one redirect there is: a folder without its slash, to a path on this server.
  const folder = await get('/name');
  assert.equal(folder.status, 301);
  assert.equal(folder.headers.location, '/name/');
  assert.equal((await get('/name/')).status, 200);
  // resolvePath refuses them too (it is exported for other servers).
  for (const path of ['//name', '/a//b', '/./a', '/../a']) assert.equal(resolvePath(path, { '/': dir }), null, path);
});

test("Node's own 400, 431 and 405 answers carry the policy", async () => {
  const bad = await raw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n');
  assert.equal(bad.status, 400);
  assert.equal(bad.headers['content-security-policy'], CSP);
  assert.equal(bad.headers['x-content-type-options'], 'nosniff');
  const garbage = await raw('\x16\x03\x01 not http at all\r\n\r\n');
  assert.equal(garbage.status, 400);
  assert.equal(garbage.headers['content-security-policy'], CSP);
  const huge = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40 * 1024)}\r\n\r\n`);
  assert.equal(huge.status, 431);
  assert.equal(huge.headers['content-security-policy'], CSP);
  const post = await raw('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.equal(post.status, 405);
  assert.equal(post.headers['content-security-policy'], CSP);
});

test('frame-ancestors: the embed page for EMBED_ORIGINS only, every other page for its own origin', async () => {
  const page = await get('/');
  assert.equal(page.headers['content-security-policy'], CSP);
  assert.match(CSP, /frame-ancestors 'self'$/);
  assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
  const embed = await get('/embed.html');
  assert.equal(embed.status, 200);
  assert.equal(embed.headers['content-security-policy'], embedCsp([OA]));
  assert.equal(embed.headers['content-security-policy'], `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors ${OA}`);
  assert.equal(embed.headers['x-frame-options'], undefined);
  // The same file by another spelling of its path is not the embed page.
  assert.equal((await get('/embed.html?x=1')).headers['content-security-policy'], embedCsp([OA]));
  const config = await get('/embed-config.json');
  assert.equal(config.status, 200);
  assert.deepEqual(JSON.parse(config.body), { format: 'kpi-embed-config/1', v: 1, origins: [OA] });
  assert.equal(config.headers['cache-control'], 'no-store');
  // Without EMBED_ORIGINS: nobody may frame it, the list is empty.
  const closed = createAppServer({ www: join(dir, 'www'), pkg: join(dir, 'pkg') });
  const base = await listen(closed, 0);
  try {
    const res = await fetch(`${base}/embed.html`);
    assert.equal(res.headers.get('content-security-policy'), embedCsp([]));
    assert.match(embedCsp([]), /frame-ancestors 'none'$/);
    assert.deepEqual((await (await fetch(`${base}/embed-config.json`)).json()).origins, []);
  } finally {
    closed.close();
  }
});

test('EMBED_ORIGINS takes exact origins only; "*", paths and other schemes are refused, and the server does not start', async () => {
  assert.deepEqual(parseEmbedOrigins(' https://oa.example.com , http://10.0.0.5:8080/ ,,'), ['https://oa.example.com', 'http://10.0.0.5:8080']);
  assert.deepEqual(parseEmbedOrigins(''), []);
  for (const bad of ['*', 'null', 'https://*.example.com', 'https://oa.example.com/path', 'oa.example.com', 'javascript:alert(1)', 'file:///etc', 'https://a.com,*']) {
    assert.throws(() => parseEmbedOrigins(bad), /EMBED_ORIGINS/, bad);
  }
  assert.throws(() => createAppServer({ embedOrigins: ['*'] }), /EMBED_ORIGINS/);
  const child = spawn(process.execPath, [`${root}tools/serve.mjs`], { env: { ...process.env, PORT: '0', EMBED_ORIGINS: '*' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /EMBED_ORIGINS/);
});
