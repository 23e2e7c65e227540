/**
 * Forward cards (docs/extensions.md §5.1–5.4, §2.2, decisions P6/D3/D14): both node spellings, reference
 * and nested nodes, what is skipped, QQ's 200-node limit, routing, `get_forward_msg` in both shapes
 * and both formats, and the message event a forward a user sends produces.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GROUPS, MAX_FORWARD_NODES, USERS } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/index.js';
import { like, WsClient } from '../events/helpers.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const text = (t: string): Segment[] => [{ type: 'text', data: { text: t } }];
type Obj = Record<string, unknown>;
interface Sent { forward_id: string; message_id: number }

describe('forward cards (array format)', () => {
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

  test('Koishi\'s go-cqhttp nodes, a reference node and a nested forward: sent as one forward segment, read back in both shapes', async () => {
    const quoted = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('said by Carol') });
    const carolTime = t.app.backend.listMessages({ groupId: GROUPS.botOwner }).at(-1)!.time;
    const sent = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [
      { type: 'node', data: { id: String(quoted.messageId) } },
      { type: 'node', data: { name: 'Alice', uin: '10086', content: text('hello'), time: '1715000000' } },
      { type: 'node', data: { nickname: 'Bob', user_id: 10087, time: 1715000001, content: [
        { type: 'node', data: { nickname: 'Eve', user_id: '10088', time: 1715000002, content: '[CQ:face,id=14]inner' } },
      ] } },
    ] });
    assert.match(sent.forward_id, /^[A-Za-z0-9_-]{32}$/);
    const card = t.app.backend.listMessages({ groupId: GROUPS.botOwner }).at(-1)!;
    assert.equal(card.messageId, sent.message_id);
    assert.deepEqual(card.message, [{ type: 'forward', data: { id: sent.forward_id } }]);
    assert.equal((await ok<Obj>(t, 'get_msg', { message_id: sent.message_id })).raw_message, `[CQ:forward,id=${sent.forward_id}]`);

    const got = await ok<{ messages: Obj[]; message: Obj[] }>(t, 'get_forward_msg', { message_id: sent.forward_id });
    const item = (userId: number, nickname: string, time: number, content: unknown) => ({
      content, group_id: GROUPS.botOwner, message_type: 'group', sender: { nickname, user_id: userId }, time,
    });
    assert.deepEqual(got.messages, [
      item(USERS.carol, 'carol', carolTime, text('said by Carol')),
      item(10086, 'Alice', 1715000000, text('hello')),
      item(10087, 'Bob', 1715000001, [item(10088, 'Eve', 1715000002, [{ type: 'face', data: { id: '14' } }, ...text('inner')])]),
    ]);
    const node = (userId: number, nickname: string, content: unknown) => ({ type: 'node', data: { content, nickname, user_id: String(userId) } });
    assert.deepEqual(got.message, [
      node(USERS.carol, 'carol', text('said by Carol')),
      node(10086, 'Alice', text('hello')),
      node(10087, 'Bob', [node(10088, 'Eve', [{ type: 'face', data: { id: '14' } }, ...text('inner')])]),
    ]);
    // v11's `id`, and NapCat's way: the message_id of the message carrying the card (Koishi sends it as a number).
    assert.deepEqual(await ok(t, 'get_forward_msg', { id: sent.forward_id }), got);
    assert.deepEqual(await ok(t, 'get_forward_msg', { message_id: sent.message_id }), got);
  });

  test('nodes given as a CQ string, and a single node object, are accepted', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: text('ref') });
    const a = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: `[CQ:node,id=${messageId}][CQ:node,name=Z,uin=1,content=&#91;CQ:face&#44;id=1&#93;]` });
    const got = await ok<{ messages: { content: unknown }[] }>(t, 'get_forward_msg', { id: a.forward_id });
    assert.deepEqual(got.messages.map((m) => m.content), [text('ref'), [{ type: 'face', data: { id: '1' } }]]);
    const b = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: { type: 'node', data: { name: 'Y', uin: 2, content: 'solo' } } });
    assert.equal((await ok<{ messages: unknown[] }>(t, 'get_forward_msg', { id: b.forward_id })).messages.length, 1);
  });

  test('unusable nodes are skipped (unknown or recalled id, no name, no uin, empty content); none left → -3', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.dave, groupId: GROUPS.botOwner, message: text('recall me') });
    t.app.backend.recallAs(USERS.dave, messageId);
    const sent = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [
      { type: 'node', data: { id: String(messageId) } },
      { type: 'node', data: { id: '2000000000' } },
      { type: 'node', data: { uin: 5, content: 'no name' } },
      { type: 'node', data: { name: 'no uin', content: 'x' } },
      { type: 'node', data: { name: 'empty', uin: 5, content: '' } },
      { type: 'node', data: { name: 'kept', uin: 5, content: 'kept' } },
    ] });
    const got = await ok<{ messages: { sender: { nickname: string } }[] }>(t, 'get_forward_msg', { id: sent.forward_id });
    assert.deepEqual(got.messages.map((m) => m.sender.nickname), ['kept']);
    const none = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [{ type: 'node', data: { id: String(messageId) } }] });
    assert.equal(none.body?.retcode, -3);
  });

  test('a message the bot cannot see (a group it is not in) cannot be forwarded by id', async () => {
    t.app.backend.createGroup({ groupId: 300_002, groupName: 'Closed', ownerId: USERS.heidi });
    const foreign = t.app.backend.postMessage({ from: USERS.heidi, groupId: 300_002, message: text('secret') });
    const res = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [{ type: 'node', data: { id: String(foreign.messageId) } }] });
    assert.equal(res.body?.retcode, -3);
  });

  test('QQ\'s limit: 200 nodes pass, 201 fail with -3 (nested levels counted each on their own)', async () => {
    const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'node', data: { name: 'N', uin: 1, content: `#${i}` } }));
    const okSent = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: nodes(MAX_FORWARD_NODES) });
    assert.equal((await ok<{ messages: unknown[] }>(t, 'get_forward_msg', { id: okSent.forward_id })).messages.length, MAX_FORWARD_NODES);
    const over = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages: nodes(MAX_FORWARD_NODES + 1) });
    assert.equal(over.body?.retcode, -3);
    assert.match(over.body?.wording ?? '', /200/);
    const nestedOver = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [{ type: 'node', data: { name: 'outer', uin: 1, content: nodes(MAX_FORWARD_NODES + 1) } }] });
    assert.equal(nestedOver.body?.retcode, -3);
    const tooLong = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [{ type: 'node', data: { name: 'N', uin: 1, content: 'x'.repeat(4501) } }] });
    assert.equal(tooLong.body?.retcode, -3, 'a node\'s content obeys the message size rules');
  });

  test('bad node lists: not nodes, nodes mixed with segments (also inside content) → 100; nothing stored', async () => {
    const before = t.app.backend.listMessages({ groupId: GROUPS.botOwner }).length;
    for (const messages of [undefined, 'plain text', [{ type: 'text', data: { text: 'x' } }],
      [{ type: 'node', data: { id: '1' } }, { type: 'text', data: { text: 'x' } }],
      [{ type: 'node', data: { name: 'N', uin: 1, content: [{ type: 'node', data: { id: '1' } }, { type: 'text', data: { text: 'x' } }] } }]]) {
      const res = await t.call('send_group_forward_msg', { group_id: GROUPS.botOwner, messages });
      assert.equal(res.body?.retcode, 100, JSON.stringify(messages));
    }
    assert.equal(t.app.backend.listMessages({ groupId: GROUPS.botOwner }).length, before);
  });

  test('send_forward_msg: message_type wins, else group before user (D14); private forwards reach friends and temp peers', async () => {
    const both = await ok<Sent>(t, 'send_forward_msg', { group_id: GROUPS.botAdmin, user_id: USERS.alice, messages: [{ type: 'node', data: { name: 'N', uin: 1, content: 'g' } }] });
    assert.equal(t.app.backend.listMessages({ groupId: GROUPS.botAdmin }).at(-1)?.messageId, both.message_id);
    const priv = await ok<Sent>(t, 'send_forward_msg', { message_type: 'private', group_id: GROUPS.botAdmin, user_id: USERS.alice, messages: [{ type: 'node', data: { name: 'N', uin: 1, content: 'p' } }] });
    assert.equal(t.app.backend.listMessages({ userId: USERS.alice }).at(-1)?.messageId, priv.message_id);
    const temp = await ok<Sent>(t, 'send_private_forward_msg', { user_id: USERS.dave, messages: [{ type: 'node', data: { name: 'N', uin: 1, content: 't' } }] });
    const got = await ok<{ messages: Obj[] }>(t, 'get_forward_msg', { id: temp.forward_id });
    assert.deepEqual(Object.keys(got.messages[0]!).sort(), ['content', 'message_type', 'sender', 'time'], 'no group_id for a private forward');
    assert.equal(got.messages[0]!.message_type, 'private');
    assert.equal((await t.call('send_forward_msg', { message_type: 'group', user_id: USERS.alice, messages: [] })).body?.retcode, 100);
  });

  test('send_msg / send_private_msg with only nodes send a forward card (NapCat convenience)', async () => {
    const res = await ok<Sent>(t, 'send_private_msg', { user_id: USERS.bob, message: [{ type: 'node', data: { name: 'N', uin: 1, content: 'as nodes' } }] });
    assert.equal(typeof res.forward_id, 'string');
    assert.deepEqual(t.app.backend.listMessages({ userId: USERS.bob }).at(-1)?.message, [{ type: 'forward', data: { id: res.forward_id } }]);
    // Numbers in `message` keep their lexemes (lossless JSON, §5): uin, time and non-string content data still read right.
    const lossless = await ok<Sent>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: [{ type: 'node', data: { name: 'N', uin: 7, time: 1715000000, content: [{ type: 'face', data: { id: 14 } }] } }] });
    assert.deepEqual((await ok<{ messages: unknown[] }>(t, 'get_forward_msg', { id: lossless.forward_id })).messages, [
      { content: [{ type: 'face', data: { id: '14' } }], group_id: GROUPS.botOwner, message_type: 'group', sender: { nickname: 'N', user_id: 7 }, time: 1715000000 },
    ]);
    const discussId = t.app.backend.createDiscuss({ memberIds: [10001000, USERS.alice] });
    assert.equal((await t.call('send_msg', { discuss_id: discussId, message: [{ type: 'node', data: { name: 'N', uin: 1, content: 'x' } }] })).body?.retcode, 100);
  });

  test('a forward a member sends reaches the bot as a message event with a forward segment the bot can open', async () => {
    const from = ws.inbox.mark();
    const sent = t.app.backend.postForwardMessage({ from: USERS.bob, groupId: GROUPS.botAdmin, nodes: [
      { kind: 'custom', userId: USERS.bob, nickname: 'Bob', time: 1_700_000_000, content: { kind: 'message', message: text('look') } },
    ] });
    const event = (await ws.inbox.waitFor(like({ post_type: 'message', message_id: sent.messageId }), from)).json;
    assert.deepEqual(event.message, [{ type: 'forward', data: { id: sent.forwardId } }]);
    const answer = await ws.call('get_forward_msg', { id: sent.forwardId });
    assert.equal(answer.retcode, 0);
    assert.deepEqual((answer.data as { messages: Obj[] }).messages[0]?.content, text('look'));
  });

  test('get_forward_msg failures: unknown id, no id', async () => {
    assert.equal((await t.call('get_forward_msg', { id: 'nope' })).body?.retcode, 100);
    assert.equal((await t.call('get_forward_msg', { message_id: 2_000_000_000 })).body?.retcode, 100);
    assert.equal((await t.call('get_forward_msg', {})).body?.retcode, 100);
  });
});

describe('get_forward_msg in string format', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('content is a CQ string; a nested forward is still an item array', async () => {
    const sent = await ok<Sent>(t, 'send_group_forward_msg', { group_id: GROUPS.botOwner, messages: [
      { type: 'node', data: { name: 'A', uin: 1, time: 5, content: [{ type: 'face', data: { id: '1' } }, ...text('[x]')] } },
      { type: 'node', data: { name: 'B', uin: 2, time: 6, content: [{ type: 'node', data: { name: 'C', uin: 3, time: 7, content: 'deep' } }] } },
    ] });
    const got = await ok<{ messages: Obj[]; message: Obj[] }>(t, 'get_forward_msg', { id: sent.forward_id });
    assert.equal(got.messages[0]?.content, '[CQ:face,id=1]&#91;x&#93;');
    assert.deepEqual(got.messages[1]?.content, [{ content: 'deep', group_id: GROUPS.botOwner, message_type: 'group', sender: { nickname: 'C', user_id: 3 }, time: 7 }]);
    assert.deepEqual(got.message[1], { type: 'node', data: { content: [{ type: 'node', data: { content: 'deep', nickname: 'C', user_id: '3' } }], nickname: 'B', user_id: '2' } });
  });
});
