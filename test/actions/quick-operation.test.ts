/**
 * `.handle_quick_operation` (§6.9.1) and every quick-operation field of §3.3.1, through the real
 * dispatcher with recording stand-ins for the actions it calls.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/app/logger.js';
import { handleQuickOperation, runQuickOperation } from '../../src/actions/system/quick-operation.js';
import { defineAction } from '../../src/core/action.js';
import type { ActionContext } from '../../src/core/context.js';
import { createDispatcher } from '../../src/core/dispatch.js';
import { getBool, params, raw } from '../../src/core/params.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { decodeSendMessage } from '../../src/message/index.js';
import { ApiError } from '../../src/protocol/errors.js';

type Params = Record<string, unknown>;
const TARGETS = ['send_msg', 'delete_msg', 'set_group_kick', 'set_group_ban', 'set_group_anonymous_ban', 'set_friend_add_request', 'set_group_add_request'];

/** The real dispatcher with `.handle_quick_operation` and recording actions; `failing` ones throw. */
function setup(failing: string[] = [], missing: string[] = []) {
  const calls: { action: string; params: Params }[] = [];
  const actions = TARGETS.filter((name) => !missing.includes(name)).map((name) =>
    defineAction({
      name,
      summary: 'records its call',
      params: params({ _: raw() }),
      handler: (p) => {
        calls.push({ action: name, params: p });
        if (failing.includes(name)) throw new ApiError('NO_PERMISSION');
        return name === 'send_msg' ? { message_id: 1 } : null;
      },
    }),
  );
  const dispatcher = createDispatcher({
    registry: new ActionRegistry([handleQuickOperation, ...actions]),
    logger: silentLogger(),
    enableRateLimitedActions: false,
    rateLimitInterval: 10,
    workerPoolSize: 1,
    maxQueueLength: 10,
    context: {} as Omit<ActionContext, 'call'>,
  });
  const run = async (context: unknown, operation: unknown) => {
    calls.length = 0;
    const result = await dispatcher.dispatch('.handle_quick_operation', { context, operation }, 'ws');
    return { result, calls: [...calls], names: calls.map((c) => c.action) };
  };
  return { run, close: () => dispatcher.close() };
}

const text = (t: string) => ({ type: 'text', data: { text: t } });
const at = (qq: string) => ({ type: 'at', data: { qq } });

const PRIVATE = { font: 0, message: 'hello', message_id: 12, message_type: 'private', post_type: 'message', raw_message: 'hello', self_id: 10001000, sender: { nickname: 'A', user_id: 20001 }, sub_type: 'friend', time: 1590000000, user_id: 20001 };
const GROUP = { anonymous: null, font: 0, group_id: 100001, message: 'spam', message_id: 34, message_type: 'group', post_type: 'message', raw_message: 'spam', self_id: 10001000, sender: { user_id: 20004 }, sub_type: 'normal', time: 1590000000, user_id: 20004 };
const ANONYMOUS = { ...GROUP, anonymous: { flag: 'anon-flag', id: 42, name: '匿名者' }, sub_type: 'anonymous', user_id: 80000000 };
const DISCUSS = { discuss_id: 777, font: 0, message: 'hi', message_id: 56, message_type: 'discuss', post_type: 'message', raw_message: 'hi', self_id: 10001000, sender: { user_id: 20002 }, time: 1590000000, user_id: 20002 };
const FRIEND_REQUEST = { comment: 'let me in', flag: 'friend-flag', post_type: 'request', request_type: 'friend', self_id: 10001000, time: 1590000000, user_id: 20005 };
const GROUP_REQUEST = { comment: 'pls', flag: 'group-flag', group_id: 100001, post_type: 'request', request_type: 'group', self_id: 10001000, sub_type: 'add', time: 1590000000, user_id: 20006 };

