/**
 * Anonymous chat (docs/qq-rules.md §9, docs/protocol.md §6.2 / §7.3): admins switch it per group; a member speaking
 * anonymously reaches the bot as user 80000000 with an `anonymous` identity whose opaque `flag` is
 * the only handle on it; `set_group_anonymous_ban` mutes that identity and cannot be lifted.
 */
import { randomBytes } from 'node:crypto';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import type { AnonymousIdentity } from './control.js';
import { anonymousMessageEvent } from './events.js';
import type { Outbox } from './events.js';
import { payload, storeMessage } from './messaging.js';
import { checkMessageSize, MAX_BAN_SECONDS, requireMembership, roleNoun, silencedReason, who } from './rules.js';
import type { AnonymousRow } from './store/index.js';

/** The names anonymous members are given (QQ draws them from a pool of mythical figures). */
const NAMES = ['嫦娥', '后羿', '玉兔', '吴刚', '哪吒', '悟空', '八戒', '沙僧', '织女', '牛郎', '女娲', '精卫', '夸父', '刑天', '雷公', '电母'] as const;

/** An anonymous message as the sender's side sees it. */
export interface AnonymousSent { messageId: number; anonymous: AnonymousIdentity }

function requireAdmin(ctx: SandboxContext, groupId: number, actorId: number, what: string): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  if (actor.role === 'member') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is ${roleNoun(actor.role)} of group ${groupId}; only admins and the owner can ${what}`);
  }
}

/** `actorId` (an admin or the owner) switches anonymous chat in the group. No notice (v11 has none). */
export function setAnonymous(ctx: SandboxContext, actorId: number, groupId: number, enable: boolean): void {
  requireAdmin(ctx, groupId, actorId, 'switch anonymous chat');
  ctx.store.groups.setAnonymous(groupId, enable);
}

function identityOf(ctx: SandboxContext, groupId: number, userId: number): AnonymousRow {
  const existing = ctx.store.anonymous.ofMember(groupId, userId);
  if (existing !== undefined) return existing;
  const name = NAMES[(groupId * 31 + userId) % NAMES.length] ?? NAMES[0];
  return ctx.store.anonymous.insert(groupId, userId, name, randomBytes(12).toString('base64url'));
}

/** `userId` says `message` anonymously in the group: `message`/`group` `anonymous`. */
export function postAnonymous(ctx: SandboxContext, out: Outbox, userId: number, groupId: number, message: Segment[]): AnonymousSent {
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the sandbox does not let the bot speak anonymously');
  const { group, actor } = requireMembership(ctx, groupId, userId);
  if (group.anonymous_enabled === 0) throw new ApiError('ANONYMOUS_DISABLED', `anonymous chat is disabled in group ${groupId}`);
  checkMessageSize(message);
  const silenced = silencedReason(ctx, group, actor);
  if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot send to group ${groupId}: ${silenced}`);
  const identity = identityOf(ctx, groupId, userId);
  const now = ctx.nowSec();
  if (identity.banned_until > now) {
    throw new ApiError('ANONYMOUS_DISABLED', `the anonymous identity of ${who(ctx, userId)} in group ${groupId} is banned for another ${identity.banned_until - now} s`);
  }
  const row = storeMessage(ctx, 'group', groupId, userId, message, identity.anon_id);
  if (ctx.botInGroup(groupId)) out.push(anonymousMessageEvent(ctx.eventBase(), groupId, payload(row), identity));
  return { messageId: row.message_id, anonymous: { id: identity.anon_id, name: identity.name, flag: identity.flag } };
}

/**
 * `actorId` (an admin or the owner) mutes the anonymous identity `flag` names for `durationSeconds`.
 * Checks, in order: membership and role, the duration (0 → -12), the flag (-13), anonymous chat on (-15).
 */
export function banAnonymous(ctx: SandboxContext, actorId: number, groupId: number, flag: string, durationSeconds: number): void {
  requireAdmin(ctx, groupId, actorId, 'ban anonymous members');
  if (durationSeconds === 0) throw new ApiError('CANNOT_LIFT_ANONYMOUS_BAN', 'an anonymous member\'s ban cannot be lifted (duration 0)');
  if (!Number.isInteger(durationSeconds) || durationSeconds < 0 || durationSeconds > MAX_BAN_SECONDS) {
    throw new ApiError('DURATION_OUT_OF_RANGE', `a mute lasts 1 to ${MAX_BAN_SECONDS} seconds; got ${durationSeconds}`);
  }
  const identity = ctx.store.anonymous.byFlag(flag);
  if (identity === undefined || identity.group_id !== groupId) {
    throw new ApiError('BAD_ANONYMOUS_FLAG', `${JSON.stringify(flag)} is not the flag of an anonymous member of group ${groupId}`);
  }
  if (ctx.store.groups.get(groupId)?.anonymous_enabled !== 1) throw new ApiError('ANONYMOUS_DISABLED', `anonymous chat is disabled in group ${groupId}`);
  ctx.store.anonymous.ban(identity.anon_id, ctx.nowSec() + durationSeconds);
}
