/**
 * History and read marks (docs/extensions.md §5.5–5.7): `get_group_msg_history`, `get_friend_msg_history`
 * (anchor `message_seq` — a known message_id is also accepted —, `count`, oldest → newest including
 * the anchor), `mark_msg_as_read`.
 */
import * as v from 'valibot';
import type { ConversationTarget } from '../../backend/port-messages.js';
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { bool, id, int, params } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';
import { wireMessageObject } from './format.js';

/** Default page size (go-cqhttp's fixed window). */
export const DEFAULT_HISTORY_COUNT = 20;
/** Largest page returned; a bigger `count` is capped. */
export const MAX_HISTORY_COUNT = 100;

const pageParams = {
  message_seq: int(0),
  count: v.pipe(int(DEFAULT_HISTORY_COUNT), v.check((n) => n > 0, 'must be a positive integer')),
  reverse_order: bool(false),
  /** NapCat/LLB and Koishi spell it so. */
  reverseOrder: bool(false),
};

async function history(ctx: ActionContext, target: ConversationTarget, p: { message_seq: number; count: number; reverse_order: boolean; reverseOrder: boolean }) {
  const page = await ctx.backend.getMessageHistory(target, p.message_seq, Math.min(p.count, MAX_HISTORY_COUNT));
  const messages = page.map((m) => wireMessageObject(ctx, m));
  if (p.reverse_order || p.reverseOrder) messages.reverse();
  return { messages };
}

export const getGroupMsgHistory = defineAction({
  name: 'get_group_msg_history',
  summary: 'A group\'s messages up to message_seq (default: the newest), count of them, oldest first.',
  origin: 'extension',
  params: params({ group_id: id(), ...pageParams }),
  handler: (p, ctx) => history(ctx, { groupId: p.group_id }, p),
});

export const getFriendMsgHistory = defineAction({
  name: 'get_friend_msg_history',
  summary: 'The private conversation with a user up to message_seq (default: the newest), oldest first.',
  origin: 'extension',
  params: params({ user_id: id(), ...pageParams }),
  handler: (p, ctx) => history(ctx, { userId: p.user_id }, p),
});

export const markMsgAsRead = defineAction({
  name: 'mark_msg_as_read',
  summary: 'Mark a conversation read: up to message_id, or all of group_id / user_id.',
  origin: 'extension',
  params: params({ message_id: int(), group_id: int(), user_id: int() }),
  handler: async (p, ctx) => {
    const target = p.message_id !== 0 ? { messageId: p.message_id } : p.group_id !== 0 ? { groupId: p.group_id } : p.user_id !== 0 ? { userId: p.user_id } : undefined;
    if (target === undefined) throw new ApiError('BAD_PARAMS', 'mark_msg_as_read: give message_id, group_id or user_id');
    await ctx.backend.markMessageAsRead(target);
    return null;
  },
});
