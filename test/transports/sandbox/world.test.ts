/** Control API: the world, users, groups, membership, friends, and the transport's own failures. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { assertFailure, withControl } from './harness.js';

describe('sandbox control API: world', () => {
  it('GET /api/world: self_id, users, groups with members, friend ids — wire names', () => withControl(async ({ req, clock }) => {
    const a = await req('GET', '/api/world');
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.json).sort(), ['friends', 'groups', 'self_id', 'users']);
    assert.equal(a.json['self_id'], 10001000);
    assert.deepEqual(a.json['friends'], [USERS.alice, USERS.bob, USERS.carol]);
    const users = a.json['users'] as Record<string, unknown>[];
    assert.deepEqual(users[0], { user_id: USERS.alice, nickname: 'Alice', sex: 'female', age: 24, area: 'Shanghai', level: 1 });
    assert.equal(users.length, 8);
    const groups = a.json['groups'] as Record<string, unknown>[];
    assert.deepEqual(groups.map((g) => [g['group_id'], g['group_name']]), [[GROUPS.botOwner, 'Sandbox Lounge'], [GROUPS.botAdmin, 'Bot Workshop'], [GROUPS.botMember, 'Quiet Corner']]);
    const lounge = groups[0] ?? {};
    assert.deepEqual(Object.keys(lounge).sort(), ['anonymous_enabled', 'blocked', 'group_id', 'group_name', 'max_member_count', 'members', 'whole_ban']);
    const members = lounge['members'] as Record<string, unknown>[];
    assert.deepEqual(members[1], { user_id: USERS.alice, role: 'admin', card: 'Alice | ops', title: '', join_time: clock.seconds - 86400 * 5, last_sent_time: 0, muted_until: 0 });
    assert.deepEqual(members.map((m) => m['role']), ['owner', 'admin', 'admin', 'member', 'member', 'member']);
  }));

  it('POST /api/users and /api/groups create; duplicates are 409, bad input 400, unknown owners 404', () => withControl(async ({ req, sb }) => {
    assert.deepEqual((await req('POST', '/api/users', { user_id: 30001, nickname: 'Ivan', sex: 'male', age: 50, area: 'Xi\'an' })).json, { user_id: 30001 });
    assert.deepEqual(sb.getWorld().users.at(-1), { userId: 30001, nickname: 'Ivan', sex: 'male', age: 50, area: 'Xi\'an', level: 1 });
    assertFailure(await req('POST', '/api/users', { user_id: 30001, nickname: 'again' }), 409, 'OPERATION_FAILED', /already exists/);
    assertFailure(await req('POST', '/api/users', { user_id: 30002 }), 400, 'BAD_PARAMS', /nickname is required/);
    assertFailure(await req('POST', '/api/users', { user_id: 30002, nickname: 'x', sex: 'robot' }), 400, 'BAD_PARAMS', /sex must be one of/);
    assertFailure(await req('POST', '/api/users', { user_id: -4, nickname: 'x' }), 400, 'BAD_PARAMS', /user_id must be a positive integer/);
    assert.deepEqual((await req('POST', '/api/groups', { group_id: 200001, group_name: 'New', owner_id: '30001', max_member_count: 3 })).json, { group_id: 200001 });
    assert.deepEqual(sb.getWorld().groups.at(-1)?.members.map((m) => [m.userId, m.role]), [[30001, 'owner']]);
    assertFailure(await req('POST', '/api/groups', { group_id: 200001, group_name: 'Again', owner_id: 30001 }), 409, 'OPERATION_FAILED');
    assertFailure(await req('POST', '/api/groups', { group_id: 200002, group_name: 'Nobody', owner_id: 39999 }), 404, 'USER_NOT_FOUND');
  }));

  it('PUT /api/users/:uid and /api/groups/:gid edit the fields given; unknown targets 404, nothing to change or bad values 400, too small a group 409', () => withControl(async ({ req, sb, events }) => {
    const before = events.length;
    assert.deepEqual((await req('PUT', `/api/users/${USERS.dave}`, { nickname: 'David', age: 43 })).json, { user_id: USERS.dave });
    assert.deepEqual(sb.getWorld().users.find((u) => u.userId === USERS.dave), { userId: USERS.dave, nickname: 'David', sex: 'male', age: 43, area: 'Guangzhou', level: 1 });
    assert.deepEqual((await req('PUT', `/api/users/${USERS.dave}`, { sex: 'unknown', area: 'Foshan' })).json, { user_id: USERS.dave });
    assert.deepEqual(sb.getWorld().users.find((u) => u.userId === USERS.dave), { userId: USERS.dave, nickname: 'David', sex: 'unknown', age: 43, area: 'Foshan', level: 1 });
    assert.equal((await sb.getStrangerInfo(USERS.dave, true)).nickname, 'David');
    assertFailure(await req('PUT', '/api/users/39999', { nickname: 'x' }), 404, 'USER_NOT_FOUND');
    assertFailure(await req('PUT', `/api/users/${USERS.dave}`, {}), 400, 'BAD_PARAMS', /give at least one of nickname/);
    assertFailure(await req('PUT', `/api/users/${USERS.dave}`, { nickname: '  ' }), 400, 'BAD_PARAMS', /nickname must not be empty/);
    assertFailure(await req('PUT', `/api/users/${USERS.dave}`, { sex: 'robot' }), 400, 'BAD_PARAMS', /sex must be one of/);
    assertFailure(await req('PUT', `/api/users/${USERS.dave}`, { age: 300 }), 400, 'BAD_PARAMS', /age must be from 0 to 255/);

    assert.deepEqual((await req('PUT', `/api/groups/${GROUPS.botMember}`, { group_name: 'Loud Corner', max_member_count: 50 })).json, { group_id: GROUPS.botMember });
    const corner = sb.getWorld().groups.find((g) => g.groupId === GROUPS.botMember);
    assert.deepEqual([corner?.groupName, corner?.maxMemberCount], ['Loud Corner', 50]);
    assert.equal((await sb.getGroupInfo(GROUPS.botMember, false)).groupName, 'Loud Corner');
    assertFailure(await req('PUT', '/api/groups/999999', { group_name: 'x' }), 404, 'INVALID_TARGET');
    assertFailure(await req('PUT', `/api/groups/${GROUPS.botMember}`, { owner_id: 1 }), 400, 'BAD_PARAMS', /give at least one of group_name/);
    assertFailure(await req('PUT', `/api/groups/${GROUPS.botMember}`, { max_member_count: 3 }), 409, 'OPERATION_FAILED', /has 7 members, more than 3/);
    // QQ tells bots of none of these edits.
    assert.equal(events.length, before);
  }));

  it('POST /api/groups/:gid/members: by the owner\'s approval, or brought in by an inviter', () => withControl(async ({ req, sb, events }) => {
    assert.deepEqual((await req('POST', `/api/groups/${GROUPS.botOwner}/members`, { user_id: USERS.heidi, card: 'H' })).json, {});
    assert.equal(sb.getWorld().groups[0]?.members.at(-1)?.card, 'H');
    assert.deepEqual(events.map((e) => [e['notice_type'], e['sub_type'], e['operator_id']]), [['group_increase', 'approve', sb.selfId]]);
    await req('POST', `/api/groups/${GROUPS.botMember}/members`, { user_id: USERS.frank, inviter: USERS.carol });
    assert.deepEqual(events.map((e) => [e['sub_type'], e['operator_id'], e['user_id']]).at(-1), ['invite', USERS.carol, USERS.frank]);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/members`, { user_id: USERS.heidi, inviter: USERS.carol, role: 'admin' }), 400, 'BAD_PARAMS', /only without inviter/);
    assertFailure(await req('POST', `/api/groups/${GROUPS.botMember}/members`, { user_id: USERS.frank }), 409, 'OPERATION_FAILED', /already a member/);
    assertFailure(await req('POST', '/api/groups/424242/members', { user_id: USERS.frank }), 404, 'INVALID_TARGET');
    assertFailure(await req('POST', '/api/groups/abc/members', { user_id: USERS.frank }), 400, 'BAD_PARAMS', /group id in the path/);
  }));

  it('DELETE /api/groups/:gid/members/:uid: leave, or kick by operator (reject_add_request blocks)', () => withControl(async ({ req, sb, events }) => {
    assert.deepEqual((await req('DELETE', `/api/groups/${GROUPS.botOwner}/members/${USERS.eve}`)).json, {});
    assert.deepEqual([events[0]?.['sub_type'], events[0]?.['operator_id']], ['leave', USERS.eve]);
    await req('DELETE', `/api/groups/${GROUPS.botOwner}/members/${USERS.dave}?operator=${USERS.alice}&reject_add_request=true`);
    assert.deepEqual([events[1]?.['sub_type'], events[1]?.['operator_id'], events[1]?.['user_id']], ['kick', USERS.alice, USERS.dave]);
    assert.deepEqual(sb.getWorld().groups[0]?.blocked, [USERS.dave]);
    await req('DELETE', `/api/groups/${GROUPS.botMember}/members/${sb.selfId}`, { operator: USERS.bob });
    assert.equal(events[2]?.['sub_type'], 'kick_me');
    assertFailure(await req('DELETE', `/api/groups/${GROUPS.botAdmin}/members/${USERS.alice}`), 403, 'OWNER_CANNOT_LEAVE');
    assertFailure(await req('DELETE', `/api/groups/${GROUPS.botAdmin}/members/${USERS.carol}`, { operator: USERS.dave }), 403, 'NO_PERMISSION');
    assertFailure(await req('DELETE', `/api/groups/${GROUPS.botAdmin}/members/${USERS.heidi}`), 404, 'USER_NOT_FOUND');
  }));

  it('PUT …/members/:uid/role sets a role by fiat; POST /api/friends adds the bot directly', () => withControl(async ({ req, sb, events }) => {
    await req('PUT', `/api/groups/${GROUPS.botAdmin}/members/${sb.selfId}/role`, { role: 'owner' });
    assert.equal(sb.getWorld().groups[1]?.members.find((m) => m.userId === USERS.alice)?.role, 'member');
    assertFailure(await req('PUT', `/api/groups/${GROUPS.botAdmin}/members/${USERS.bob}/role`, { role: 'king' }), 400, 'BAD_PARAMS', /owner, admin, member/);
    assert.deepEqual((await req('POST', '/api/friends', { user_id: USERS.heidi, remark: 'hh' })).json, {});
    assert.deepEqual(events.map((e) => [e['notice_type'], e['user_id']]).at(-1), ['friend_add', USERS.heidi]);
    assertFailure(await req('POST', '/api/friends', { user_id: USERS.heidi }), 409, 'OPERATION_FAILED');
  }));
});

describe('sandbox control API: transport failures', () => {
  it('unknown path 404, wrong method 405 with Allow, bad JSON 400, non-object JSON 400', () => withControl(async ({ req }) => {
    assertFailure(await req('GET', '/api/nowhere'), 404, 'NOT_FOUND', /\/api\/nowhere/);
    assertFailure(await req('GET', '/'), 404, 'NOT_FOUND');
    assertFailure(await req('GET', '//api/world'), 404, 'NOT_FOUND', /\/\/api\/world/);
    assert.equal((await req('GET', '/api/world/')).status, 200, 'one trailing slash is tolerated');
    const wrong = await req('DELETE', '/api/world');
    assertFailure(wrong, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await req('PATCH', '/api/messages')).headers.get('allow'), 'POST, GET');
    assertFailure(await req('POST', '/api/users', '{"user_id": 1,'), 400, 'BAD_JSON');
    assertFailure(await req('POST', '/api/users', '[1, 2]'), 400, 'BAD_JSON', /JSON object/);
    assertFailure(await req('POST', '/api/users', ''), 400, 'BAD_PARAMS', /user_id is required/);
  }));

  it('a body over maxBodySize is 413', () => withControl(async ({ req }) => {
    assertFailure(await req('POST', '/api/users', { user_id: 30001, nickname: 'x'.repeat(2000) }), 413, 'PAYLOAD_TOO_LARGE', /1024 bytes/);
    assert.equal((await req('POST', '/api/users', { user_id: 30001, nickname: 'short' })).status, 200);
  }, { maxBodySize: 1024 }));
});
