import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

let clock = Date.UTC(2026, 0, 1) ;
let t: TestApp;
before(async () => {
  t = await startTestApp({ now: () => clock });
});
after(() => t.close());

const lastMessage = (ref: { groupId: number } | { userId: number }) => t.app.backend.listMessages(ref).at(-1)!;

test('send_group_msg: stored with its segments and raw_message; message_id positive', async () => {
  const res = await t.get(`send_group_msg?group_id=${GROUPS.botOwner}&message=hello%5BCQ:face,id=14%5D`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=UTF-8');
  const id = (res.body?.data as { message_id: number }).message_id;
  assert.ok(Number.isInteger(id) && id > 0 && id <= 0x7fffffff);
  assert.match(res.text, /^\{"data":\{"message_id":\d+\},"retcode":0,"status":"ok"\}$/);
  const stored = lastMessage({ groupId: GROUPS.botOwner });
  assert.equal(stored.messageId, id);
  assert.equal(stored.rawMessage, 'hello[CQ:face,id=14]');
  assert.deepEqual(stored.message, [{ type: 'text', data: { text: 'hello' } }, { type: 'face', data: { id: '14' } }]);
});

test('every message shape is accepted: string, segment array, single segment, auto_escape', async () => {
  await ok(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: [{ type: 'text', data: { text: 'a' } }, { type: 'text', data: { text: 'b' } }] });
  assert.equal(lastMessage({ groupId: GROUPS.botOwner }).rawMessage, 'ab', 'adjacent text merged');
  await ok(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: { type: 'face', data: { id: 1 } } });
  assert.equal(lastMessage({ groupId: GROUPS.botOwner }).rawMessage, '[CQ:face,id=1]', 'non-string data stringified');
  await ok(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: '[CQ:face,id=1]', auto_escape: 'true' });
  assert.equal(lastMessage({ groupId: GROUPS.botOwner }).rawMessage, '&#91;CQ:face,id=1&#93;');
  assert.deepEqual(lastMessage({ groupId: GROUPS.botOwner }).message, [{ type: 'text', data: { text: '[CQ:face,id=1]' } }]);
});

test('send failures: missing or empty message → 100, unknown group → -9, zero id → 100', async () => {
  const cases: [string, Record<string, unknown>, number][] = [
    ['send_group_msg', { group_id: GROUPS.botOwner }, 100],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: '' }, 100],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: '', auto_escape: true }, 100],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: '[CQ:text]' }, 100],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: [{ type: 'text', data: {} }] }, 100],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: 42 }, 100],
    ['send_group_msg', { group_id: 0, message: 'x' }, 100],
    ['send_group_msg', { group_id: 'abc', message: 'x' }, 100],
    ['send_group_msg', { group_id: 424242, message: 'x' }, -9],
    ['send_private_msg', { message: 'x' }, 100],
    ['send_private_msg', { user_id: USERS.heidi, message: 'x' }, -23],
    ['send_group_msg', { group_id: GROUPS.botOwner, message: 'x'.repeat(4501) }, -3],
  ];
  for (const [action, params, retcode] of cases) {
    const res = await t.call(action, params);
    assert.equal(res.status, 200);
    assert.equal(res.body?.retcode, retcode, `${action} ${JSON.stringify(params).slice(0, 80)} → ${res.text}`);
    assert.equal(res.body?.status, 'failed');
    assert.equal(res.body?.data, null);
    assert.equal(typeof res.body?.msg, 'string');
    assert.equal(typeof res.body?.wording, 'string');
  }
});

test('send_private_msg: to a friend, and to a group member as a temporary session', async () => {
  const data = await ok<{ message_id: number }>(t, 'send_private_msg', { user_id: USERS.alice, message: 'hi Alice' });
  assert.equal(lastMessage({ userId: USERS.alice }).messageId, data.message_id);
  assert.equal(lastMessage({ userId: USERS.alice }).userId, 10001000);
  await ok(t, 'send_private_msg', { user_id: USERS.dave, message: 'temp session' });
  assert.equal(lastMessage({ userId: USERS.dave }).rawMessage, 'temp session');
});

