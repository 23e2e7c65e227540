/** The groups extension on the sandbox: @全体成员 quotas, essence, announcements, system messages, pokes and look-ups. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../src/backend/sandbox/index.js';
import { Store } from '../../src/backend/sandbox/store/index.js';
import type { Segment } from '../../src/message/segment.js';
import { assertKeys, cleanupDir, EVENT_KEYS, expectApiError, makeTempDir, notices, recordEvents } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

const G = GROUPS;
const U = USERS;
const atAll = (s: string): Segment[] => [{ type: 'at', data: { qq: 'all' } }, { type: 'text', data: { text: s } }];
const say = (sb: SandboxBackend, from: number, groupId: number, s: string) => sb.postMessage({ from, groupId, message: [{ type: 'text', data: { text: s } }] }).messageId;
const last = (sb: SandboxBackend, groupId: number) => sb.listMessages({ groupId }).at(-1);

describe('sandbox @全体成员', () => {
  it("a plain member's @all goes out as text and uses no quota", () => withSandbox(async ({ sb }) => {
    await sb.sendGroupMessage(G.botMember, atAll(' read this'));
    assert.deepEqual(last(sb, G.botMember)?.message, [{ type: 'text', data: { text: '@全体成员 read this' } }]);
    assert.equal(last(sb, G.botMember)?.rawMessage, '@全体成员 read this');
    assert.deepEqual(await sb.getGroupAtAllRemain(G.botMember), { canAtAll: false, remainForGroup: 20, remainForUin: 10 });
  }));

  it('10 per admin and 20 per group a day; exhausted → -30, nothing stored; a new China day resets', () => withSandbox(async ({ sb, clock }) => {
    for (let i = 0; i < 10; i++) await sb.sendGroupMessage(G.botAdmin, atAll(`#${i}`));
    assert.deepEqual(last(sb, G.botAdmin)?.message[0], { type: 'at', data: { qq: 'all' } }, 'an admin mentions everyone');
    assert.deepEqual(await sb.getGroupAtAllRemain(G.botAdmin), { canAtAll: false, remainForGroup: 10, remainForUin: 0 });
    const before = sb.listMessages({ groupId: G.botAdmin }).length;
    const err = await expectApiError(() => sb.sendGroupMessage(G.botAdmin, atAll('one more')), 'RATE_LIMITED', /all 10 of its @全体成员/);
    assert.equal(err.retcode, -30);
    assert.equal(sb.listMessages({ groupId: G.botAdmin }).length, before);
    for (let i = 0; i < 10; i++) sb.postMessage({ from: i < 5 ? U.carol : U.alice, groupId: G.botAdmin, message: atAll('x') });
    await expectApiError(() => sb.postMessage({ from: U.alice, groupId: G.botAdmin, message: atAll('x') }), 'RATE_LIMITED', /group 100002 has used all 20/);
    assert.deepEqual(await sb.getGroupAtAllRemain(G.botAdmin), { canAtAll: false, remainForGroup: 0, remainForUin: 0 });
    const now = clock.seconds;
    const nextChinaMidnight = (Math.floor((now + 8 * 3600) / 86_400) + 1) * 86_400 - 8 * 3600;
    clock.advanceSeconds(nextChinaMidnight - now - 1);
    assert.equal((await sb.getGroupAtAllRemain(G.botAdmin)).remainForGroup, 0, 'one second before midnight in China');
    clock.advanceSeconds(1);
    assert.deepEqual(await sb.getGroupAtAllRemain(G.botAdmin), { canAtAll: true, remainForGroup: 20, remainForUin: 10 });
  }));

  it('can_at_all is false while the bot is muted; not in the group → 102', () => withSandbox(async ({ sb }) => {
    sb.banAs(U.alice, G.botAdmin, sb.selfId, 60);
    assert.equal((await sb.getGroupAtAllRemain(G.botAdmin)).canAtAll, false);
    await expectApiError(() => sb.getGroupAtAllRemain(424242), 'INVALID_DATA');
  }));
});

describe('sandbox essence messages', () => {
  it("others' acts emit essence add/delete; the bot's own emit nothing; the list is newest first", () => withSandbox(async ({ sb, clock }) => {
    const first = say(sb, U.carol, G.botAdmin, 'one');
    const second = say(sb, U.bob, G.botAdmin, 'two');
    const events = recordEvents(sb);
    sb.setEssenceAs(U.carol, first);
    const [add] = notices(events, 'essence');
    assertKeys(add, ['group_id', 'message_id', 'notice_type', 'operator_id', 'post_type', 'self_id', 'sender_id', 'sub_type', 'time', 'user_id']);
    assert.deepEqual(add, {
      post_type: 'notice', notice_type: 'essence', sub_type: 'add', time: clock.seconds, self_id: sb.selfId,
      group_id: G.botAdmin, message_id: first, sender_id: U.carol, user_id: U.carol, operator_id: U.carol,
    });
    clock.advanceSeconds(5);
    await sb.setEssenceMessage(second, true);
    assert.equal(notices(events, 'essence').length, 1, "the bot's own act is not reported (go-cqhttp)");
    const list = await sb.getEssenceMessages(G.botAdmin);
    assert.deepEqual(list.map((e) => [e.messageId, e.senderId, e.senderNick, e.operatorId, e.operatorNick, e.operatorTime - e.senderTime]), [
      [second, U.bob, 'Bob', sb.selfId, 'cqhttpd-bot', 5],
      [first, U.carol, 'Carol', U.carol, 'Carol', 0],
    ]);
    sb.setEssenceAs(U.alice, second, false);
    assert.deepEqual(notices(events, 'essence')[1]?.['sub_type'], 'delete');
    await expectApiError(() => sb.setEssenceAs(U.bob, first, false), 'NO_PERMISSION', /plain member/);
  }));

  it('an anonymous message is essence under 80000000 and its anonymous name', () => withSandbox(async ({ sb }) => {
    sb.setAnonymousAs(sb.selfId, G.botOwner, true);
    const sent = sb.postAnonymousMessage({ from: U.eve, groupId: G.botOwner, message: [{ type: 'text', data: { text: 'psst' } }] });
    const events = recordEvents(sb);
    sb.setEssenceAs(U.alice, sent.messageId);
    assert.equal(notices(events, 'essence')[0]?.['sender_id'], 80_000_000);
    const [e] = await sb.getEssenceMessages(G.botOwner);
    assert.deepEqual([e?.senderId, e?.senderNick], [80_000_000, sent.anonymous.name]);
  }));

  it('failures: unknown, private or recalled message (100), not in the group (-9), already / not essence (103)', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.setEssenceMessage(99, true), 'MESSAGE_NOT_FOUND');
    const priv = sb.postMessage({ from: U.alice, message: [{ type: 'text', data: { text: 'dm' } }] }).messageId;
    await expectApiError(() => sb.setEssenceMessage(priv, true), 'MESSAGE_NOT_FOUND', /no group message/);
    const id = say(sb, U.carol, G.botOwner, 'x');
    sb.recallAs(U.carol, id);
    await expectApiError(() => sb.setEssenceMessage(id, true), 'MESSAGE_NOT_FOUND', /recalled/);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: U.heidi });
    const foreign = say(sb, U.heidi, 200001, 'y');
    assert.equal((await expectApiError(() => sb.setEssenceMessage(foreign, true), 'NOT_IN_GROUP')).retcode, -9);
    const ok = say(sb, U.dave, G.botOwner, 'z');
    await sb.setEssenceMessage(ok, true);
    assert.equal((await expectApiError(() => sb.setEssenceMessage(ok, true), 'OPERATION_FAILED', /already/)).retcode, 103);
    await sb.setEssenceMessage(ok, false);
    await expectApiError(() => sb.setEssenceMessage(ok, false), 'OPERATION_FAILED', /not an essence/);
    await expectApiError(() => sb.getEssenceMessages(200001), 'INVALID_DATA');
  }));
});

describe('sandbox announcements', () => {
  it('admins publish, members read, newest first; failures are 100 and 103', () => withSandbox(async ({ sb, clock }) => {
    const fid = sb.sendGroupNoticeAs(U.bob, G.botMember, 'Welcome', 'Read the rules');
    clock.advanceSeconds(10);
    sb.sendGroupNoticeAs(U.alice, G.botMember, 'Later', 'Second');
    const list = await sb.getGroupNotices(G.botMember);
    assert.deepEqual(list.map((n) => [n.title, n.authorId, n.text]), [['Later', U.alice, 'Second'], ['Welcome', U.bob, 'Read the rules']]);
    assert.equal(list[1]?.id, fid);
    assert.equal((list[0]?.publishedAt ?? 0) - (list[1]?.publishedAt ?? 0), 10);
    assert.equal((await expectApiError(() => sb.sendGroupNotice(G.botMember, 't', 'c'), 'OPERATION_FAILED', /plain member/)).retcode, 103);
    await expectApiError(() => sb.sendGroupNotice(G.botOwner, '', 'c'), 'BAD_PARAMS');
    await expectApiError(() => sb.sendGroupNotice(424242, 't', 'c'), 'OPERATION_FAILED', /not a member/);
    await expectApiError(() => sb.getGroupNotices(424242), 'OPERATION_FAILED');
  }));
});

describe('sandbox group system messages', () => {
  it('invitations and join requests of managed groups, newest first, checked once answered', () => withSandbox(async ({ sb, clock }) => {
    const joinFlag = sb.applyToJoinAs(U.frank, G.botOwner, 'hello');
    sb.applyToJoinAs(U.heidi, G.botMember, 'hidden: the bot is a plain member there');
    clock.advanceSeconds(1);
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: U.heidi });
    sb.inviteBotAs(U.heidi, 200001);
    clock.advanceSeconds(1);
    sb.applyToJoinAs(U.grace, G.botAdmin);
    await sb.setGroupAddRequest(joinFlag, 'add', false, 'no');
    const m = await sb.getGroupSystemMessages();
    assert.deepEqual(m.join.map((r) => [r.requesterUin, r.groupId, r.checked, r.actor]), [[U.grace, G.botAdmin, false, 0], [U.frank, G.botOwner, true, sb.selfId]]);
    assert.deepEqual(m.invited.map((r) => [r.invitorUin, r.invitorNick, r.groupId, r.groupName, r.checked]), [[U.heidi, 'Heidi', 200001, 'Elsewhere', false]]);
    assert.equal(m.join[1]?.flag, joinFlag);
    assert.ok(m.join.every((r) => Number.isInteger(r.requestId) && r.requestId > 0));
    assert.notEqual(m.join[0]?.requestId, m.join[1]?.requestId);
  }));
});

describe('sandbox pokes by the bot', () => {
  it('group and friend pokes echo notify/poke with the bot as poker', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    await sb.sendPoke({ kind: 'group', groupId: G.botMember, targetId: sb.selfId });
    await sb.sendPoke({ kind: 'friend', userId: U.carol, targetId: U.carol });
    const [group, friend] = notices(events, 'notify');
    assertKeys(group, EVENT_KEYS.groupPoke);
    assertKeys(friend, EVENT_KEYS.friendPoke);
    assert.deepEqual(friend, {
      post_type: 'notice', notice_type: 'notify', sub_type: 'poke', time: clock.seconds, self_id: sb.selfId,
      user_id: sb.selfId, sender_id: sb.selfId, target_id: U.carol,
    });
    assert.deepEqual([group?.['group_id'], group?.['target_id']], [G.botMember, sb.selfId], 'the bot pokes itself');
    await expectApiError(() => sb.sendPoke({ kind: 'friend', userId: U.carol, targetId: U.alice }), 'BAD_PARAMS');
    await expectApiError(() => sb.sendPoke({ kind: 'friend', userId: 29999, targetId: 29999 }), 'USER_NOT_FOUND');
    await expectApiError(() => sb.sendPoke({ kind: 'friend', userId: U.eve, targetId: U.eve }), 'NO_RELATIONSHIP');
    await sb.setGroupWholeBan(G.botOwner, true);
    await sb.sendPoke({ kind: 'group', groupId: G.botOwner, targetId: U.eve });
    sb.setWholeBanAs(U.bob, G.botMember, true);
    await expectApiError(() => sb.sendPoke({ kind: 'group', groupId: G.botMember, targetId: U.eve }), 'BOT_MUTED', /whole-group ban/);
  }));
});

describe('sandbox experimental look-ups', () => {
  it('_get_group_info: owner first, then admins; counts and limits', () => withSandbox(async ({ sb }) => {
    const p = await sb.getGroupProfile(G.botMember);
    assert.deepEqual(p.admins, [
      { userId: U.bob, nickname: 'Bob', role: 'owner' },
      { userId: U.alice, nickname: 'Alice', role: 'admin' },
      { userId: U.dave, nickname: 'Dave', role: 'admin' },
    ]);
    assert.deepEqual([p.ownerId, p.memberCount, p.maxMemberCount, p.maxAdminCount, p.introduction, p.category], [U.bob, 7, 200, 10, '', 0]);
    assert.equal((await expectApiError(() => sb.getGroupProfile(424242), 'CREDENTIALS_INVALID')).retcode, 104);
  }));

  it('_get_vip_info is stable; _get_friend_list puts every friend in 我的好友', () => withSandbox(async ({ sb }) => {
    assert.deepEqual(await sb.getVipInfo(U.heidi), await sb.getVipInfo(U.heidi));
    assert.deepEqual(await sb.getVipInfo(U.heidi), { userId: U.heidi, nickname: 'Heidi', level: 1, levelSpeed: 1.8, vipLevel: '普通用户', vipGrowthSpeed: 0, vipGrowthTotal: 0 });
    await expectApiError(() => sb.getVipInfo(29999), 'CREDENTIALS_INVALID');
    sb.addFriend(U.dave, 'D');
    const [g] = await sb.getFriendGroups();
    assert.deepEqual([g?.friendGroupId, g?.friendGroupName, g?.friends.map((f) => f.userId)], [0, '我的好友', [U.alice, U.bob, U.carol, U.dave]]);
  }));
});

describe('sandbox migration 4', () => {
  it('creates the groups extension tables', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    Store.open(join(dir, 'x.db')).close();
    const db = new Database(join(dir, 'x.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('group_settings', 'essence_messages', 'group_announcements', 'at_all_uses') ORDER BY name").all();
      assert.deepEqual(tables.map((r) => (r as { name: string }).name), ['at_all_uses', 'essence_messages', 'group_announcements', 'group_settings']);
    } finally {
      db.close();
    }
  });
});
