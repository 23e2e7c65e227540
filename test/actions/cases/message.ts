/**
 * The messages area of the conformance table (issue 4): `get_msg`, forwards, history, read marks,
 * reactions, discuss groups and all-node `send_msg`, each with its success and QQ's failures.
 * Runs in order on one fresh default world.
 */
import assert from 'node:assert/strict';
import { GROUPS, MAX_FORWARD_NODES, USERS } from '../../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import type { ActionCase } from './types.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
const text = (t: string) => [{ type: 'text', data: { text: t } }];
const node = (name: string, uin: number, content: unknown) => ({ type: 'node', data: { name, uin: String(uin), content } });

/** The discuss group the cases create (the bot, Alice and Bob). */
let discussId = 0;

function lastId(sb: SandboxBackend, ref: { groupId: number } | { userId: number }): number {
  return sb.listMessages(ref).at(-1)?.messageId ?? 0;
}

export const MESSAGE_CASES: ActionCase[] = [
  // get_msg
  { action: 'get_msg', params: (sb) => ({ message_id: sb.postMessage({ from: U.alice, groupId: G.botOwner, message: text('quote me') }).messageId }), retcode: 0, check: (d) => {
    const m = d as Record<string, unknown>;
    assert.equal(m.real_id, m.message_seq);
    assert.ok(Number.isInteger(m.real_id));
    assert.equal(m.group_id, G.botOwner);
    assert.deepEqual(m.sender, { age: 24, area: 'Shanghai', card: 'Alice | ops', level: '1', nickname: 'Alice', role: 'admin', sex: 'female', title: '', user_id: U.alice });
  } },
  { action: 'get_msg', params: { message_id: 999_999 }, retcode: 100, note: 'unknown id' },
  { action: 'get_msg', params: (sb) => {
    const { messageId } = sb.postMessage({ from: U.carol, groupId: G.botOwner, message: text('oops') });
    sb.recallAs(U.carol, messageId);
    return { message_id: messageId };
  }, retcode: 100, note: 'recalled (D12)' },
  { action: 'get_msg', params: {}, retcode: 100, note: 'no message_id' },
  // forwards
  { action: 'send_group_forward_msg', params: (sb) => ({ group_id: G.botOwner, messages: [
    { type: 'node', data: { id: String(lastId(sb, { groupId: G.botOwner })) } },
    node('Alice', U.alice, text('custom')),
    { type: 'node', data: { nickname: 'Bob', user_id: U.bob, content: [node('Carol', U.carol, '[CQ:face,id=14]inner')] } },
  ] }), retcode: 0, check: (d) => {
    const data = d as { forward_id: unknown; message_id: unknown };
    assert.deepEqual(Object.keys(data).sort(), ['forward_id', 'message_id']);
    assert.equal(typeof data.forward_id, 'string');
  } },
  { action: 'send_group_forward_msg', params: { group_id: 424242, messages: [node('A', U.alice, 'x')] }, retcode: -9, note: 'bot not in the group' },
  { action: 'send_group_forward_msg', params: { group_id: G.botOwner, messages: Array.from({ length: MAX_FORWARD_NODES + 1 }, () => node('A', U.alice, 'x')) }, retcode: -3, note: 'over 200 nodes' },
  { action: 'send_group_forward_msg', params: { group_id: G.botOwner, messages: [node('', U.alice, 'x'), { type: 'node', data: { id: '999999' } }] }, retcode: -3, note: 'no usable node' },
  { action: 'send_group_forward_msg', params: { group_id: G.botOwner, messages: 'not nodes' }, retcode: 100 },
  { action: 'send_group_forward_msg', params: (sb) => {
    sb.banAs(U.bob, G.botMember, BOT, 600);
    return { group_id: G.botMember, messages: [node('A', U.alice, 'x')] };
  }, retcode: -34, note: 'the bot is muted' },
  { action: 'send_private_forward_msg', params: (sb) => {
    sb.banAs(U.bob, G.botMember, BOT, 0);
    return { user_id: U.alice, messages: [node('Alice', U.alice, 'to you')] };
  }, retcode: 0 },
  { action: 'send_private_forward_msg', params: { user_id: U.heidi, messages: [node('A', U.alice, 'x')] }, retcode: -23 },
  { action: 'send_forward_msg', params: { message_type: 'group', group_id: G.botAdmin, messages: [node('A', U.alice, 'x')] }, retcode: 0 },
  { action: 'send_forward_msg', params: { user_id: U.bob, message: [node('B', U.bob, 'alias')] }, retcode: 0, note: '`message` alias, private inferred' },
  { action: 'send_forward_msg', params: { messages: [node('A', U.alice, 'x')] }, retcode: 100, note: 'no target' },
  { action: 'get_forward_msg', params: (sb) => {
    const { forwardId } = sb.postForwardMessage({ from: U.alice, groupId: G.botOwner, nodes: [{ kind: 'custom', userId: U.alice, nickname: 'Alice', time: 1_700_000_000, content: { kind: 'message', message: [{ type: 'text', data: { text: 'hi' } }] } }] });
    return { id: forwardId };
  }, retcode: 0, check: (d) => {
    const data = d as { message: unknown[]; messages: unknown[] };
    assert.deepEqual(data.messages, [{ content: 'hi', group_id: G.botOwner, message_type: 'group', sender: { nickname: 'Alice', user_id: U.alice }, time: 1_700_000_000 }]);
    assert.deepEqual(data.message, [{ type: 'node', data: { content: 'hi', nickname: 'Alice', user_id: String(U.alice) } }]);
  } },
  { action: 'get_forward_msg', params: { message_id: 'no-such-forward' }, retcode: 100 },
  { action: 'get_forward_msg', params: {}, retcode: 100 },
  // history and read marks
  { action: 'get_group_msg_history', params: { group_id: G.botOwner, count: 3 }, retcode: 0, check: (d) => {
    const { messages } = d as { messages: { message_seq: number }[] };
    assert.equal(messages.length, 3);
    assert.ok(messages.every((m, i) => i === 0 || m.message_seq > (messages[i - 1]?.message_seq ?? 0)), 'oldest first');
  } },
  { action: 'get_group_msg_history', params: { group_id: 424242 }, retcode: -9 },
  { action: 'get_group_msg_history', params: { group_id: G.botOwner, count: 0 }, retcode: 100 },
  { action: 'get_friend_msg_history', params: { user_id: U.alice, message_seq: 1 }, retcode: 0, check: (d) => {
    assert.equal((d as { messages: unknown[] }).messages.length, 1);
  } },
  { action: 'get_friend_msg_history', params: { user_id: U.heidi }, retcode: -23 },
  { action: 'get_friend_msg_history', params: { user_id: 29999 }, retcode: -10 },
  { action: 'mark_msg_as_read', params: (sb) => ({ message_id: lastId(sb, { groupId: G.botOwner }) }), retcode: 0 },
  { action: 'mark_msg_as_read', params: { user_id: U.alice }, retcode: 0 },
  { action: 'mark_msg_as_read', params: { message_id: 999_999 }, retcode: 100 },
  { action: 'mark_msg_as_read', params: { group_id: 424242 }, retcode: -9 },
  { action: 'mark_msg_as_read', params: {}, retcode: 100 },
  // reactions
  { action: 'set_msg_emoji_like', params: (sb) => ({ message_id: sb.postMessage({ from: U.dave, groupId: G.botOwner, message: text('react') }).messageId, emoji_id: 76 }), retcode: 0 },
  { action: 'set_msg_emoji_like', params: (sb) => ({ message_id: lastId(sb, { groupId: G.botOwner }), emoji_id: '128077', set: 'false' }), retcode: 0, note: 'removing a reaction' },
  { action: 'set_msg_emoji_like', params: (sb) => ({ message_id: sb.postMessage({ from: U.alice, message: text('dm') }).messageId, emoji_id: 76 }), retcode: 100, note: 'private messages take no reactions' },
  { action: 'set_msg_emoji_like', params: (sb) => ({ message_id: lastId(sb, { groupId: G.botOwner }), emoji_id: 'smile' }), retcode: 100, note: 'not an emoji id' },
  { action: 'set_msg_emoji_like', params: { message_id: 999_999, emoji_id: 76 }, retcode: 100 },
  // discuss groups
  { action: 'send_discuss_msg', params: (sb) => {
    discussId = sb.createDiscuss({ memberIds: [BOT, U.alice, U.bob] });
    return { discuss_id: discussId, message: 'hello discuss' };
  }, retcode: 0 },
  { action: 'send_discuss_msg', params: { discuss_id: 77, message: 'x' }, retcode: -9, note: 'no such discuss group' },
  { action: 'send_discuss_msg', params: () => ({ discuss_id: discussId }), retcode: 100, note: 'no message' },
  { action: 'send_msg', params: () => ({ message_type: 'discuss', discuss_id: discussId, message: 'via send_msg' }), retcode: 0 },
  { action: 'get_msg', params: (sb) => ({ message_id: sb.postDiscussMessage({ from: U.bob, discussId, message: text('in discuss') }).messageId }), retcode: 0, check: (d) => {
    const m = d as Record<string, unknown>;
    assert.equal(m.message_type, 'discuss');
    assert.equal(m.discuss_id, discussId);
    assert.equal('sub_type' in m, false);
  } },
  { action: 'set_discuss_leave', params: () => ({ discuss_id: discussId }), retcode: 0 },
  { action: 'set_discuss_leave', params: () => ({ discuss_id: discussId }), retcode: -16, note: 'not in it any more' },
  { action: 'send_msg', params: () => ({ discuss_id: discussId, message: 'gone' }), retcode: -9, note: 'left the discuss group' },
  // a message of nodes only is a forward; nodes mixed with other segments are refused
  { action: 'send_msg', params: { group_id: G.botOwner, message: [node('A', U.alice, 'x')] }, retcode: 0, check: (d) => {
    assert.equal(typeof (d as { forward_id: unknown }).forward_id, 'string');
  } },
  { action: 'send_group_msg', params: { group_id: G.botOwner, message: [...text('a'), node('A', U.alice, 'x')] }, retcode: 100 },
];
