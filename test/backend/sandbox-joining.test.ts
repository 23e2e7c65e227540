/** Joining and leaving through the control surface: join requests, invitations, leaving (docs/qq-rules.md §4). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, requests, timeless } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

describe('sandbox join requests', () => {
  it('the bot as owner sees the request; approving it adds the member with operator_id = bot', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    const flag = sb.applyToJoinAs(USERS.heidi, GROUPS.botOwner, '问题：who?\n答案：me');
    const [req] = requests(events, 'group');
    assertKeys(req, EVENT_KEYS.groupRequest);
    assert.deepEqual(req, {
      post_type: 'request', request_type: 'group', sub_type: 'add', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botOwner, user_id: USERS.heidi, comment: '问题：who?\n答案：me', flag,
    });
    assert.deepEqual(sb.listRequests().map((r) => [r.flag, r.requestType, r.subType, r.groupId, r.userId, r.state]), [[flag, 'group', 'add', GROUPS.botOwner, USERS.heidi, 'pending']]);
    await sb.setGroupAddRequest(flag, 'add', true, '');
    assert.deepEqual(timeless(notices(events, 'group_increase')[0]), {
      post_type: 'notice', notice_type: 'group_increase', sub_type: 'approve', time: 0, self_id: sb.selfId,
      group_id: GROUPS.botOwner, operator_id: sb.selfId, user_id: USERS.heidi,
    });
    assert.deepEqual(sb.listRequests().map((r) => [r.state, r.handledBy]), [['approved', sb.selfId]]);
  }));

  it('refuses blocked requesters, members, duplicates, full groups and unknown groups', () => withSandbox(async ({ sb }) => {
    await sb.setGroupKick(GROUPS.botOwner, USERS.eve, true);
    await expectApiError(() => sb.applyToJoinAs(USERS.eve, GROUPS.botOwner), 'NO_PERMISSION', /reject_add_request/);
    await expectApiError(() => sb.applyToJoinAs(USERS.alice, GROUPS.botOwner), 'OPERATION_FAILED', /already a member/);
    const flag = sb.applyToJoinAs(USERS.heidi, GROUPS.botOwner);
    await expectApiError(() => sb.applyToJoinAs(USERS.heidi, GROUPS.botOwner), 'OPERATION_FAILED', new RegExp(`pending .*${flag}`));
    await expectApiError(() => sb.applyToJoinAs(USERS.heidi, 999), 'INVALID_TARGET');
    await expectApiError(() => sb.applyToJoinAs(29999, GROUPS.botOwner), 'USER_NOT_FOUND');
    await expectApiError(() => sb.applyToJoinAs(sb.selfId, GROUPS.botOwner), 'BAD_PARAMS');
    sb.createGroup({ groupId: 200001, groupName: 'Tiny', ownerId: USERS.grace, maxMemberCount: 1 });
    await expectApiError(() => sb.applyToJoinAs(USERS.heidi, 200001), 'OPERATION_FAILED', /full \(1\/1\)/);
  }));

  it('a group that fills up meanwhile refuses the approval and keeps the request pending', () => withSandbox(async ({ sb }) => {
    sb.createGroup({ groupId: 200001, groupName: 'Pair', ownerId: USERS.grace, maxMemberCount: 2 });
    const flag = sb.applyToJoinAs(USERS.heidi, 200001);
    sb.addMember({ groupId: 200001, userId: USERS.frank });
    await expectApiError(() => sb.answerJoinRequestAs(USERS.grace, flag, true), 'OPERATION_FAILED', /full/);
    assert.equal(sb.listRequests()[0]?.state, 'pending');
  }));

  it('where the bot is a plain member it sees nothing; an admin answers, and the bot sees the arrival', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    const flag = sb.applyToJoinAs(USERS.heidi, GROUPS.botMember, 'hi');
    assert.deepEqual(requests(events, 'group'), []);
    await expectApiError(() => sb.setGroupAddRequest(flag, 'add', true, ''), 'NO_PERMISSION', /only admins and the owner/);
    await expectApiError(() => sb.answerJoinRequestAs(USERS.carol, flag, true), 'NO_PERMISSION', /plain member/);
    sb.answerJoinRequestAs(USERS.dave, flag, true);
    const [inc] = notices(events, 'group_increase');
    assertKeys(inc, EVENT_KEYS.groupIncrease);
    assert.deepEqual([inc?.['sub_type'], inc?.['operator_id'], inc?.['user_id']], ['approve', USERS.dave, USERS.heidi]);
    await expectApiError(() => sb.answerJoinRequestAs(USERS.bob, flag, false), 'FLAG_NOT_FOUND', new RegExp(`already been approved by user ${USERS.dave}`));
  }));

  it('a rejection records the reason, adds nobody and emits nothing', () => withSandbox(async ({ sb }) => {
    const flag = sb.applyToJoinAs(USERS.heidi, GROUPS.botAdmin);
    const events = recordEvents(sb);
    await sb.setGroupAddRequest(flag, 'add', false, 'no strangers');
    assert.deepEqual(events, []);
    assert.deepEqual(sb.listRequests().map((r) => r.state), ['rejected']);
    assert.ok(!sb.getWorld().groups.find((g) => g.groupId === GROUPS.botAdmin)?.members.some((m) => m.userId === USERS.heidi));
    assert.ok(sb.applyToJoinAs(USERS.heidi, GROUPS.botAdmin).length > 0, 'a rejected requester may apply again');
  }));
});

describe('sandbox invitations', () => {
  it('a member brings a user in: group_increase invite with operator_id = inviter', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.inviteAs(USERS.carol, GROUPS.botMember, USERS.heidi);
    const [inc] = notices(events, 'group_increase');
    assertKeys(inc, EVENT_KEYS.groupIncrease);
    assert.deepEqual(inc, {
      post_type: 'notice', notice_type: 'group_increase', sub_type: 'invite', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botMember, operator_id: USERS.carol, user_id: USERS.heidi,
    });
    await expectApiError(() => sb.inviteAs(USERS.heidi, GROUPS.botOwner, USERS.grace), 'USER_NOT_FOUND', /not a member of group 100001/);
    await expectApiError(() => sb.inviteAs(USERS.carol, GROUPS.botMember, USERS.heidi), 'OPERATION_FAILED', /already a member/);
    await sb.setGroupKick(GROUPS.botOwner, USERS.eve, true);
    await expectApiError(() => sb.inviteAs(USERS.alice, GROUPS.botOwner, USERS.eve), 'NO_PERMISSION', /reject_add_request/);
    await expectApiError(() => sb.inviteAs(USERS.alice, GROUPS.botOwner, sb.selfId), 'BAD_PARAMS');
  }));

  it('the bot is invited: request/group/invite; approval makes it a member (group_increase invite)', () => withSandbox(async ({ sb, clock }) => {
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: USERS.heidi });
    const events = recordEvents(sb);
    const flag = sb.inviteBotAs(USERS.heidi, 200001, 'join us');
    const [req] = requests(events, 'group');
    assertKeys(req, EVENT_KEYS.groupRequest);
    assert.deepEqual(req, {
      post_type: 'request', request_type: 'group', sub_type: 'invite', time: clock.seconds, self_id: sb.selfId,
      group_id: 200001, user_id: USERS.heidi, comment: 'join us', flag,
    });
    await expectApiError(() => sb.answerJoinRequestAs(USERS.heidi, flag, true), 'NO_PERMISSION', /only the bot/);
    await sb.setGroupAddRequest(flag, 'invite', true, '');
    assert.deepEqual(timeless(notices(events, 'group_increase')[0]), {
      post_type: 'notice', notice_type: 'group_increase', sub_type: 'invite', time: 0, self_id: sb.selfId,
      group_id: 200001, operator_id: USERS.heidi, user_id: sb.selfId,
    });
    assert.equal((await sb.getGroupInfo(200001, false)).memberCount, 2);
    await expectApiError(() => sb.inviteBotAs(USERS.heidi, 200001), 'OPERATION_FAILED', /already a member/);
  }));

  it('an invitation needs a member inviter and a group that would take the bot', () => withSandbox(async ({ sb }) => {
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: USERS.heidi });
    await expectApiError(() => sb.inviteBotAs(USERS.alice, 200001), 'USER_NOT_FOUND', /not a member/);
    await expectApiError(() => sb.inviteBotAs(USERS.alice, 999), 'INVALID_TARGET');
    sb.kickAs(USERS.bob, GROUPS.botMember, sb.selfId, true);
    await expectApiError(() => sb.inviteBotAs(USERS.alice, GROUPS.botMember), 'NO_PERMISSION', /reject_add_request/);
  }));
});

describe('sandbox leaving and kicking', () => {
  it('a member leaves: group_decrease leave with operator_id = user_id', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.leaveAs(USERS.dave, GROUPS.botAdmin);
    const [ev] = notices(events, 'group_decrease');
    assertKeys(ev, EVENT_KEYS.groupDecrease);
    assert.deepEqual(ev, {
      post_type: 'notice', notice_type: 'group_decrease', sub_type: 'leave', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botAdmin, operator_id: USERS.dave, user_id: USERS.dave,
    });
    await expectApiError(() => sb.getGroupMemberInfo(GROUPS.botAdmin, USERS.dave, true), 'INVALID_DATA');
    await expectApiError(() => sb.leaveAs(USERS.dave, GROUPS.botAdmin), 'USER_NOT_FOUND');
    assert.ok(sb.applyToJoinAs(USERS.dave, GROUPS.botAdmin).length > 0, 'who left may apply again');
  }));

  it('the owner cannot leave (-17); the bot leaving is reported as set_group_leave reports it', () => withSandbox(async ({ sb }) => {
    const err = await expectApiError(() => sb.leaveAs(USERS.alice, GROUPS.botAdmin), 'OWNER_CANNOT_LEAVE', /owns group 100002/);
    assert.equal(err.retcode, -17);
    const events = recordEvents(sb);
    sb.leaveAs(sb.selfId, GROUPS.botMember);
    assert.deepEqual(events.map((e) => [e.notice_type, e.sub_type, e.user_id, e.operator_id]), [['group_decrease', 'leave', sb.selfId, sb.selfId]]);
    assert.ok(!(await sb.getGroupList()).some((g) => g.groupId === GROUPS.botMember));
    assert.equal((await expectApiError(() => sb.leaveAs(sb.selfId, GROUPS.botMember), 'CANNOT_LEAVE')).retcode, -16);
  }));

  it('an admin user kicks a member: group_decrease kick with operator_id = the admin', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.kickAs(USERS.carol, GROUPS.botAdmin, USERS.frank, true);
    assert.deepEqual(notices(events, 'group_decrease'), [{
      post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick', time: clock.seconds, self_id: sb.selfId,
      group_id: GROUPS.botAdmin, operator_id: USERS.carol, user_id: USERS.frank,
    }]);
    assert.deepEqual(sb.getWorld().groups.find((g) => g.groupId === GROUPS.botAdmin)?.blocked, [USERS.frank]);
    await expectApiError(() => sb.kickAs(USERS.carol, GROUPS.botAdmin, sb.selfId), 'NO_PERMISSION', /cannot kick an admin/);
  }));
});
