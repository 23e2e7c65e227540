/** Control API: moderation, requests, files and notify acts, each with a refusal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { assertFailure, withControl } from './harness.js';

describe('sandbox control API: moderation', () => {
  it('POST …/ban (0 lifts), …/whole-ban, …/admins', () => withControl(async ({ req, sb, events }) => {
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botMember}/ban`, { operator: USERS.alice, user_id: USERS.grace, duration: 600 })).json, {});
    await req('POST', `/api/groups/${GROUPS.botMember}/ban`, { operator: USERS.alice, user_id: USERS.grace, duration: 0 });
    await req('POST', `/api/groups/${GROUPS.botMember}/whole-ban`, { operator: USERS.bob });
    await req('POST', `/api/groups/${GROUPS.botMember}/whole-ban`, { operator: USERS.bob, enable: false });
    await req('POST', `/api/groups/${GROUPS.botMember}/admins`, { operator: USERS.bob, user_id: USERS.grace });
    assert.deepEqual(events.map((e) => [e['notice_type'], e['sub_type'], e['user_id'], e['duration']]), [
      ['group_ban', 'ban', USERS.grace, 600],
      ['group_ban', 'lift_ban', USERS.grace, 0],
      ['group_ban', 'ban', 0, -1],
      ['group_ban', 'lift_ban', 0, 0],
      ['group_admin', 'set', USERS.grace, undefined],
    ]);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/ban`, { operator: USERS.carol, user_id: USERS.eve, duration: 60 }), 403, 'NO_PERMISSION');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/ban`, { operator: USERS.bob, user_id: USERS.eve, duration: 2_592_000 }), 400, 'DURATION_OUT_OF_RANGE');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/whole-ban`, { operator: USERS.carol }), 403, 'NO_PERMISSION');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/admins`, { operator: USERS.alice, user_id: USERS.eve }), 403, 'NO_PERMISSION', /only the owner/);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/admins`, { operator: USERS.bob, user_id: USERS.eve, enable: 'maybe' }), 400, 'BAD_PARAMS', /true or false/);
    assert.equal(sb.getWorld().groups[2]?.wholeBan, false);
  }));

  it('POST …/anonymous and …/anonymous-ban', () => withControl(async ({ req }) => {
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous`, { operator: USERS.carol }), 403, 'NO_PERMISSION');
    await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous`, { operator: USERS.bob });
    const sent = await req('POST', '/api/messages', { from: USERS.eve, group_id: GROUPS.botOwner, message: 'psst', anonymous: true });
    const flag = (sent.json['anonymous'] as { flag: string }).flag;
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous-ban`, { operator: USERS.alice, flag, duration: 60 })).json, {});
    assertFailure(await req('POST', '/api/messages', { from: USERS.eve, group_id: GROUPS.botOwner, message: 'again', anonymous: true }), 403, 'ANONYMOUS_DISABLED', /banned/);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous-ban`, { operator: USERS.alice, flag: 'nope' }), 400, 'BAD_ANONYMOUS_FLAG');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/anonymous-ban`, { operator: USERS.alice, flag, duration: 0 }), 403, 'CANNOT_LIFT_ANONYMOUS_BAN');
  }));
});

describe('sandbox control API: requests', () => {
  it('join requests: POST …/join-requests → {flag}; GET /api/requests; the bot answers', () => withControl(async ({ req, sb, events }) => {
    const a = await req('POST', `/api/groups/${GROUPS.botOwner}/join-requests`, { from: USERS.heidi, comment: 'hello' });
    assert.deepEqual(Object.keys(a.json), ['flag']);
    const flag = a.json['flag'] as string;
    assert.deepEqual([events[0]?.['request_type'], events[0]?.['sub_type'], events[0]?.['flag'], events[0]?.['comment']], ['group', 'add', flag, 'hello']);
    const listed = await req('GET', '/api/requests');
    assert.deepEqual(listed.json, { requests: [{ flag, request_type: 'group', sub_type: 'add', group_id: GROUPS.botOwner, user_id: USERS.heidi, comment: 'hello', state: 'pending', time: events[0]?.['time'], handled_by: null }] });
    await sb.setGroupAddRequest(flag, 'add', true, '');
    assert.equal(((await req('GET', '/api/requests')).json['requests'] as Record<string, unknown>[])[0]?.['state'], 'approved');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/join-requests`, { from: USERS.heidi }), 409, 'OPERATION_FAILED', /already a member/);
  }));

  it('an admin user answers with POST /api/requests/:flag; spent and unknown flags are 404', () => withControl(async ({ req, events }) => {
    const flag = (await req('POST', `/api/groups/${GROUPS.botMember}/join-requests`, { from: USERS.heidi })).json['flag'] as string;
    assertFailure(await req('POST', `/api/requests/${encodeURIComponent(flag)}`, { operator: USERS.carol }), 403, 'NO_PERMISSION');
    assert.deepEqual((await req('POST', `/api/requests/${encodeURIComponent(flag)}`, { operator: USERS.alice, approve: true })).json, {});
    assert.deepEqual(events.map((e) => [e['notice_type'], e['operator_id'], e['user_id']]), [['group_increase', USERS.alice, USERS.heidi]]);
    assertFailure(await req('POST', `/api/requests/${encodeURIComponent(flag)}`, { operator: USERS.alice, approve: false }), 404, 'FLAG_NOT_FOUND', /already been approved/);
    assertFailure(await req('POST', '/api/requests/unknown', { operator: USERS.alice }), 404, 'FLAG_NOT_FOUND');
  }));

  it('POST …/bot-invitations and /api/friend-requests answer {flag} and emit the request', () => withControl(async ({ req, sb, events }) => {
    await req('POST', '/api/groups', { group_id: 200001, group_name: 'Elsewhere', owner_id: USERS.heidi });
    const inv = await req('POST', '/api/groups/200001/bot-invitations', { from: USERS.heidi, comment: 'join' });
    const fr = await req('POST', '/api/friend-requests', { from: USERS.grace, comment: 'hi' });
    assert.deepEqual(events.map((e) => [e['request_type'], e['sub_type'], e['user_id'], e['flag']]), [
      ['group', 'invite', USERS.heidi, inv.json['flag']],
      ['friend', undefined, USERS.grace, fr.json['flag']],
    ]);
    await sb.setFriendAddRequest(fr.json['flag'] as string, true, 'G');
    assert.ok(sb.getWorld().friends.some((f) => f.userId === USERS.grace));
    assertFailure(await req('POST', '/api/friend-requests', { from: USERS.grace }), 409, 'OPERATION_FAILED', /already the bot's friend/);
    assertFailure(await req('POST', '/api/groups/200001/bot-invitations', { from: USERS.alice }), 404, 'USER_NOT_FOUND');
  }));
});

describe('sandbox control API: files and notify', () => {
  it('POST …/files → {file_id, busid} and group_upload; GET …/files lists them', () => withControl(async ({ req, events, clock }) => {
    const a = await req('POST', `/api/groups/${GROUPS.botAdmin}/files`, { from: USERS.bob, name: 'notes.txt', content_base64: Buffer.from('hello').toString('base64') });
    assert.deepEqual(Object.keys(a.json).sort(), ['busid', 'file_id']);
    assert.equal(a.json['busid'], 102);
    assert.deepEqual(events[0]?.['file'], { busid: 102, id: a.json['file_id'], name: 'notes.txt', size: 5 });
    const listed = await req('GET', `/api/groups/${GROUPS.botAdmin}/files`);
    assert.deepEqual(listed.json, { files: [{ file_id: a.json['file_id'], group_id: GROUPS.botAdmin, busid: 102, name: 'notes.txt', size: 5, uploader: USERS.bob, upload_time: clock.seconds }] });
    assertFailure(await req('POST', `/api/groups/${GROUPS.botAdmin}/files`, { from: USERS.bob, name: 'a/b', size: 1 }), 400, 'BAD_PARAMS', /file name/);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botAdmin}/files`, { from: USERS.heidi, name: 'x', size: 1 }), 404, 'USER_NOT_FOUND');
    assertFailure(await req('GET', '/api/groups/424242/files'), 404, 'INVALID_TARGET');
  }));

  it('POST …/lucky-king and …/honors', () => withControl(async ({ req, events }) => {
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botOwner}/lucky-king`, { from: USERS.alice, target: USERS.eve })).json, {});
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botOwner}/honors`, { user_id: USERS.eve, honor_type: 'emotion' })).json, {});
    assert.deepEqual(events.map((e) => [e['sub_type'], e['user_id'], e['target_id'], e['honor_type']]), [
      ['lucky_king', USERS.alice, USERS.eve, undefined],
      ['honor', USERS.eve, undefined, 'emotion'],
    ]);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/honors`, { user_id: USERS.eve, honor_type: 'legend' }), 400, 'BAD_PARAMS');
    assertFailure(await req('POST', `/api/groups/${GROUPS.botOwner}/lucky-king`, { from: USERS.alice, target: USERS.heidi }), 404, 'USER_NOT_FOUND');
  }));
});
