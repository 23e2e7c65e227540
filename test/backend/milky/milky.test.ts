/**
 * `backend = milky` against a fake Milky implementation built on `@saltify/milky-types`
 * (fake-milky.ts): its HTTP API checks every call cqhttpd makes against Milky's request schema
 * (unknown fields refused) and answers data that passes the response schema; its `/event` WebSocket
 * pushes events that pass Milky's `Event` schema. A bot on the bridge sees OneBot v11: messages with
 * stable ids (replies, get_msg, delete_msg), requests it can answer, notices; unmapped operations
 * fail at once.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { stringifySorted } from '../../../src/protocol/json.js';
import { ok, startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { fakeMilky, FRANK, GROUP, groupMessage, milkyAnswers, SELF, TOKEN } from './fake-milky.js';

async function milkyBridge(t: TestContext) {
  const upstream = await fakeMilky(t, milkyAnswers);
  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, use_ws: true } });
  t.after(() => bridge.close());
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  return { upstream, bridge, bot };
}

test('Milky messages reach the bot as OneBot v11 group messages with stable ids; replies, get_msg and delete_msg use them', async (t) => {
  const { upstream, bridge, bot } = await milkyBridge(t);
  assert.equal(bridge.instance.backend.kind, 'milky');
  assert.equal(bridge.instance.backend.selfId, SELF);
  assert.equal(upstream.auth[0], `Bearer ${TOKEN}`);

  upstream.push('message_receive', groupMessage(51, [
    { type: 'mention', data: { user_id: SELF, name: 'milky bot' } },
    { type: 'text', data: { text: ' hello' } },
    { type: 'face', data: { face_id: '14', is_large: false } },
    { type: 'image', data: { resource_id: 'res-1', temp_url: 'https://multimedia.example/img', width: 10, height: 10, summary: '[图片]', sub_type: 'normal' } },
  ]));
  const cq = `[CQ:at,qq=${SELF}] hello[CQ:face,id=14][CQ:image,file=res-1,url=https://multimedia.example/img]`;
  assert.equal(await bot.next(), stringifySorted({
    anonymous: null, font: 0, group_id: GROUP, message: cq, message_id: 1, message_type: 'group', post_type: 'message', raw_message: cq, self_id: SELF,
    sender: { age: 0, area: '', card: 'Frank', level: '7', nickname: 'frank', role: 'member', sex: 'male', title: 'elder', user_id: FRANK },
    sub_type: 'normal', time: 1765000400, user_id: FRANK,
  }));

  const sent = await ok<{ message_id: number }>(bridge, 'send_group_msg', { group_id: GROUP, message: '[CQ:reply,id=1][CQ:at,qq=20006] hi [CQ:face,id=5]' });
  assert.equal(sent.message_id, 2);
  assert.deepEqual(upstream.calls.find((c) => c.api === 'send_group_message')!.input, {
    group_id: GROUP,
    message: [{ type: 'reply', data: { message_seq: 51 } }, { type: 'mention', data: { user_id: FRANK } }, { type: 'text', data: { text: ' hi ' } }, { type: 'face', data: { face_id: '5' } }],
  });

  assert.equal((await ok<{ message: string }>(bridge, 'get_msg', { message_id: 1 })).message, 'fresh copy');
  const noCopy = await bridge.call('get_msg', { message_id: 2 });
  assert.equal(noCopy.body?.retcode, 103);
  assert.match(noCopy.body?.wording ?? '', /message not found/);

  assert.equal((await bridge.call('delete_msg', { message_id: 1 })).body?.retcode, 0);
  assert.deepEqual(upstream.calls.find((c) => c.api === 'recall_group_message')!.input, { group_id: GROUP, message_seq: 51 });
  assert.equal((await bridge.call('get_msg', { message_id: 1 })).body?.msg, 'MESSAGE_NOT_FOUND');
  assert.equal((await bridge.call('get_msg', { message_id: 99 })).body?.msg, 'MESSAGE_NOT_FOUND');
  assert.deepEqual(upstream.answerErrors, []);
});

test('Milky reads, requests and notices as OneBot v11; unmapped operations are unsupported at once', async (t) => {
  const { upstream, bridge, bot } = await milkyBridge(t);
  assert.deepEqual(await ok(bridge, 'get_group_member_info', { group_id: GROUP, user_id: FRANK }), {
    age: 0, area: '', card: 'Frank', card_changeable: false, group_id: GROUP, join_time: 1700000000, last_sent_time: 1765000000, level: '7',
    nickname: 'frank', role: 'member', sex: 'male', title: 'elder', title_expire_time: 0, unfriendly: false, user_id: FRANK,
  });
  await ok(bridge, 'set_group_ban', { group_id: GROUP, user_id: FRANK, duration: 600 });
  assert.deepEqual(upstream.calls.at(-1), { api: 'set_group_member_mute', input: { group_id: GROUP, user_id: FRANK, duration: 600 } });

  upstream.push('group_invitation', { group_id: GROUP + 1, invitation_seq: 9, initiator_id: FRANK });
  const invite = JSON.parse(await bot.next()) as Record<string, unknown>;
  assert.deepEqual({ ...invite, flag: 'x' }, { post_type: 'request', request_type: 'group', sub_type: 'invite', group_id: GROUP + 1, user_id: FRANK, comment: '', flag: 'x', self_id: SELF, time: 1765000400 });
  await ok(bridge, 'set_group_add_request', { flag: invite['flag'], sub_type: 'invite', approve: true });
  assert.deepEqual(upstream.calls.at(-1), { api: 'accept_group_invitation', input: { group_id: GROUP + 1, invitation_seq: 9 } });
  assert.equal((await bridge.call('set_group_add_request', { flag: 'made-up', sub_type: 'add', approve: true })).body?.msg, 'FLAG_NOT_FOUND');

  upstream.push('group_nudge', { group_id: GROUP, sender_id: FRANK, receiver_id: SELF, display_action: '戳了戳', display_suffix: '', display_action_img_url: '' });
  assert.equal(await bot.next(), stringifySorted({ post_type: 'notice', notice_type: 'notify', sub_type: 'poke', group_id: GROUP, user_id: FRANK, sender_id: FRANK, target_id: SELF, self_id: SELF, time: 1765000400 }));
  upstream.push('group_whole_mute', { group_id: GROUP, operator_id: FRANK, is_mute: true });
  assert.equal(await bot.next(), stringifySorted({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: GROUP, operator_id: FRANK, user_id: 0, duration: -1, self_id: SELF, time: 1765000400 }));
  upstream.push('message_recall', { message_scene: 'group', peer_id: GROUP, message_seq: 77, sender_id: FRANK, operator_id: FRANK, display_suffix: '' });
  assert.equal(await bot.next(), stringifySorted({ post_type: 'notice', notice_type: 'group_recall', group_id: GROUP, user_id: FRANK, operator_id: FRANK, message_id: 1, self_id: SELF, time: 1765000400 }));
  upstream.push('peer_pin_change', { message_scene: 'friend', peer_id: FRANK, is_pinned: true });
  assert.equal(await bot.next(), stringifySorted({ post_type: 'notice', notice_type: 'milky_peer_pin_change', message_scene: 'friend', peer_id: FRANK, is_pinned: true, self_id: SELF, time: 1765000400 }));

  const started = Date.now();
  const honor = await bridge.call('get_group_honor_info', { group_id: GROUP, type: 'all' });
  assert.equal(honor.body?.msg, 'UNSUPPORTED');
  assert.equal((await bridge.call('send_discuss_msg', { discuss_id: 1, message: 'x' })).body?.msg, 'UNSUPPORTED');
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(upstream.answerErrors, []);

  // The event stream lost and back: bot_offline, then bot_online once reconnected.
  upstream.drop();
  const offline = JSON.parse(await bot.next()) as Record<string, unknown>;
  assert.equal(offline['notice_type'], 'bot_offline');
  assert.equal(offline['user_id'], SELF);
  const online = JSON.parse(await bot.next(5000)) as Record<string, unknown>;
  assert.equal(online['notice_type'], 'bot_online');
});
