/**
 * Sending and recalling messages, by the bot or by any simulated user (docs/qq-rules.md §3, §5, §6).
 * Each function runs inside {@link SandboxContext.act} and pushes the events QQ would show the bot.
 */
import { serialiseCQ } from '../../message/index.js';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { SentMessage } from '../port.js';
import { applyAtAll } from './at-all.js';
import type { SandboxContext } from './context.js';
import { linkMedia } from './media-links.js';
import { friendRecallEvent, groupMessageEvent, groupRecallEvent, privateMessageEvent } from './events.js';
import type { Outbox } from './events.js';
import { ANONYMOUS_USER_ID, checkMessageSize, outranks, RECALL_WINDOW_SECONDS, requireMembership, roleNoun, silencedReason, who } from './rules.js';
import type { MessageRow, PeerType } from './store/index.js';

/** Append a message to the log (announced to `onMessage` listeners after the commit). */
export function storeMessage(ctx: SandboxContext, peerType: PeerType, peerId: number, senderId: number, message: Segment[], anonId?: number): MessageRow {
  // `raw_message` is what QQ delivered, without enhancements (§7.6); `message` carries the media
  // URLs QQ's CDN would give.
  const rawMessage = serialiseCQ(message);
  message = linkMedia(ctx, message);
  try {
    const row = ctx.store.messages.insert({
      peerType,
      peerId,
      senderId,
      timeMs: ctx.nowMs(),
      segments: JSON.stringify(message),
      rawMessage,
      anonId,
    });
    ctx.noteStored(row);
    return row;
  } catch (err) {
    // message_id is a positive int32 that is never reused: once 2^31-1 is issued, no more messages.
    if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_CHECK') {
      throw new ApiError('OPERATION_FAILED', 'the sandbox has issued every positive int32 message_id; start a new world (delete sandbox.db)');
    }
    throw err;
  }
}

/** A stored message as message events carry it. */
export function payload(row: MessageRow): { messageId: number; message: Segment[]; rawMessage: string } {
  return { messageId: row.message_id, message: JSON.parse(row.segments) as Segment[], rawMessage: row.raw_message };
}

/** `from` says `message` in the group (the bot via `send_group_msg`, or a simulated member). */
export function postGroupMessage(ctx: SandboxContext, out: Outbox, from: number, groupId: number, message: Segment[]): SentMessage {
  const { group, actor } = requireMembership(ctx, groupId, from);
  checkMessageSize(message);
  const silenced = silencedReason(ctx, group, actor);
  if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot send to group ${groupId}: ${silenced}`);
  const row = storeMessage(ctx, 'group', groupId, from, applyAtAll(ctx, group, actor, message));
  ctx.store.groups.touchLastSent(groupId, from, ctx.nowSec());
  if (from !== ctx.selfId && ctx.botInGroup(groupId)) {
    const sender = ctx.store.groups.memberView(groupId, from);
    if (sender !== undefined) out.push(groupMessageEvent(ctx.eventBase(), groupId, payload(row), sender));
  }
  return { messageId: row.message_id };
}

/**
 * How the bot and `peerId` may talk privately: as friends, or in a temporary session through a
 * shared group (when allowed). Unknown user → USER_NOT_FOUND; no relationship → NO_RELATIONSHIP.
 */
export function privateRelation(ctx: SandboxContext, peerId: number): 'friend' | 'group' {
  if (peerId === ctx.selfId) throw new ApiError('NO_RELATIONSHIP', 'the bot cannot send a private message to itself');
  if (ctx.store.users.get(peerId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${peerId} does not exist`);
  if (ctx.store.users.friend(peerId) !== undefined) return 'friend';
  const shared = ctx.store.groups.sharedGroup(ctx.selfId, peerId);
  if (shared === undefined) {
    throw new ApiError('NO_RELATIONSHIP', `user ${peerId} is not the bot's friend and shares no group with it`);
  }
  if (!ctx.rules.allowTempSessions) {
    throw new ApiError('NO_RELATIONSHIP', `user ${peerId} is not the bot's friend, and temporary sessions (through group ${shared}) are disabled`);
  }
  return 'group';
}

/** A private message between the bot and a user, in either direction. */
export function postPrivateMessage(ctx: SandboxContext, out: Outbox, from: number, to: number, message: Segment[]): SentMessage {
  const fromBot = from === ctx.selfId;
  if (!fromBot && to !== ctx.selfId) throw new ApiError('BAD_PARAMS', 'the sandbox only carries private messages to or from the bot');
  const peerId = fromBot ? to : from;
  const relation = privateRelation(ctx, peerId);
  checkMessageSize(message);
  const row = storeMessage(ctx, 'private', peerId, from, message);
  if (!fromBot) {
    const sender = ctx.store.users.get(from);
    if (sender !== undefined) out.push(privateMessageEvent(ctx.eventBase(), relation, payload(row), sender));
  }
  return { messageId: row.message_id };
}

