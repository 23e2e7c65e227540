/**
 * `http(s)://` sources (CQHTTP 4.15 §8.6): download into `md5(url).<ext>`, `cache`, `timeout`,
 * size limit, redirects, schemes, concurrency — against a real local HTTP server.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MediaStore } from '../../src/media/index.js';
import { ApiError } from '../../src/protocol/errors.js';
import { PNG, JPEG, startMediaServer, tempDir, unreachableUrl, type MediaServer } from './helpers.js';

/** The test servers listen on loopback, which downloads may reach only when allow-listed. */
const LOOPBACK = ['127.0.0.1'];

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Asserts an ApiError with this code whose sentence matches `pattern`. */
async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('http(s):// sources', () => {
  let server: MediaServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: MediaStore;
  before(async () => {
    server = await startMediaServer();
    ({ dir, cleanup } = await tempDir());
    store = new MediaStore(dir, { maxDownloadBytes: 1024 * 1024, downloadTimeoutSeconds: 5, maxConcurrentDownloads: 2, allowedDownloadHosts: LOOPBACK });
  });
  after(async () => {
    await server.close();
    await cleanup();
  });
  const image = (file: string, extra: Record<string, string> = {}) => store.resolveOutgoing({ type: 'image', data: { file, ...extra } });
  const imageFiles = async () => (await readdir(path.join(dir, 'image'))).sort();

  test('downloads into image/md5(url).png, keeps the other params, sends a browser UA and Referer', async () => {
    const url = `${server.base}/img.png`;
    const seg = await image(url, { cache: '1', timeout: '3', type: 'flash' });
    assert.deepEqual(seg, { type: 'image', data: { file: `${md5(url)}.png`, cache: '1', timeout: '3', type: 'flash' } });
    assert.deepEqual(await readFile(path.join(dir, 'image', seg.data.file as string)), PNG);
    const headers = server.lastHeaders.get('/img.png');
    assert.match(headers?.['user-agent'] ?? '', /Mozilla/);
    assert.equal(headers?.referer, url);
  });

  test('the cached copy is reused; cache=0 / false / no downloads again', async () => {
    const url = `${server.base}/img.png?v=1`;
    await image(url);
    await image(url);
    await image(url, { cache: 'yes' });
    assert.equal(server.hits.get('/img.png?v=1'), 1);
    await image(url, { cache: '0' });
    await image(url, { cache: 'FALSE' });
    await image(url, { cache: 'no' });
    assert.equal(server.hits.get('/img.png?v=1'), 4);
    await image(url, { cache: 'maybe' }); // not a get_bool value → the default (cache on)
    assert.equal(server.hits.get('/img.png?v=1'), 4);
  });

  test('without an extension in the URL the content is sniffed (png, jpg)', async () => {
    assert.equal((await image(`${server.base}/noext`)).data.file, `${md5(`${server.base}/noext`)}.png`);
    const photo = await image(`${server.base}/photo`);
    assert.equal(photo.data.file, `${md5(`${server.base}/photo`)}.jpg`);
    assert.deepEqual(await readFile(path.join(dir, 'image', photo.data.file as string)), JPEG);
    await image(`${server.base}/photo`);
    assert.equal(server.hits.get('/photo'), 1, 'a sniffed name is found in the cache too');
  });

  test('concurrent sends of the same URL are serialised: one download', async () => {
    const url = `${server.base}/slow-png`;
    const results = await Promise.all([image(url), image(url), image(url)]);
    assert.equal(server.hits.get('/slow-png'), 1);
    assert.deepEqual(new Set(results.map((r) => r.data.file)), new Set([`${md5(url)}.png`]));
  });

  test('at most max_concurrent_downloads downloads run at once', async () => {
    const urls = [1, 2, 3, 4, 5].map((i) => `${server.base}/gate/${i}`);
    const results = await Promise.all(urls.map((u) => image(u)));
    assert.equal(results.length, 5);
    assert.equal(server.maxGateInFlight(), 2);
  });

  test('the segment timeout (seconds) aborts a stalled download and leaves no file', async () => {
    const before = await imageFiles();
    const started = Date.now();
    await rejectsWith(image(`${server.base}/slow`, { timeout: '1' }), 'OPERATION_FAILED', /timed out after 1 s/);
    assert.ok(Date.now() - started < 4000, 'gave up after about a second');
    assert.deepEqual(await imageFiles(), before);
  });

  test('the configured download_timeout applies without a segment timeout', async () => {
    const quick = new MediaStore(dir, { downloadTimeoutSeconds: 0.3, allowedDownloadHosts: LOOPBACK });
    await rejectsWith(quick.resolveOutgoing({ type: 'image', data: { file: `${server.base}/slow` } }), 'OPERATION_FAILED', /timed out after 0\.3 s/);
  });

  test('an abort signal stops a download in progress', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const pending = store.resolveOutgoing({ type: 'image', data: { file: `${server.base}/slow`, timeout: '20' } }, { signal: controller.signal });
    await rejectsWith(pending, 'OPERATION_FAILED', /was aborted/);
  });

  test('a body over max_download_size is aborted while streaming; no partial file is left', async () => {
    const before = await imageFiles();
    await rejectsWith(image(`${server.base}/huge`), 'BAD_PARAMS', /too large \(over 1048576 bytes, max_download_size\)/);
    assert.deepEqual(await imageFiles(), before);
    assert.equal(before.some((f) => f.startsWith(md5(`${server.base}/huge`)) || f.endsWith('.part')), false);
  });

  test('a Content-Length over the limit is refused before reading the body', async () => {
    const started = Date.now();
    await rejectsWith(image(`${server.base}/huge-declared`), 'BAD_PARAMS', /too large/);
    assert.ok(Date.now() - started < 2000);
    assert.equal((await imageFiles()).some((f) => f.endsWith('.part')), false);
  });

  test('HTTP 404 and an unreachable server are OPERATION_FAILED with the cause', async () => {
    await rejectsWith(image(`${server.base}/missing`), 'OPERATION_FAILED', /HTTP 404/);
    const url = await unreachableUrl();
    await rejectsWith(image(url), 'OPERATION_FAILED', /unreachable \(connection refused\)/);
    assert.equal((await imageFiles()).includes(`${md5(url)}.png`), false);
  });

  test('redirects are followed up to the limit; more fail; the name is md5 of the original URL', async () => {
    const url = `${server.base}/redirect/5`;
    assert.equal((await image(url)).data.file, `${md5(url)}.png`);
    assert.equal(server.hits.get('/redirect/0'), 1);
    await rejectsWith(image(`${server.base}/redirect/6`), 'OPERATION_FAILED', /more than 5 redirects/);
  });

  test('schemes: a redirect to ftp:// and a disallowed http:// are refused; other schemes are unsupported', async () => {
    await rejectsWith(image(`${server.base}/redirect-ftp`), 'BAD_PARAMS', /redirect scheme "ftp:" is not allowed/);
    const httpsOnly = new MediaStore(dir, { allowedUrlSchemes: ['https'], allowedDownloadHosts: LOOPBACK });
    await rejectsWith(httpsOnly.resolveOutgoing({ type: 'image', data: { file: `${server.base}/img.png` } }), 'BAD_PARAMS', /scheme "http:" is not allowed \(allowed_url_schemes: https\)/);
    await rejectsWith(image('ftp://example.com/a.png'), 'BAD_PARAMS', /not supported/);
    await rejectsWith(image('http://'), 'BAD_PARAMS', /not a valid URL/);
    assert.throws(() => new MediaStore(dir, { allowedUrlSchemes: ['ftp'] }), /allowedUrlSchemes/);
  });

  test('records and videos use their own folders, and a body that is not their kind is not kept', async () => {
    const url = `${server.base}/img.png`;
    await rejectsWith(store.resolveOutgoing({ type: 'record', data: { file: url, magic: '1' } }), 'BAD_PARAMS', /img\.png is not audio .*not kept/);
    await rejectsWith(store.resolveOutgoing({ type: 'video', data: { file: url } }), 'BAD_PARAMS', /is not a video/);
    assert.deepEqual(await readdir(path.join(dir, 'record')).catch(() => []), []);
    assert.deepEqual(await readdir(path.join(dir, 'video')).catch(() => []), []);
    const face = { type: 'face', data: { id: '14', file: 'http://x/y' } };
    assert.equal(await store.resolveOutgoing(face), face);
  });

  test('download() for download_file: extra headers are sent, the file lands in file/', async () => {
    const url = `${server.base}/noext`;
    const name = await store.download('file', url, { headers: { 'X-Test': 'yes' }, cache: false });
    assert.equal(name, `${md5(url)}.png`);
    assert.equal(server.lastHeaders.get('/noext')?.['x-test'], 'yes');
    assert.deepEqual(await readFile(store.pathOf('file', name)), PNG);
  });
});
