/** `get_login_info`, `get_stranger_info`, `get_friend_list` (§6.4). */
import { defineAction } from '../../core/action.js';
import { mapAwaitable } from '../../core/awaitable.js';
import { bool, id, params } from '../../core/params.js';
import { friendOut, loginOut, strangerOut } from './shapes.js';

export const getLoginInfo = defineAction({
  name: 'get_login_info',
  summary: "The bot account's QQ number and nickname.",
  params: params({}),
  handler: (_p, ctx) => mapAwaitable(ctx.backend.getLoginInfo(), loginOut),
});

export const getStrangerInfo = defineAction({
  name: 'get_stranger_info',
  summary: "Any user's public profile.",
  params: params({ user_id: id(), no_cache: bool(false) }),
  handler: (p, ctx) => mapAwaitable(ctx.backend.getStrangerInfo(p.user_id, p.no_cache), strangerOut),
});

export const getFriendList = defineAction({
  name: 'get_friend_list',
  summary: "The bot's friends.",
  params: params({}),
  handler: (_p, ctx) => mapAwaitable(ctx.backend.getFriendList(), (friends) => friends.map(friendOut)),
});
