/**
 * Kick, mute and admin changes, by the bot or by any simulated member (docs/qq-rules.md §1, §2, §4).
 * Each function runs inside {@link SandboxContext.act}; an act the bot would not see (a group it is
 * not in) emits nothing.
 */
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { groupAdminEvent, groupBanEvent, groupDecreaseEvent } from './events.js';
import type { Outbox } from './events.js';
import { MAX_BAN_SECONDS, outranks, requireMembership, requireTargetMember, roleNoun, who } from './rules.js';
import type { MemberRow } from './store/index.js';

/** The actor may act on the target: not self, strictly higher role (nobody acts on the owner). */
function checkCanActOn(ctx: SandboxContext, groupId: number, actor: MemberRow, targetId: number, verb: string): MemberRow {
  if (targetId === actor.user_id) throw new ApiError('NO_PERMISSION', `${who(ctx, actor.user_id)} cannot ${verb} itself in group ${groupId}`);
  const target = requireTargetMember(ctx, groupId, targetId);
  if (target.role === 'owner') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, targetId)} is the owner of group ${groupId}; nobody can ${verb} the owner`);
  }
  if (!outranks(actor.role, target.role)) {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actor.user_id)} is ${roleNoun(actor.role)} of group ${groupId} and cannot ${verb} ${roleNoun(target.role)} (${targetId})`);
  }
  return target;
}

/** `actorId` removes `userId` from the group; `rejectAddRequest` blocks their join requests for good. */
export function kickMember(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, userId: number, rejectAddRequest: boolean): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  checkCanActOn(ctx, groupId, actor, userId, 'kick');
  const botSaw = ctx.botInGroup(groupId);
  ctx.store.groups.removeMember(groupId, userId);
  if (rejectAddRequest) ctx.store.groups.block(groupId, userId, ctx.nowSec());
  if (botSaw) out.push(groupDecreaseEvent(ctx.eventBase(), userId === ctx.selfId ? 'kick_me' : 'kick', groupId, actorId, userId));
}

/** `actorId` mutes `userId` for `durationSeconds` (0 lifts the mute). */
export function banMember(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, userId: number, durationSeconds: number): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 0 || durationSeconds > MAX_BAN_SECONDS) {
    throw new ApiError('DURATION_OUT_OF_RANGE', `a mute lasts 0 (lift) to ${MAX_BAN_SECONDS} seconds; got ${durationSeconds}`);
  }
  checkCanActOn(ctx, groupId, actor, userId, durationSeconds === 0 ? 'lift the mute of' : 'mute');
  const lift = durationSeconds === 0;
  ctx.store.groups.setMutedUntil(groupId, userId, lift ? 0 : ctx.nowSec() + durationSeconds);
  if (ctx.botInGroup(groupId)) out.push(groupBanEvent(ctx.eventBase(), groupId, actorId, userId, durationSeconds, lift));
}

/** `actorId` (an admin or the owner) switches the whole-group ban, which silences plain members. */
export function setWholeBan(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, enable: boolean): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  if (actor.role === 'member') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is a plain member of group ${groupId}; only admins and the owner can switch the whole-group ban`);
  }
  ctx.store.groups.setWholeBan(groupId, enable);
  // CoolQ/go-cqhttp: the whole-group ban is reported for user 0, duration -1 (on) / 0 (off).
  if (ctx.botInGroup(groupId)) out.push(groupBanEvent(ctx.eventBase(), groupId, actorId, 0, enable ? -1 : 0, !enable));
}

/** `actorId` (the owner) makes `userId` an admin or a plain member again. */
export function setAdmin(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, userId: number, enable: boolean): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  if (actor.role !== 'owner') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is ${roleNoun(actor.role)} of group ${groupId}; only the owner can change admins`);
  }
  if (userId === actorId) throw new ApiError('NO_PERMISSION', `the owner of group ${groupId} cannot change its own role`);
  const target = requireTargetMember(ctx, groupId, userId);
  const role = enable ? 'admin' : 'member';
  if (target.role === role) return;
  ctx.store.groups.setRole(groupId, userId, role);
  if (ctx.botInGroup(groupId)) out.push(groupAdminEvent(ctx.eventBase(), groupId, userId, enable));
}