test('send_msg infers the kind from message_type, else from which key is present', async () => {
  await ok(t, 'send_msg', { message_type: 'group', group_id: GROUPS.botAdmin, user_id: USERS.alice, message: 'explicit group' });
  assert.equal(lastMessage({ groupId: GROUPS.botAdmin }).rawMessage, 'explicit group');
  await ok(t, 'send_msg', { group_id: GROUPS.botAdmin, user_id: USERS.alice, message: 'inferred group' });
  assert.equal(lastMessage({ groupId: GROUPS.botAdmin }).rawMessage, 'inferred group');
  await ok(t, 'send_msg', { user_id: USERS.bob, message: 'inferred private' });
  assert.equal(lastMessage({ userId: USERS.bob }).rawMessage, 'inferred private');
  await ok(t, 'send_msg', { message_type: 'private', user_id: USERS.bob, group_id: GROUPS.botAdmin, message: 'explicit private' });
  assert.equal(lastMessage({ userId: USERS.bob }).rawMessage, 'explicit private');
  assert.equal((await t.call('send_msg', { message: 'nowhere' })).body?.retcode, 100);
  assert.equal((await t.call('send_msg', { message_type: 'channel', user_id: USERS.bob, message: 'x' })).body?.retcode, 100);
  assert.equal((await t.call('send_msg', { message_type: 'group', user_id: USERS.bob, message: 'x' })).body?.retcode, 100);
  assert.equal((await t.call('send_msg', { discuss_id: 5, message: 'x' })).body?.retcode, -9, 'no such discuss group: the bot is not in it');
});

test('a muted bot cannot send to that group (-34); whole-group ban silences it only as a member', async () => {
  // Quiet Corner: Bob owns it, the bot is a plain member.
  t.app.backend.banAs(USERS.bob, GROUPS.botMember, 10001000, 600);
  assert.equal((await t.call('send_group_msg', { group_id: GROUPS.botMember, message: 'x' })).body?.retcode, -34);
  t.app.backend.banAs(USERS.bob, GROUPS.botMember, 10001000, 0);
  await ok(t, 'send_group_msg', { group_id: GROUPS.botMember, message: 'free again' });
  t.app.backend.setWholeBanAs(USERS.bob, GROUPS.botMember, true);
  assert.equal((await t.call('send_group_msg', { group_id: GROUPS.botMember, message: 'x' })).body?.retcode, -34);
  t.app.backend.setWholeBanAs(USERS.alice, GROUPS.botAdmin, true);
  await ok(t, 'send_group_msg', { group_id: GROUPS.botAdmin, message: 'admins still talk' });
  t.app.backend.setWholeBanAs(USERS.bob, GROUPS.botMember, false);
  t.app.backend.setWholeBanAs(USERS.alice, GROUPS.botAdmin, false);
});

test('delete_msg: own message recalled; twice, unknown or non-positive ids fail', async () => {
  const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botMember, message: 'oops' });
  assert.equal((await t.call('delete_msg', { message_id: String(message_id) })).body?.retcode, 0);
  assert.equal(t.app.backend.listMessages({ groupId: GROUPS.botMember }).find((m) => m.messageId === message_id)?.recalled, true);
  assert.equal((await t.call('delete_msg', { message_id })).body?.retcode, 100);
  assert.equal((await t.call('delete_msg', { message_id: 2_000_000_000 })).body?.retcode, 100);
  assert.equal((await t.call('delete_msg', { message_id: 0 })).body?.retcode, 100);
  assert.equal((await t.call('delete_msg', { message_id: -5 })).body?.retcode, 100);
  assert.equal((await t.call('delete_msg', {})).body?.retcode, 100);
});

test('delete_msg: a plain member recalls its own message only within 2 minutes', async () => {
  const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botMember, message: 'late' });
  clock += 121_000;
  const res = await t.call('delete_msg', { message_id });
  assert.equal(res.body?.retcode, -39);
  assert.match(res.body?.wording ?? '', /2 minutes|120/);
});

test('delete_msg: the bot recalls members it outranks, not its superiors', async () => {
  const member = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: [{ type: 'text', data: { text: 'spam' } }] });
  await ok(t, 'delete_msg', { message_id: member.messageId });
  const owner = t.app.backend.postMessage({ from: USERS.bob, groupId: GROUPS.botMember, message: [{ type: 'text', data: { text: 'owner speaks' } }] });
  assert.equal((await t.call('delete_msg', { message_id: owner.messageId })).body?.retcode, -39);
  const friend = t.app.backend.postMessage({ from: USERS.alice, message: [{ type: 'text', data: { text: 'private' } }] });
  assert.equal((await t.call('delete_msg', { message_id: friend.messageId })).body?.retcode, -39);
});

test('message ids survive a restart: a message sent before can be deleted after', async () => {
  const { message_id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: 'before restart' });
  await t.restart();
  const again = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botOwner, message: 'after restart' });
  assert.ok(again.message_id > message_id, 'ids are never reused');
  assert.equal((await t.call('delete_msg', { message_id })).body?.retcode, 0);
});

test('failure_details=false gives the byte-exact 4.15 failure envelope', async () => {
  const strict = await startTestApp({ config: { failure_details: false } });
  try {
    const res = await strict.call('send_group_msg', { group_id: 424242, message: 'x' });
    assert.equal(res.text, '{"data":null,"retcode":-9,"status":"failed"}');
  } finally {
    await strict.close();
  }
});
