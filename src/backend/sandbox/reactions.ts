/**
 * Emoji reactions to group messages (表情回应; docs/extensions.md §5.8, §4.11). Only group messages take
 * reactions. An emoji is a QQ face id (up to three digits) or a Unicode emoji's code point in
 * decimal (NapCat's rule). Every change the bot can see — its own included — is announced as
 * `group_msg_emoji_like` with the emoji's new count (LLB semantics, D15).
 */
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import type { Outbox } from './events.js';
import { groupMsgEmojiLikeEvent } from './message-events.js';
import { requireMembership } from './rules.js';
import { botSees } from './stored-message.js';

const EMOJI = /^\p{Extended_Pictographic}$/u;

/** Whether QQ offers `emojiId` as a reaction: a face id 0–999, or the decimal code point of an emoji. */
export function isReactionEmoji(emojiId: string): boolean {
  if (!/^(0|[1-9]\d{0,6})$/.test(emojiId)) return false;
  const n = Number(emojiId);
  if (n < 1000) return true;
  return n <= 0x10ffff && EMOJI.test(String.fromCodePoint(n));
}

/** `actorId` adds (`set`) or removes a reaction; a change emits `group_msg_emoji_like`, a no-op nothing. */
export function setReaction(ctx: SandboxContext, out: Outbox, actorId: number, messageId: number, emojiId: string, set: boolean): void {
  const row = ctx.store.messages.get(messageId);
  if (row === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
  if (row.recalled === 1) throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has been recalled`);
  if (actorId === ctx.selfId && !botSees(ctx, row)) {
    throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} belongs to ${row.peer_type} ${row.peer_id}, which the bot is not in`);
  }
  if (row.peer_type !== 'group') throw new ApiError('BAD_PARAMS', `message ${messageId} is a ${row.peer_type} message; only group messages take emoji reactions`);
  requireMembership(ctx, row.peer_id, actorId);
  if (!isReactionEmoji(emojiId)) {
    throw new ApiError('BAD_PARAMS', `emoji_id ${JSON.stringify(emojiId)} is neither a QQ face id nor the code point of an emoji`);
  }
  const changed = set
    ? ctx.store.messageExtras.addReaction(messageId, emojiId, actorId, ctx.nowSec())
    : ctx.store.messageExtras.removeReaction(messageId, emojiId, actorId);
  if (!changed || !ctx.botInGroup(row.peer_id)) return;
  out.push(groupMsgEmojiLikeEvent(ctx.eventBase(), {
    groupId: row.peer_id, userId: actorId, messageId, emojiId, count: ctx.store.messageExtras.reactionCount(messageId, emojiId), isAdd: set,
  }));
}
