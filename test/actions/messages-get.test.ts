/**
 * `get_msg` (docs/extensions.md §2.1, §1.3): the event-shaped stored message with `real_id` and
 * `message_seq`, what Koishi and NoneBot read from a quoted message, the v11 segments kept as sent,
 * the format per `post_message_format`, and the failures (unknown, recalled, out of sight).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/index.js';
import { serialiseCQ } from '../../src/message/index.js';
import { KEYS, like, WsClient } from '../events/helpers.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;
const text = (t: string): Segment[] => [{ type: 'text', data: { text: t } }];
type Obj = Record<string, unknown>;
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('get_msg in array format', () => {
  let t: TestApp;
  let ws: WsClient;
  before(async () => {
    t = await startTestApp({ config: { post_message_format: 'array', use_ws: true } });
    ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
  });
  after(async () => {
    ws.close();
    await t.close();
  });

  test('Koishi/NoneBot quote flow: the message a [CQ:reply] names answers with int real_id, sender card/role, time, group_id', async () => {
    const quoted = t.app.backend.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: text('original') });
    const { message_id: replyId } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: `[CQ:reply,id=${quoted.messageId}]agreed` });
    // The reply itself, as the bot's client would get it back: reply first, id as a string.
    const reply = await ok<Obj>(t, 'get_msg', { message_id: replyId });
    assert.deepEqual(reply.message, [{ type: 'reply', data: { id: String(quoted.messageId) } }, { type: 'text', data: { text: 'agreed' } }]);
    assert.equal(reply.post_type, 'message_sent', 'the bot\'s own message');
    // Then the quoted one, exactly what Koishi's adaptMessage and NoneBot's Reply model read.
    const m = await ok<Obj>(t, 'get_msg', { message_id: String(quoted.messageId) });
    const stored = t.app.backend.listMessages({ groupId: GROUPS.botOwner }).find((s) => s.messageId === quoted.messageId)!;
    assert.deepEqual(Object.keys(m).sort(), [...KEYS.group, 'message_seq', 'real_id'].sort());
    assert.equal(m.real_id, stored.seq);
    assert.equal(m.message_seq, stored.seq);
    assert.equal(m.message_id, quoted.messageId);
    assert.equal(m.time, stored.time);
    assert.equal(m.group_id, GROUPS.botOwner);
    assert.equal(m.post_type, 'message');
    assert.equal(m.user_id, USERS.alice);
    const sender = m.sender as Obj;
    assert.equal(sender.user_id, USERS.alice);
    assert.equal(sender.nickname, 'Alice');
    assert.equal(sender.card, 'Alice | ops');
    assert.equal(sender.role, 'admin');
    assert.deepEqual(m.message, text('original'));
    assert.equal(m.raw_message, 'original');
  });

  test('the same answer over forward WebSocket; the event the bot got and get_msg agree apart from real_id/message_seq', async () => {
    const from = ws.inbox.mark();
    const { messageId } = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('via ws') });
    const event = (await ws.inbox.waitFor(like({ message_id: messageId }), from)).json;
    const answer = await ws.call('get_msg', { message_id: messageId });
    assert.equal(answer.retcode, 0);
    const { real_id: realId, message_seq: seq, ...rest } = answer.data as Obj;
    assert.equal(realId, seq);
    assert.deepEqual(rest, event);
  });

  test('v11 segments (reply, forward, poke, json, xml) are stored and returned as sent; flash images and videos keep their keys', async () => {
    const first = t.app.backend.postMessage({ from: USERS.bob, groupId: GROUPS.botOwner, message: text('target') });
    const message: Segment[] = [
      { type: 'reply', data: { id: String(first.messageId) } },
      { type: 'poke', data: { type: '126', id: '2003' } },
      { type: 'json', data: { data: '{"app":"com.tencent.miniapp","a":[1,2]}' } },
      { type: 'xml', data: { data: '<?xml version="1.0"?><msg serviceID="1"/>', resid: '1' } },
      { type: 'forward', data: { id: 'some-resid' } },
    ];
    const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message });
    const m = await ok<Obj>(t, 'get_msg', { message_id });
    assert.deepEqual(m.message, message);
    assert.equal(m.raw_message, serialiseCQ(message));
    // Media are stored first (§8.6): `file` becomes the stored name; the other keys stay.
    const media = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: [
      { type: 'image', data: { file: `base64://${PNG}`, type: 'flash' } },
      { type: 'video', data: { file: `base64://${Buffer.from('not really a video').toString('base64')}`, cover: 'c.jpg' } },
    ] });
    const [image, video] = (await ok<{ message: Segment[] }>(t, 'get_msg', { message_id: media.message_id })).message;
    assert.equal(image?.type, 'image');
    assert.equal(image?.data.type, 'flash');
    assert.match(image?.data.file ?? '', /^[0-9a-f]{32}\.png$/);
    assert.equal(video?.type, 'video');
    assert.equal(video?.data.cover, 'c.jpg');
  });

  test('a JSON object as json data is kept as its JSON text (decoding stringifies non-string data)', async () => {
    const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: [{ type: 'json', data: { data: { app: 'x', n: 1 } } }] });
    const m = await ok<Obj>(t, 'get_msg', { message_id });
    assert.deepEqual(m.message, [{ type: 'json', data: { data: '{"app":"x","n":1}' } }]);
  });

  test('private: a friend\'s message is a private event; the bot\'s own is message_sent with target_id', async () => {
    const incoming = t.app.backend.postMessage({ from: USERS.bob, message: text('hi bot') });
    const m = await ok<Obj>(t, 'get_msg', { message_id: incoming.messageId });
    assert.deepEqual(Object.keys(m).sort(), [...KEYS.private, 'message_seq', 'real_id'].sort());
    assert.equal(m.sub_type, 'friend');
    assert.deepEqual(m.sender, { age: 31, nickname: 'Bob', sex: 'male', user_id: USERS.bob });
    const { message_id } = await ok<{ message_id: number }>(t, 'send_private_msg', { user_id: USERS.bob, message: 'hi Bob' });
    const own = await ok<Obj>(t, 'get_msg', { message_id });
    assert.equal(own.post_type, 'message_sent');
    assert.equal(own.user_id, BOT);
    assert.equal(own.target_id, USERS.bob);
    assert.equal(own.message_seq, (m.message_seq as number) + 1, 'seq counts per conversation');
    const temp = await ok<{ message_id: number }>(t, 'send_private_msg', { user_id: USERS.dave, message: 'temp' });
    assert.equal((await ok<Obj>(t, 'get_msg', { message_id: temp.message_id })).sub_type, 'group', 'a temporary session');
  });

  test('anonymous messages read back as the bot saw them: user 80000000 and the anonymous identity', async () => {
    t.app.backend.setAnonymousAs(BOT, GROUPS.botOwner, true);
    const sent = t.app.backend.postAnonymousMessage({ from: USERS.eve, groupId: GROUPS.botOwner, message: text('who am I') });
    const m = await ok<Obj>(t, 'get_msg', { message_id: sent.messageId });
    assert.equal(m.user_id, 80_000_000);
    assert.equal(m.sub_type, 'anonymous');
    assert.deepEqual(m.anonymous, { flag: sent.anonymous.flag, id: sent.anonymous.id, name: sent.anonymous.name });
  });

  test('a member who left is still named, as a plain member without card', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('bye') });
    t.app.backend.leaveAs(USERS.frank, GROUPS.botAdmin);
    const m = await ok<Obj>(t, 'get_msg', { message_id: messageId });
    assert.deepEqual({ ...(m.sender as Obj) }, { age: 35, area: 'Shenzhen', card: '', level: '', nickname: 'Frank', role: 'member', sex: 'male', title: '', user_id: USERS.frank });
  });

  test('failures: unknown, recalled (D12), zero, and a message in a group the bot is not in', async () => {
    const fail = async (params: Obj, retcode: number, wording?: RegExp) => {
      const res = await t.call('get_msg', params);
      assert.equal(res.body?.retcode, retcode, res.text);
      if (wording) assert.match(res.body?.wording ?? '', wording);
    };
    await fail({ message_id: 2_000_000_000 }, 100, /no message/);
    const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: 'soon gone' });
    await ok(t, 'delete_msg', { message_id });
    await fail({ message_id }, 100, /recalled/);
    await fail({ message_id: 0 }, 100);
    t.app.backend.createGroup({ groupId: 300_001, groupName: 'Elsewhere', ownerId: USERS.heidi });
    const foreign = t.app.backend.postMessage({ from: USERS.heidi, groupId: 300_001, message: text('private club') });
    await fail({ message_id: foreign.messageId }, 100, /not in/);
  });

  test('message ids and their content survive a restart (P8)', async () => {
    const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: 'persisted' });
    ws.close();
    await t.restart();
    ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
    assert.equal((await ok<Obj>(t, 'get_msg', { message_id })).raw_message, 'persisted');
  });
});

describe('get_msg in string format (the default post_message_format)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('message is the CQ string (merged and escaped like events); raw_message beside it', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: [
      { type: 'text', data: { text: 'a&b [x]' } }, { type: 'face', data: { id: '14' } }, { type: 'json', data: { data: '{"a":[1,2]}' } },
    ] });
    const m = await ok<Obj>(t, 'get_msg', { message_id: messageId });
    assert.equal(m.message, 'a&amp;b &#91;x&#93;[CQ:face,id=14][CQ:json,data={"a":&#91;1&#44;2&#93;}]');
    assert.equal(m.raw_message, m.message);
  });
});
