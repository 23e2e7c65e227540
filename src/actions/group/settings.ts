/**
 * Group settings: 4.15's `set_group_whole_ban`, `set_group_anonymous`, `set_group_card`,
 * `set_group_leave`, `set_group_special_title` (§6.2), v11's `set_group_name` (docs/extensions.md §2.3)
 * and the `set_group_portrait` extension (§6.4). QQ's role rules and limits live in the backend.
 */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { bool, id, int, params, str } from '../../core/params.js';

const required = 'is required and must not be empty';

export const setGroupWholeBan = defineAction({
  name: 'set_group_whole_ban',
  summary: 'Mute every plain member of a group (enable=false lifts it; admin/owner).',
  params: params({ group_id: id(), enable: bool(true) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupWholeBan(p.group_id, p.enable);
    return null;
  },
});

export const setGroupAnonymous = defineAction({
  name: 'set_group_anonymous',
  summary: 'Allow or forbid anonymous chat in a group (admin/owner).',
  params: params({ group_id: id(), enable: bool(true) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupAnonymous(p.group_id, p.enable);
    return null;
  },
});

export const setGroupCard = defineAction({
  name: 'set_group_card',
  summary: "Set a member's group card (\"\" removes it; ≤ 60 UTF-8 bytes).",
  params: params({ group_id: id(), user_id: id(), card: str('') }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupCard(p.group_id, p.user_id, p.card);
    return null;
  },
});

export const setGroupLeave = defineAction({
  name: 'set_group_leave',
  summary: 'Leave a group; the owner can only dismiss it, with is_dismiss=true.',
  params: params({ group_id: id(), is_dismiss: bool(false) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupLeave(p.group_id, p.is_dismiss);
    return null;
  },
});

export const setGroupSpecialTitle = defineAction({
  name: 'set_group_special_title',
  summary: "Set a member's special title (\"\" removes it; ≤ 18 UTF-8 bytes; owner only).",
  params: params({ group_id: id(), user_id: id(), special_title: str(''), duration: int(-1) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupSpecialTitle(p.group_id, p.user_id, p.special_title, p.duration);
    return null;
  },
});

export const setGroupName = defineAction({
  name: 'set_group_name',
  summary: 'Rename a group (admin/owner).',
  origin: 'onebot-v11',
  params: params({ group_id: id(), group_name: v.pipe(str(''), v.check((s) => s !== '', required)) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupName(p.group_id, p.group_name);
    return null;
  },
});

export const setGroupPortrait = defineAction({
  name: 'set_group_portrait',
  summary: "Set a group's portrait from an image file (base64://, URL or path; admin/owner).",
  origin: 'extension',
  params: params({ group_id: id(), file: v.pipe(str(''), v.check((s) => s !== '', required)), cache: int(1) }),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupPortrait(p.group_id, p.file);
    return null;
  },
});
