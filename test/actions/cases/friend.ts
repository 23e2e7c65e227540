/** The friends area of the conformance table (issue 4): likes, friend removal, the bot's profile and devices. */
import assert from 'node:assert/strict';
import { USERS } from '../../../src/backend/sandbox/index.js';
import type { ActionCase } from './types.js';

const U = USERS;
const BOT = 10001000;

export const FRIEND_CASES: ActionCase[] = [
  { action: 'send_like', params: { user_id: U.alice, times: 3 }, retcode: 0 },
  { action: 'send_like', params: { user_id: U.alice, times: 8 }, retcode: -30, note: '3 + 8 > 10 a day' },
  { action: 'send_like', params: { user_id: U.alice, times: 7 }, retcode: 0, note: 'exactly 10' },
  { action: 'send_like', params: { user_id: U.dave }, retcode: 0, note: 'a non-friend sharing a group' },
  { action: 'send_like', params: { user_id: U.heidi }, retcode: -23, note: 'no relationship' },
  { action: 'send_like', params: { user_id: 29999 }, retcode: -10 },
  { action: 'send_like', params: { user_id: U.bob, times: 0 }, retcode: 100 },
  { action: 'send_like', params: { user_id: BOT }, retcode: 100, note: 'the bot itself' },
  { action: 'delete_friend', params: { user_id: U.carol }, retcode: 0 },
  { action: 'delete_friend', params: { user_id: U.carol }, retcode: -23, note: 'no longer a friend' },
  { action: 'delete_friend', params: { friend_id: 29999 }, retcode: -10 },
  { action: 'delete_friend', params: {}, retcode: 100 },
  { action: 'set_qq_profile', params: { nickname: 'renamed-bot', personal_note: 'hi' }, retcode: 0 },
  { action: 'get_login_info', params: {}, retcode: 0, check: (d) => assert.equal((d as { nickname: string }).nickname, 'renamed-bot') },
  { action: 'set_qq_profile', params: { nickname: '' }, retcode: 100 },
  { action: 'set_qq_profile', params: { nickname: '很长的昵称'.repeat(3) }, retcode: 100, note: 'over 36 bytes' },
  { action: 'get_online_clients', params: { no_cache: true }, retcode: 0, check: (d) => assert.deepEqual(d, { clients: [] }) },
];
