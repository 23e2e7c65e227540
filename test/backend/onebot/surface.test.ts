/**
 * What a bot on the bridge sees beyond the mapped actions, against a fake upstream that speaks like
 * NapCat/LLBot: pass-through of unknown actions (`upstream_passthrough`), events in cqhttpd's exact
 * field sets, upstream-only notices passed on, `bot_offline`/`bot_online` on the upstream's
 * connection, no event delivered twice (upstream resending after a reconnect, cqhttpd restarting),
 * and the control listener serving /metrics and /api/status.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { KEYS, assertCanonical, keysOf } from '../../events/keys.js';
import { Peer } from '../../transports/ws/harness.js';
import { Failure, startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const SELF = 123456789;
let upstream: FakeUpstream;
let bridge: TestApp;

before(async () => {
  upstream = await startFakeUpstream((call) => {
    switch (call.action) {
      case 'get_login_info': return { user_id: SELF, nickname: 'real bot' };
      case 'get_ai_characters': return [{ type: 'cute', characters: [{ character_id: 'lucy', preview_url: 'https://x/y.wav' }] }];
      case 'fetch_custom_face': return new Failure(200, 'ERROR', 'something the upstream says');
      case 'get_cookies': return { cookies: `uin=o0123456789; skey=@REALskey1${call.params['domain'] === undefined ? '' : `; p_skey=for-${String(call.params['domain'])}`}` };
      case 'get_csrf_token': return { token: 424242 };
      default: return new Failure(1404, 'API_NOT_FOUND', `unknown action ${call.action}`);
    }
  });
  bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: upstream.url, use_ws: true, upstream_passthrough: 'get_ai_characters,fetch_custom_face,set_input_status' } });
});

const online = async () => ((await bridge.call('get_status')).body?.data as { online: boolean }).online;

after(async () => {
  await bridge?.close();
  await upstream?.close();
});

test('listed unknown actions pass through to the upstream as they are; others are unknown as always', async () => {
  const res = await bridge.call('get_ai_characters', { group_id: '42', chat_type: 1 });
  assert.deepEqual(res.body, { status: 'ok', retcode: 0, data: [{ type: 'cute', characters: [{ character_id: 'lucy', preview_url: 'https://x/y.wav' }] }] });
  assert.deepEqual(upstream.calls.at(-1)?.params, { group_id: '42', chat_type: 1 }, 'parameters untouched');
  const failed = await bridge.call('fetch_custom_face', {});
  assert.equal(failed.body?.retcode, 103);
  assert.equal(failed.body?.msg, 'UPSTREAM_FAILED');
  assert.match(failed.body?.wording ?? '', /retcode 200: something the upstream says/);
  const missing = await bridge.call('set_input_status', { user_id: 1, event_type: 1 });
  assert.equal(missing.body?.retcode, 1404, 'listed, but the upstream lacks it: UNSUPPORTED');
  assert.equal(missing.body?.msg, 'UNSUPPORTED');
  const calls = upstream.calls.length;
  assert.equal((await bridge.call('get_ai_record', {})).status, 404, 'not listed: unknown, never sent upstream');
  assert.equal(upstream.calls.length, calls);
  // A port operation the upstream lacks: its 1404 is UNSUPPORTED, answered at once.
  const honors = await bridge.call('get_group_honor_info', { group_id: 42 });
  assert.deepEqual([honors.body?.retcode, honors.body?.msg], [1404, 'UNSUPPORTED']);
  assert.match(honors.body?.wording ?? '', /get_group_honor_info: the upstream does not know this action/);
  // _async works for a passed action too
  assert.equal((await bridge.call('get_ai_characters_async', {})).body?.retcode, 1);
});

test('credentials are the real account\'s, asked of the upstream (not the sandbox\'s fake session)', async () => {
  assert.deepEqual((await bridge.call('get_cookies', {})).body?.data, { cookies: 'uin=o0123456789; skey=@REALskey1' });
  assert.deepEqual((await bridge.call('get_cookies', { domain: 'qun.qq.com' })).body?.data, { cookies: 'uin=o0123456789; skey=@REALskey1; p_skey=for-qun.qq.com' });
  assert.deepEqual((await bridge.call('get_csrf_token', {})).body?.data, { token: 424242 });
  assert.deepEqual((await bridge.call('get_credentials', { domain: 'qzone.qq.com' })).body?.data, { cookies: 'uin=o0123456789; skey=@REALskey1; p_skey=for-qzone.qq.com', csrf_token: 424242 });
  assert.equal((await bridge.call('get_cookies', { domain: 'not a domain' })).body?.retcode, 100, 'checked before the upstream is asked');
});

test('upstream events reach bots in cqhttpd\'s exact field sets; upstream-only notices pass as they are', async () => {
  const peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await peer.next(); // lifecycle connect
    // NapCat-style: ids as strings, extra keys, a private message's sender with card, poke without sender_id.
    upstream.push({
      self_id: String(SELF), user_id: '20001', time: 1700000000, message_id: 'np-1', message_seq: 77, real_id: 77, real_seq: '77', message_type: 'private',
      sender: { user_id: 20001, nickname: 'Alice', card: '' }, raw_message: 'hi', font: 14, sub_type: 'friend', message: [{ type: 'text', data: { text: 'hi' } }],
      message_format: 'array', post_type: 'message', target_id: SELF,
    });
    upstream.push({
      self_id: SELF, user_id: 20002, time: 1700000001, message_id: 'np-2', message_type: 'group', group_id: 42, raw_message: '[CQ:reply,id=np-1]ok',
      sender: { user_id: 20002, nickname: 'Bob', card: 'bobby', role: 'admin' }, message: [{ type: 'reply', data: { id: 'np-1' } }, { type: 'text', data: { text: 'ok' } }],
      message_format: 'array', post_type: 'message', sub_type: 'normal', font: 14,
    });
    upstream.push({ time: 1700000002, self_id: SELF, post_type: 'notice', notice_type: 'notify', sub_type: 'poke', target_id: SELF, user_id: 20002, group_id: 42, raw_info: [{ type: 'qq' }] });
    upstream.push({ time: 1700000003, self_id: SELF, post_type: 'notice', notice_type: 'group_recall', group_id: '42', user_id: '20002', operator_id: '20002', message_id: 'np-2' });
    upstream.push({ time: 1700000004, self_id: SELF, post_type: 'request', request_type: 'group', sub_type: 'add', group_id: 42, user_id: 20003, comment: 'hi', flag: 'f1', invitor_id: 0 });
    upstream.push({ time: 1700000005, self_id: SELF, post_type: 'notice', notice_type: 'notify', sub_type: 'input_status', user_id: 20001, group_id: 0, status_text: '对方正在输入...', event_type: 1 });
    upstream.push({ time: 1700000006, self_id: SELF, post_type: 'notice', notice_type: 'notify', sub_type: 'bot_offline', tag: 'KickedOffLine', message: 'kicked' });

    const frames: Record<string, unknown>[] = [];
    for (let i = 0; i < 7; i++) {
      const text = await peer.next();
      assertCanonical(text);
      frames.push(JSON.parse(text) as Record<string, unknown>);
    }
    const [priv, group, poke, recall, request, typing, offline] = frames;
    assert.deepEqual(keysOf(priv), KEYS.private);
    assert.deepEqual(keysOf(priv?.['sender']), KEYS.privateSender);
    assert.deepEqual(priv?.['sender'], { age: 0, nickname: 'Alice', sex: 'unknown', user_id: 20001 });
    assert.equal(priv?.['self_id'], SELF);
    assert.equal(priv?.['font'], 14);
    assert.deepEqual(keysOf(group), KEYS.group);
    assert.deepEqual(keysOf(group?.['sender']), KEYS.groupSender);
    assert.equal(group?.['anonymous'], null);
    assert.equal(group?.['raw_message'], `[CQ:reply,id=${String(priv?.['message_id'])}]ok`, 'quoted ids mapped in raw_message too');
    assert.deepEqual(keysOf(poke), KEYS.pokeGroup);
    assert.equal(poke?.['sender_id'], 20002, 'sender_id filled from user_id');
    assert.deepEqual(keysOf(recall), KEYS.group_recall);
    assert.equal(recall?.['message_id'], group?.['message_id']);
    assert.deepEqual(keysOf(request), KEYS.requestGroup);
    assert.deepEqual(typing, { event_type: 1, group_id: 0, notice_type: 'notify', post_type: 'notice', self_id: SELF, status_text: '对方正在输入...', sub_type: 'input_status', time: 1700000005, user_id: 20001 });
    assert.deepEqual(offline, { message: 'kicked', notice_type: 'bot_offline', post_type: 'notice', self_id: SELF, tag: 'KickedOffLine', time: 1700000006 }, "Lagrange's notify/bot_offline renamed");
  } finally {
    peer.close();
  }
});

test('the upstream going away and coming back: bot_offline then bot_online; a message resent after the reconnect is delivered once', async () => {
  const peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await peer.next();
    const message = {
      self_id: SELF, user_id: 20001, time: 1700000100, message_id: 5001, message_type: 'private', sub_type: 'friend', font: 0,
      sender: { user_id: 20001, nickname: 'Alice', sex: 'female', age: 24 }, raw_message: 'once', message: 'once', post_type: 'message',
    };
    upstream.push(message);
    const first = JSON.parse(await peer.next()) as { message_id: number };
    upstream.drop();
    const offline = JSON.parse(await peer.next()) as Record<string, unknown>;
    assert.deepEqual({ ...offline, time: 0 }, {
      message: 'the connection to the upstream was lost; cqhttpd is reconnecting', notice_type: 'bot_offline', post_type: 'notice', self_id: SELF, tag: 'upstream', time: 0, user_id: SELF,
    });
    assert.equal(await online(), false);
    const back = JSON.parse(await peer.next(5000)) as Record<string, unknown>;
    assert.equal(back['notice_type'], 'bot_online');
    assert.equal(back['user_id'], SELF);
    assert.equal(await online(), true);
    upstream.push(message); // an upstream replaying what it sent before the drop
    upstream.push({ ...message, message_id: 5002, raw_message: 'new', message: 'new' });
    const next = JSON.parse(await peer.next()) as { message_id: number; raw_message: string };
    assert.equal(next.raw_message, 'new', 'the replayed message was not delivered again');
    assert.equal(next.message_id, first.message_id + 1);

    // And across a restart of cqhttpd: the same message is still known as delivered, with the same id.
    peer.close();
    await bridge.restart();
    const again = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
    try {
      await again.next();
      upstream.push(message);
      upstream.push({ ...message, message_id: 5003, raw_message: 'after restart', message: 'after restart' });
      const after = JSON.parse(await again.next()) as { message_id: number; raw_message: string };
      assert.equal(after.raw_message, 'after restart');
      assert.equal(after.message_id, first.message_id + 2);
    } finally {
      again.close();
    }
  } finally {
    peer.close();
  }
});

test('behind a bridge the control listener serves /metrics and /api/status only', async () => {
  const control = bridge.instance.control;
  assert.ok(control !== undefined);
  const base = `http://127.0.0.1:${control.port}`;
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /cqhttpd_/);
  const status = await fetch(`${base}/api/status`);
  assert.equal(status.status, 200);
  const body = await status.json() as { backend: string; online: boolean; self_id: number; connections: unknown[] };
  assert.deepEqual([body.backend, body.online, body.self_id, Array.isArray(body.connections)], ['onebot', true, SELF, true]);
  assert.equal((await fetch(`${base}/api/groups`)).status, 404);
  assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
});

test('get_status reports the upstream account\'s own state: its get_status, and its bot_offline notice', async () => {
  let accountOnline = false;
  const own = await startFakeUpstream((call) => {
    if (call.action === 'get_login_info') return { user_id: SELF, nickname: 'real bot' };
    if (call.action === 'get_status') return { online: accountOnline, good: accountOnline };
    return new Failure(1404, 'API_NOT_FOUND');
  });
  const app = await startTestApp({ config: { backend: 'onebot', upstream_url: own.url } });
  const status = async () => (await app.call('get_status')).body?.data as { online: boolean; good: boolean };
  const until = async (cond: () => Promise<boolean>) => {
    const end = Date.now() + 5000;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await until(async () => own.calls.some((c) => c.action === 'get_status'));
    await until(async () => (await status()).online === false);
    assert.equal((await status()).good, false, 'the account is offline although the upstream answers');
    accountOnline = true;
    own.drop(); // at the next connection cqhttpd asks again
    await until(async () => (await status()).online === true);
    own.push({ time: 1700000000, self_id: SELF, post_type: 'notice', notice_type: 'bot_offline', user_id: SELF, tag: 'KickedOffLine', message: 'logged in elsewhere' });
    await until(async () => (await status()).online === false);
  } finally {
    await app.close();
    await own.close();
  }
});
