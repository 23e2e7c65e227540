/**
 * The data-file endpoint (CQHTTP 4.15 §3.2) and signed media URLs, through the whole app:
 * `serve_data_files`, GET only, header-only auth, the four sub-folders, every escape → 403,
 * the exact headers, streaming; signatures that survive a restart and open nothing else.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { PNG } from '../../actions/cases/media.js';

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** A request with the target sent byte for byte (fetch would normalise `..`). */
function raw(port: number, target: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function put(t: TestApp, rel: string, data: Buffer): void {
  const file = path.join(t.dataDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

describe('the data-file endpoint with serve_data_files on and a token', () => {
  let t: TestApp;
  let port: number;
  const AUTH = { authorization: 'Bearer tok' };
  before(async () => {
    t = await startTestApp({ config: { serve_data_files: true, access_token: 'tok' } });
    port = t.app.http!.port;
    put(t, 'image/a.png', PNG);
    put(t, 'record/deep/b.silk', Buffer.from('#!SILK_V3'));
    put(t, 'show/s.gif', Buffer.from('GIF89a'));
    put(t, 'bface/f.bin', Buffer.from([1, 2, 3]));
    put(t, 'video/v.mp4', Buffer.from('....ftypisom'));
    put(t, 'image/empty.png', Buffer.alloc(0));
    fs.symlinkSync('/etc/hostname', path.join(t.dataDir, 'image', 'escape.png'));
  });
  after(() => t.close());

  test('200 with exactly the 4.15 headers, for each of the four sub-folders', async () => {
    const res = await raw(port, '/data/image/a.png', { headers: AUTH });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(PNG.length));
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.equal(res.headers['content-disposition'], 'attachment');
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS header');
    assert.deepEqual(res.body, PNG);
    for (const target of ['/data/record/deep/b.silk', '/data/show/s.gif', '/data/bface/f.bin', '/data/image/empty.png']) {
      assert.equal((await raw(port, target, { headers: AUTH })).status, 200, target);
    }
    assert.equal((await raw(port, '/data/image/a.png?ignored=1', { headers: AUTH })).status, 200, 'the query is ignored');
  });

  test('auth comes from the header only: 401 without, 403 wrong, ?access_token= is not read', async () => {
    assert.equal((await raw(port, '/data/image/a.png')).status, 401);
    assert.equal((await raw(port, '/data/image/a.png?access_token=tok')).status, 401);
    assert.equal((await raw(port, '/data/image/a.png', { headers: { authorization: 'Bearer nope' } })).status, 403);
    assert.equal((await raw(port, '/data/image/a.png', { headers: { authorization: 'Token tok' } })).status, 200);
  });

  test('every escape is 403', async () => {
    for (const target of [
      '/data/image/../sandbox.db', '/data/image/%2e%2e/sandbox.db', '/data/image/..%2fsandbox.db', '/data/image/..%5csandbox.db',
      '/data/image/a..png', '/data/record/deep/../../media-url.key', '/data/image/a.png%00', '/data/image/escape.png',
    ]) {
      const res = await raw(port, target, { headers: AUTH });
      assert.equal(res.status, 403, target);
      assert.equal(res.body.length, 0);
    }
  });

  test('other sub-folders, missing files and directories are 404; other methods 405', async () => {
    for (const target of ['/data/video/v.mp4', '/data/file/x', '/data/logs/x', '/data/image/missing.png', '/data/record/deep', '/data/image/', '/data/']) {
      assert.equal((await raw(port, target, { headers: AUTH })).status, 404, target);
    }
    const post = await raw(port, '/data/image/a.png', { method: 'POST', headers: AUTH });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
  });

  test('a large file is streamed whole', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a);
    put(t, 'image/big.bin', big);
    const res = await raw(port, '/data/image/big.bin', { headers: AUTH });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, big.length);
    assert.equal(res.headers['content-length'], String(big.length));
  });
});

describe('serve_data_files off (the default)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { access_token: 'tok' } });
    put(t, 'image/a.png', PNG);
  });
  after(() => t.close());

  test('the 4.15 endpoint does not exist: 404 even with the token', async () => {
    assert.equal((await raw(t.app.http!.port, '/data/image/a.png', { headers: { authorization: 'Bearer tok' } })).status, 404);
    assert.equal((await raw(t.app.http!.port, '/data/image/a.png', { method: 'POST' })).status, 404);
  });

  test('a signed URL serves its file alone, without the token, and survives a restart', async () => {
    const res = await t.call('send_group_msg', { group_id: 100001, message: '[CQ:image,file=a.png]' }, { authorization: 'Bearer tok' });
    assert.equal(res.body?.retcode, 0, res.text);
    const url = new URL(t.app.backend.listMessages({ groupId: 100001 }).at(-1)?.message[0]?.data.url ?? '');
    const port = t.app.http!.port;
    assert.deepEqual((await raw(port, url.pathname + url.search)).body, PNG);
    assert.equal((await raw(port, url.pathname + url.search, { method: 'POST' })).status, 405);
    put(t, 'image/b.png', PNG);
    assert.equal((await raw(port, `/data/image/b.png${url.search}`)).status, 404, 'the signature names one file');
    assert.equal((await raw(port, `/data/record/a.png${url.search}`)).status, 404, 'and one folder');
    const key = fs.readFileSync(path.join(t.dataDir, 'media-url.key'));
    assert.equal(fs.statSync(path.join(t.dataDir, 'media-url.key')).mode & 0o077, 0, 'the key is private');
    await t.restart();
    assert.deepEqual(fs.readFileSync(path.join(t.dataDir, 'media-url.key')), key);
    assert.deepEqual((await raw(t.app.http!.port, url.pathname + url.search)).body, PNG, 'the same key after a restart');
  });
});
