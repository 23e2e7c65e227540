/**
 * The action conformance table: for every registered action, at least one success case and one
 * failure case, run in order on a fresh default world over every API transport. The same
 * sequence yields the same results everywhere, so cases may change the world for later ones.
 */
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import type { ActionCase } from './types.js';


const G = GROUPS;
const U = USERS;
const BOT = 10001000;

/** Issue 2's actions and the request/quick-operation ones, run in order on one fresh world. */
export const CORE_CASES: ActionCase[] = [
  // messages
  { action: 'send_private_msg', params: { user_id: U.alice, message: 'hi' }, retcode: 0 },
  { action: 'send_private_msg', params: { user_id: U.heidi, message: 'hi' }, retcode: -23, note: 'no relationship' },
  { action: 'send_private_msg', params: { user_id: U.alice }, retcode: 100, note: 'no message' },
  { action: 'send_group_msg', params: { group_id: G.botOwner, message: [{ type: 'text', data: { text: 'hello' } }] }, retcode: 0 },
  { action: 'send_group_msg', params: { group_id: 424242, message: 'x' }, retcode: -9 },
  { action: 'send_msg', params: { group_id: G.botAdmin, message: 'inferred' }, retcode: 0 },
  { action: 'send_msg', params: { message: 'nowhere' }, retcode: 100 },
  { action: 'delete_msg', params: { message_id: 1 }, retcode: 0, note: 'the first message: the bot\'s own, just sent' },
  { action: 'delete_msg', params: { message_id: 1 }, retcode: 100, note: 'already recalled' },
  { action: 'delete_msg', params: { message_id: 0 }, retcode: 100 },
  // moderation
  { action: 'set_group_ban', params: { group_id: G.botOwner, user_id: U.dave, duration: 60 }, retcode: 0 },
  { action: 'set_group_ban', params: { group_id: G.botAdmin, user_id: U.alice, duration: 60 }, retcode: -39, note: 'the owner' },
  { action: 'set_group_ban', params: { group_id: G.botOwner, user_id: U.dave, duration: -1 }, retcode: 100 },
  { action: 'set_group_admin', params: { group_id: G.botOwner, user_id: U.eve }, retcode: 0 },
  { action: 'set_group_admin', params: { group_id: G.botAdmin, user_id: U.bob }, retcode: -39, note: 'not the owner' },
  { action: 'set_group_kick', params: { group_id: G.botOwner, user_id: U.carol }, retcode: 0 },
  { action: 'set_group_kick', params: { group_id: G.botMember, user_id: U.carol }, retcode: -39 },
  { action: 'set_group_kick', params: { group_id: G.botOwner, user_id: BOT }, retcode: -39, note: 'self' },
  { action: 'set_group_anonymous_ban', params: (sb) => {
    sb.setAnonymousAs(BOT, G.botOwner, true);
    const sent = sb.postAnonymousMessage({ from: U.eve, groupId: G.botOwner, message: [{ type: 'text', data: { text: 'boo' } }] });
    return { group_id: G.botOwner, flag: sent.anonymous.flag, duration: 60 };
  }, retcode: 0 },
  { action: 'set_group_anonymous_ban', params: { group_id: G.botOwner, flag: 'not-a-flag' }, retcode: -13 },
  { action: 'set_group_anonymous_ban', params: { group_id: G.botOwner }, retcode: 100 },
  // requests
  { action: 'set_friend_add_request', params: (sb) => ({ flag: sb.requestFriendAs(U.dave, 'hello'), approve: true, remark: 'Dave' }), retcode: 0 },
  { action: 'set_friend_add_request', params: { flag: 'unknown' }, retcode: 100 },
  { action: 'set_friend_add_request', params: {}, retcode: 100 },
  { action: 'set_group_add_request', params: (sb) => ({ flag: sb.applyToJoinAs(U.frank, G.botOwner, 'let me in'), sub_type: 'add' }), retcode: 0 },
  { action: 'set_group_add_request', params: (sb) => {
    sb.createGroup({ groupId: 100009, groupName: "Heidi's", ownerId: U.heidi });
    return { flag: sb.inviteBotAs(U.heidi, 100009, 'join us'), type: 'invite', approve: 'false', reason: 'no' };
  }, retcode: 0, note: 'refusing an invitation; `type` accepted for `sub_type`' },
  { action: 'set_group_add_request', params: (sb) => ({ flag: sb.applyToJoinAs(U.grace, G.botOwner), sub_type: 'invite' }), retcode: 100, note: 'sub_type must match' },
  { action: 'set_group_add_request', params: { flag: 'x', sub_type: 'join' }, retcode: 100 },
  // quick operations
  { action: '.handle_quick_operation', params: { context: { post_type: 'message', message_type: 'group', group_id: G.botOwner, user_id: U.eve, message_id: 999 }, operation: { reply: 'pong' } }, retcode: 0 },
  { action: '.handle_quick_operation', params: { context: 'x', operation: {} }, retcode: 100 },
  // information
  { action: 'get_login_info', params: {}, retcode: 0, check: (d) => expectKeys(d, ['nickname', 'user_id']) },
  { action: 'get_stranger_info', params: { user_id: U.bob }, retcode: 0, check: (d) => expectKeys(d, ['age', 'nickname', 'sex', 'user_id']) },
  { action: 'get_stranger_info', params: { user_id: 99999 }, retcode: 102 },
  { action: 'get_friend_list', params: {}, retcode: 0 },
  { action: 'get_group_list', params: {}, retcode: 0 },
  { action: 'get_group_info', params: { group_id: G.botMember }, retcode: 0, check: (d) => expectKeys(d, ['group_id', 'group_name', 'max_member_count', 'member_count']) },
  { action: 'get_group_info', params: { group_id: 424242 }, retcode: 102 },
  { action: 'get_group_member_info', params: { group_id: G.botMember, user_id: U.grace }, retcode: 0 },
  { action: 'get_group_member_info', params: { group_id: G.botMember, user_id: U.frank }, retcode: 102 },
  { action: 'get_group_member_list', params: { group_id: G.botAdmin }, retcode: 0 },
  { action: 'get_group_member_list', params: {}, retcode: 100 },
  // runtime
  { action: 'get_status', params: {}, retcode: 0 },
  { action: 'get_version_info', params: {}, retcode: 0 },
  { action: 'can_send_image', params: {}, retcode: 0 },
  { action: 'can_send_record', params: {}, retcode: 0 },
];

export function expectKeys(data: unknown, keys: string[]): void {
  const got = Object.keys(data as object);
  if (got.join() !== keys.join()) throw new Error(`keys ${got.join()} ≠ ${keys.join()}`);
}
