/** `set_group_kick`, `set_group_ban`, `set_group_admin` (§6.2); QQ's role rules live in the backend. */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { bool, id, int, params } from '../../core/params.js';

export const setGroupKick = defineAction({
  name: 'set_group_kick',
  summary: 'Remove a member from a group (optionally refusing their future join requests).',
  params: params({ group_id: id(), user_id: id(), reject_add_request: bool(false) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupKick(p.group_id, p.user_id, p.reject_add_request);
    return null;
  },
});

export const setGroupBan = defineAction({
  name: 'set_group_ban',
  summary: 'Mute a group member for duration seconds (0 lifts the mute).',
  params: params({
    group_id: id(),
    user_id: id(),
    duration: v.pipe(int(1800), v.check((n) => n >= 0, 'must be ≥ 0 seconds (0 lifts the ban)')),
  }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupBan(p.group_id, p.user_id, p.duration);
    return null;
  },
});

export const setGroupAdmin = defineAction({
  name: 'set_group_admin',
  summary: 'Make a member an admin, or revoke it with enable=false (owner only).',
  params: params({ group_id: id(), user_id: id(), enable: bool(true) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupAdmin(p.group_id, p.user_id, p.enable);
    return null;
  },
});
