/**
 * Joining and leaving groups (docs/qq-rules.md §4): the checks every way in shares, a member's (or an
 * admin's) invitation, and leaving. Join requests and the bot's invitations are in requests.ts.
 */
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { groupDecreaseEvent, groupIncreaseEvent } from './events.js';
import type { Outbox } from './events.js';
import { requireMembership, who } from './rules.js';
import type { GroupRow } from './store/index.js';
import { botLeave } from './group-settings.js';

/** What a new member starts with besides the role `member`. */
export interface Admission { role?: 'admin' | 'member' | undefined; card?: string | undefined; title?: string | undefined }

/**
 * The group, if `userId` may join it now: both exist, the user is not a member yet, was not kicked
 * with `reject_add_request`, and the group is not full.
 */
export function checkCanJoin(ctx: SandboxContext, groupId: number, userId: number): GroupRow {
  const group = ctx.store.groups.get(groupId);
  if (group === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  if (ctx.store.groupExtras.isDismissed(groupId)) throw new ApiError('INVALID_TARGET', `group ${groupId} has been dismissed`);
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (ctx.store.groups.member(groupId, userId) !== undefined) {
    throw new ApiError('OPERATION_FAILED', `${who(ctx, userId)} is already a member of group ${groupId}`);
  }
  if (ctx.store.groups.isBlocked(groupId, userId)) {
    throw new ApiError('NO_PERMISSION', `${who(ctx, userId)} was kicked from group ${groupId} with reject_add_request and may not rejoin`);
  }
  const count = ctx.store.groups.memberCount(groupId);
  if (count >= group.max_member_count) throw new ApiError('OPERATION_FAILED', `group ${groupId} is full (${count}/${group.max_member_count})`);
  return group;
}

/**
 * Make `userId` a member (after {@link checkCanJoin}) and announce `group_increase` with `subType`
 * and `operatorId` when the bot is in the group (the bot joining sees its own arrival).
 */
export function admit(ctx: SandboxContext, out: Outbox, groupId: number, userId: number, subType: 'approve' | 'invite', operatorId: number, extra: Admission = {}): void {
  checkCanJoin(ctx, groupId, userId);
  ctx.store.groups.addMember({ groupId, userId, role: extra.role ?? 'member', card: extra.card, title: extra.title, joinTime: ctx.nowSec() });
  if (ctx.botInGroup(groupId)) out.push(groupIncreaseEvent(ctx.eventBase(), subType, groupId, operatorId, userId));
}

/**
 * `inviterId`, a member, brings `userId` in at once: `group_increase` `invite`. (QQ groups may make a
 * plain member's invitation wait for an admin; the sandbox models the common "members may invite".)
 */
export function inviteMember(ctx: SandboxContext, out: Outbox, inviterId: number, groupId: number, userId: number): void {
  requireMembership(ctx, groupId, inviterId);
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot is invited with an invitation it answers (inviteBotAs), not brought in directly');
  admit(ctx, out, groupId, userId, 'invite', inviterId);
}

/** `userId` leaves the group: `group_decrease` `leave` (the owner cannot leave, -17). */
export function leaveGroup(ctx: SandboxContext, out: Outbox, userId: number, groupId: number): void {
  // The bot leaving is the same act as its `set_group_leave`, whoever triggers it.
  if (userId === ctx.selfId) {
    botLeave(ctx, out, groupId, false);
    return;
  }
  const { actor } = requireMembership(ctx, groupId, userId);
  if (actor.role === 'owner') {
    throw new ApiError('OWNER_CANNOT_LEAVE', `${who(ctx, userId)} owns group ${groupId} and cannot leave it; transfer the ownership first`);
  }
  ctx.store.groups.removeMember(groupId, userId);
  if (ctx.botInGroup(groupId)) out.push(groupDecreaseEvent(ctx.eventBase(), 'leave', groupId, userId, userId));
}
