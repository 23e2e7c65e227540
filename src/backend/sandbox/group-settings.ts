/**
 * Group settings by the bot or any simulated member (docs/qq-rules.md §1, §4): cards, special titles, the
 * group's name and portrait, leaving and dismissing. Each function runs inside
 * {@link SandboxContext.act}; notices reach the bot only while it is in the group.
 */
import { createHash } from 'node:crypto';
import { decodeBase64Lenient, sniffExtension } from '../../media/sniff.js';
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { groupDecreaseEvent } from './events.js';
import type { Outbox } from './events.js';
import { groupCardEvent, titleEvent } from './group-events.js';
import { checkBytes, MAX_CARD_BYTES, MAX_TITLE_BYTES, requireAdmin, requireOwner } from './group-rules.js';
import { requireMembership, requireTargetMember, who } from './rules.js';

/**
 * `actorId` sets `userId`'s card ('' removes it): anyone their own; the owner anyone's; an admin
 * anyone's but the owner's (MiraiGo's rule). A change emits `group_card`.
 */
export function setCard(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, userId: number, card: string): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  checkBytes(card, MAX_CARD_BYTES, 'the card');
  const target = requireTargetMember(ctx, groupId, userId);
  if (userId !== actorId) {
    if (actor.role === 'member') {
      throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is a plain member of group ${groupId} and may change only its own card`);
    }
    if (actor.role === 'admin' && target.role === 'owner') {
      throw new ApiError('NO_PERMISSION', `${who(ctx, userId)} is the owner of group ${groupId}; an admin cannot change the owner's card`);
    }
  }
  if (target.card === card) return;
  ctx.store.groupExtras.setCard(groupId, userId, card);
  if (ctx.botInGroup(groupId)) out.push(groupCardEvent(ctx.eventBase(), groupId, userId, target.card, card));
}

/**
 * `actorId` (the owner) gives `userId` (anyone, the owner too) a special title ('' removes it). The
 * duration has no effect on QQ (ob11): titles never expire. A change emits `notify`/`title`.
 */
export function setSpecialTitle(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, userId: number, title: string): void {
  requireMembership(ctx, groupId, actorId);
  checkBytes(title, MAX_TITLE_BYTES, 'the special title');
  requireOwner(ctx, groupId, actorId, 'give special titles');
  const target = requireTargetMember(ctx, groupId, userId);
  if (target.title === title) return;
  ctx.store.groupExtras.setTitle(groupId, userId, title, 0);
  if (ctx.botInGroup(groupId)) out.push(titleEvent(ctx.eventBase(), groupId, userId, title));
}

/** `actorId` (admin/owner) renames the group. No notice (go-cqhttp and v11 have none). */
export function setGroupName(ctx: SandboxContext, actorId: number, groupId: number, name: string): void {
  requireAdmin(ctx, groupId, actorId, 'rename the group');
  if (name.trim() === '') throw new ApiError('BAD_PARAMS', 'the group name must not be empty');
  ctx.store.groupExtras.setGroupName(groupId, name);
}

/**
 * The portrait's identity: the sha256 of a `base64://` image's bytes (which must be an image), or of
 * the name (URL, path) it is given by — the sandbox keeps a hash, never the picture.
 */
function portraitHash(file: string): string {
  if (file === '') throw new ApiError('BAD_PARAMS', 'file is required: base64://…, a URL or a path of an image');
  if (!file.startsWith('base64://')) return createHash('sha256').update(`name:${file}`).digest('hex');
  const bytes = decodeBase64Lenient(file.slice('base64://'.length));
  if (sniffExtension(bytes, 'image') === undefined) throw new ApiError('BAD_PARAMS', 'the base64:// data of file is not an image (jpg, png, gif, bmp, webp)');
  return createHash('sha256').update(bytes).digest('hex');
}

/** `actorId` (admin/owner) sets the group's portrait. No notice. Returns the stored hash. */
export function setPortrait(ctx: SandboxContext, actorId: number, groupId: number, file: string): string {
  requireMembership(ctx, groupId, actorId);
  const hash = portraitHash(file);
  requireAdmin(ctx, groupId, actorId, 'change the group portrait');
  ctx.store.groupExtras.setPortrait(groupId, hash, actorId, ctx.nowSec());
  return hash;
}

/**
 * `ownerId` dismisses the group: everyone is out at once and the group takes nobody again. The bot,
 * if it was there, sees its own removal as `group_decrease` `kick_me` by the owner (docs/qq-rules.md §4:
 * v11 has no dismissal notice).
 */
export function dismissGroup(ctx: SandboxContext, out: Outbox, ownerId: number, groupId: number): void {
  const { actor } = requireMembership(ctx, groupId, ownerId);
  if (actor.role !== 'owner') throw new ApiError('NOT_OWNER', `${who(ctx, ownerId)} is not the owner of group ${groupId} and cannot dismiss it`);
  const botWasIn = ctx.botInGroup(groupId);
  ctx.store.groupExtras.dismiss(groupId, ownerId, ctx.nowSec());
  if (botWasIn) out.push(groupDecreaseEvent(ctx.eventBase(), 'kick_me', groupId, ownerId, ctx.selfId));
}

/**
 * The bot leaves the group (`group_decrease` `leave` for itself, as go-cqhttp reports it), or, as
 * the owner with `dismiss`, dismisses it. Not in it → -16; the owner without `dismiss` → -17;
 * `dismiss` by a non-owner → -18 (CoolQ's codes).
 */
export function botLeave(ctx: SandboxContext, out: Outbox, groupId: number, dismiss: boolean): void {
  const me = ctx.store.groups.member(groupId, ctx.selfId);
  if (me === undefined) throw new ApiError('CANNOT_LEAVE', `the bot is not a member of group ${groupId}`);
  if (me.role === 'owner') {
    if (!dismiss) throw new ApiError('OWNER_CANNOT_LEAVE', `the bot owns group ${groupId}; it can only dismiss it (is_dismiss=true)`);
    dismissGroup(ctx, out, ctx.selfId, groupId);
    return;
  }
  if (dismiss) throw new ApiError('NOT_OWNER', `the bot is not the owner of group ${groupId} and cannot dismiss it; leave with is_dismiss=false`);
  ctx.store.groups.removeMember(groupId, ctx.selfId);
  out.push(groupDecreaseEvent(ctx.eventBase(), 'leave', groupId, ctx.selfId, ctx.selfId));
}
