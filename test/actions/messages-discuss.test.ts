/**
 * Discuss groups (decision P10; docs/protocol.md §6.1, §6.2, §7.3): the discuss message event (no
 * `sub_type`), sending with `send_discuss_msg` / `send_msg`, quick replies, recalls, `get_msg` of a
 * discuss message, and leaving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USERS } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/index.js';
import { like, WsClient } from '../events/helpers.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;
const text = (t: string): Segment[] => [{ type: 'text', data: { text: t } }];
const DISCUSS_KEYS = ['discuss_id', 'font', 'message', 'message_id', 'message_type', 'post_type', 'raw_message', 'self_id', 'sender', 'time', 'user_id'];

describe('discuss groups', () => {
  let t: TestApp;
  let ws: WsClient;
  let clock = Date.UTC(2026, 0, 1);
  let discussId = 0;
  before(async () => {
    t = await startTestApp({ config: { post_message_format: 'array', use_ws: true }, now: () => clock });
    ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
    discussId = t.app.backend.createDiscuss({ memberIds: [USERS.alice, BOT, USERS.bob] });
  });
  after(async () => {
    ws.close();
    await t.close();
  });

  test('created with a ten-digit id, named after its members', () => {
    assert.equal(discussId, 1_000_000_001);
    assert.deepEqual(t.app.backend.listDiscusses(), [{ discussId, name: 'Alice、cqhttpd-bot、Bob', memberIds: [USERS.alice, BOT, USERS.bob] }]);
  });

  test('a member speaking reaches the bot as message/discuss: 4.15 §7.3 keys, no sub_type; get_msg reads it back', async () => {
    const from = ws.inbox.mark();
    const { messageId } = t.app.backend.postDiscussMessage({ from: USERS.bob, discussId, message: text('hello all') });
    const event = (await ws.inbox.waitFor(like({ message_type: 'discuss', message_id: messageId }), from)).json;
    assert.deepEqual(Object.keys(event).sort(), DISCUSS_KEYS);
    assert.equal(event.discuss_id, discussId);
    assert.deepEqual(event.sender, { age: 31, nickname: 'Bob', sex: 'male', user_id: USERS.bob });
    const m = await ok<Record<string, unknown>>(t, 'get_msg', { message_id: messageId });
    const { real_id: realId, message_seq: seq, ...rest } = m;
    assert.equal(realId, seq);
    assert.deepEqual(rest, event);
  });

  test('send_discuss_msg and send_msg (message_type or discuss_id) send; a reply quoting a discuss message resolves', async () => {
    const quoted = t.app.backend.postDiscussMessage({ from: USERS.alice, discussId, message: text('question?') });
    const a = await ok<{ message_id: number }>(t, 'send_discuss_msg', { discuss_id: discussId, message: `[CQ:reply,id=${quoted.messageId}]answer` });
    const b = await ok<{ message_id: number }>(t, 'send_msg', { message_type: 'discuss', discuss_id: String(discussId), message: 'two' });
    const c = await ok<{ message_id: number }>(t, 'send_msg', { discuss_id: discussId, message: 'three' });
    const log = t.app.backend.listMessages({ discussId });
    assert.deepEqual(log.slice(-3).map((m) => [m.messageId, m.rawMessage, m.userId]), [
      [a.message_id, `[CQ:reply,id=${quoted.messageId}]answer`, BOT], [b.message_id, 'two', BOT], [c.message_id, 'three', BOT],
    ]);
    assert.equal((await ok<{ post_type: string }>(t, 'get_msg', { message_id: a.message_id })).post_type, 'message_sent');
    assert.equal((await ok<{ raw_message: string }>(t, 'get_msg', { message_id: quoted.messageId })).raw_message, 'question?');
  });

  test('quick reply to a discuss message goes back to the discuss group with an @ of the sender', async () => {
    const context = { post_type: 'message', message_type: 'discuss', discuss_id: discussId, user_id: USERS.alice, message_id: 1, self_id: BOT };
    await ok(t, '.handle_quick_operation', { context, operation: { reply: 'pong' } });
    assert.equal(t.app.backend.listMessages({ discussId }).at(-1)?.rawMessage, `[CQ:at,qq=${USERS.alice}] pong`);
  });

  test('recall: the author within 2 minutes (no event); nobody else, not even later', async () => {
    const own = await ok<{ message_id: number }>(t, 'send_discuss_msg', { discuss_id: discussId, message: 'oops' });
    const bobs = t.app.backend.postDiscussMessage({ from: USERS.bob, discussId, message: text('mine') });
    const from = ws.inbox.mark();
    await ok(t, 'delete_msg', { message_id: own.message_id });
    assert.equal((await t.call('delete_msg', { message_id: bobs.messageId })).body?.retcode, -39, 'no roles in a discuss group');
    const late = await ok<{ message_id: number }>(t, 'send_discuss_msg', { discuss_id: discussId, message: 'late' });
    clock += 121_000;
    assert.equal((await t.call('delete_msg', { message_id: late.message_id })).body?.retcode, -39);
    await ok(t, 'get_login_info');
    assert.equal(ws.inbox.frames.slice(from).some((f) => f.json.post_type === 'notice'), false, 'no recall notice for discuss groups');
    assert.equal((await t.call('get_msg', { message_id: own.message_id })).body?.retcode, 100, 'recalled');
  });

  test('leaving: set_discuss_leave, then sends fail -9, leaving again -16, events stop, old messages are out of sight', async () => {
    const before = t.app.backend.postDiscussMessage({ from: USERS.bob, discussId, message: text('before') });
    await ok(t, 'set_discuss_leave', { discuss_id: discussId });
    assert.deepEqual(t.app.backend.listDiscusses()[0]?.memberIds, [USERS.alice, USERS.bob]);
    assert.equal((await t.call('send_discuss_msg', { discuss_id: discussId, message: 'x' })).body?.retcode, -9);
    assert.equal((await t.call('set_discuss_leave', { discuss_id: discussId })).body?.retcode, -16);
    assert.equal((await t.call('set_discuss_leave', {})).body?.retcode, 100);
    assert.equal((await t.call('get_msg', { message_id: before.messageId })).body?.retcode, 100);
    const from = ws.inbox.mark();
    t.app.backend.postDiscussMessage({ from: USERS.bob, discussId, message: text('unseen') });
    t.app.backend.inviteToDiscussAs(USERS.alice, discussId, BOT);
    const { messageId } = t.app.backend.postDiscussMessage({ from: USERS.alice, discussId, message: text('welcome back') });
    const next = await ws.inbox.waitFor(like({ message_type: 'discuss' }), from);
    assert.equal(next.json.message_id, messageId, 'the message sent while away never reached the bot');
  });

  test('an unknown discuss group: -9 for the bot', async () => {
    assert.equal((await t.call('send_discuss_msg', { discuss_id: 42, message: 'x' })).body?.retcode, -9);
    assert.equal((await t.call('send_discuss_msg', { message: 'x' })).body?.retcode, 100);
  });
});
