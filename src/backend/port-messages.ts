/**
 * Domain types of the port's messages extension (issue 4): stored messages read back, forward
 * cards, history, reactions, likes, the bot's profile, discuss groups. See `port.ts`.
 */
import type { Segment } from '../message/segment.js';

/**
 * A stored message as `get_msg` and the history actions return it (docs/extensions.md §1.3): the message
 * event it was (or would have been) delivered as — `post_type` `message_sent` for the bot's own —
 * plus `real_id` and `message_seq` (the per-conversation sequence number). Wire-shaped (snake_case)
 * like {@link BackendEvent}, because it *is* the event body; `message` is still a segment array (the
 * action formats it per `post_message_format`).
 */
export type MessageObject = { post_type: 'message' | 'message_sent'; message: Segment[]; real_id: number; message_seq: number } & Record<string, unknown>;

/** A node of a forward to send (docs/extensions.md §5.1). */
export type ForwardNode = ReferenceNode | CustomNode;

/** Re-forward a stored message with its sender, time and content. */
export interface ReferenceNode { kind: 'reference'; messageId: number }

/** A node with a displayed sender and content given by the caller. */
export interface CustomNode {
  kind: 'custom';
  /** 0 = missing (the node is skipped, as go-cqhttp does). */
  userId: number;
  /** '' = missing (the node is skipped). */
  nickname: string;
  /** Unix seconds; undefined = now. */
  time: number | undefined;
  /** A message, or the nodes of a nested forward. */
  content: { kind: 'message'; message: Segment[] } | { kind: 'forward'; nodes: ForwardNode[] };
}

/** Where a forward (or a history read) goes. */
export type ConversationTarget = { groupId: number } | { userId: number };

/** A forward card sent: the message carrying it, and the card's id (`get_forward_msg`). */
export interface SentForward { messageId: number; forwardId: string }

/** One node of a stored forward as `get_forward_msg` returns it. */
export interface ForwardItem {
  userId: number;
  nickname: string;
  /** Unix seconds. */
  time: number;
  /** A message, or — for a nested forward — its items. */
  content: Segment[] | ForwardItem[];
}

/** A stored forward's content and where it was sent. */
export interface ForwardContent {
  messageType: 'group' | 'private';
  /** Set when it was sent in a group. */
  groupId?: number;
  items: ForwardItem[];
}

/** What `mark_msg_as_read` names: a message (its conversation up to it), or a whole conversation. */
export type ReadTarget = { messageId: number } | { groupId: number } | { userId: number };

/** `set_qq_profile`: only the fields present change. */
export interface ProfileUpdate {
  nickname?: string | undefined;
  company?: string | undefined;
  email?: string | undefined;
  college?: string | undefined;
  personalNote?: string | undefined;
}

/** Another device the account is logged in on (`get_online_clients`). */
export interface OnlineClient { appId: number; deviceName: string; deviceKind: string }
