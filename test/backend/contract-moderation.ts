/** Contract cases for kick, ban and admin changes: the bot's role × the target's role matrix. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../src/backend/port.js';
import { withSubject } from './contract-subject.js';
import type { ContractGroup, ContractSubject, MakeSubject } from './contract-subject.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents } from './helpers.js';

type GroupKey = 'botOwner' | 'botAdmin' | 'botMember';
type TargetKind = Role | 'self';

const BOT_ROLE: Record<GroupKey, Role> = { botOwner: 'owner', botAdmin: 'admin', botMember: 'member' };
const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

/** The target of a case, or undefined when the group has no such member besides the bot. */
function target(s: ContractSubject, g: ContractGroup, kind: TargetKind): number | undefined {
  if (kind === 'self') return s.backend.selfId;
  if (kind === 'owner') return g.owner === s.backend.selfId ? undefined : g.owner;
  return kind === 'admin' ? g.admins[0] : g.members[0];
}

const CASES: [GroupKey, TargetKind][] = (['botOwner', 'botAdmin', 'botMember'] as const)
  .flatMap((g) => (['owner', 'admin', 'member', 'self'] as const).filter((t) => !(g === 'botOwner' && t === 'owner')).map((t): [GroupKey, TargetKind] => [g, t]));

/** Kick and single ban: strictly higher role, never self (docs/qq-rules.md §1). */
function mayModerate(g: GroupKey, t: TargetKind): boolean {
  return t !== 'self' && RANK[BOT_ROLE[g]] > RANK[t];
}

/** Register the moderation cases. */
export function contractModeration(make: MakeSubject): void {
  describe('set_group_kick matrix', () => {
    for (const [gk, tk] of CASES) {
      const allowed = mayModerate(gk, tk);
      it(`bot ${BOT_ROLE[gk]} kicks ${tk}: ${allowed ? 'ok' : 'NO_PERMISSION'}`, () => withSubject(make, async (s) => {
        const g = s.world.groups[gk];
        const userId = target(s, g, tk);
        assert.ok(userId !== undefined);
        const events = recordEvents(s.backend);
        if (!allowed) {
          await expectApiError(() => s.backend.setGroupKick(g.groupId, userId, false), 'NO_PERMISSION', new RegExp(String(g.groupId)));
          assert.equal((await s.backend.getGroupMemberInfo(g.groupId, userId, true)).userId, userId, 'a refused kick removes nobody');
          assert.equal(events.length, 0);
          return;
        }
        await s.backend.setGroupKick(g.groupId, userId, false);
        await expectApiError(() => s.backend.getGroupMemberInfo(g.groupId, userId, true), 'INVALID_DATA');
        const [ev] = notices(events, 'group_decrease');
        assertKeys(ev, EVENT_KEYS.groupDecrease);
        assert.deepEqual({ ...ev, time: 0 }, {
          post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick', time: 0, self_id: s.backend.selfId,
          group_id: g.groupId, operator_id: s.backend.selfId, user_id: userId,
        });
      }));
    }
    it('kicking a non-member is USER_NOT_FOUND, in a foreign group NOT_IN_GROUP', () => withSubject(make, async (s) => {
      await expectApiError(() => s.backend.setGroupKick(s.world.groups.botOwner.groupId, s.world.stranger, false), 'USER_NOT_FOUND');
      await expectApiError(() => s.backend.setGroupKick(s.world.unknownGroup, s.world.friend, false), 'NOT_IN_GROUP');
    }));
  });

  describe('set_group_ban matrix', () => {
    for (const [gk, tk] of CASES) {
      const allowed = mayModerate(gk, tk);
      it(`bot ${BOT_ROLE[gk]} bans ${tk}: ${allowed ? 'ok' : 'NO_PERMISSION'}`, () => withSubject(make, async (s) => {
        const g = s.world.groups[gk];
        const userId = target(s, g, tk);
        assert.ok(userId !== undefined);
        const events = recordEvents(s.backend);
        if (!allowed) {
          await expectApiError(() => s.backend.setGroupBan(g.groupId, userId, 600), 'NO_PERMISSION');
          assert.equal(events.length, 0);
          return;
        }
        await s.backend.setGroupBan(g.groupId, userId, 600);
        const [ev] = notices(events, 'group_ban');
        assertKeys(ev, EVENT_KEYS.groupBan);
        assert.deepEqual({ ...ev, time: 0 }, {
          post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', time: 0, self_id: s.backend.selfId,
          group_id: g.groupId, operator_id: s.backend.selfId, user_id: userId, duration: 600,
        });
      }));
    }

    it('duration 0 lifts the ban (lift_ban, duration 0)', () => withSubject(make, async (s) => {
      const g = s.world.groups.botOwner;
      const member = g.members[0] ?? 0;
      const events = recordEvents(s.backend);
      await s.backend.setGroupBan(g.groupId, member, 60);
      await s.backend.setGroupBan(g.groupId, member, 0);
      const bans = notices(events, 'group_ban');
      assert.deepEqual(bans.map((e) => [e['sub_type'], e['duration'], e['user_id']]), [['ban', 60, member], ['lift_ban', 0, member]]);
    }));

    it('accepts 2591999 s and refuses 2592000 s with DURATION_OUT_OF_RANGE (100)', () => withSubject(make, async (s) => {
      const g = s.world.groups.botOwner;
      const member = g.members[0] ?? 0;
      await s.backend.setGroupBan(g.groupId, member, 2_591_999);
      const err = await expectApiError(() => s.backend.setGroupBan(g.groupId, member, 2_592_000), 'DURATION_OUT_OF_RANGE', /2592000/);
      assert.equal(err.retcode, 100);
    }));
  });

  describe('set_group_admin matrix', () => {
    for (const [gk, tk] of CASES) {
      const allowed = BOT_ROLE[gk] === 'owner' && tk !== 'self';
      it(`bot ${BOT_ROLE[gk]} toggles admin of ${tk}: ${allowed ? 'ok' : 'NO_PERMISSION'}`, () => withSubject(make, async (s) => {
        const g = s.world.groups[gk];
        const userId = target(s, g, tk);
        assert.ok(userId !== undefined);
        const enable = tk !== 'admin';
        const events = recordEvents(s.backend);
        if (!allowed) {
          await expectApiError(() => s.backend.setGroupAdmin(g.groupId, userId, enable), 'NO_PERMISSION');
          assert.equal(events.length, 0);
          return;
        }
        await s.backend.setGroupAdmin(g.groupId, userId, enable);
        assert.equal((await s.backend.getGroupMemberInfo(g.groupId, userId, true)).role, enable ? 'admin' : 'member');
        const [ev] = notices(events, 'group_admin');
        assertKeys(ev, EVENT_KEYS.groupAdmin);
        assert.deepEqual({ ...ev, time: 0 }, {
          post_type: 'notice', notice_type: 'group_admin', sub_type: enable ? 'set' : 'unset', time: 0, self_id: s.backend.selfId,
          group_id: g.groupId, user_id: userId,
        });
      }));
    }
    it('a non-member target is USER_NOT_FOUND', () => withSubject(make, async (s) => {
      await expectApiError(() => s.backend.setGroupAdmin(s.world.groups.botOwner.groupId, s.world.stranger, true), 'USER_NOT_FOUND');
    }));
  });
}