test('private reply: send_msg with the whole event as params and message replaced by segments', async () => {
  const q = setup();
  const { result, calls } = await q.run({ ...PRIVATE, auto_escape: true }, { reply: '[CQ:face,id=14]hi', at_sender: true });
  assert.deepEqual(result, { retcode: 0, data: null });
  assert.equal(calls.length, 1);
  const expected = { ...PRIVATE, message: [{ type: 'face', data: { id: '14' } }, text('hi')] };
  assert.deepEqual(calls[0], { action: 'send_msg', params: expected }, 'no at prefix in private chats; the event\'s auto_escape removed');
  await q.close();
});

test('reply with auto_escape (get_bool) is sent verbatim and not re-escaped by send_msg', async () => {
  const q = setup();
  for (const autoEscape of [true, 'yes', 'TRUE', '1']) {
    const { calls } = await q.run(PRIVATE, { reply: '[CQ:face,id=14]&#91;', auto_escape: autoEscape });
    const sent = calls[0]!.params;
    assert.deepEqual(sent.message, [text('[CQ:face,id=14]&#91;')], `auto_escape ${String(autoEscape)}`);
    assert.deepEqual(decodeSendMessage(sent.message, getBool(sent.auto_escape, false)), [text('[CQ:face,id=14]&#91;')]);
  }
  const { calls } = await q.run(PRIVATE, { reply: '&#91;x&#93;', auto_escape: 'nope' });
  assert.deepEqual(calls[0]!.params.message, [text('[x]')], 'unrecognised auto_escape → default false → CQ-decoded');
  await q.close();
});

test('empty or invalid reply sends nothing', async () => {
  const q = setup();
  for (const reply of [undefined, '', [], null, 42, [{ type: 'text' }], { data: {} }]) {
    const { names, result } = await q.run(PRIVATE, { reply });
    assert.deepEqual(names, [], `reply ${JSON.stringify(reply)}`);
    assert.equal(result?.retcode, 0);
  }
  const { calls } = await q.run(PRIVATE, { reply: '', auto_escape: true });
  assert.deepEqual(calls[0]?.params.message, [text('')], 'an auto-escaped "" is one segment, as get_message makes it (send_msg then answers 100)');
  await q.close();
});

test('group reply: at_sender defaults to true — [CQ:at] + " " merged into the reply', async () => {
  const q = setup();
  assert.deepEqual((await q.run(GROUP, { reply: 'stop' })).calls[0]!.params.message, [at('20004'), text(' stop')]);
  assert.deepEqual((await q.run(GROUP, { reply: 'stop', at_sender: 'maybe' })).calls[0]!.params.message, [at('20004'), text(' stop')]);
  const image = { type: 'image', data: { file: 'a.jpg' } };
  assert.deepEqual((await q.run(GROUP, { reply: [image, text('x')] })).calls[0]!.params.message, [at('20004'), text(' '), image, text('x')]);
  assert.deepEqual((await q.run(GROUP, { reply: { type: 'text', data: { text: 'a' } } })).calls[0]!.params.message, [at('20004'), text(' a')]);
  for (const atSender of [false, 'no', 'False', '0']) {
    const { calls } = await q.run(GROUP, { reply: 'stop', at_sender: atSender });
    assert.deepEqual(calls[0]!.params.message, [text('stop')], `at_sender ${String(atSender)}`);
  }
  const { calls } = await q.run({ ...GROUP, user_id: '20004' }, { reply: 'x' });
  assert.deepEqual(calls[0]!.params.message, [at('20004'), text(' x')], 'user_id read with get_integer');
  await q.close();
});

