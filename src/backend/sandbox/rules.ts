/**
 * QQ's rules (docs/qq-rules.md; the § numbers below are its sections) as small pure checks, and the look-ups that turn a missing group
 * or member into the right catalogue error.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { Role } from '../port.js';
import type { SandboxContext } from './context.js';
import type { GroupRow, MemberRow } from './store/index.js';

/** Longest single mute QQ accepts, in seconds (2 592 000 itself is rejected; §2). */
export const MAX_BAN_SECONDS = 2_591_999;
/** How long a plain member (and anyone, in private chat) may recall their own message (§3). */
export const RECALL_WINDOW_SECONDS = 120;
/** Most text a message may carry, in Unicode code points (§6). */
export const MAX_TEXT_CODE_POINTS = 4500;
/** Most images in one message (§6). */
export const MAX_IMAGES = 50;

/** The `user_id` every anonymous group message carries (§9). */
export const ANONYMOUS_USER_ID = 80_000_000;
/** The sender nickname of an anonymous group message (§9). */
export const ANONYMOUS_NICKNAME = '匿名消息';

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

/** owner > admin > member, strictly. */
export function outranks(actor: Role, target: Role): boolean {
  return RANK[actor] > RANK[target];
}

/** "the bot" or "user 20001", for error sentences. */
export function who(ctx: SandboxContext, userId: number): string {
  return userId === ctx.selfId ? `the bot (${userId})` : `user ${userId}`;
}

/** The role with its article, for sentences: "an admin", "the owner", "a member". */
export function roleNoun(role: Role): string {
  return role === 'owner' ? 'the owner' : role === 'admin' ? 'an admin' : 'a plain member';
}

/**
 * The group and the actor's membership of it. The bot missing → NOT_IN_GROUP; another actor missing
 * → USER_NOT_FOUND; an unknown group acted on by someone else → INVALID_TARGET.
 */
export function requireMembership(ctx: SandboxContext, groupId: number, actorId: number): { group: GroupRow; actor: MemberRow } {
  const group = ctx.store.groups.get(groupId);
  const isBot = actorId === ctx.selfId;
  if (group === undefined) {
    if (isBot) throw new ApiError('NOT_IN_GROUP', `the bot is not a member of group ${groupId} (no such group)`);
    throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  }
  const actor = ctx.store.groups.member(groupId, actorId);
  if (actor === undefined) {
    if (isBot) throw new ApiError('NOT_IN_GROUP', `the bot is not a member of group ${groupId}`);
    throw new ApiError('USER_NOT_FOUND', `user ${actorId} is not a member of group ${groupId}`);
  }
  return { group, actor };
}

/** The target's membership, or USER_NOT_FOUND. */
export function requireTargetMember(ctx: SandboxContext, groupId: number, userId: number): MemberRow {
  const target = ctx.store.groups.member(groupId, userId);
  if (target === undefined) {
    const known = ctx.store.users.get(userId) !== undefined;
    throw new ApiError('USER_NOT_FOUND', known ? `user ${userId} is not a member of group ${groupId}` : `user ${userId} does not exist`);
  }
  return target;
}

/** Why the member may not speak in the group right now, or undefined when they may. */
export function silencedReason(ctx: SandboxContext, group: GroupRow, member: MemberRow): string | undefined {
  const now = ctx.nowSec();
  if (member.muted_until > now) {
    return `${who(ctx, member.user_id)} is muted in group ${group.group_id} for another ${member.muted_until - now} s`;
  }
  if (group.whole_ban === 1 && member.role === 'member') {
    return `group ${group.group_id} is under a whole-group ban and ${who(ctx, member.user_id)} is a plain member`;
  }
  return undefined;
}

/** Code points of the message's text segments (a surrogate pair is one). */
function countCodePoints(message: readonly Segment[]): number {
  let n = 0;
  for (const seg of message) {
    if (seg.type !== 'text') continue;
    const text = seg.data['text'] ?? '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
  }
  return n;
}

/** Refuse an empty message, more than 4500 code points of text, or more than 50 images (-3). */
export function checkMessageSize(message: readonly Segment[]): void {
  if (message.length === 0) throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', 'the message is empty');
  let codeUnits = 0;
  let images = 0;
  for (const seg of message) {
    if (seg.type === 'text') codeUnits += (seg.data['text'] ?? '').length;
    else if (seg.type === 'image') images++;
  }
  // Code points ≤ UTF-16 code units: count them only when the cheap bound is over the limit.
  const codePoints = codeUnits <= MAX_TEXT_CODE_POINTS ? codeUnits : countCodePoints(message);
  if (codePoints > MAX_TEXT_CODE_POINTS) {
    throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', `the message has ${codePoints} characters of text; QQ accepts at most ${MAX_TEXT_CODE_POINTS}`);
  }
  if (images > MAX_IMAGES) {
    throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', `the message has ${images} images; QQ accepts at most ${MAX_IMAGES}`);
  }
}
