/**
 * Control API: `GET /api/records/:file`, a stored voice record (kept as SILK) served as MP3 a
 * browser plays — converted by the real ffmpeg, once, then from the cache — with byte ranges over
 * real HTTP, as a browser's <audio> asks for them when it seeks: 206 with `Content-Range`, 416 past
 * the end, the whole file (200) for what a server may ignore.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { PLAYABLE_DIR } from '../../../src/media/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { toneWav } from '../../helpers/audio.js';

describe('sandbox control API: GET /api/records/:file', () => {
  let app: TestApp;
  let base = '';
  let url = '';
  let file = '';
  let mp3 = Buffer.alloc(0);

  before(async () => {
    app = await startTestApp();
    base = `http://127.0.0.1:${app.app.sandbox.port}`;
    const posted = await fetch(`${base}/api/messages`, {
      method: 'POST',
      body: JSON.stringify({ from: USERS.carol, group_id: GROUPS.botOwner, message: [{ type: 'record', data: { file: `base64://${toneWav(0.6).toString('base64')}` } }] }),
    });
    assert.equal(posted.status, 200, await posted.text());
    const { messages } = await (await fetch(`${base}/api/messages?group_id=${GROUPS.botOwner}`)).json() as { messages: { message: { type: string; data: { file: string } }[] }[] };
    file = messages.at(-1)?.message[0]?.data.file ?? '';
    url = `${base}/api/records/${encodeURIComponent(file)}`;
  });

  after(async () => {
    await app.close();
  });

  it('serves a SILK record as MP3, converts it once, and refuses names that are not stored records', async () => {
    assert.match(file, /\.silk$/, 'the record is kept as SILK, as QQ keeps voice');
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'audio/mpeg');
    assert.equal(first.headers.get('accept-ranges'), 'bytes');
    mp3 = Buffer.from(await first.arrayBuffer());
    assert.equal(Number(first.headers.get('content-length')), mp3.length);
    assert.ok(mp3.length > 1000, `${mp3.length} bytes`);
    assert.ok(mp3.subarray(0, 3).toString('latin1') === 'ID3' || (mp3[0] === 0xff && ((mp3[1] ?? 0) & 0xe0) === 0xe0), 'an MP3 stream');

    const cached = path.join(app.dataDir, 'record', PLAYABLE_DIR, file.replace(/\.silk$/, '.mp3'));
    const made = statSync(cached).mtimeMs;
    const again = await fetch(url);
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), mp3);
    assert.equal(statSync(cached).mtimeMs, made, 'served from the cache, not converted again');

    const missing = await fetch(`${base}/api/records/nothing.silk`);
    assert.equal(missing.status, 400);
    assert.equal((await missing.json() as { error: string }).error, 'BAD_PARAMS');
    const escape = await fetch(`${base}/api/records/..%2Fsandbox.db`);
    assert.equal(escape.status, 400);
  });

  /** GET with these headers over a plain socket (no client-side range handling in between). */
  function get(headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }).on('error', reject).end();
    });
  }

  it('answers byte ranges: 206 with Content-Range for one range, 416 past the end, 200 with the whole file for what it may ignore', async () => {
    if (mp3.length === 0) mp3 = Buffer.from(await (await fetch(url)).arrayBuffer());
    const size = mp3.length;

    const head = await get({ range: 'bytes=0-99' });
    assert.equal(head.status, 206);
    assert.equal(head.headers['content-range'], `bytes 0-99/${size}`);
    assert.equal(head.headers['content-length'], '100');
    assert.equal(head.headers['content-type'], 'audio/mpeg');
    assert.equal(head.headers['accept-ranges'], 'bytes');
    assert.deepEqual(head.body, mp3.subarray(0, 100));

    const open = await get({ range: 'bytes=1000-' });
    assert.equal(open.status, 206);
    assert.equal(open.headers['content-range'], `bytes 1000-${size - 1}/${size}`);
    assert.deepEqual(open.body, mp3.subarray(1000));

    const tail = await get({ range: 'bytes=-64' });
    assert.equal(tail.status, 206);
    assert.equal(tail.headers['content-range'], `bytes ${size - 64}-${size - 1}/${size}`);
    assert.deepEqual(tail.body, mp3.subarray(size - 64));

    const beyond = await get({ range: `bytes=10-${size * 10}` });
    assert.equal(beyond.status, 206, 'an end past the file is the file\'s end');
    assert.equal(beyond.headers['content-range'], `bytes 10-${size - 1}/${size}`);
    assert.equal(beyond.body.length, size - 10);

    const past = await get({ range: `bytes=${size}-` });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${size}`);
    assert.equal((JSON.parse(past.body.toString('utf8')) as { error: string }).error, 'RANGE_NOT_SATISFIABLE');

    const backwards = await get({ range: 'bytes=9-0' });
    assert.equal(backwards.status, 416, 'no satisfiable range in the set');

    for (const ignored of ['bytes=0-9,500-509', 'items=0-9', 'bytes 0-9']) {
      const whole = await get({ range: ignored });
      assert.equal(whole.status, 200, ignored);
      assert.equal(whole.headers['content-range'], undefined, ignored);
      assert.deepEqual(whole.body, mp3, ignored);
    }

    // If-Range: the file's own ETag gets the range, another validator the whole file.
    const etag = String(head.headers['etag'] ?? '');
    assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    const same = await get({ range: 'bytes=0-9', 'if-range': etag });
    assert.equal(same.status, 206);
    assert.deepEqual(same.body, mp3.subarray(0, 10));
    const stale = await get({ range: 'bytes=0-9', 'if-range': '"0-0"' });
    assert.equal(stale.status, 200);
    assert.deepEqual(stale.body, mp3);
  });
});
