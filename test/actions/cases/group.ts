/**
 * The groups area's conformance cases (issue 4): group settings, the 4.15 experimental look-ups,
 * honors, essence, @全体成员 quotas, system messages and pokes — success, every failure path QQ has,
 * and the exact notices each act emits, run in order on one fresh default world per transport.
 */
import assert from 'node:assert/strict';
import type { BackendEvent } from '../../../src/backend/port.js';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import { expectKeys } from './core.js';
import type { ActionCase } from './types.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
const PNG = 'base64://iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The events of the sandbox under test since the last {@link Watcher.watch}, for exact notice checks. */
class Watcher {
  #current: SandboxBackend | undefined;
  readonly #subscribed = new WeakSet<SandboxBackend>();
  #events: BackendEvent[] = [];

  /** Start recording `sb`'s events afresh. */
  watch(sb: SandboxBackend): void {
    this.#events = [];
    this.#current = sb;
    if (this.#subscribed.has(sb)) return;
    this.#subscribed.add(sb);
    sb.onEvent((e) => {
      if (this.#current === sb) this.#events.push(e);
    });
  }

  /** Exactly these notices (self_id and post_type implied, `time` any number) since the last watch. */
  expect(...notices: Record<string, unknown>[]): void {
    for (const e of this.#events) assert.equal(typeof e['time'], 'number');
    const got = this.#events.map(({ time: _time, ...rest }) => rest);
    assert.deepEqual(got, notices.map((n) => ({ post_type: 'notice', self_id: BOT, ...n })));
  }
}

const w = new Watcher();
/** Params that start watching first. */
const watched = (p: Record<string, unknown>) => (sb: SandboxBackend) => {
  w.watch(sb);
  return p;
};
const text = (s: string) => [{ type: 'text', data: { text: s } }];
/** The id of the last message `from` posted in `groupId` (posting one first). */
const post = (sb: SandboxBackend, from: number, groupId: number, s: string) => sb.postMessage({ from, groupId, message: text(s) }).messageId;
let essenceId = 0;

export const GROUP_CASES: ActionCase[] = [
  // set_group_whole_ban: admin/owner; notice for user 0, duration -1 on / 0 off
  { action: 'set_group_whole_ban', params: watched({ group_id: G.botOwner }), retcode: 0,
    check: () => w.expect({ notice_type: 'group_ban', sub_type: 'ban', group_id: G.botOwner, operator_id: BOT, user_id: 0, duration: -1 }) },
  { action: 'set_group_whole_ban', params: watched({ group_id: G.botOwner, enable: false }), retcode: 0,
    check: () => w.expect({ notice_type: 'group_ban', sub_type: 'lift_ban', group_id: G.botOwner, operator_id: BOT, user_id: 0, duration: 0 }) },
  { action: 'set_group_whole_ban', params: { group_id: G.botMember }, retcode: -39, note: 'a plain member' },
  { action: 'set_group_whole_ban', params: { group_id: 424242 }, retcode: -9 },
  { action: 'set_group_whole_ban', params: {}, retcode: 100 },
  // set_group_anonymous
  { action: 'set_group_anonymous', params: watched({ group_id: G.botAdmin }), retcode: 0, check: () => w.expect() },
  { action: 'set_group_anonymous', params: { group_id: G.botMember, enable: false }, retcode: -39 },
  { action: 'set_group_anonymous', params: {}, retcode: 100 },
  // set_group_card: own always; admin not on the owner; 60 bytes
  { action: 'set_group_card', params: watched({ group_id: G.botOwner, user_id: U.carol, card: 'Carol ☆' }), retcode: 0,
    check: () => w.expect({ notice_type: 'group_card', group_id: G.botOwner, user_id: U.carol, card_old: 'carol', card_new: 'Carol ☆' }) },
  { action: 'set_group_card', params: watched({ group_id: G.botMember, user_id: BOT, card: 'me' }), retcode: 0, note: 'a member sets its own card',
    check: () => w.expect({ notice_type: 'group_card', group_id: G.botMember, user_id: BOT, card_old: '', card_new: 'me' }) },
  { action: 'set_group_card', params: watched({ group_id: G.botMember, user_id: BOT, card: 'me' }), retcode: 0, note: 'unchanged: no notice', check: () => w.expect() },
  { action: 'set_group_card', params: { group_id: G.botMember, user_id: U.carol, card: 'x' }, retcode: -39, note: "a member on another's card" },
  { action: 'set_group_card', params: { group_id: G.botAdmin, user_id: U.alice, card: 'x' }, retcode: -39, note: "an admin on the owner's card" },
  { action: 'set_group_card', params: { group_id: G.botAdmin, user_id: U.bob, card: 'x'.repeat(61) }, retcode: 100, note: '61 bytes' },
  { action: 'set_group_card', params: { group_id: G.botAdmin, user_id: U.bob, card: '名'.repeat(20) }, retcode: 0, note: 'exactly 60 bytes' },
  { action: 'set_group_card', params: { group_id: G.botOwner, user_id: U.heidi, card: 'x' }, retcode: -10 },
  { action: 'set_group_card', params: { group_id: 424242, user_id: U.alice, card: 'x' }, retcode: -9 },
  // set_group_special_title: owner only; 18 bytes; notify/title
  { action: 'set_group_special_title', params: watched({ group_id: G.botOwner, user_id: U.dave, special_title: '话痨', duration: -1 }), retcode: 0,
    check: () => w.expect({ notice_type: 'notify', sub_type: 'title', group_id: G.botOwner, user_id: U.dave, title: '话痨' }) },
  { action: 'set_group_special_title', params: { group_id: G.botOwner, user_id: U.dave, special_title: '一二三四五六七' }, retcode: 100, note: '21 bytes' },
  { action: 'set_group_special_title', params: { group_id: G.botAdmin, user_id: U.bob, special_title: 'x' }, retcode: -39, note: 'an admin' },
  { action: 'set_group_special_title', params: { group_id: G.botOwner, user_id: U.heidi, special_title: 'x' }, retcode: -10 },
  // set_group_name (v11)
  { action: 'set_group_name', params: watched({ group_id: G.botAdmin, group_name: 'Bot Workshop 2' }), retcode: 0, check: () => w.expect() },
  { action: 'set_group_name', params: { group_id: G.botMember, group_name: 'mine' }, retcode: -39 },
  { action: 'set_group_name', params: { group_id: G.botOwner }, retcode: 100 },
  // set_group_portrait
  { action: 'set_group_portrait', params: { group_id: G.botOwner, file: PNG }, retcode: 0 },
  { action: 'set_group_portrait', params: { group_id: G.botAdmin, file: 'https://example.com/portrait.png', cache: 0 }, retcode: 0, note: 'a name is kept as a hash' },
  { action: 'set_group_portrait', params: { group_id: G.botMember, file: PNG }, retcode: -39 },
  { action: 'set_group_portrait', params: { group_id: G.botOwner, file: 'base64://aGVsbG8=' }, retcode: 100, note: 'not an image' },
  { action: 'set_group_portrait', params: { group_id: G.botOwner }, retcode: 100 },
  // _get_group_info (4.15 experimental)
  { action: '_get_group_info', params: { group_id: G.botAdmin }, retcode: 0, check: (d) => {
    expectKeys(d, ['admin_count', 'admins', 'category', 'create_time', 'group_id', 'group_name', 'introduction', 'max_admin_count', 'max_member_count', 'member_count', 'owner_id']);
    const g = d as { admins: unknown; owner_id: number; group_name: string; admin_count: number; max_admin_count: number; member_count: number };
    assert.deepEqual(g.admins, [
      { nickname: 'Alice', role: 'owner', user_id: U.alice },
      { nickname: 'cqhttpd-bot', role: 'admin', user_id: BOT },
      { nickname: 'Carol', role: 'admin', user_id: U.carol },
    ]);
    assert.deepEqual([g.owner_id, g.group_name, g.admin_count, g.max_admin_count, g.member_count], [U.alice, 'Bot Workshop 2', 3, 15, 6]);
  } },
  { action: '_get_group_info', params: { group_id: 424242 }, retcode: 104 },
  { action: '_get_group_info', params: { group_id: -5 }, retcode: 100 },
  // _send_group_notice / _get_group_notice (4.15 experimental)
  { action: '_send_group_notice', params: watched({ group_id: G.botOwner, title: 'Rules', content: 'Be nice & <kind>' }), retcode: 0, check: () => w.expect() },
  { action: '_get_group_notice', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    const [n] = d as Record<string, unknown>[];
    expectKeys(n, ['cn', 'fid', 'fn', 'msg', 'pubt', 'read_num', 'settings', 'u', 'vn']);
    assert.deepEqual(n?.['msg'], { text: 'Be&nbsp;nice&nbsp;&amp;&nbsp;&lt;kind&gt;', text_face: 'Be&nbsp;nice&nbsp;&amp;&nbsp;&lt;kind&gt;', title: 'Rules' });
    assert.equal(n?.['u'], BOT);
    assert.match(String(n?.['fid']), /^[0-9a-f]{32}$/);
  } },
  { action: '_get_group_notice', params: { group_id: G.botAdmin }, retcode: 0, check: (d) => assert.deepEqual(d, []) },
  { action: '_get_group_notice', params: { group_id: 424242 }, retcode: 103 },
  { action: '_send_group_notice', params: { group_id: G.botMember, title: 't', content: 'c' }, retcode: 103, note: 'a plain member' },
  { action: '_send_group_notice', params: { group_id: G.botAdmin, title: 't', text: 'the original read `text`' }, retcode: 0 },
  { action: '_send_group_notice', params: { group_id: G.botOwner, title: 't' }, retcode: 100, note: 'no content' },
  { action: '_send_group_notice', params: { title: 't', content: 'c' }, retcode: 100 },
  // _get_friend_list (4.15 experimental)
  { action: '_get_friend_list', params: {}, retcode: 0, check: (d) => {
    const groups = d as { friend_group_id: number; friend_group_name: string; friends: { user_id: number }[] }[];
    assert.deepEqual(groups.map((g) => [g.friend_group_id, g.friend_group_name]), [[0, '我的好友']]);
    assert.deepEqual(groups[0]?.friends[0], { nickname: 'Alice', remark: 'Alice (ops)', user_id: U.alice });
    assert.deepEqual(groups[0]?.friends.map((f) => f.user_id), [U.alice, U.bob, U.carol]);
  } },
  { action: '_get_friend_list', params: { flat: 'true' }, retcode: 0, check: (d) => {
    expectKeys(d, ['friend_groups', 'friends']);
    const f = d as { friend_groups: unknown; friends: unknown[] };
    assert.deepEqual(f.friend_groups, [{ friend_group_id: 0, friend_group_name: '我的好友' }]);
    assert.deepEqual(f.friends[1], { friend_group_id: 0, nickname: 'Bob', remark: '', user_id: U.bob });
  } },
  // _get_vip_info (4.15 experimental)
  { action: '_get_vip_info', params: { user_id: U.alice }, retcode: 0, check: (d) => {
    expectKeys(d, ['level', 'level_speed', 'nickname', 'user_id', 'vip_growth_speed', 'vip_growth_total', 'vip_level']);
    assert.deepEqual(d, { level: 1, level_speed: 1.1, nickname: 'Alice', user_id: U.alice, vip_growth_speed: 7, vip_growth_total: 1201, vip_level: 'VIP1' });
  } },
  { action: '_get_vip_info', params: { user_id: 29999 }, retcode: 104, note: 'unknown user' },
  { action: '_get_vip_info', params: {}, retcode: 100 },
  // get_group_honor_info (v11): every list an array; D16 default all
  { action: 'get_group_honor_info', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    expectKeys(d, ['emotion_list', 'group_id', 'legend_list', 'performer_list', 'strong_newbie_list', 'talkative_list']);
    const h = d as Record<string, unknown>;
    for (const k of ['emotion_list', 'legend_list', 'performer_list', 'strong_newbie_list', 'talkative_list']) assert.deepEqual(h[k], [], k);
  } },
  { action: 'get_group_honor_info', params: { group_id: G.botOwner, type: 'talkative' }, retcode: 0, check: (d) => expectKeys(d, ['group_id', 'talkative_list']) },
  { action: 'get_group_honor_info', params: { group_id: G.botOwner, type: 'strong_newbie' }, retcode: 0, check: (d) => assert.deepEqual(d, { group_id: G.botOwner, strong_newbie_list: [] }) },
  { action: 'get_group_honor_info', params: { group_id: G.botOwner, type: 'dragon' }, retcode: 100 },
  { action: 'get_group_honor_info', params: { group_id: 424242 }, retcode: 102 },
  // set_essence_msg / delete_essence_msg / get_essence_msg_list: admin/owner; the bot's own acts emit nothing
  { action: 'set_essence_msg', params: (sb) => {
    essenceId = post(sb, U.carol, G.botOwner, 'worth keeping');
    w.watch(sb);
    return { message_id: essenceId };
  }, retcode: 0, check: () => w.expect() },
  { action: 'get_essence_msg_list', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    const [e] = d as Record<string, unknown>[];
    expectKeys(e, ['message_id', 'operator_id', 'operator_nick', 'operator_time', 'sender_id', 'sender_nick', 'sender_time']);
    assert.deepEqual([e?.['message_id'], e?.['sender_id'], e?.['sender_nick'], e?.['operator_id'], e?.['operator_nick']], [essenceId, U.carol, 'Carol', BOT, 'cqhttpd-bot']);
  } },
  { action: 'set_essence_msg', params: () => ({ message_id: essenceId }), retcode: 103, note: 'already essence' },
  { action: 'set_essence_msg', params: (sb) => ({ message_id: post(sb, U.carol, G.botMember, 'hi') }), retcode: -39, note: 'a plain member' },
  { action: 'set_essence_msg', params: { message_id: 2147483000 }, retcode: 100, note: 'unknown message' },
  { action: 'set_essence_msg', params: (sb) => ({ message_id: sb.postMessage({ from: U.alice, message: text('private') }).messageId }), retcode: 100, note: 'a private message' },
  { action: 'delete_essence_msg', params: () => ({ message_id: essenceId }), retcode: 0 },
  { action: 'delete_essence_msg', params: () => ({ message_id: essenceId }), retcode: 103, note: 'not essence' },
  { action: 'delete_essence_msg', params: {}, retcode: 100 },
  { action: 'get_essence_msg_list', params: (sb) => {
    w.watch(sb);
    sb.setEssenceAs(U.alice, essenceId);
    return { group_id: G.botOwner };
  }, retcode: 0, note: 'an admin user sets it: essence/add notice', check: (d) => {
    w.expect({ notice_type: 'essence', sub_type: 'add', group_id: G.botOwner, message_id: essenceId, operator_id: U.alice, sender_id: U.carol, user_id: U.carol });
    assert.equal((d as unknown[]).length, 1);
  } },
  { action: 'get_essence_msg_list', params: (sb) => {
    sb.recallAs(U.carol, essenceId);
    return { group_id: G.botOwner };
  }, retcode: 0, note: 'a recalled message is no longer essence', check: (d) => assert.deepEqual(d, []) },
  { action: 'get_essence_msg_list', params: { group_id: 424242 }, retcode: 102 },
  // get_group_at_all_remain, and @全体成员 in the send path
  { action: 'get_group_at_all_remain', params: { group_id: G.botOwner }, retcode: 0,
    check: (d) => assert.deepEqual(d, { can_at_all: true, remain_at_all_count_for_group: 20, remain_at_all_count_for_uin: 10 }) },
  { action: 'send_group_msg', params: { group_id: G.botOwner, message: '[CQ:at,qq=all] meeting' }, retcode: 0 },
  { action: 'get_group_at_all_remain', params: { group_id: G.botOwner }, retcode: 0,
    check: (d) => assert.deepEqual(d, { can_at_all: true, remain_at_all_count_for_group: 19, remain_at_all_count_for_uin: 9 }) },
  { action: 'send_group_msg', params: { group_id: G.botMember, message: '[CQ:at,qq=all] hi' }, retcode: 0, note: "a member's @all goes out as text" },
  { action: 'get_group_at_all_remain', params: { group_id: G.botMember }, retcode: 0,
    check: (d) => assert.deepEqual(d, { can_at_all: false, remain_at_all_count_for_group: 20, remain_at_all_count_for_uin: 10 }) },
  { action: 'get_group_at_all_remain', params: { group_id: 424242 }, retcode: 102 },
  { action: 'get_group_at_all_remain', params: {}, retcode: 100 },
  // get_group_system_msg
  { action: 'get_group_system_msg', params: (sb) => {
    sb.applyToJoinAs(U.frank, G.botOwner, 'let me in');
    sb.createGroup({ groupId: 100009, groupName: "Heidi's", ownerId: U.heidi });
    sb.inviteBotAs(U.heidi, 100009, 'join us');
    return {};
  }, retcode: 0, check: (d) => {
    expectKeys(d, ['invited_requests', 'join_requests']);
    const m = d as { invited_requests: Record<string, unknown>[]; join_requests: Record<string, unknown>[] };
    const [inv] = m.invited_requests;
    const [join] = m.join_requests;
    expectKeys(inv, ['actor', 'checked', 'flag', 'group_id', 'group_name', 'invitor_nick', 'invitor_uin', 'request_id']);
    expectKeys(join, ['action_uin', 'action_uin_nick', 'actor', 'checked', 'flag', 'group_id', 'group_name', 'message', 'request_id', 'requester_nick', 'requester_uin', 'suspicious']);
    assert.deepEqual([inv?.['invitor_uin'], inv?.['group_id'], inv?.['checked'], inv?.['actor']], [U.heidi, 100009, false, 0]);
    assert.deepEqual([join?.['requester_uin'], join?.['message'], join?.['group_name'], join?.['suspicious']], [U.frank, 'let me in', 'Sandbox Lounge', false]);
  } },
  // pokes: QQ echoes the bot's own poke (user_id = sender_id = the bot)
  { action: 'group_poke', params: watched({ group_id: G.botOwner, user_id: U.carol }), retcode: 0,
    check: () => w.expect({ notice_type: 'notify', sub_type: 'poke', group_id: G.botOwner, user_id: BOT, sender_id: BOT, target_id: U.carol }) },
  { action: 'group_poke', params: { group_id: G.botOwner, user_id: U.heidi }, retcode: -10 },
  { action: 'group_poke', params: { group_id: 424242, user_id: U.carol }, retcode: -9 },
  { action: 'friend_poke', params: watched({ user_id: U.alice }), retcode: 0,
    check: () => w.expect({ notice_type: 'notify', sub_type: 'poke', user_id: BOT, sender_id: BOT, target_id: U.alice }) },
  { action: 'friend_poke', params: { user_id: U.dave }, retcode: -23, note: 'not a friend' },
  { action: 'send_poke', params: watched({ user_id: U.alice, group_id: G.botAdmin }), retcode: 0,
    check: () => w.expect({ notice_type: 'notify', sub_type: 'poke', group_id: G.botAdmin, user_id: BOT, sender_id: BOT, target_id: U.alice }) },
  { action: 'send_poke', params: watched({ user_id: U.bob, target_id: BOT }), retcode: 0, note: 'the bot pokes itself in the chat with Bob',
    check: () => w.expect({ notice_type: 'notify', sub_type: 'poke', user_id: BOT, sender_id: BOT, target_id: BOT }) },
  { action: 'send_poke', params: { user_id: U.heidi }, retcode: -23 },
  { action: 'send_poke', params: {}, retcode: 100 },
  { action: 'group_poke', params: (sb) => {
    sb.banAs(U.bob, G.botMember, BOT, 600);
    return { group_id: G.botMember, user_id: U.carol };
  }, retcode: -34, note: 'the bot is muted' },
  // set_group_leave (last: the bot leaves and dismisses)
  { action: 'set_group_leave', params: watched({ group_id: G.botMember }), retcode: 0,
    check: () => w.expect({ notice_type: 'group_decrease', sub_type: 'leave', group_id: G.botMember, operator_id: BOT, user_id: BOT }) },
  { action: 'set_group_leave', params: { group_id: G.botMember }, retcode: -16, note: 'no longer in it' },
  { action: 'set_group_leave', params: { group_id: G.botOwner }, retcode: -17, note: 'the owner without is_dismiss' },
  { action: 'set_group_leave', params: { group_id: G.botAdmin, is_dismiss: true }, retcode: -18, note: 'dismissing as an admin' },
  { action: 'set_group_leave', params: watched({ group_id: G.botOwner, is_dismiss: 'yes' }), retcode: 0,
    check: () => w.expect({ notice_type: 'group_decrease', sub_type: 'kick_me', group_id: G.botOwner, operator_id: BOT, user_id: BOT }) },
  { action: 'set_group_leave', params: {}, retcode: 100 },
];