test('group: execution order reply → delete → kick → ban, with the event ids', async () => {
  const q = setup();
  const { names, calls } = await q.run(GROUP, { ban: true, kick: true, delete: true, reply: 'bye' });
  assert.deepEqual(names, ['send_msg', 'delete_msg', 'set_group_kick', 'set_group_ban']);
  assert.equal(calls[1]!.params.message_id, 34);
  assert.equal(calls[2]!.params.group_id, 100001);
  assert.equal(calls[2]!.params.user_id, 20004);
  assert.equal(calls[2]!.params.reject_add_request, false);
  assert.equal(calls[3]!.params.group_id, 100001);
  assert.equal(calls[3]!.params.user_id, 20004);
  assert.equal(calls[3]!.params.duration, 1800, 'ban_duration defaults to 30 minutes');
  assert.deepEqual((await q.run(GROUP, { delete: 'yes', kick: 'true', ban: '1' })).names, ['delete_msg', 'set_group_kick', 'set_group_ban'], 'get_bool strings');
  assert.deepEqual((await q.run(GROUP, { delete: 1, kick: 'x', ban: false })).names, [], 'numbers and other strings → default false');
  await q.close();
});

test('ban_duration is read with get_integer', async () => {
  const q = setup();
  const duration = async (banDuration: unknown) => (await q.run(GROUP, { ban: true, ban_duration: banDuration })).calls[0]!.params.duration;
  assert.equal(await duration('60'), 60);
  assert.equal(await duration(60), 60);
  assert.equal(await duration('90s'), 90);
  assert.equal(await duration(0), 0);
  assert.equal(await duration(60.5), 1800);
  assert.equal(await duration('abc'), 1800);
  assert.equal(await duration(true), 1800);
  await q.close();
});

test('anonymous sender: at prefix still applied (CODE), kick skipped, ban → set_group_anonymous_ban', async () => {
  const q = setup();
  const { names, calls } = await q.run(ANONYMOUS, { reply: 'no', delete: true, kick: true, ban: true, ban_duration: 600 });
  assert.deepEqual(names, ['send_msg', 'delete_msg', 'set_group_anonymous_ban']);
  assert.deepEqual(calls[0]!.params.message, [at('80000000'), text(' no')]);
  const ban = calls[2]!.params;
  assert.equal(ban.group_id, 100001);
  assert.equal(ban.duration, 600);
  assert.deepEqual(ban.anonymous, ANONYMOUS.anonymous);
  assert.equal(ban.anonymous_flag, 'anon-flag');
  const trimmed = await q.run({ post_type: 'message', message_type: 'group', group_id: 1, user_id: 80000000, anonymous: { flag: 'f2' } }, { ban: true });
  assert.equal(trimmed.calls[0]!.params.anonymous_flag, 'f2', 'a trimmed anonymous object still yields the flag');
  await q.close();
});

test('3.x-compatible group context: anonymous is the name string, anonymous_flag beside it', async () => {
  const q = setup();
  const legacy = { ...GROUP, anonymous: '匿名者', anonymous_flag: 'legacy-flag', user_id: 80000000 };
  const { names, calls } = await q.run(legacy, { kick: true, ban: true });
  assert.deepEqual(names, ['set_group_anonymous_ban']);
  assert.equal(calls[0]!.params.anonymous_flag, 'legacy-flag');
  const named = await q.run({ ...GROUP, anonymous: '', anonymous_flag: '' }, { kick: true, ban: true });
  assert.deepEqual(named.names, ['set_group_kick', 'set_group_ban'], 'an empty anonymous string is not anonymous');
  await q.close();
});

test('discuss: reply with at prefix; delete/kick/ban do not apply', async () => {
  const q = setup();
  const { names, calls } = await q.run(DISCUSS, { reply: 'yo', delete: true, kick: true, ban: true });
  assert.deepEqual(names, ['send_msg']);
  assert.deepEqual(calls[0]!.params, { ...DISCUSS, message: [at('20002'), text(' yo')] });
  assert.deepEqual((await q.run(DISCUSS, { reply: 'yo', at_sender: false })).calls[0]!.params.message, [text('yo')]);
  assert.deepEqual((await q.run(PRIVATE, { delete: true, kick: true, ban: true })).names, [], 'nor in private chats');
  await q.close();
});

