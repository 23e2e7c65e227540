/** Contract cases for anonymous members: the message event (docs/protocol.md §7.3) and set_group_anonymous_ban (§6.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { BackendEvent } from '../../src/backend/port.js';
import { withSubject } from './contract-subject.js';
import type { ContractStimuli, ContractSubject, MakeSubject } from './contract-subject.js';
import { assertKeys, EVENT_KEYS, expectApiError, recordEvents } from './helpers.js';

function stimuliOf(t: TestContext, s: ContractSubject): ContractStimuli | undefined {
  if (s.stimuli === undefined) t.skip('the backend cannot be driven from the other side');
  return s.stimuli;
}

/** Switch anonymous chat on in `groupId`, let `userId` speak, and return the message event. */
async function anonymousEvent(s: ContractSubject, stimuli: ContractStimuli, groupId: number, userId: number): Promise<BackendEvent> {
  const events = recordEvents(s.backend);
  await stimuli.setAnonymous(groupId, true);
  await stimuli.speakAnonymously(userId, groupId, 'guess who');
  const ev = events.find((e) => e.post_type === 'message');
  assert.ok(ev, 'the bot receives the anonymous message');
  return ev;
}

function flagOf(ev: BackendEvent): string {
  return String((ev['anonymous'] as { flag?: unknown } | null)?.flag);
}

/** Register the anonymous cases. */
export function contractAnonymous(make: MakeSubject): void {
  describe('anonymous members', () => {
    it('an anonymous message: user 80000000, sub_type anonymous, anonymous {flag, id, name}, sender 匿名消息', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const g = s.world.groups.botAdmin;
      const ev = await anonymousEvent(s, stimuli, g.groupId, g.members[0] ?? 0);
      assertKeys(ev, EVENT_KEYS.groupMessage);
      assertKeys(ev['sender'], EVENT_KEYS.groupSender, 'sender');
      assertKeys(ev['anonymous'], EVENT_KEYS.anonymous, 'anonymous');
      assert.deepEqual([ev['message_type'], ev['sub_type'], ev['user_id'], ev['group_id']], ['group', 'anonymous', 80000000, g.groupId]);
      const anon = ev['anonymous'] as { flag: unknown; id: unknown; name: unknown };
      assert.ok(typeof anon.flag === 'string' && anon.flag.length > 0);
      assert.ok(Number.isInteger(anon.id));
      assert.ok(typeof anon.name === 'string' && anon.name.length > 0);
      assert.deepEqual([(ev['sender'] as Record<string, unknown>)['nickname'], (ev['sender'] as Record<string, unknown>)['user_id']], ['匿名消息', 80000000]);
    }));

    it('set_group_anonymous_ban: ok as admin; 0 → -12; a bad flag → -13; a plain-member bot → -39', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const g = s.world.groups.botAdmin;
      const flag = flagOf(await anonymousEvent(s, stimuli, g.groupId, g.members[0] ?? 0));
      await s.backend.setGroupAnonymousBan(g.groupId, flag, 1800);
      assert.equal((await expectApiError(() => s.backend.setGroupAnonymousBan(g.groupId, flag, 0), 'CANNOT_LIFT_ANONYMOUS_BAN')).retcode, -12);
      assert.equal((await expectApiError(() => s.backend.setGroupAnonymousBan(g.groupId, 'garbage', 60), 'BAD_ANONYMOUS_FLAG', /garbage/)).retcode, -13);
      await expectApiError(() => s.backend.setGroupAnonymousBan(s.world.groups.botOwner.groupId, flag, 60), 'BAD_ANONYMOUS_FLAG');
      const m = s.world.groups.botMember;
      const memberFlag = flagOf(await anonymousEvent(s, stimuli, m.groupId, m.members[0] ?? 0));
      assert.equal((await expectApiError(() => s.backend.setGroupAnonymousBan(m.groupId, memberFlag, 60), 'NO_PERMISSION')).retcode, -39);
      await expectApiError(() => s.backend.setGroupAnonymousBan(s.world.unknownGroup, flag, 60), 'NOT_IN_GROUP');
    }));

    it('set_group_anonymous_ban after anonymous chat was switched off → -15', (t) => withSubject(make, async (s) => {
      const stimuli = stimuliOf(t, s);
      if (stimuli === undefined) return;
      const g = s.world.groups.botOwner;
      const flag = flagOf(await anonymousEvent(s, stimuli, g.groupId, g.members[0] ?? 0));
      await stimuli.setAnonymous(g.groupId, false);
      assert.equal((await expectApiError(() => s.backend.setGroupAnonymousBan(g.groupId, flag, 60), 'ANONYMOUS_DISABLED')).retcode, -15);
    }));
  });
}
