/** Control API: speaking as users, reading conversations, recalling, poking. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { assertFailure, withControl } from './harness.js';

const text = (t: string) => [{ type: 'text', data: { text: t } }];

describe('sandbox control API: messages', () => {
  it('POST /api/messages in a group: a string is parsed as CQ codes; answers {message_id}', () => withControl(async ({ req, sb, events }) => {
    const a = await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'hi [CQ:face,id=14] &#91;x&#93;' });
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.json), ['message_id']);
    const id = a.json['message_id'];
    assert.ok(typeof id === 'number' && id > 0);
    assert.equal(events.length, 1);
    assert.deepEqual([events[0]?.['message_id'], events[0]?.['user_id'], events[0]?.['group_id']], [id, USERS.carol, GROUPS.botOwner]);
    assert.deepEqual(events[0]?.['message'], [{ type: 'text', data: { text: 'hi ' } }, { type: 'face', data: { id: '14' } }, { type: 'text', data: { text: ' [x]' } }]);
    assert.equal(sb.listMessages({ groupId: GROUPS.botOwner })[0]?.rawMessage, 'hi [CQ:face,id=14] &#91;x&#93;');
  }));

  it('POST /api/messages privately (no group_id), as segments, or auto_escape\'d', () => withControl(async ({ req, events }) => {
    const a = await req('POST', '/api/messages', { from: USERS.alice, message: text('dm') });
    assert.equal(events[0]?.['message_type'], 'private');
    assert.equal(events[0]?.['message_id'], a.json['message_id']);
    await req('POST', '/api/messages', { from: USERS.alice, message: '[CQ:face,id=1]', auto_escape: true });
    assert.deepEqual(events[1]?.['message'], text('[CQ:face,id=1]'));
  }));

  it('refusals keep their catalogue code: not a member 404, muted 403, empty 400, no relationship 403', () => withControl(async ({ req, sb }) => {
    assertFailure(await req('POST', '/api/messages', { from: USERS.heidi, group_id: GROUPS.botOwner, message: 'x' }), 404, 'USER_NOT_FOUND', /20008/);
    await sb.setGroupBan(GROUPS.botOwner, USERS.carol, 60);
    assertFailure(await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'x' }), 403, 'BOT_MUTED', /muted/);
    assertFailure(await req('POST', '/api/messages', { from: USERS.dave, group_id: GROUPS.botOwner, message: '' }), 400, 'MESSAGE_EMPTY_OR_TOO_LONG');
    assertFailure(await req('POST', '/api/messages', { from: USERS.dave, group_id: GROUPS.botOwner }), 400, 'BAD_PARAMS', /message is required/);
    assertFailure(await req('POST', '/api/messages', { from: USERS.heidi, message: 'x' }), 403, 'NO_RELATIONSHIP');
    assertFailure(await req('POST', '/api/messages', { group_id: GROUPS.botOwner, message: 'x' }), 400, 'BAD_PARAMS', /from is required/);
  }));

  it('GET /api/messages?group_id lists the conversation in order, the bot\'s messages and recalls included', () => withControl(async ({ req, sb, clock }) => {
    const bot = await sb.sendGroupMessage(GROUPS.botAdmin, text('bot says'));
    clock.advanceSeconds(3);
    const user = await req('POST', '/api/messages', { from: USERS.frank, group_id: GROUPS.botAdmin, message: 'frank [CQ:at,qq=10001000]' });
    assert.deepEqual((await req('POST', '/api/recall', { operator: USERS.frank, message_id: user.json['message_id'] })).json, {});
    const a = await req('GET', `/api/messages?group_id=${GROUPS.botAdmin}`);
    assert.equal(a.status, 200);
    assert.deepEqual(a.json, {
      messages: [
        { message_id: bot.messageId, time: clock.seconds - 3, user_id: sb.selfId, group_id: GROUPS.botAdmin, message: text('bot says'), raw_message: 'bot says', recalled: false },
        {
          message_id: user.json['message_id'], time: clock.seconds, user_id: USERS.frank, group_id: GROUPS.botAdmin,
          message: [{ type: 'text', data: { text: 'frank ' } }, { type: 'at', data: { qq: '10001000' } }], raw_message: 'frank [CQ:at,qq=10001000]', recalled: true,
        },
      ],
    });
  }));

  it('GET /api/messages?user_id lists a private conversation without group_id; exactly one selector is required', () => withControl(async ({ req, sb, clock }) => {
    const bot = await sb.sendPrivateMessage(USERS.bob, text('hello Bob'));
    const bob = await req('POST', '/api/messages', { from: USERS.bob, message: 'hi bot' });
    const a = await req('GET', `/api/messages?user_id=${USERS.bob}`);
    assert.deepEqual(a.json['messages'], [
      { message_id: bot.messageId, time: clock.seconds, user_id: sb.selfId, message: text('hello Bob'), raw_message: 'hello Bob', recalled: false },
      { message_id: bob.json['message_id'], time: clock.seconds, user_id: USERS.bob, message: text('hi bot'), raw_message: 'hi bot', recalled: false },
    ]);
    assert.deepEqual((await req('GET', '/api/messages?user_id=20005')).json, { messages: [] });
    assertFailure(await req('GET', '/api/messages'), 400, 'BAD_PARAMS', /exactly one/);
    assertFailure(await req('GET', `/api/messages?user_id=1&group_id=${GROUPS.botAdmin}`), 400, 'BAD_PARAMS', /exactly one/);
    assertFailure(await req('GET', '/api/messages?group_id=x'), 400, 'BAD_PARAMS', /group_id/);
  }));

  it('anonymous: true speaks anonymously and answers the identity', () => withControl(async ({ req, events }) => {
    assertFailure(await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'x', anonymous: true }), 403, 'ANONYMOUS_DISABLED');
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous`, { operator: USERS.alice, enable: true })).json, {});
    const a = await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'boo', anonymous: true });
    assert.deepEqual(Object.keys(a.json).sort(), ['anonymous', 'message_id']);
    assert.deepEqual(events.at(-1)?.['anonymous'], a.json['anonymous']);
    assert.equal(events.at(-1)?.['user_id'], 80000000);
    const listed = (await req('GET', `/api/messages?group_id=${GROUPS.botOwner}`)).json['messages'] as Record<string, unknown>[];
    assert.deepEqual([listed[0]?.['user_id'], listed[0]?.['anonymous']], [USERS.carol, a.json['anonymous']]);
    assertFailure(await req('POST', '/api/messages', { from: USERS.carol, message: 'x', anonymous: true }), 400, 'BAD_PARAMS', /group_id/);
  }));

  it('POST /api/recall enforces the recall rules', () => withControl(async ({ req, sb }) => {
    const owner = await req('POST', '/api/messages', { from: USERS.alice, group_id: GROUPS.botAdmin, message: 'owner' });
    assertFailure(await req('POST', '/api/recall', { operator: USERS.carol, message_id: owner.json['message_id'] }), 403, 'NO_PERMISSION', /owner/);
    assertFailure(await req('POST', '/api/recall', { operator: USERS.carol, message_id: 99999 }), 404, 'MESSAGE_NOT_FOUND');
    assert.equal(sb.listMessages({ groupId: GROUPS.botAdmin })[0]?.recalled, false);
  }));

  it('POST /api/poke: in a group, or the bot privately (target defaults to the bot)', () => withControl(async ({ req, sb, events }) => {
    assert.deepEqual((await req('POST', '/api/poke', { from: USERS.carol, target: USERS.dave, group_id: GROUPS.botOwner })).json, {});
    await req('POST', '/api/poke', { from: USERS.alice });
    assert.deepEqual(events.map((e) => [e['sub_type'], e['group_id'], e['user_id'], e['target_id']]), [
      ['poke', GROUPS.botOwner, USERS.carol, USERS.dave],
      ['poke', undefined, USERS.alice, sb.selfId],
    ]);
    assertFailure(await req('POST', '/api/poke', { from: USERS.heidi }), 403, 'NO_RELATIONSHIP');
  }));
});