test('friend request: approve must be a JSON boolean', async () => {
  const q = setup();
  const approved = await q.run(FRIEND_REQUEST, { approve: true, remark: 'Eve' });
  assert.deepEqual(approved.calls, [{ action: 'set_friend_add_request', params: { ...FRIEND_REQUEST, approve: true, remark: 'Eve', reason: '' } }]);
  const refused = await q.run(FRIEND_REQUEST, { approve: false, remark: 7 });
  assert.equal(refused.calls[0]!.params.approve, false);
  assert.equal(refused.calls[0]!.params.remark, '', 'remark read with get_string');
  for (const approve of ['true', 1, 'yes', null, undefined]) {
    assert.deepEqual((await q.run(FRIEND_REQUEST, { approve, remark: 'x' })).names, [], `approve ${JSON.stringify(approve)} is ignored`);
  }
  await q.close();
});

test('group request: set_group_add_request with the event flag and sub_type, approve and reason', async () => {
  const q = setup();
  const { calls } = await q.run(GROUP_REQUEST, { approve: false, reason: 'no bots' });
  assert.deepEqual(calls, [{ action: 'set_group_add_request', params: { ...GROUP_REQUEST, approve: false, remark: '', reason: 'no bots' } }]);
  const invite = await q.run({ ...GROUP_REQUEST, sub_type: 'invite' }, { approve: true });
  assert.equal(invite.calls[0]!.params.sub_type, 'invite');
  assert.deepEqual((await q.run({ ...GROUP_REQUEST, request_type: 'other' }, { approve: true })).names, []);
  await q.close();
});

test('notices and meta events have no quick operations (block is not handled here)', async () => {
  const q = setup();
  const notice = { group_id: 100001, notice_type: 'group_increase', operator_id: 1, post_type: 'notice', self_id: 1, sub_type: 'approve', time: 1, user_id: 20001 };
  const meta = { meta_event_type: 'heartbeat', post_type: 'meta_event', self_id: 1, time: 1, message_type: 'group' };
  const everything = { reply: 'x', delete: true, kick: true, ban: true, approve: true, block: true };
  for (const context of [notice, meta, { ...notice, post_type: 'event' }]) {
    const { names, result } = await q.run(context, everything);
    assert.deepEqual(names, []);
    assert.deepEqual(result, { retcode: 0, data: null });
  }
  await q.close();
});

test('context and operation must be objects, else 100', async () => {
  const q = setup();
  for (const [context, operation] of [[undefined, {}], [GROUP, undefined], [null, {}], [[GROUP], {}], ['{}', {}], [GROUP, []], [GROUP, 'reply'], [GROUP, null], [1, 1]]) {
    const { result, names } = await q.run(context, operation);
    assert.equal(result?.retcode, 100, `${JSON.stringify(context)} / ${JSON.stringify(operation)}`);
    assert.equal(result?.error?.code, 'BAD_PARAMS');
    assert.deepEqual(names, []);
  }
  await q.close();
});

test('answers ok/null even when every sub-operation fails, and later ones still run', async () => {
  const q = setup(['send_msg', 'delete_msg', 'set_group_kick'], ['set_group_ban']);
  const { result, names } = await q.run(GROUP, { reply: 'x', delete: true, kick: true, ban: true });
  assert.deepEqual(result, { retcode: 0, data: null });
  assert.deepEqual(names, ['send_msg', 'delete_msg', 'set_group_kick'], 'set_group_ban is not registered: yields null, silently');
  await q.close();
});

test('runQuickOperation works over any call function, and swallows its rejections', async () => {
  const seen: string[] = [];
  await runQuickOperation(
    async (action) => {
      seen.push(action);
      throw new Error('transport down');
    },
    GROUP,
    { reply: 'a', delete: true, ban: true },
  );
  assert.deepEqual(seen, ['send_msg', 'delete_msg', 'set_group_ban']);
});
