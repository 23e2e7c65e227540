/**
 * Sending media for real (CQHTTP 4.15 §8.6): image/record/video `file=` as a data-dir name,
 * http(s):// (downloaded, cached per `cache`, `timeout` honoured, size-limited), base64:// or an
 * allowed file://, stored under the data directory; received media carry a `url` the HTTP API
 * serves. Every refused source changes nothing: no message, no event, no new file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendEvent } from '../../src/backend/port.js';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { isSilkData } from '../../src/media/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startMediaServer, tempDir, unreachableUrl, wav, type MediaServer } from '../media/helpers.js';
import { PNG, SILK, tone } from './cases/media.js';

const G = GROUPS.botOwner;
const TOKEN = 'media-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const b64 = (data: Buffer): string => `base64://${data.toString('base64')}`;

/** Lists every file under the data directory's media folders. */
function mediaFiles(t: TestApp): string[] {
  return ['image', 'record', 'video', 'file'].flatMap((dir) => {
    const full = path.join(t.dataDir, dir);
    return fs.existsSync(full) ? fs.readdirSync(full).map((name) => `${dir}/${name}`) : [];
  }).sort();
}

describe('sending media', () => {
  let t: TestApp;
  let server: MediaServer;
  let allowed: { dir: string; cleanup: () => Promise<void> };
  let outside: { dir: string; cleanup: () => Promise<void> };
  const events: BackendEvent[] = [];

  before(async () => {
    server = await startMediaServer();
    allowed = await tempDir('cqhttpd-allowed-');
    outside = await tempDir('cqhttpd-outside-');
    t = await startTestApp({ config: { access_token: TOKEN, allowed_file_dirs: [allowed.dir], max_download_size: 64 * 1024, allowed_download_hosts: ['127.0.0.1/32'] } });
    t.app.backend.onEvent((e) => events.push(e));
  });
  after(async () => {
    await t.close();
    await server.close();
    await allowed.cleanup();
    await outside.cleanup();
  });

  const send = (message: unknown, groupId = G) => t.call('send_group_msg', { group_id: groupId, message }, AUTH);
  const last = () => t.app.backend.listMessages({ groupId: G }).at(-1);

  test('a base64 image is stored, and its url serves the bytes without the token (serve_data_files off)', async () => {
    const res = await send(`look[CQ:image,file=${b64(PNG)},cache=0,timeout=5]`);
    assert.equal(res.body?.retcode, 0, res.text);
    const seg = last()?.message[1];
    assert.equal(seg?.type, 'image');
    assert.match(seg?.data.file ?? '', /^[0-9a-f]{32}\.png$/);
    assert.deepEqual(Object.keys(seg?.data ?? {}), ['file', 'url'], 'send-only cache/timeout are not stored');
    const url = seg?.data.url ?? '';
    assert.ok(url.startsWith(`http://127.0.0.1:${t.app.http!.port}/data/image/${seg?.data.file}?sig=`), url);
    assert.equal(last()?.rawMessage, `look[CQ:image,file=${seg?.data.file}]`, 'raw_message is not enhanced (§7.6)');
    const got = await fetch(url);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
    assert.equal(got.headers.get('content-disposition'), 'attachment');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
    assert.deepEqual(fs.readFileSync(path.join(t.dataDir, 'image', seg?.data.file ?? '')), PNG);
    const read = await t.call('get_msg', { message_id: (res.body?.data as { message_id: number }).message_id }, AUTH);
    assert.equal(read.body?.retcode, 0, read.text);
    assert.ok(JSON.stringify(read.body?.data).includes(url), `get_msg carries the url: ${read.text}`);
    assert.equal((await fetch(url.replace(/\?.*$/, ''))).status, 404, 'unsigned: the 4.15 endpoint is off');
    // Forge by changing the signature's first character (to one it is not: it may already be '0').
    const forged = url.replace(/sig=(.)/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    assert.equal((await fetch(forged)).status, 404, 'a forged signature is no capability');
  });

  test('an http image is downloaded once with cache, again with cache=0, and its url serves it', async () => {
    const src = `${server.base}/img.png?v=1`;
    assert.equal((await send([{ type: 'image', data: { file: src } }])).body?.retcode, 0);
    const first = last()?.message[0];
    assert.deepEqual(Buffer.from(await (await fetch(first?.data.url ?? '')).arrayBuffer()), PNG);
    assert.equal((await send([{ type: 'image', data: { file: src } }])).body?.retcode, 0);
    assert.equal(server.hits.get('/img.png?v=1'), 1, 'cached');
    assert.equal((await send([{ type: 'image', data: { file: src, cache: '0' } }])).body?.retcode, 0);
    assert.equal(server.hits.get('/img.png?v=1'), 2, 'cache=0 downloads again');
    assert.equal(last()?.message[0]?.data.file, first?.data.file, 'the same URL keeps its name');
    assert.equal(server.lastHeaders.get('/img.png?v=1')?.referer, src, '4.15 sends Referer: <url>');
  });

  test('a data-dir name is sent as it is; a private image works too', async () => {
    const name = last()?.message[0]?.data.file ?? '';
    const res = await t.call('send_private_msg', { user_id: USERS.alice, message: `[CQ:image,file=${name}]` }, AUTH);
    assert.equal(res.body?.retcode, 0, res.text);
    const seg = t.app.backend.listMessages({ userId: USERS.alice }).at(-1)?.message[0];
    assert.equal(seg?.data.file, name);
    assert.equal((await fetch(seg?.data.url ?? '')).status, 200);
  });

  test('file:// inside allowed_file_dirs is copied in', async () => {
    const src = path.join(allowed.dir, 'pic one.png');
    fs.writeFileSync(src, PNG);
    assert.equal((await send(`[CQ:image,file=file://${src}]`)).body?.retcode, 0);
    const name = last()?.message[0]?.data.file ?? '';
    assert.deepEqual(fs.readFileSync(path.join(t.dataDir, 'image', name)), PNG);
  });

  test('a user posting a base64 image through the control API: the bot gets it with a working url', async () => {
    events.length = 0;
    const res = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: USERS.carol, group_id: G, message: `pic:[CQ:image,file=${b64(PNG)}]` }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const event = events.find((e) => e.post_type === 'message');
    const seg = (event?.message as { type: string; data: Record<string, string> }[] | undefined)?.[1];
    assert.equal(seg?.type, 'image');
    assert.match(seg?.data.file ?? '', /^[0-9a-f]{32}\.png$/);
    assert.deepEqual(Buffer.from(await (await fetch(seg?.data.url ?? '')).arrayBuffer()), PNG);
  });

  test('a non-SILK record is stored as SILK; a SILK one as it is', async () => {
    assert.equal((await send([{ type: 'record', data: { file: b64(wav(tone(0.3))) } }])).body?.retcode, 0);
    const converted = last()?.message[0]?.data.file ?? '';
    assert.match(converted, /\.silk$/);
    assert.ok(isSilkData(fs.readFileSync(path.join(t.dataDir, 'record', converted))));
    assert.equal((await fetch(last()?.message[0]?.data.url ?? '')).status, 200, 'records get a url too');
    assert.equal((await send([{ type: 'record', data: { file: b64(SILK), magic: '1' } }])).body?.retcode, 0);
    const kept = last()?.message[0];
    assert.deepEqual(fs.readFileSync(path.join(t.dataDir, 'record', kept?.data.file ?? '')), SILK);
    assert.equal(kept?.data.magic, '1', 'other parameters stay');
  });

  test('forward nodes: the media of custom contents are stored too (forward action and node segments)', async () => {
    const viaAction = await t.call('send_group_forward_msg', {
      group_id: G, messages: [{ type: 'node', data: { user_id: USERS.alice, nickname: 'A', content: [{ type: 'image', data: { file: b64(PNG) } }] } }],
    }, AUTH);
    assert.equal(viaAction.body?.retcode, 0, viaAction.text);
    const forward = await t.call('get_forward_msg', { id: (viaAction.body?.data as { forward_id: string }).forward_id }, AUTH);
    const card = JSON.stringify(forward.body?.data);
    const url = /\[CQ:image,file=[0-9a-f]{32}\.png,url=([^\]"]+)\]/.exec(card)?.[1];
    assert.ok(url !== undefined, `the card's image is stored and carries its url: ${card}`);
    assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), PNG, 'the url inside a card serves the bytes');
    const viaSegments = await send([{ type: 'node', data: { user_id: USERS.alice, nickname: 'A', content: `x[CQ:image,file=${b64(PNG)}]` } }]);
    assert.equal(viaSegments.body?.retcode, 0, viaSegments.text);
    const refused = await send([{ type: 'node', data: { user_id: USERS.alice, nickname: 'A', content: '[CQ:image,file=../x.png]' } }]);
    assert.equal(refused.body?.retcode, 100, refused.text);
  });

  describe('refused sources change nothing', () => {
    const refusals: [string, () => Promise<unknown> | unknown, number, RegExp][] = [
      ['path traversal in a name', () => '[CQ:image,file=../sandbox.db]', 100, /path separator/],
      ['traversal to /etc', () => '[CQ:image,file=../../../etc/passwd]', 100, /path separator/],
      ['a name that is not there', () => '[CQ:image,file=nothing-here.png]', 100, /no image named/],
      ['oversize base64', () => `[CQ:image,file=${b64(Buffer.alloc(80 * 1024, 1))}]`, 100, /too large/],
      ['oversize download', () => `[CQ:image,file=${server.base}/huge]`, 100, /too large/],
      ['file:// outside allowed_file_dirs', () => {
        const src = path.join(outside.dir, 'a.png');
        fs.writeFileSync(src, PNG);
        return `[CQ:image,file=file://${src}]`;
      }, 100, /outside allowed_file_dirs/],
      ['file:// climbing out with ..', () => `[CQ:image,file=file://${allowed.dir}/../${path.basename(outside.dir)}/a.png]`, 100, /outside allowed_file_dirs/],
      ['file:// through a symlink leading out', () => {
        fs.symlinkSync(path.join(outside.dir, 'a.png'), path.join(allowed.dir, 'link.png'));
        return `[CQ:image,file=file://${allowed.dir}/link.png]`;
      }, 100, /outside allowed_file_dirs/],
      ['an unreachable URL', async () => `[CQ:image,file=${await unreachableUrl()}]`, 103, /unreachable/],
      ['an HTTP error', () => `[CQ:image,file=${server.base}/missing]`, 103, /HTTP 404/],
      ['a scheme that is not supported', () => '[CQ:image,file=ftp://127.0.0.1/a.png]', 100, /not supported/],
      ['timeout honoured', () => `[CQ:video,file=${server.base}/slow,timeout=1]`, 103, /timed out after 1 s/],
      ['a bad second image stops the whole message', () => `ok[CQ:image,file=${b64(PNG)}][CQ:image,file=../x.png]`, 100, /path separator/],
    ];
    for (const [name, message, retcode, wording] of refusals) {
      test(name, async () => {
        const value = await message();
        const before = { messages: t.app.backend.listMessages({ groupId: G }).length, files: mediaFiles(t), events: events.length };
        const started = Date.now();
        const res = await send(value);
        assert.equal(res.body?.retcode, retcode, res.text);
        assert.match(res.body?.wording ?? '', wording);
        assert.equal(t.app.backend.listMessages({ groupId: G }).length, before.messages, 'no message stored');
        assert.equal(events.length, before.events, 'no event');
        assert.deepEqual(mediaFiles(t), before.files, 'no file stored (not even a partial one)');
        assert.ok(Date.now() - started < 5000, 'answered promptly');
      });
    }
  });
});
