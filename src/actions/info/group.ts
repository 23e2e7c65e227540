/** `get_group_list`, `get_group_info`, `get_group_member_info`, `get_group_member_list` (§6.4). */
import { defineAction } from '../../core/action.js';
import { mapAwaitable } from '../../core/awaitable.js';
import { bool, id, params } from '../../core/params.js';
import { groupOut, memberOut } from './shapes.js';

export const getGroupList = defineAction({
  name: 'get_group_list',
  summary: 'The groups the bot is in.',
  params: params({}),
  handler: (_p, ctx) => mapAwaitable(ctx.backend.getGroupList(), (groups) => groups.map(groupOut)),
});

export const getGroupInfo = defineAction({
  name: 'get_group_info',
  summary: "A group's name and member counts.",
  params: params({ group_id: id(), no_cache: bool(false) }),
  handler: (p, ctx) => mapAwaitable(ctx.backend.getGroupInfo(p.group_id, p.no_cache), groupOut),
});

export const getGroupMemberInfo = defineAction({
  name: 'get_group_member_info',
  summary: 'One member of a group (15 fields).',
  params: params({ group_id: id(), user_id: id(), no_cache: bool(false) }),
  handler: (p, ctx) => mapAwaitable(ctx.backend.getGroupMemberInfo(p.group_id, p.user_id, p.no_cache), memberOut),
});

export const getGroupMemberList = defineAction({
  name: 'get_group_member_list',
  summary: 'Every member of a group.',
  params: params({ group_id: id() }),
  handler: (p, ctx) => mapAwaitable(ctx.backend.getGroupMemberList(p.group_id), (members) => members.map(memberOut)),
});
