/**
 * Control API: `GET /api/records/:file`, a stored voice record (kept as SILK) served as MP3 a
 * browser plays — converted by the real ffmpeg, once, then from the cache.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { PLAYABLE_DIR } from '../../../src/media/index.js';
import { startTestApp } from '../../helpers/app.js';
import { toneWav } from '../../helpers/audio.js';

describe('sandbox control API: GET /api/records/:file', () => {
  it('serves a SILK record as MP3, converts it once, and refuses names that are not stored records', async () => {
    const app = await startTestApp();
    try {
      const base = `http://127.0.0.1:${app.app.sandbox.port}`;
      const posted = await fetch(`${base}/api/messages`, {
        method: 'POST',
        body: JSON.stringify({ from: USERS.carol, group_id: GROUPS.botOwner, message: [{ type: 'record', data: { file: `base64://${toneWav(0.6).toString('base64')}` } }] }),
      });
      assert.equal(posted.status, 200, await posted.text());
      const { messages } = await (await fetch(`${base}/api/messages?group_id=${GROUPS.botOwner}`)).json() as { messages: { message: { type: string; data: { file: string } }[] }[] };
      const file = messages.at(-1)?.message[0]?.data.file ?? '';
      assert.match(file, /\.silk$/, 'the record is kept as SILK, as QQ keeps voice');

      const first = await fetch(`${base}/api/records/${encodeURIComponent(file)}`);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('content-type'), 'audio/mpeg');
      const mp3 = Buffer.from(await first.arrayBuffer());
      assert.equal(Number(first.headers.get('content-length')), mp3.length);
      assert.ok(mp3.length > 1000, `${mp3.length} bytes`);
      assert.ok(mp3.subarray(0, 3).toString('latin1') === 'ID3' || (mp3[0] === 0xff && ((mp3[1] ?? 0) & 0xe0) === 0xe0), 'an MP3 stream');

      const cached = path.join(app.dataDir, 'record', PLAYABLE_DIR, file.replace(/\.silk$/, '.mp3'));
      const made = statSync(cached).mtimeMs;
      const again = await fetch(`${base}/api/records/${encodeURIComponent(file)}`);
      assert.deepEqual(Buffer.from(await again.arrayBuffer()), mp3);
      assert.equal(statSync(cached).mtimeMs, made, 'served from the cache, not converted again');

      const missing = await fetch(`${base}/api/records/nothing.silk`);
      assert.equal(missing.status, 400);
      assert.equal((await missing.json() as { error: string }).error, 'BAD_PARAMS');
      const escape = await fetch(`${base}/api/records/..%2Fsandbox.db`);
      assert.equal(escape.status, 400);
    } finally {
      await app.close();
    }
  });
});
