/** Contract cases for recalling the bot's own messages (docs/qq-rules.md §3). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { withSubject } from './contract-subject.js';
import type { ContractSubject, MakeSubject } from './contract-subject.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, text } from './helpers.js';

/** The subject's clock, or undefined after marking the test skipped. */
function clockOf(t: TestContext, s: ContractSubject): ((seconds: number) => void) | undefined {
  if (s.advanceSeconds === undefined) t.skip('the backend runs on real time');
  return s.advanceSeconds;
}

/** Register the recall cases. */
export function contractRecall(make: MakeSubject): void {
  describe('delete_msg of the bot\'s own messages', () => {
    it('recalls a group message and emits group_recall with the v11 keys', () => withSubject(make, async (s) => {
      const g = s.world.groups.botOwner.groupId;
      const { messageId } = await s.backend.sendGroupMessage(g, text('oops'));
      const events = recordEvents(s.backend);
      await s.backend.deleteMessage(messageId);
      const [ev] = notices(events, 'group_recall');
      assertKeys(ev, EVENT_KEYS.groupRecall);
      assert.deepEqual({ ...ev, time: 0 }, {
        post_type: 'notice', notice_type: 'group_recall', time: 0, self_id: s.backend.selfId,
        group_id: g, user_id: s.backend.selfId, operator_id: s.backend.selfId, message_id: messageId,
      });
    }));

    it('recalling twice, or an unknown id, is MESSAGE_NOT_FOUND', () => withSubject(make, async (s) => {
      const { messageId } = await s.backend.sendGroupMessage(s.world.groups.botMember.groupId, text('once'));
      await s.backend.deleteMessage(messageId);
      await expectApiError(() => s.backend.deleteMessage(messageId), 'MESSAGE_NOT_FOUND', /already been recalled/);
      await expectApiError(() => s.backend.deleteMessage(messageId + 1000), 'MESSAGE_NOT_FOUND', new RegExp(String(messageId + 1000)));
    }));

    it('recalls its own private message without a friend_recall (only the friend\'s own recall makes one)', () => withSubject(make, async (s) => {
      const { messageId } = await s.backend.sendPrivateMessage(s.world.friend, text('psst'));
      const events = recordEvents(s.backend);
      await s.backend.deleteMessage(messageId);
      assert.deepEqual(notices(events, 'friend_recall'), []);
      await expectApiError(() => s.backend.deleteMessage(messageId), 'MESSAGE_NOT_FOUND', /already been recalled/);
    }));

    it('a plain member recalls its own group message within 120 s only', (t) => withSubject(make, async (s) => {
      const advance = clockOf(t, s);
      if (advance === undefined) return;
      const g = s.world.groups.botMember.groupId;
      const early = await s.backend.sendGroupMessage(g, text('early'));
      const late = await s.backend.sendGroupMessage(g, text('late'));
      advance(119);
      await s.backend.deleteMessage(early.messageId);
      advance(2);
      await expectApiError(() => s.backend.deleteMessage(late.messageId), 'NO_PERMISSION', /120 s/);
    }));

    it('an admin or owner recalls its own group message any time', (t) => withSubject(make, async (s) => {
      const advance = clockOf(t, s);
      if (advance === undefined) return;
      const a = await s.backend.sendGroupMessage(s.world.groups.botAdmin.groupId, text('admin says'));
      const o = await s.backend.sendGroupMessage(s.world.groups.botOwner.groupId, text('owner says'));
      advance(3600);
      await s.backend.deleteMessage(a.messageId);
      await s.backend.deleteMessage(o.messageId);
    }));

    it('a private message can be recalled within 120 s only', (t) => withSubject(make, async (s) => {
      const advance = clockOf(t, s);
      if (advance === undefined) return;
      const { messageId } = await s.backend.sendPrivateMessage(s.world.friend, text('too late'));
      advance(121);
      await expectApiError(() => s.backend.deleteMessage(messageId), 'NO_PERMISSION', /120 s/);
    }));
  });
}
