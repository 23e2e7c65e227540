/**
 * @全体成员 (docs/qq-rules.md §6, docs/extensions.md §6.5): only admins and the owner may mention everyone, within
 * daily quotas (per group, and per admin); a plain member's `[CQ:at,qq=all]` goes out as the text
 * "@全体成员", as go-cqhttp sends it. Days are China days (UTC+8).
 */
import { mergeSegments } from '../../message/index.js';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { AtAllRemain } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import { AT_ALL_PER_ADMIN_PER_DAY, AT_ALL_PER_GROUP_PER_DAY, AT_ALL_TEXT, chinaDay, chinaDayStart } from './group-rules.js';
import { silencedReason, who } from './rules.js';
import type { GroupRow, MemberRow } from './store/index.js';

const isAtAll = (seg: Segment): boolean => seg.type === 'at' && seg.data['qq'] === 'all';

/** Today's remaining @全体成员 uses in the group: for all its admins together, and for `userId`. */
function remaining(ctx: SandboxContext, groupId: number, userId: number): { group: number; user: number } {
  const day = chinaDay(ctx.nowSec());
  const from = chinaDayStart(day);
  const to = chinaDayStart(day + 1);
  const extras = ctx.store.groupExtras;
  return {
    group: Math.max(0, AT_ALL_PER_GROUP_PER_DAY - extras.atAllUsesOfGroup(groupId, from, to)),
    user: Math.max(0, AT_ALL_PER_ADMIN_PER_DAY - extras.atAllUsesOfUser(groupId, userId, from, to)),
  };
}

/**
 * The message `sender` sends to `group`, @全体成员 applied: unchanged without one; a plain member's
 * becomes text; an admin's or the owner's uses one of today's quota (-30 when either is used up —
 * QQ's server refuses the message, result 121).
 */
export function applyAtAll(ctx: SandboxContext, group: GroupRow, sender: MemberRow, message: Segment[]): Segment[] {
  if (!message.some(isAtAll)) return message;
  if (sender.role === 'member') {
    return mergeSegments(message.map((seg) => (isAtAll(seg) ? { type: 'text', data: { text: AT_ALL_TEXT } } : seg)));
  }
  const left = remaining(ctx, group.group_id, sender.user_id);
  if (left.group === 0) {
    throw new ApiError('RATE_LIMITED', `group ${group.group_id} has used all ${AT_ALL_PER_GROUP_PER_DAY} of today's @全体成员 (QQ: AT全体剩余次数不足)`);
  }
  if (left.user === 0) {
    throw new ApiError('RATE_LIMITED', `${who(ctx, sender.user_id)} has used all ${AT_ALL_PER_ADMIN_PER_DAY} of its @全体成员 in group ${group.group_id} today (QQ: AT全体剩余次数不足)`);
  }
  ctx.store.groupExtras.useAtAll(group.group_id, sender.user_id, ctx.nowSec());
  return message;
}

/** The bot's @全体成员 quotas in a group it is in (102 otherwise). `can_at_all`: admin/owner, not muted, quota left. */
export function atAllRemain(ctx: SandboxContext, groupId: number): AtAllRemain {
  const group = ctx.store.groups.get(groupId);
  const me = ctx.store.groups.member(groupId, ctx.selfId);
  if (group === undefined || me === undefined) throw new ApiError('INVALID_DATA', `the bot is not a member of group ${groupId}`);
  const left = remaining(ctx, groupId, ctx.selfId);
  const canAtAll = me.role !== 'member' && silencedReason(ctx, group, me) === undefined && left.group > 0 && left.user > 0;
  return { canAtAll, remainForGroup: left.group, remainForUin: left.user };
}
