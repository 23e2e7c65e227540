/** The web console's files on the control listener: from memory, precompressed, cached by name, public. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, gunzipSync, brotliDecompressSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { accepts } from '../../../src/transports/sandbox/console-files.js';
import { makeTempDir, removeDir } from '../../backend/helpers.js';
import { withControl } from './harness.js';

const SCRIPT = 'console.log("hello from the console");'.repeat(20);

/** A console build as `npm run build` writes it: index.html, a hashed asset and their compressed forms. */
function fakeBuild(): string {
  const dir = makeTempDir();
  fs.mkdirSync(path.join(dir, 'assets'));
  const write = (name: string, text: string, compress: boolean): void => {
    fs.writeFileSync(path.join(dir, name), text);
    if (!compress) return;
    fs.writeFileSync(path.join(dir, `${name}.gz`), gzipSync(text));
    fs.writeFileSync(path.join(dir, `${name}.br`), brotliCompressSync(text));
  };
  write('index.html', '<!doctype html><script type="module" src="./assets/index-abc123.js"></script>', true);
  write('assets/index-abc123.js', SCRIPT, true);
  write('assets/logo-def456.png', 'png', false);
  return dir;
}

async function get(url: string, encoding: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  // fetch would decode the body; read the bytes as sent with node's own http client instead.
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

describe('the web console on the control listener', () => {
  const dir = fakeBuild();
  after(() => removeDir(dir));

  it('serves index.html at / (revalidated) and hashed assets for good, brotli or gzip by Accept-Encoding', () => withControl(async ({ base }) => {
    const index = await get(`${base}/`, 'gzip, br');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.equal(index.headers.get('content-encoding'), 'br');
    assert.match(brotliDecompressSync(index.body).toString(), /index-abc123\.js/);
    const gz = await get(`${base}/assets/index-abc123.js`, 'gzip, br;q=0');
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(gz.headers.get('vary'), 'Accept-Encoding');
    assert.match(gz.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(gunzipSync(gz.body).toString(), SCRIPT);
    const plain = await get(`${base}/assets/index-abc123.js`, 'identity');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(plain.body.toString(), SCRIPT);
    assert.equal(Number(plain.headers.get('content-length')), SCRIPT.length);
    const png = await get(`${base}/assets/logo-def456.png`, 'gzip, br');
    assert.deepEqual([png.headers.get('content-type'), png.headers.get('content-encoding'), png.body.toString()], ['image/png', null, 'png']);
    assert.equal((await get(`${base}/assets/nope.js`, 'gzip')).status, 404);
    assert.equal((await get(`${base}/../../etc/passwd`, 'gzip')).status, 404);
  }, { consoleDir: dir }));

  it('reads the files on the first request, not at start', async () => {
    const late = fakeBuild();
    try {
      await withControl(async ({ base }) => {
        fs.writeFileSync(path.join(late, 'index.html'), 'changed after start');
        fs.rmSync(path.join(late, 'index.html.br'));
        fs.rmSync(path.join(late, 'index.html.gz'));
        assert.equal((await get(`${base}/`, 'gzip, br')).body.toString(), 'changed after start');
      }, { consoleDir: late });
    } finally {
      removeDir(late);
    }
  });

  it('is public when sandbox_token is set, while every /api/ call still needs the token', () => withControl(async ({ base, req }) => {
    assert.equal((await get(`${base}/`, '')).status, 200);
    assert.equal((await req('GET', '/api/world')).status, 401);
  }, { consoleDir: dir, token: 's3cret' }));

  it('without a build: / answers 404 saying how to build it, and the log says so once at start', () => withControl(async ({ req, logs }) => {
    const answer = await req('GET', '/');
    assert.equal(answer.status, 404);
    assert.match(String(answer.json.message), /npm run build/);
    assert.equal(logs.filter((l) => /web console not built \(run npm run build\)/.test(String(l['msg']))).length, 1);
  }, { consoleDir: path.join(dir, 'missing') }));

  it('parses Accept-Encoding: q=0 refuses a coding', () => {
    assert.equal(accepts('gzip, br', 'br'), true);
    assert.equal(accepts('gzip;q=0, br;q=0.5', 'gzip'), false);
    assert.equal(accepts('gzip;q=0, br;q=0.5', 'br'), true);
    assert.equal(accepts(undefined, 'gzip'), false);
    assert.equal(accepts('deflate', 'gzip'), false);
  });
});
