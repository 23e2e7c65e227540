/** Mutes (docs/qq-rules.md §2): a muted bot or member cannot speak; the whole-group ban silences members only. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, text } from './helpers.js';
import { openTestSandbox } from './sandbox-fixture.js';
import type { TestSandbox } from './sandbox-fixture.js';

async function withSandbox(fn: (t: TestSandbox) => Promise<void>): Promise<void> {
  const t = openTestSandbox();
  try {
    await fn(t);
  } finally {
    await t.dispose();
  }
}

describe('sandbox mutes', () => {
  it('a personally muted bot gets BOT_MUTED (-34) until the mute ends', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    sb.banAs(USERS.bob, GROUPS.botMember, sb.selfId, 600);
    const [ban] = notices(events, 'group_ban');
    assertKeys(ban, EVENT_KEYS.groupBan);
    assert.deepEqual([ban?.['sub_type'], ban?.['operator_id'], ban?.['user_id'], ban?.['duration']], ['ban', USERS.bob, sb.selfId, 600]);
    const err = await expectApiError(() => sb.sendGroupMessage(GROUPS.botMember, text('let me speak')), 'BOT_MUTED', /muted in group 100003 for another 600 s/);
    assert.equal(err.retcode, -34);
    assert.ok((await sb.sendGroupMessage(GROUPS.botOwner, text('elsewhere is fine'))).messageId > 0);
    clock.advanceSeconds(599);
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botMember, text('still?')), 'BOT_MUTED');
    clock.advanceSeconds(1);
    assert.ok((await sb.sendGroupMessage(GROUPS.botMember, text('free'))).messageId > 0);
  }));

  it('lifting the mute (duration 0) lets the bot speak at once', () => withSandbox(async ({ sb }) => {
    sb.banAs(USERS.alice, GROUPS.botAdmin, sb.selfId, 0); // owner Alice lifts a mute that is not there: harmless
    sb.banAs(USERS.alice, GROUPS.botAdmin, sb.selfId, 3600);
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botAdmin, text('x')), 'BOT_MUTED');
    sb.banAs(USERS.alice, GROUPS.botAdmin, sb.selfId, 0);
    assert.ok((await sb.sendGroupMessage(GROUPS.botAdmin, text('y'))).messageId > 0);
  }));

  it('the whole-group ban silences the plain-member bot but not an admin or owner bot', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.setWholeBanAs(USERS.bob, GROUPS.botMember, true);
    sb.setWholeBanAs(USERS.alice, GROUPS.botAdmin, true);
    sb.setWholeBanAs(USERS.alice, GROUPS.botOwner, true);
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botMember, text('x')), 'BOT_MUTED', /whole-group ban/);
    assert.ok((await sb.sendGroupMessage(GROUPS.botAdmin, text('admins talk'))).messageId > 0);
    assert.ok((await sb.sendGroupMessage(GROUPS.botOwner, text('owners talk'))).messageId > 0);
    const bans = notices(events, 'group_ban');
    assert.equal(bans.length, 3);
    for (const ev of bans) {
      assertKeys(ev, EVENT_KEYS.groupBan);
      assert.deepEqual([ev['sub_type'], ev['user_id'], ev['duration']], ['ban', 0, -1]);
    }
    sb.setWholeBanAs(USERS.bob, GROUPS.botMember, false);
    assert.deepEqual([events.at(-1)?.['sub_type'], events.at(-1)?.['user_id'], events.at(-1)?.['duration']], ['lift_ban', 0, 0]);
    assert.ok((await sb.sendGroupMessage(GROUPS.botMember, text('back'))).messageId > 0);
  }));

  it('lifting the whole-group ban does not lift a personal mute', () => withSandbox(async ({ sb }) => {
    sb.banAs(USERS.bob, GROUPS.botMember, sb.selfId, 600);
    sb.setWholeBanAs(USERS.bob, GROUPS.botMember, true);
    sb.setWholeBanAs(USERS.bob, GROUPS.botMember, false);
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botMember, text('x')), 'BOT_MUTED', /for another/);
  }));

  it('a plain member cannot switch the whole-group ban', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.setWholeBanAs(USERS.carol, GROUPS.botMember, true), 'NO_PERMISSION', /plain member/);
    assert.equal(sb.getWorld().groups.find((g) => g.groupId === GROUPS.botMember)?.wholeBan, false);
  }));

  it('muted users cannot post either, and a mute the bot set is visible in the world', () => withSandbox(async ({ sb, clock }) => {
    await sb.setGroupBan(GROUPS.botOwner, USERS.carol, 120);
    const carol = sb.getWorld().groups.find((g) => g.groupId === GROUPS.botOwner)?.members.find((m) => m.userId === USERS.carol);
    assert.equal(carol?.mutedUntil, clock.seconds + 120);
    await expectApiError(() => sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('hey') }), 'BOT_MUTED', /user 20003 is muted/);
    sb.setWholeBanAs(sb.selfId, GROUPS.botOwner, true);
    await expectApiError(() => sb.postMessage({ from: USERS.dave, groupId: GROUPS.botOwner, message: text('hey') }), 'BOT_MUTED', /whole-group ban/);
    assert.ok(sb.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: text('admin here') }).messageId > 0);
  }));

  it('a user mute by another member follows the same role rules', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.banAs(USERS.dave, GROUPS.botMember, USERS.alice, 60), 'NO_PERMISSION', /an admin of group 100003 and cannot mute an admin/);
    await expectApiError(() => sb.banAs(USERS.alice, GROUPS.botMember, USERS.bob, 60), 'NO_PERMISSION', /owner/);
    await expectApiError(() => sb.banAs(USERS.heidi, GROUPS.botMember, USERS.carol, 60), 'USER_NOT_FOUND', /user 20008 is not a member/);
    await expectApiError(() => sb.banAs(USERS.bob, 123, USERS.carol, 60), 'INVALID_TARGET');
  }));
});
