/** Moderation by simulated users, with the exact notices (docs/qq-rules.md §1, §2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

describe('sandbox moderation by users', () => {
  it('an admin bans and unbans a member: group_ban ban / lift_ban', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.banAs(USERS.alice, GROUPS.botMember, USERS.grace, 600);
    sb.banAs(USERS.alice, GROUPS.botMember, USERS.grace, 0);
    const [ban, lift] = notices(events, 'group_ban');
    assertKeys(ban, EVENT_KEYS.groupBan);
    const base = { post_type: 'notice', notice_type: 'group_ban', time: clock.seconds, self_id: sb.selfId, group_id: GROUPS.botMember, operator_id: USERS.alice, user_id: USERS.grace };
    assert.deepEqual(ban, { ...base, sub_type: 'ban', duration: 600 });
    assert.deepEqual(lift, { ...base, sub_type: 'lift_ban', duration: 0 });
  }));

  it('the whole-group ban by a user: user_id 0, duration -1 on and 0 off', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.setWholeBanAs(USERS.dave, GROUPS.botMember, true);
    sb.setWholeBanAs(USERS.bob, GROUPS.botMember, false);
    const base = { post_type: 'notice', notice_type: 'group_ban', time: clock.seconds, self_id: sb.selfId, group_id: GROUPS.botMember, user_id: 0 };
    assert.deepEqual(notices(events, 'group_ban'), [
      { ...base, sub_type: 'ban', operator_id: USERS.dave, duration: -1 },
      { ...base, sub_type: 'lift_ban', operator_id: USERS.bob, duration: 0 },
    ]);
  }));

  it('the owner sets and unsets an admin: group_admin set / unset; nobody else may', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.setAdminAs(USERS.bob, GROUPS.botMember, USERS.grace, true);
    sb.setAdminAs(USERS.bob, GROUPS.botMember, USERS.grace, false);
    const [set, unset] = notices(events, 'group_admin');
    assertKeys(set, EVENT_KEYS.groupAdmin);
    const base = { post_type: 'notice', notice_type: 'group_admin', time: clock.seconds, self_id: sb.selfId, group_id: GROUPS.botMember, user_id: USERS.grace };
    assert.deepEqual([set, unset], [{ ...base, sub_type: 'set' }, { ...base, sub_type: 'unset' }]);
    await expectApiError(() => sb.setAdminAs(USERS.alice, GROUPS.botMember, USERS.grace, true), 'NO_PERMISSION', /only the owner/);
    assert.equal(notices(events, 'group_admin').length, 2);
  }));
});
