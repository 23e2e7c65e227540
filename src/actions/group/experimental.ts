/**
 * The experimental actions of CQHTTP 4.15 (§6.10), which scraped QQ's web pages: `_get_group_info`,
 * `_get_group_notice`, `_send_group_notice`, `_get_friend_list`, `_get_vip_info`. Ids must be
 * positive (else 100), as in the original.
 */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { bool, getString, int, params, raw, str } from '../../core/params.js';
import { friendGroupsOut, groupNoticeOut, groupProfileOut, vipInfoOut } from './shapes.js';

/** An id the original required to be > 0. */
const positiveId = () => v.pipe(int(0), v.check((n) => n > 0, 'is required and must be a positive integer'));

export const getGroupProfile = defineAction({
  name: '_get_group_info',
  summary: 'Experimental: a group with its owner, admins, introduction and admin/member limits.',
  params: params({ group_id: positiveId() }),
  handler: async (p, ctx) => groupProfileOut(await ctx.backend.getGroupProfile(p.group_id)),
});

export const getGroupNotice = defineAction({
  name: '_get_group_notice',
  summary: "Experimental: a group's announcements, newest first, as QQ's announcement API returns them.",
  params: params({ group_id: positiveId() }),
  handler: async (p, ctx) => (await ctx.backend.getGroupNotices(p.group_id)).map(groupNoticeOut),
});

export const sendGroupNotice = defineAction({
  name: '_send_group_notice',
  summary: 'Experimental: publish a group announcement (title and content; admin/owner, else 103).',
  // The documented key is `content`; the original's code read `text` — both are accepted.
  params: params({ group_id: positiveId(), title: str(''), content: raw(), text: raw() }),
  handler: async (p, ctx) => {
    await ctx.backend.sendGroupNotice(p.group_id, p.title, getString(p.content, '') || getString(p.text, ''));
    return null;
  },
});

export const getFriendGroups = defineAction({
  name: '_get_friend_list',
  summary: "Experimental: the bot's friends by friend group (flat=true: two flat lists).",
  params: params({ flat: bool(false) }),
  handler: async (p, ctx) => friendGroupsOut(await ctx.backend.getFriendGroups(), p.flat),
});

export const getVipInfo = defineAction({
  name: '_get_vip_info',
  summary: "Experimental: a user's QQ level and membership (VIP) level.",
  params: params({ user_id: positiveId() }),
  handler: async (p, ctx) => vipInfoOut(await ctx.backend.getVipInfo(p.user_id)),
});
