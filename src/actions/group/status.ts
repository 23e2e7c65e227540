/**
 * What a group says about its members and the bot: v11's `get_group_honor_info` (docs/extensions.md §2.4),
 * and the extensions `get_group_at_all_remain` (§6.5) and `get_group_system_msg` (§6.6).
 */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { id, params, str } from '../../core/params.js';
import { atAllRemainOut, HONOR_QUERY_TYPES, honorsOut, systemMessagesOut } from './shapes.js';
import type { HonorQueryType } from './shapes.js';

const isHonorType = (v: string): v is HonorQueryType => (HONOR_QUERY_TYPES as readonly string[]).includes(v);

export const getGroupHonorInfo = defineAction({
  name: 'get_group_honor_info',
  summary: "A group's honors: talkative (龙王), performer, legend, strong_newbie, emotion, or all (the default).",
  origin: 'onebot-v11',
  params: params({
    group_id: id(),
    // D16: a missing (or empty) type means all.
    type: v.pipe(str('all'), v.transform((s) => s || 'all'), v.check(isHonorType, `must be one of ${HONOR_QUERY_TYPES.join(', ')}`)),
  }),
  handler: async (p, ctx) => honorsOut(await ctx.backend.getGroupHonors(p.group_id), p.type as HonorQueryType),
});

export const getGroupAtAllRemain = defineAction({
  name: 'get_group_at_all_remain',
  summary: "Whether the bot may @全体成员 in a group now, and today's remaining uses (group, bot).",
  origin: 'extension',
  params: params({ group_id: id() }),
  handler: async (p, ctx) => atAllRemainOut(await ctx.backend.getGroupAtAllRemain(p.group_id)),
});

export const getGroupSystemMsg = defineAction({
  name: 'get_group_system_msg',
  summary: 'Invitations of the bot into groups, and join requests of the groups it manages (newest first).',
  origin: 'extension',
  params: params({}),
  handler: async (_p, ctx) => systemMessagesOut(await ctx.backend.getGroupSystemMessages()),
});
