/**
 * History reads and read marks (docs/extensions.md §5.5–5.7). A page is the `count` newest unrecalled
 * messages with seq ≤ the anchor, oldest first, the anchor included (what Koishi's
 * `getMessageList(before)` expects). The anchor is a `message_seq` (go-cqhttp/LLB semantics, D4);
 * a number beyond the conversation's last seq that is the `message_id` of one of its messages is
 * taken as that message (NapCat's semantics).
 */
import { ApiError } from '../../protocol/errors.js';
import type { ConversationTarget, MessageObject, ReadTarget } from '../port-messages.js';
import type { SandboxContext } from './context.js';
import { privateRelation } from './messaging.js';
import { requireMembership } from './rules.js';
import { messageObject, visibleMessage } from './stored-message.js';
import type { PeerType } from './store/index.js';

interface Conversation { peerType: PeerType; peerId: number }

/** The conversation the bot has with the target: a group it is in (-9), or a user it may talk to (-10, -23). */
function conversationOf(ctx: SandboxContext, target: ConversationTarget): Conversation {
  if ('groupId' in target) {
    requireMembership(ctx, target.groupId, ctx.selfId);
    return { peerType: 'group', peerId: target.groupId };
  }
  privateRelation(ctx, target.userId);
  return { peerType: 'private', peerId: target.userId };
}

/** The seq an anchor names in the conversation (Infinity for "the newest"). */
function anchorSeq(ctx: SandboxContext, c: Conversation, anchor: number): number {
  if (anchor <= 0) return Number.POSITIVE_INFINITY;
  if (anchor <= ctx.store.messageExtras.maxSeq(c.peerType, c.peerId)) return anchor;
  const row = ctx.store.messages.get(anchor);
  if (row !== undefined && row.peer_type === c.peerType && row.peer_id === c.peerId) return row.seq;
  return anchor;
}

/** A page of the conversation's history (see the module comment). */
export function messageHistory(ctx: SandboxContext, target: ConversationTarget, anchor: number, count: number): MessageObject[] {
  if (!Number.isInteger(count) || count <= 0) throw new ApiError('BAD_PARAMS', `count must be a positive integer; got ${count}`);
  const c = conversationOf(ctx, target);
  const seq = anchorSeq(ctx, c, anchor);
  const maxSeq = Number.isFinite(seq) ? seq : Number.MAX_SAFE_INTEGER;
  return ctx.store.messageExtras.page(c.peerType, c.peerId, maxSeq, count).map((row) => messageObject(ctx, row));
}

/** Mark a conversation read, up to a message or entirely (the read mark only moves forward). */
export function markRead(ctx: SandboxContext, target: ReadTarget): void {
  let c: Conversation;
  let seq: number;
  if ('messageId' in target) {
    const row = visibleMessage(ctx, target.messageId);
    c = { peerType: row.peer_type, peerId: row.peer_id };
    seq = row.seq;
  } else {
    c = conversationOf(ctx, target);
    seq = ctx.store.messageExtras.maxSeq(c.peerType, c.peerId);
  }
  ctx.store.messageExtras.markRead(c.peerType, c.peerId, seq, ctx.nowSec());
}

/** The seq a conversation is read up to (0 = nothing read), for the control surface. */
export function readSeq(ctx: SandboxContext, ref: { groupId: number } | { userId: number } | { discussId: number }): number {
  if ('groupId' in ref) return ctx.store.messageExtras.readSeq('group', ref.groupId);
  if ('discussId' in ref) return ctx.store.messageExtras.readSeq('discuss', ref.discussId);
  return ctx.store.messageExtras.readSeq('private', ref.userId);
}
