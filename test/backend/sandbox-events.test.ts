/** The events the sandbox emits for what simulated users do, and how they are delivered. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { BackendEvent } from '../../src/backend/port.js';
import type { Segment } from '../../src/message/segment.js';
import { assertKeys, EVENT_KEYS, expectApiError, notices, recordEvents, text } from './helpers.js';
import { openTestSandbox } from './sandbox-fixture.js';
import type { TestSandbox } from './sandbox-fixture.js';

async function withSandbox(fn: (t: TestSandbox) => Promise<void>, allowTempSessions?: boolean): Promise<void> {
  const t = openTestSandbox({ allowTempSessions });
  try {
    await fn(t);
  } finally {
    await t.dispose();
  }
}

const PICTURE: Segment[] = [{ type: 'text', data: { text: 'look [here] ' } }, { type: 'image', data: { file: 'cat.jpg' } }];

describe('sandbox message events', () => {
  it('a group message: Appendix B keys, segment array, CQ raw_message, full sender', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    const { messageId } = sb.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: PICTURE });
    assert.equal(events.length, 1);
    const ev = events[0];
    assertKeys(ev, EVENT_KEYS.groupMessage);
    assertKeys(ev?.['sender'], EVENT_KEYS.groupSender, 'sender');
    assert.deepEqual(ev, {
      post_type: 'message', message_type: 'group', sub_type: 'normal', time: clock.seconds, self_id: sb.selfId,
      message_id: messageId, group_id: GROUPS.botOwner, user_id: USERS.alice, anonymous: null,
      message: PICTURE, raw_message: 'look &#91;here&#93; [CQ:image,file=cat.jpg]', font: 0,
      sender: { age: 24, area: 'Shanghai', card: 'Alice | ops', level: '1', nickname: 'Alice', role: 'admin', sex: 'female', title: '', user_id: USERS.alice },
    });
  }));

  it('a private message from a friend: sub_type friend, §7.2 private sender', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    const { messageId } = sb.postMessage({ from: USERS.bob, message: text('hi bot') });
    const ev = events[0];
    assertKeys(ev, EVENT_KEYS.privateMessage);
    assertKeys(ev?.['sender'], EVENT_KEYS.privateSender, 'sender');
    assert.deepEqual([ev?.['sub_type'], ev?.['message_id'], ev?.['raw_message'], ev?.['font']], ['friend', messageId, 'hi bot', 0]);
    assert.deepEqual(ev?.['sender'], { age: 31, nickname: 'Bob', sex: 'male', user_id: USERS.bob });
  }));

  it('a group co-member who is no friend writes in a temporary session (sub_type group)', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.postMessage({ from: USERS.grace, message: text('psst') });
    assert.equal(events[0]?.['sub_type'], 'group');
    await expectApiError(() => sb.postMessage({ from: USERS.heidi, message: text('hello?') }), 'NO_RELATIONSHIP');
  }));

  it('temporary sessions can be switched off', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.sendPrivateMessage(USERS.dave, text('x')), 'NO_RELATIONSHIP', /temporary sessions .* are disabled/);
    await expectApiError(() => sb.postMessage({ from: USERS.grace, message: text('x') }), 'NO_RELATIONSHIP');
    assert.ok((await sb.sendPrivateMessage(USERS.alice, text('friends still work'))).messageId > 0);
  }, false));

  it('the bot\'s own sends produce no message event; the log keeps everything in order', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    const a = await sb.sendGroupMessage(GROUPS.botAdmin, text('bot first'));
    clock.advanceSeconds(5);
    const b = sb.postMessage({ from: USERS.frank, groupId: GROUPS.botAdmin, message: PICTURE });
    assert.deepEqual(events.map((e) => e['user_id']), [USERS.frank]);
    const log = sb.listMessages({ groupId: GROUPS.botAdmin });
    assert.deepEqual(log.map((m) => [m.messageId, m.userId, m.seq, m.groupId]), [[a.messageId, sb.selfId, 1, GROUPS.botAdmin], [b.messageId, USERS.frank, 2, GROUPS.botAdmin]]);
    assert.equal(log[1]?.time, log[0] === undefined ? NaN : log[0].time + 5);
    assert.deepEqual(log[1]?.message, PICTURE);
    const dm = await sb.sendPrivateMessage(USERS.dave, text('temp'));
    assert.deepEqual(sb.listMessages({ userId: USERS.dave }).map((m) => [m.messageId, m.peerUserId, m.seq, m.rawMessage]), [[dm.messageId, USERS.dave, 1, 'temp']]);
    const frank = (await sb.getGroupMemberInfo(GROUPS.botAdmin, USERS.frank, true));
    assert.equal(frank.lastSentTime, clock.seconds);
  }));
});

describe('sandbox membership and friendship events', () => {
  it('kick with reject_add_request blocks rejoining; without it the user may come back', () => withSandbox(async ({ sb }) => {
    await sb.setGroupKick(GROUPS.botOwner, USERS.dave, true);
    await sb.setGroupKick(GROUPS.botOwner, USERS.eve, false);
    assert.deepEqual(sb.getWorld().groups.find((g) => g.groupId === GROUPS.botOwner)?.blocked, [USERS.dave]);
    await expectApiError(() => sb.addMember({ groupId: GROUPS.botOwner, userId: USERS.dave }), 'NO_PERMISSION', /reject_add_request/);
    const events = recordEvents(sb);
    sb.addMember({ groupId: GROUPS.botOwner, userId: USERS.eve });
    const [inc] = notices(events, 'group_increase');
    assertKeys(inc, EVENT_KEYS.groupIncrease);
    assert.deepEqual([inc?.['sub_type'], inc?.['operator_id'], inc?.['user_id']], ['approve', sb.selfId, USERS.eve]);
  }));

  it('the bot kicked by the owner sees kick_me and loses the group', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.kickAs(USERS.bob, GROUPS.botMember, sb.selfId);
    const [ev] = notices(events, 'group_decrease');
    assertKeys(ev, EVENT_KEYS.groupDecrease);
    assert.deepEqual([ev?.['sub_type'], ev?.['operator_id'], ev?.['user_id']], ['kick_me', USERS.bob, sb.selfId]);
    await expectApiError(() => sb.getGroupInfo(GROUPS.botMember, false), 'INVALID_DATA');
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botMember, text('hello?')), 'NOT_IN_GROUP', /not a member of group 100003/);
    const before = events.length;
    sb.postMessage({ from: USERS.carol, groupId: GROUPS.botMember, message: text('the bot is gone') });
    assert.equal(events.length, before, 'no events from a group the bot left');
    assert.ok(!(await sb.getGroupList()).some((g) => g.groupId === GROUPS.botMember));
  }));

  it('setRole and addFriend announce themselves', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.setRole(GROUPS.botAdmin, USERS.bob, 'admin');
    sb.setRole(GROUPS.botAdmin, USERS.carol, 'member');
    sb.addFriend(USERS.heidi, 'new pal');
    assert.deepEqual(notices(events, 'group_admin').map((e) => [e['sub_type'], e['user_id']]), [['set', USERS.bob], ['unset', USERS.carol]]);
    const [add] = notices(events, 'friend_add');
    assertKeys(add, EVENT_KEYS.friendAdd);
    assert.equal(add?.['user_id'], USERS.heidi);
    assert.deepEqual((await sb.getFriendList()).find((f) => f.userId === USERS.heidi), { userId: USERS.heidi, nickname: 'Heidi', remark: 'new pal' });
    assert.ok((await sb.sendPrivateMessage(USERS.heidi, text('hi Heidi'))).messageId > 0);
  }));

  it('setRole owner transfers ownership; createUser/createGroup build a world the bot is not in', () => withSandbox(async ({ sb }) => {
    sb.setRole(GROUPS.botAdmin, sb.selfId, 'owner');
    assert.equal((await sb.getGroupMemberInfo(GROUPS.botAdmin, USERS.alice, true)).role, 'member');
    await sb.setGroupAdmin(GROUPS.botAdmin, USERS.frank, true);
    sb.createUser({ userId: 30001, nickname: 'Ivan', sex: 'male', age: 50 });
    await expectApiError(() => sb.createUser({ userId: 30001, nickname: 'again' }), 'OPERATION_FAILED', /already exists/);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: 30001, maxMemberCount: 2 });
    sb.addMember({ groupId: 200001, userId: USERS.heidi });
    await expectApiError(() => sb.addMember({ groupId: 200001, userId: USERS.alice }), 'OPERATION_FAILED', /full/);
    await expectApiError(() => sb.getGroupInfo(200001, false), 'INVALID_DATA', /not a member/);
    await expectApiError(() => sb.sendPrivateMessage(30001, text('x')), 'NO_RELATIONSHIP');
    sb.addMember({ groupId: GROUPS.botOwner, userId: 30001 });
    assert.ok((await sb.sendPrivateMessage(30001, text('temp session now'))).messageId > 0);
  }));
});

describe('sandbox event delivery', () => {
  it('delivers after the commit, survives a throwing listener, and unsubscribes', () => withSandbox(async ({ sb }) => {
    const seen: number[] = [];
    sb.onEvent(() => {
      throw new Error('listener bug');
    });
    const off = sb.onEvent((e: BackendEvent) => {
      // The message is already committed when its event arrives.
      seen.push(sb.listMessages({ groupId: GROUPS.botOwner }).filter((m) => m.messageId === e['message_id']).length);
    });
    sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('one') });
    off();
    sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('two') });
    assert.deepEqual(seen, [1]);
  }));

  it('onMessage announces every stored message after its commit, the bot\'s included, and nothing refused', () => withSandbox(async ({ sb }) => {
    const seen: [number, number, number | undefined, string][] = [];
    const off = sb.onMessage((m) => seen.push([m.messageId, m.userId, m.groupId, m.rawMessage]));
    const a = await sb.sendGroupMessage(GROUPS.botOwner, text('bot'));
    const b = sb.postMessage({ from: USERS.alice, message: text('dm') });
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botOwner, text('x'.repeat(4501))), 'MESSAGE_EMPTY_OR_TOO_LONG');
    off();
    sb.postMessage({ from: USERS.alice, message: text('unseen') });
    assert.deepEqual(seen, [[a.messageId, sb.selfId, GROUPS.botOwner, 'bot'], [b.messageId, USERS.alice, undefined, 'dm']]);
  }));

  it('a refused act emits nothing and changes nothing', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    const before = JSON.stringify(sb.getWorld());
    await expectApiError(() => sb.setGroupKick(GROUPS.botAdmin, USERS.carol, true), 'NO_PERMISSION');
    await expectApiError(() => sb.sendGroupMessage(GROUPS.botOwner, []), 'MESSAGE_EMPTY_OR_TOO_LONG', /empty/);
    assert.equal(JSON.stringify(sb.getWorld()), before);
    assert.deepEqual(events, []);
  }));
});
