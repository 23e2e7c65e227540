/** Anonymous chat through the control surface (docs/qq-rules.md §9). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS_USER_ID, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, text } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

describe('sandbox anonymous chat', () => {
  it('only admins and the owner switch it; it starts off (-15)', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('x') }), 'ANONYMOUS_DISABLED', /disabled in group 100001/);
    await expectApiError(() => sb.setAnonymousAs(USERS.carol, GROUPS.botOwner, true), 'NO_PERMISSION', /plain member/);
    const events = recordEvents(sb);
    sb.setAnonymousAs(USERS.alice, GROUPS.botOwner, true);
    assert.deepEqual(events, [], 'no notice for the switch');
    assert.equal(sb.getWorld().groups.find((g) => g.groupId === GROUPS.botOwner)?.anonymousEnabled, true);
  }));

  it('the message event: the whole §7.3 shape, with a stable identity per member', () => withSandbox(async ({ sb, clock }) => {
    sb.setAnonymousAs(sb.selfId, GROUPS.botOwner, true);
    const events = recordEvents(sb);
    const first = sb.postAnonymousMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('boo') });
    const { anonymous } = first;
    assert.deepEqual(events, [{
      post_type: 'message', message_type: 'group', sub_type: 'anonymous', time: clock.seconds, self_id: sb.selfId,
      message_id: first.messageId, group_id: GROUPS.botOwner, user_id: ANONYMOUS_USER_ID,
      anonymous: { flag: anonymous.flag, id: anonymous.id, name: anonymous.name },
      message: text('boo'), raw_message: 'boo', font: 0,
      sender: { age: 0, area: '', card: '', level: '', nickname: '匿名消息', role: 'member', sex: 'unknown', title: '', user_id: ANONYMOUS_USER_ID },
    }]);
    assertKeys(events[0], EVENT_KEYS.groupMessage);
    const again = sb.postAnonymousMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('boo again') });
    assert.deepEqual(again.anonymous, anonymous, 'same member, same identity');
    const other = sb.postAnonymousMessage({ from: USERS.dave, groupId: GROUPS.botOwner, message: text('me too') });
    assert.notEqual(other.anonymous.id, anonymous.id);
    assert.notEqual(other.anonymous.flag, anonymous.flag);
    const log = sb.listMessages({ groupId: GROUPS.botOwner });
    assert.deepEqual(log.map((m) => [m.userId, m.anonymous?.flag]), [[USERS.carol, anonymous.flag], [USERS.carol, anonymous.flag], [USERS.dave, other.anonymous.flag]]);
  }));

  it('a banned identity cannot speak until the ban ends; the member still speaks openly', () => withSandbox(async ({ sb, clock }) => {
    sb.setAnonymousAs(sb.selfId, GROUPS.botAdmin, true);
    const { anonymous } = sb.postAnonymousMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('troll') });
    const events = recordEvents(sb);
    await sb.setGroupAnonymousBan(GROUPS.botAdmin, anonymous.flag, 60);
    assert.deepEqual(events, [], 'no notice for an anonymous ban');
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('x') }), 'ANONYMOUS_DISABLED', /banned for another 60 s/);
    assert.ok(sb.postMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('openly') }).messageId > 0);
    clock.advanceSeconds(60);
    assert.ok(sb.postAnonymousMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: text('back') }).messageId > 0);
  }));

  it('rules for the ban: duration range, the flag\'s group, and a user admin may ban too', () => withSandbox(async ({ sb }) => {
    sb.setAnonymousAs(sb.selfId, GROUPS.botOwner, true);
    const { anonymous } = sb.postAnonymousMessage({ from: USERS.eve, groupId: GROUPS.botOwner, message: text('x') });
    await expectApiError(() => sb.setGroupAnonymousBan(GROUPS.botOwner, anonymous.flag, 2_592_000), 'DURATION_OUT_OF_RANGE', /2592000/);
    await expectApiError(() => sb.setGroupAnonymousBan(GROUPS.botOwner, anonymous.flag, -5), 'DURATION_OUT_OF_RANGE');
    await expectApiError(() => sb.setGroupAnonymousBan(GROUPS.botAdmin, anonymous.flag, 60), 'BAD_ANONYMOUS_FLAG', /group 100002/);
    await expectApiError(() => sb.banAnonymousAs(USERS.carol, GROUPS.botOwner, anonymous.flag, 60), 'NO_PERMISSION');
    sb.banAnonymousAs(USERS.alice, GROUPS.botOwner, anonymous.flag, 60);
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.eve, groupId: GROUPS.botOwner, message: text('x') }), 'ANONYMOUS_DISABLED', /banned/);
  }));

  it('muted members, non-members and the bot cannot speak anonymously', () => withSandbox(async ({ sb }) => {
    sb.setAnonymousAs(sb.selfId, GROUPS.botOwner, true);
    await sb.setGroupBan(GROUPS.botOwner, USERS.dave, 600);
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.dave, groupId: GROUPS.botOwner, message: text('x') }), 'BOT_MUTED', /muted/);
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.heidi, groupId: GROUPS.botOwner, message: text('x') }), 'USER_NOT_FOUND');
    await expectApiError(() => sb.postAnonymousMessage({ from: sb.selfId, groupId: GROUPS.botOwner, message: text('x') }), 'BAD_PARAMS');
    await expectApiError(() => sb.postAnonymousMessage({ from: USERS.eve, groupId: GROUPS.botOwner, message: [] }), 'MESSAGE_EMPTY_OR_TOO_LONG');
  }));

  it('recalls keep the author anonymous: user_id 80000000, and operator 80000000 for a self-recall', () => withSandbox(async ({ sb }) => {
    sb.setAnonymousAs(sb.selfId, GROUPS.botOwner, true);
    const a = sb.postAnonymousMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: text('one') });
    const b = sb.postAnonymousMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: text('two') });
    const events = recordEvents(sb);
    sb.recallAs(USERS.alice, a.messageId);
    sb.recallAs(USERS.bob, b.messageId); // an admin recalls another admin's anonymous message: it is nobody's
    assert.deepEqual(notices(events, 'group_recall').map((e) => [e['user_id'], e['operator_id'], e['message_id']]), [
      [ANONYMOUS_USER_ID, ANONYMOUS_USER_ID, a.messageId],
      [ANONYMOUS_USER_ID, USERS.bob, b.messageId],
    ]);
  }));
});
