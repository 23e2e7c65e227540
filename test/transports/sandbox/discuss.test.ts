/** Control API: discuss groups (create, speak, list, invite, leave) and emoji reactions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { assertFailure, withControl } from './harness.js';

const BOT = 10001000;

describe('sandbox control API: discuss groups and reactions', () => {
  it('POST /api/discusses, then a member speaks: the bot gets message/discuss; GET lists both', () => withControl(async ({ req, events }) => {
    const created = await req('POST', '/api/discusses', { members: [USERS.alice, String(BOT)], name: 'Plans' });
    assert.equal(created.status, 200, created.text);
    const discussId = created.json['discuss_id'];
    assert.equal(discussId, 1_000_000_001);
    const said = await req('POST', `/api/discusses/${discussId}/messages`, { from: USERS.alice, message: 'hi [CQ:face,id=14]' });
    assert.equal(events.at(-1)?.['message_type'], 'discuss');
    assert.equal(events.at(-1)?.['discuss_id'], discussId);
    assert.equal(events.at(-1)?.['message_id'], said.json['message_id']);
    assert.deepEqual((await req('GET', '/api/discusses')).json, { discusses: [{ discuss_id: discussId, members: [USERS.alice, BOT], name: 'Plans' }] });
    const log = await req('GET', `/api/discusses/${discussId}/messages`);
    assert.deepEqual(log.json['messages'], [{
      discuss_id: discussId, message: [{ type: 'text', data: { text: 'hi ' } }, { type: 'face', data: { id: '14' } }],
      message_id: said.json['message_id'], raw_message: 'hi [CQ:face,id=14]', recalled: false, time: (log.json['messages'] as { time: number }[])[0]?.time, user_id: USERS.alice,
    }]);
  }));

  it('invite and leave; refusals keep their catalogue codes', () => withControl(async ({ req, sb }) => {
    const discussId = sb.createDiscuss({ memberIds: [USERS.alice, BOT] });
    assert.equal((await req('POST', `/api/discusses/${discussId}/members`, { inviter: USERS.alice, user_id: USERS.bob })).status, 200);
    assert.equal((await req('DELETE', `/api/discusses/${discussId}/members/${USERS.alice}`)).status, 200);
    assert.deepEqual(sb.listDiscusses()[0]?.memberIds, [BOT, USERS.bob]);
    assertFailure(await req('POST', `/api/discusses/${discussId}/messages`, { from: USERS.alice, message: 'x' }), 404, 'USER_NOT_FOUND');
    assertFailure(await req('POST', '/api/discusses/5/messages', { from: USERS.alice, message: 'x' }), 404, 'INVALID_TARGET');
    assertFailure(await req('POST', '/api/discusses', { members: [29_999] }), 404, 'USER_NOT_FOUND');
    assertFailure(await req('POST', '/api/discusses', {}), 400, 'BAD_PARAMS', /members/);
    assertFailure(await req('POST', `/api/discusses/${discussId}/members`, { inviter: USERS.bob, user_id: USERS.bob }), 409, 'OPERATION_FAILED');
  }));

  it('POST /api/reactions: group_msg_emoji_like; bad emoji 400, private message 400', () => withControl(async ({ req, sb, events }) => {
    const { messageId } = sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: [{ type: 'text', data: { text: 'x' } }] });
    assert.equal((await req('POST', '/api/reactions', { from: USERS.dave, message_id: messageId, emoji_id: 76 })).status, 200);
    assert.deepEqual([events.at(-1)?.['notice_type'], events.at(-1)?.['user_id'], events.at(-1)?.['is_add']], ['group_msg_emoji_like', USERS.dave, true]);
    assert.equal((await req('POST', '/api/reactions', { from: USERS.dave, message_id: messageId, emoji_id: '76', set: false })).status, 200);
    assert.equal(events.at(-1)?.['is_add'], false);
    assertFailure(await req('POST', '/api/reactions', { from: USERS.dave, message_id: messageId, emoji_id: 'x' }), 400, 'BAD_PARAMS');
    const dm = sb.postMessage({ from: USERS.alice, message: [{ type: 'text', data: { text: 'dm' } }] });
    assertFailure(await req('POST', '/api/reactions', { from: USERS.alice, message_id: dm.messageId, emoji_id: 76 }), 400, 'BAD_PARAMS', /group messages/);
  }));
});
