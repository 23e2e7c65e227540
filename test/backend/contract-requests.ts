/** Contract cases for answering requests: set_friend_add_request, set_group_add_request (docs/protocol.md §6.3, §7.5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { withSubject } from './contract-subject.js';
import type { ContractStimuli, ContractSubject, MakeSubject } from './contract-subject.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, requests, timeless } from './helpers.js';

/** The subject's stimuli, or undefined after marking the test skipped. */
function stimuliOf(t: TestContext, s: ContractSubject): ContractStimuli | undefined {
  if (s.stimuli === undefined) t.skip('the backend cannot be driven from the other side');
  return s.stimuli;
}

function flagOf(event: unknown): string {
  const flag = (event as { flag?: unknown } | undefined)?.flag;
  assert.equal(typeof flag, 'string', 'the request event carries a string flag');
  assert.ok((flag as string).length > 0);
  return flag as string;
}

/** Register the request cases. */
export function contractRequests(make: MakeSubject): void {
  describe('requests', () => {
    it('unknown flags are FLAG_NOT_FOUND (100)', () => withSubject(make, async ({ backend }) => {
      const err = await expectApiError(() => backend.setFriendAddRequest('no-such-flag', true, ''), 'FLAG_NOT_FOUND', /no-such-flag/);
      assert.equal(err.retcode, 100);
      await expectApiError(() => backend.setGroupAddRequest('no-such-flag', 'add', true, ''), 'FLAG_NOT_FOUND');
      await expectApiError(() => backend.setGroupAddRequest('no-such-flag', 'invite', false, 'no'), 'FLAG_NOT_FOUND');
    }));

    it('a friend request, approved with a remark: request/friend, then friend_add; the flag is spent', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const events = recordEvents(s.backend);
      await stimuli.requestFriend(s.world.stranger, 'hi, add me');
      const [req] = requests(events, 'friend');
      assertKeys(req, EVENT_KEYS.friendRequest);
      const flag = flagOf(req);
      assert.deepEqual(timeless(req), { post_type: 'request', request_type: 'friend', time: 0, self_id: s.backend.selfId, user_id: s.world.stranger, comment: 'hi, add me', flag });
      await expectApiError(() => s.backend.setGroupAddRequest(flag, 'add', true, ''), 'FLAG_NOT_FOUND');
      await s.backend.setFriendAddRequest(flag, true, 'new pal');
      const [add] = notices(events, 'friend_add');
      assertKeys(add, EVENT_KEYS.friendAdd);
      assert.equal(add?.['user_id'], s.world.stranger);
      assert.deepEqual((await s.backend.getFriendList()).find((f) => f.userId === s.world.stranger)?.remark, 'new pal');
      await expectApiError(() => s.backend.setFriendAddRequest(flag, true, ''), 'FLAG_NOT_FOUND', /already been approved/);
    }));

    it('a rejected friend request makes no friend', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const events = recordEvents(s.backend);
      await stimuli.requestFriend(s.world.stranger, '');
      await s.backend.setFriendAddRequest(flagOf(requests(events, 'friend')[0]), false, 'ignored');
      assert.deepEqual(notices(events, 'friend_add'), []);
      assert.ok(!(await s.backend.getFriendList()).some((f) => f.userId === s.world.stranger));
    }));

    it('a join request to a group the bot owns: request/group/add; sub_type must match; approval adds the member', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const g = s.world.groups.botOwner.groupId;
      const events = recordEvents(s.backend);
      await stimuli.applyToJoin(s.world.stranger, g, 'let me in');
      const [req] = requests(events, 'group');
      assertKeys(req, EVENT_KEYS.groupRequest);
      const flag = flagOf(req);
      assert.deepEqual(timeless(req), {
        post_type: 'request', request_type: 'group', sub_type: 'add', time: 0, self_id: s.backend.selfId,
        group_id: g, user_id: s.world.stranger, comment: 'let me in', flag,
      });
      await expectApiError(() => s.backend.setGroupAddRequest(flag, 'invite', true, ''), 'BAD_PARAMS', /sub_type add/);
      await expectApiError(() => s.backend.setFriendAddRequest(flag, true, ''), 'FLAG_NOT_FOUND');
      await s.backend.setGroupAddRequest(flag, 'add', true, '');
      assert.equal((await s.backend.getGroupMemberInfo(g, s.world.stranger, true)).role, 'member');
      const [inc] = notices(events, 'group_increase');
      assertKeys(inc, EVENT_KEYS.groupIncrease);
      assert.deepEqual(timeless(inc), {
        post_type: 'notice', notice_type: 'group_increase', sub_type: 'approve', time: 0, self_id: s.backend.selfId,
        group_id: g, operator_id: s.backend.selfId, user_id: s.world.stranger,
      });
      await expectApiError(() => s.backend.setGroupAddRequest(flag, 'add', true, ''), 'FLAG_NOT_FOUND');
    }));

    it('a rejected join request adds nobody; a plain-member bot never sees join requests', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const events = recordEvents(s.backend);
      await stimuli.applyToJoin(s.world.stranger, s.world.groups.botAdmin.groupId, 'please');
      await s.backend.setGroupAddRequest(flagOf(requests(events, 'group')[0]), 'add', false, 'no strangers');
      await expectApiError(() => s.backend.getGroupMemberInfo(s.world.groups.botAdmin.groupId, s.world.stranger, true), 'INVALID_DATA');
      await stimuli.applyToJoin(s.world.stranger, s.world.groups.botMember.groupId, 'please');
      assert.equal(requests(events, 'group').length, 1, 'only admins receive join requests');
      assert.deepEqual(notices(events, 'group_increase'), []);
    }));

    it('an invitation of the bot: request/group/invite; approval makes the bot a member', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const events = recordEvents(s.backend);
      const { groupId, inviterId } = await stimuli.inviteBot();
      const [req] = requests(events, 'group');
      assertKeys(req, EVENT_KEYS.groupRequest);
      assert.deepEqual([req?.['sub_type'], req?.['group_id'], req?.['user_id']], ['invite', groupId, inviterId]);
      await expectApiError(() => s.backend.getGroupInfo(groupId, false), 'INVALID_DATA');
      const flag = flagOf(req);
      await expectApiError(() => s.backend.setGroupAddRequest(flag, 'add', true, ''), 'BAD_PARAMS', /sub_type invite/);
      await s.backend.setGroupAddRequest(flag, 'invite', true, '');
      assert.ok((await s.backend.getGroupList()).some((g) => g.groupId === groupId));
      assert.equal((await s.backend.getGroupMemberInfo(groupId, s.backend.selfId, false)).role, 'member');
      const [inc] = notices(events, 'group_increase');
      assertKeys(inc, EVENT_KEYS.groupIncrease);
      assert.equal(inc?.['user_id'], s.backend.selfId);
    }));

    it('a rejected invitation leaves the bot outside', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const events = recordEvents(s.backend);
      const { groupId } = await stimuli.inviteBot();
      await s.backend.setGroupAddRequest(flagOf(requests(events, 'group')[0]), 'invite', false, 'busy');
      await expectApiError(() => s.backend.getGroupInfo(groupId, false), 'INVALID_DATA');
      assert.deepEqual(notices(events, 'group_increase'), []);
    }));
  });
}
