/**
 * The `onebot` backend against a real OneBot v11 upstream: a second cqhttpd running the sandbox.
 * A bot on the bridge must get the answers and event bytes it would get from the upstream directly
 * (message ids aside: the bridge gives its own, stable across restarts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { ok, startTestApp, type TestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { PNG, SILK } from '../../actions/cases/media.js';
import { parseCQ } from '../../../src/message/index.js';

const GROUP = 100001;
const CAROL = 20003;

let upstream: TestApp;
let bridge: TestApp;

// The upstream serves received media from its own HTTP API on 127.0.0.1: allowed as a download host.
const bridgeConfig = (port: number) => ({ backend: 'onebot', upstream_url: `ws://127.0.0.1:${port}/`, use_ws: true, allowed_download_hosts: '127.0.0.1' });
const noIds = (text: string) => text.replace(/"message_id":\d+/g, '"message_id":0');

before(async () => {
  upstream = await startTestApp({ config: { use_ws: true } });
  bridge = await startTestApp({ config: bridgeConfig(upstream.app.ws!.port) });
});

after(async () => {
  await bridge?.close();
  await upstream?.close();
});

test('the bridge runs no sandbox control API and reports the upstream online', async () => {
  assert.equal(bridge.instance.backend.kind, 'onebot');
  assert.equal(bridge.instance.sandbox, undefined);
  assert.throws(() => bridge.app, /not the sandbox/);
  const status = await ok<{ online: boolean; good: boolean }>(bridge, 'get_status');
  assert.equal(status.online, true);
});

test('reads answer as the upstream answers them directly', async () => {
  for (const [action, params] of [
    ['get_login_info', {}],
    ['get_group_member_info', { group_id: GROUP, user_id: CAROL }],
    ['get_group_member_info', { group_id: GROUP, user_id: '20001' }],
    ['get_group_list', {}],
    ['get_friend_list', {}],
    ['get_stranger_info', { user_id: CAROL }],
    ['get_group_member_info', { group_id: GROUP, user_id: 99999999 }],
  ] as const) {
    const direct = await upstream.call(action, params);
    const bridged = await bridge.call(action, params);
    assert.deepEqual(bridged.body, direct.body, `${action} ${JSON.stringify(params)}`);
  }
});

test('send_group_msg, get_msg and delete_msg answer as directly, with the bridge\'s own message ids', async () => {
  const direct = await upstream.call('send_group_msg', { group_id: GROUP, message: 'hello [CQ:face,id=14]' });
  const bridged = await bridge.call('send_group_msg', { group_id: GROUP, message: 'hello [CQ:face,id=14]' });
  assert.equal(bridged.body?.retcode, 0);
  const directId = (direct.body?.data as { message_id: number }).message_id;
  const bridgedId = (bridged.body?.data as { message_id: number }).message_id;
  assert.ok(Number.isInteger(bridgedId) && bridgedId > 0 && bridgedId <= 0x7fffffff);

  const directMsg = await upstream.call('get_msg', { message_id: directId });
  const bridgedMsg = await bridge.call('get_msg', { message_id: bridgedId });
  assert.equal(bridgedMsg.body?.retcode, 0, bridgedMsg.text);
  const strip = (data: unknown) => ({ ...(data as Record<string, unknown>), message_id: 0, real_id: 0, message_seq: 0, time: 0 });
  assert.deepEqual(strip(bridgedMsg.body?.data), strip(directMsg.body?.data));

  assert.deepEqual((await bridge.call('delete_msg', { message_id: bridgedId })).body, (await upstream.call('delete_msg', { message_id: directId })).body);
  const goneDirect = await upstream.call('get_msg', { message_id: directId });
  const goneBridged = await bridge.call('get_msg', { message_id: bridgedId });
  assert.equal(goneBridged.body?.retcode, goneDirect.body?.retcode);
  assert.equal(goneBridged.body?.msg, 'MESSAGE_NOT_FOUND');
  // An id the bridge never gave out is unknown, not passed through.
  assert.equal((await bridge.call('get_msg', { message_id: 2_000_000_000 })).body?.msg, 'MESSAGE_NOT_FOUND');
});

test('a failure of the upstream keeps its retcode and wording', async () => {
  const direct = await upstream.call('send_group_msg', { group_id: 424242, message: 'x' });
  const bridged = await bridge.call('send_group_msg', { group_id: 424242, message: 'x' });
  assert.notEqual(direct.body?.retcode, 0);
  assert.deepEqual(bridged.body, direct.body);
});

test('the extensions reach the upstream too: honors, essence, files answer as directly', async () => {
  for (const [action, params] of [
    ['get_group_honor_info', { group_id: GROUP, type: 'talkative' }],
    ['get_group_file_system_info', { group_id: GROUP }],
    ['_get_vip_info', { user_id: CAROL }],
    ['get_group_at_all_remain', { group_id: 424242 }],
  ] as const) {
    assert.deepEqual((await bridge.call(action, params)).body, (await upstream.call(action, params)).body, action);
  }
});

test('forward WebSocket calls through the bridge answer as the upstream\'s', async () => {
  const direct = await Peer.open(`ws://127.0.0.1:${upstream.app.ws!.port}/api`);
  const bridged = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/api`);
  try {
    for (const frame of [
      { action: 'get_login_info', echo: 'a' },
      { action: 'get_group_member_info', params: { group_id: GROUP, user_id: CAROL }, echo: 2 },
    ]) {
      assert.equal(await bridged.call(JSON.stringify(frame)), await direct.call(JSON.stringify(frame)));
    }
  } finally {
    direct.close();
    bridged.close();
  }
});

test('a group message in the upstream\'s world reaches a bot on the bridge with the same bytes, ids aside', async () => {
  const direct = await Peer.open(`ws://127.0.0.1:${upstream.app.ws!.port}/event`);
  const bridged = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await direct.next(); // lifecycle connect
    await bridged.next();
    const res = await fetch(`http://127.0.0.1:${upstream.app.sandbox.port}/api/messages`, {
      method: 'POST', body: JSON.stringify({ from: CAROL, group_id: GROUP, message: 'hi [CQ:face,id=14] &amp; more' }),
    });
    assert.equal(res.status, 200);
    const directFrame = await direct.next();
    const bridgedFrame = await bridged.next();
    assert.match(bridgedFrame, /"message_id":\d+/);
    assert.equal(noIds(bridgedFrame), noIds(directFrame));

    // The id in the event works for get_msg and a quoted reply through the bridge.
    const id = (JSON.parse(bridgedFrame) as { message_id: number }).message_id;
    const msg = await ok<{ raw_message: string; message_id: number }>(bridge, 'get_msg', { message_id: id });
    assert.equal(msg.message_id, id);
    const reply = await ok<{ message_id: number }>(bridge, 'send_group_msg', { group_id: GROUP, message: `[CQ:reply,id=${id}]noted` });
    const sent = await ok<{ message: string }>(bridge, 'get_msg', { message_id: reply.message_id });
    assert.equal(sent.message, `[CQ:reply,id=${id}]noted`);
  } finally {
    direct.close();
    bridged.close();
  }
});

test('media: received images and records are fetched from the upstream for get_image/get_record; sent ones reach it as their bytes', async () => {
  const bridged = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await bridged.next();
    const res = await fetch(`http://127.0.0.1:${upstream.app.sandbox.port}/api/messages`, {
      method: 'POST', body: JSON.stringify({ from: CAROL, group_id: GROUP, message: [
        { type: 'image', data: { file: `base64://${PNG.toString('base64')}` } }, { type: 'record', data: { file: `base64://${SILK.toString('base64')}` } },
      ] }),
    });
    assert.equal(res.status, 200);
    const event = JSON.parse(await bridged.next()) as { message: string };
    const [image, record] = parseCQ(event.message);
    assert.match(image?.data['url'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\//, 'the upstream\'s URL reaches the bot');
    const got = await ok<{ file: string }>(bridge, 'get_image', { file: image?.data['file'] });
    assert.ok(got.file.startsWith(bridge.dataDir), 'stored in the bridge\'s data directory');
    assert.deepEqual(fs.readFileSync(got.file), PNG);
    const wav = await ok<{ file: string }>(bridge, 'get_record', { file: record?.data['file'], out_format: 'wav', full_path: true });
    assert.equal(fs.readFileSync(wav.file).subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal((await bridge.call('get_image', { file: 'never-seen.png' })).body?.retcode, 100);
  } finally {
    bridged.close();
  }
  // The bot sends an image through the bridge: the upstream stores the same bytes.
  const { message_id: id } = await ok<{ message_id: number }>(bridge, 'send_group_msg', { group_id: GROUP, message: [{ type: 'image', data: { file: `base64://${PNG.toString('base64')}` } }] });
  const sent = await ok<{ message: string }>(bridge, 'get_msg', { message_id: id });
  const stored = await ok<{ file: string }>(upstream, 'get_image', { file: parseCQ(sent.message)[0]?.data['file'] });
  assert.deepEqual(fs.readFileSync(stored.file), PNG);
});

test('message ids survive a bridge restart; with the upstream gone calls fail at once and get_msg answers from the store', async () => {
  const { message_id: id } = await ok<{ message_id: number }>(bridge, 'send_group_msg', { group_id: GROUP, message: 'kept' });
  const before = await ok(bridge, 'get_msg', { message_id: id });
  await bridge.restart();
  assert.deepEqual(await ok(bridge, 'get_msg', { message_id: id }), before);
  const { message_id: next } = await ok<{ message_id: number }>(bridge, 'send_group_msg', { group_id: GROUP, message: 'after' });
  assert.ok(next > id, 'a restart does not hand out an id again');

  await upstream.close();
  const started = Date.now();
  const res = await bridge.call('get_login_info');
  assert.ok(Date.now() - started < 1000, 'no waiting for a dead upstream');
  assert.equal(res.body?.retcode, -1);
  assert.equal(res.body?.msg, 'BACKEND_OFFLINE');
  assert.match(res.body?.wording ?? '', /not connected/);
  assert.equal((await ok<{ online: boolean }>(bridge, 'get_status')).online, false);
  assert.deepEqual(await ok(bridge, 'get_msg', { message_id: id }), before);
});