function tooOld(ctx: SandboxContext, row: MessageRow): boolean {
  return ctx.nowMs() - row.time_ms > RECALL_WINDOW_SECONDS * 1000;
}

function ageSeconds(ctx: SandboxContext, row: MessageRow): number {
  return Math.floor((ctx.nowMs() - row.time_ms) / 1000);
}

function checkGroupRecall(ctx: SandboxContext, actorId: number, row: MessageRow): void {
  const { actor } = requireMembership(ctx, row.peer_id, actorId);
  if (row.sender_id === actorId) {
    if (actor.role === 'member' && tooOld(ctx, row)) {
      throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent ${ageSeconds(ctx, row)} s ago; ${who(ctx, actorId)} is a plain member of group ${row.peer_id} and may recall its own messages only within ${RECALL_WINDOW_SECONDS} s`);
    }
    return;
  }
  // A departed author no longer outranks anyone, and an anonymous one is nobody: a plain member.
  const authorRole = row.anon_id !== null ? 'member' : ctx.store.groups.member(row.peer_id, row.sender_id)?.role ?? 'member';
  if (authorRole === 'owner') {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent by the owner of group ${row.peer_id} (${row.sender_id}); nobody can recall the owner's messages`);
  }
  if (!outranks(actor.role, authorRole)) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent by ${roleNoun(authorRole)} of group ${row.peer_id} (${row.sender_id}); ${who(ctx, actorId)} is ${roleNoun(actor.role)} and cannot recall it`);
  }
}

function checkPrivateRecall(ctx: SandboxContext, actorId: number, row: MessageRow): void {
  if (actorId !== ctx.selfId && actorId !== row.peer_id) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} belongs to a private conversation ${who(ctx, actorId)} is not part of`);
  }
  if (row.sender_id !== actorId) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent by ${who(ctx, row.sender_id)}; in private chat only the author can recall a message`);
  }
  if (tooOld(ctx, row)) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent ${ageSeconds(ctx, row)} s ago; private messages can be recalled only within ${RECALL_WINDOW_SECONDS} s`);
  }
}

/** In a discuss group only the author, still in it, recalls a message, within 2 minutes (no roles there). */
function checkDiscussRecall(ctx: SandboxContext, actorId: number, row: MessageRow): void {
  if (!ctx.store.discusses.isMember(row.peer_id, actorId)) {
    throw new ApiError(actorId === ctx.selfId ? 'NOT_IN_GROUP' : 'NO_PERMISSION', `${who(ctx, actorId)} is not in discuss group ${row.peer_id}`);
  }
  if (row.sender_id !== actorId) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent by ${who(ctx, row.sender_id)}; in a discuss group only the author can recall a message`);
  }
  if (tooOld(ctx, row)) {
    throw new ApiError('NO_PERMISSION', `message ${row.message_id} was sent ${ageSeconds(ctx, row)} s ago; discuss messages can be recalled only within ${RECALL_WINDOW_SECONDS} s`);
  }
}

/** `actorId` recalls a message, if QQ's recall rules allow it (docs/qq-rules.md §3). */
export function recallMessage(ctx: SandboxContext, out: Outbox, actorId: number, messageId: number): void {
  const row = ctx.store.messages.get(messageId);
  if (row === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
  if (row.recalled === 1) {
    const by = row.recalled_by === null ? '' : ` by ${who(ctx, row.recalled_by)}`;
    throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has already been recalled${by}`);
  }
  if (row.peer_type === 'group') checkGroupRecall(ctx, actorId, row);
  else if (row.peer_type === 'discuss') checkDiscussRecall(ctx, actorId, row);
  else checkPrivateRecall(ctx, actorId, row);
  ctx.store.messages.markRecalled(messageId, actorId, ctx.nowMs());
  if (row.peer_type === 'group') {
    // The bot saw an anonymous message as user 80000000; its recall names the same author.
    const anonymous = row.anon_id !== null;
    const author = anonymous ? ANONYMOUS_USER_ID : row.sender_id;
    const operator = anonymous && actorId === row.sender_id ? ANONYMOUS_USER_ID : actorId;
    if (ctx.botInGroup(row.peer_id)) out.push(groupRecallEvent(ctx.eventBase(), row.peer_id, author, operator, messageId));
  } else if (row.peer_type === 'private' && actorId !== ctx.selfId) {
    // No notice exists for discuss recalls. docs/extensions.md §4.2: only the friend recalling their own message produces friend_recall.
    out.push(friendRecallEvent(ctx.eventBase(), row.peer_id, messageId));
  }
}
