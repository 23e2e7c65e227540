/**
 * The `notify` notices (v11, docs/extensions.md §4.3–4.5): pokes, a red packet's lucky king, and group
 * honors. Group notices reach the bot only while it is in the group.
 */
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { honorEvent, luckyKingEvent, pokeEvent } from './events.js';
import type { HonorType, Outbox } from './events.js';
import { requireMembership, requireTargetMember, silencedReason, who } from './rules.js';

/** The honor types v11 announces with `notify`/`honor`. */
export const HONOR_TYPES: readonly HonorType[] = ['talkative', 'performer', 'emotion'];

/**
 * `userId` pokes `targetId`: in `groupId` (both members; a muted member cannot), or privately the bot
 * (a friend only) when `groupId` is undefined. Self-pokes happen in groups.
 */
export function poke(ctx: SandboxContext, out: Outbox, userId: number, targetId: number, groupId: number | undefined): void {
  if (groupId === undefined) {
    if (targetId !== ctx.selfId) throw new ApiError('BAD_PARAMS', 'a private poke goes to the bot; give group_id to poke someone else');
    if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot cannot poke itself privately');
    if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
    if (ctx.store.users.friend(userId) === undefined) throw new ApiError('NO_RELATIONSHIP', `user ${userId} is not the bot's friend and cannot poke it privately`);
    out.push(pokeEvent(ctx.eventBase(), undefined, userId, targetId));
    return;
  }
  const { group, actor } = requireMembership(ctx, groupId, userId);
  requireTargetMember(ctx, groupId, targetId);
  const silenced = silencedReason(ctx, group, actor);
  if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot poke in group ${groupId}: ${silenced}`);
  if (ctx.botInGroup(groupId)) out.push(pokeEvent(ctx.eventBase(), groupId, userId, targetId));
}

/** `senderId`'s red packet in the group was emptied and `winnerId` got the most: `notify`/`lucky_king`. */
export function luckyKing(ctx: SandboxContext, out: Outbox, senderId: number, groupId: number, winnerId: number): void {
  requireMembership(ctx, groupId, senderId);
  requireTargetMember(ctx, groupId, winnerId);
  if (ctx.botInGroup(groupId)) out.push(luckyKingEvent(ctx.eventBase(), groupId, senderId, winnerId));
}

/** `userId` earns a group honor: `notify`/`honor`. */
export function awardHonor(ctx: SandboxContext, out: Outbox, groupId: number, userId: number, honorType: string): void {
  if (!(HONOR_TYPES as readonly string[]).includes(honorType)) {
    throw new ApiError('BAD_PARAMS', `honor_type must be one of ${HONOR_TYPES.join(', ')}; got ${JSON.stringify(honorType)}`);
  }
  const group = ctx.store.groups.get(groupId);
  if (group === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  if (ctx.store.groups.member(groupId, userId) === undefined) throw new ApiError('USER_NOT_FOUND', `${who(ctx, userId)} is not a member of group ${groupId}`);
  if (ctx.botInGroup(groupId)) out.push(honorEvent(ctx.eventBase(), groupId, userId, honorType as HonorType));
}
