/** Recall rules with messages by other people (docs/qq-rules.md §3), through the control surface. */
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

/** [group, author, author's role, bot may recall?] — the bot recalls someone else's message. */
const MATRIX: [number, number, string, boolean][] = [
  [GROUPS.botOwner, USERS.alice, 'admin', true],
  [GROUPS.botOwner, USERS.carol, 'member', true],
  [GROUPS.botAdmin, USERS.alice, 'owner', false],
  [GROUPS.botAdmin, USERS.carol, 'admin', false],
  [GROUPS.botAdmin, USERS.bob, 'member', true],
  [GROUPS.botMember, USERS.bob, 'owner', false],
  [GROUPS.botMember, USERS.alice, 'admin', false],
  [GROUPS.botMember, USERS.carol, 'member', false],
];
const BOT_ROLE: Record<number, string> = { [GROUPS.botOwner]: 'owner', [GROUPS.botAdmin]: 'admin', [GROUPS.botMember]: 'member' };

describe('sandbox recall of others\' messages', () => {
  for (const [groupId, author, role, allowed] of MATRIX) {
    it(`bot ${BOT_ROLE[groupId]} recalls ${role}'s message an hour later: ${allowed ? 'ok' : 'NO_PERMISSION'}`, () => withSandbox(async ({ sb, clock }) => {
      const { messageId } = sb.postMessage({ from: author, groupId, message: text(`from ${author}`) });
      clock.advanceSeconds(3600);
      const events = recordEvents(sb);
      if (!allowed) {
        await expectApiError(() => sb.deleteMessage(messageId), 'NO_PERMISSION', role === 'owner' ? /nobody can recall the owner/ : /cannot recall it/);
        assert.equal(sb.listMessages({ groupId }).find((m) => m.messageId === messageId)?.recalled, false);
        assert.equal(events.length, 0);
        return;
      }
      await sb.deleteMessage(messageId);
      const stored = sb.listMessages({ groupId }).find((m) => m.messageId === messageId);
      assert.equal(stored?.recalled, true);
      assert.equal(stored?.recalledBy, sb.selfId);
      const [ev] = notices(events, 'group_recall');
      assertKeys(ev, EVENT_KEYS.groupRecall);
      assert.deepEqual([ev?.['user_id'], ev?.['operator_id'], ev?.['message_id'], ev?.['time']], [author, sb.selfId, messageId, clock.seconds]);
    }));
  }

  it('a friend\'s private message cannot be recalled by the bot', () => withSandbox(async ({ sb }) => {
    const { messageId } = sb.postMessage({ from: USERS.alice, message: text('hello bot') });
    await expectApiError(() => sb.deleteMessage(messageId), 'NO_PERMISSION', /only the author/);
  }));

  it('a user recalls their own group message: group_recall with operator_id = user_id', () => withSandbox(async ({ sb }) => {
    const { messageId } = sb.postMessage({ from: USERS.carol, groupId: GROUPS.botMember, message: text('typo') });
    const events = recordEvents(sb);
    sb.recallAs(USERS.carol, messageId);
    const [ev] = notices(events, 'group_recall');
    assert.deepEqual([ev?.['user_id'], ev?.['operator_id'], ev?.['group_id']], [USERS.carol, USERS.carol, GROUPS.botMember]);
  }));

  it('a group admin recalls the plain-member bot\'s message; a member cannot recall the bot\'s', () => withSandbox(async ({ sb }) => {
    const first = await sb.sendGroupMessage(GROUPS.botMember, text('bot speaks'));
    const second = await sb.sendGroupMessage(GROUPS.botMember, text('bot speaks again'));
    await expectApiError(() => sb.recallAs(USERS.carol, second.messageId), 'NO_PERMISSION', /a plain member/);
    const events = recordEvents(sb);
    sb.recallAs(USERS.alice, first.messageId);
    const [ev] = notices(events, 'group_recall');
    assert.deepEqual([ev?.['user_id'], ev?.['operator_id']], [sb.selfId, USERS.alice]);
  }));

  it('a friend recalls their own private message within 120 s: friend_recall', () => withSandbox(async ({ sb, clock }) => {
    const a = sb.postMessage({ from: USERS.bob, message: text('one') });
    const b = sb.postMessage({ from: USERS.bob, message: text('two') });
    const events = recordEvents(sb);
    sb.recallAs(USERS.bob, a.messageId);
    clock.advanceSeconds(121);
    await expectApiError(() => sb.recallAs(USERS.bob, b.messageId), 'NO_PERMISSION', /120 s/);
    await expectApiError(() => sb.recallAs(USERS.carol, b.messageId), 'NO_PERMISSION', /not part of/);
    const [ev] = notices(events, 'friend_recall');
    assertKeys(ev, EVENT_KEYS.friendRecall);
    assert.deepEqual([ev?.['user_id'], ev?.['message_id']], [USERS.bob, a.messageId]);
  }));

  it('an already recalled message names who recalled it', () => withSandbox(async ({ sb }) => {
    const { messageId } = sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('x') });
    sb.recallAs(USERS.alice, messageId);
    await expectApiError(() => sb.deleteMessage(messageId), 'MESSAGE_NOT_FOUND', new RegExp(`already been recalled by user ${USERS.alice}`));
  }));

  it('an admin may recall a departed member\'s message', () => withSandbox(async ({ sb }) => {
    const { messageId } = sb.postMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('bye') });
    await sb.setGroupKick(GROUPS.botAdmin, USERS.frank, false);
    await sb.deleteMessage(messageId);
    assert.equal(sb.listMessages({ groupId: GROUPS.botAdmin }).at(-1)?.recalled, true);
  }));
});
