/**
 * Reading stored messages back as the bot (docs/extensions.md §1.1, §1.3, §2.1): which messages it can
 * see, and the event-shaped object `get_msg` and the history actions return — the message event the
 * bot received (or, for its own messages, the `message_sent` it would have reported) plus `real_id`
 * and `message_seq`, both the message's sequence number in its conversation.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { MessageObject } from '../port-messages.js';
import type { BackendEvent } from '../port.js';
import type { SandboxContext } from './context.js';
import { anonymousMessageEvent, groupMessageEvent, privateMessageEvent } from './events.js';
import type { EventBase } from './events.js';
import { discussMessageEvent } from './message-events.js';
import { payload } from './messaging.js';
import type { MemberViewRow, MessageRow, UserRow } from './store/index.js';

/** Whether the bot can see the conversation the message belongs to (its own chats, groups and discusses it is in). */
export function botSees(ctx: SandboxContext, row: MessageRow): boolean {
  if (row.peer_type === 'group') return ctx.botInGroup(row.peer_id);
  if (row.peer_type === 'discuss') return ctx.store.discusses.isMember(row.peer_id, ctx.selfId);
  return true;
}

/** A message the bot can read: unknown, recalled (D12) or out of sight → MESSAGE_NOT_FOUND. */
export function visibleMessage(ctx: SandboxContext, messageId: number): MessageRow {
  const row = ctx.store.messages.get(messageId);
  if (row === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
  if (row.recalled === 1) throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has been recalled`);
  if (!botSees(ctx, row)) {
    throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} belongs to ${row.peer_type} ${row.peer_id}, which the bot is not in`);
  }
  return row;
}

/** A user as a group member, also when they have left the group since (then a plain member without card). */
function memberView(ctx: SandboxContext, groupId: number, user: UserRow): MemberViewRow {
  return ctx.store.groups.memberView(groupId, user.user_id) ?? {
    group_id: groupId, user_id: user.user_id, role: 'member', card: '', title: '', title_expire_time: 0, join_time: 0,
    last_sent_time: 0, muted_until: 0, level: '', nickname: user.nickname, sex: user.sex, age: user.age, area: user.area,
  };
}

function userOf(ctx: SandboxContext, userId: number): UserRow {
  return ctx.store.users.get(userId) ?? { user_id: userId, nickname: '', sex: 'unknown', age: 0, area: '', level: 1 };
}

function eventOf(ctx: SandboxContext, row: MessageRow, b: EventBase): BackendEvent {
  const m = payload(row);
  const sender = userOf(ctx, row.sender_id);
  if (row.peer_type === 'group') {
    const identity = row.anon_id === null ? undefined : ctx.store.anonymous.get(row.anon_id);
    if (identity !== undefined) return anonymousMessageEvent(b, row.peer_id, m, identity);
    return groupMessageEvent(b, row.peer_id, m, memberView(ctx, row.peer_id, sender));
  }
  if (row.peer_type === 'discuss') return discussMessageEvent(b, row.peer_id, m, sender);
  const relation = ctx.store.users.friend(row.peer_id) !== undefined ? 'friend' : 'group';
  const event = privateMessageEvent(b, relation, m, sender);
  // The bot's own private message, as go-cqhttp-family `message_sent` reports it: target_id = the peer.
  if (row.sender_id === ctx.selfId) event['target_id'] = row.peer_id;
  return event;
}

/** The stored message as the bot sees it (see the module comment); `message` is a segment array. */
export function messageObject(ctx: SandboxContext, row: MessageRow): MessageObject {
  const event = eventOf(ctx, row, { selfId: ctx.selfId, time: Math.floor(row.time_ms / 1000) });
  const own = row.sender_id === ctx.selfId && row.anon_id === null;
  return {
    ...event,
    post_type: own ? 'message_sent' : 'message',
    message: event['message'] as Segment[],
    message_seq: row.seq,
    real_id: row.seq,
  };
}
