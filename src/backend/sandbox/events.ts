/**
 * Every event the sandbox emits is built here, in OneBot v11 wire shape (CQHTTP 4.15 §7, Appendix B;
 * docs/extensions.md §4 for the v11 notices), and delivered by an {@link EventHub}. Acts collect events in
 * an {@link Outbox} while their transaction runs; the hub delivers them only after the commit, so a
 * listener never sees an event whose effect could still roll back.
 */
import type { Segment } from '../../message/segment.js';
import type { BackendEvent } from '../port.js';
import type { Hub } from './hub.js';
import { ANONYMOUS_NICKNAME, ANONYMOUS_USER_ID } from './rules.js';
import type { AnonymousRow, MemberViewRow, UserRow } from './store/index.js';

/** Events produced by one act, waiting for the commit. */
export type Outbox = BackendEvent[];

/** The listeners of the events the bot receives. */
export type EventHub = Hub<BackendEvent>;

/** Fields every event shares. */
export interface EventBase {
  selfId: number;
  /** Unix seconds. */
  time: number;
}

function base(b: EventBase): { self_id: number; time: number } {
  return { self_id: b.selfId, time: b.time };
}

/** A stored message as message events carry it. */
export interface MessagePayload {
  messageId: number;
  message: Segment[];
  rawMessage: string;
}

/** `message`/`group`, with the full §7.2 group sender. */
export function groupMessageEvent(b: EventBase, groupId: number, m: MessagePayload, sender: MemberViewRow): BackendEvent {
  return {
    post_type: 'message', message_type: 'group', sub_type: 'normal', ...base(b),
    message_id: m.messageId, group_id: groupId, user_id: sender.user_id, anonymous: null,
    message: m.message, raw_message: m.rawMessage, font: 0,
    sender: {
      age: sender.age, area: sender.area, card: sender.card, level: sender.level, nickname: sender.nickname,
      role: sender.role, sex: sender.sex, title: sender.title, user_id: sender.user_id,
    },
  };
}

/** `message`/`private`; `sub_type` is `friend`, or `group` for a temporary session. */
export function privateMessageEvent(b: EventBase, subType: 'friend' | 'group', m: MessagePayload, sender: UserRow): BackendEvent {
  return {
    post_type: 'message', message_type: 'private', sub_type: subType, ...base(b),
    message_id: m.messageId, user_id: sender.user_id,
    message: m.message, raw_message: m.rawMessage, font: 0,
    sender: { age: sender.age, nickname: sender.nickname, sex: sender.sex, user_id: sender.user_id },
  };
}

/** `notice`/`group_ban`; `userId` 0 with duration -1 / 0 for the whole-group ban. */
export function groupBanEvent(b: EventBase, groupId: number, operatorId: number, userId: number, duration: number, lift: boolean): BackendEvent {
  return {
    post_type: 'notice', notice_type: 'group_ban', sub_type: lift ? 'lift_ban' : 'ban', ...base(b),
    group_id: groupId, operator_id: operatorId, user_id: userId, duration,
  };
}

/** `notice`/`group_admin` `set`/`unset`. */
export function groupAdminEvent(b: EventBase, groupId: number, userId: number, set: boolean): BackendEvent {
  return { post_type: 'notice', notice_type: 'group_admin', sub_type: set ? 'set' : 'unset', ...base(b), group_id: groupId, user_id: userId };
}

/** `notice`/`group_decrease` (`leave`, `kick`, `kick_me`). */
export function groupDecreaseEvent(b: EventBase, subType: 'leave' | 'kick' | 'kick_me', groupId: number, operatorId: number, userId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'group_decrease', sub_type: subType, ...base(b), group_id: groupId, operator_id: operatorId, user_id: userId };
}

/** `notice`/`group_increase` (`approve`, `invite`). */
export function groupIncreaseEvent(b: EventBase, subType: 'approve' | 'invite', groupId: number, operatorId: number, userId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'group_increase', sub_type: subType, ...base(b), group_id: groupId, operator_id: operatorId, user_id: userId };
}

/** `notice`/`group_recall` (v11): `user_id` is the author, `operator_id` who recalled. */
export function groupRecallEvent(b: EventBase, groupId: number, authorId: number, operatorId: number, messageId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'group_recall', ...base(b), group_id: groupId, user_id: authorId, operator_id: operatorId, message_id: messageId };
}

/** `notice`/`friend_recall` (v11): `user_id` is the friend the conversation is with. */
export function friendRecallEvent(b: EventBase, friendId: number, messageId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'friend_recall', ...base(b), user_id: friendId, message_id: messageId };
}

/** `notice`/`friend_add`. */
export function friendAddEvent(b: EventBase, userId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'friend_add', ...base(b), user_id: userId };
}

/** `message`/`group` `anonymous` (§7.3): user 80000000, the identity in `anonymous`, a neutral sender. */
export function anonymousMessageEvent(b: EventBase, groupId: number, m: MessagePayload, identity: AnonymousRow): BackendEvent {
  return {
    post_type: 'message', message_type: 'group', sub_type: 'anonymous', ...base(b),
    message_id: m.messageId, group_id: groupId, user_id: ANONYMOUS_USER_ID,
    anonymous: { flag: identity.flag, id: identity.anon_id, name: identity.name },
    message: m.message, raw_message: m.rawMessage, font: 0,
    sender: {
      age: 0, area: '', card: '', level: '', nickname: ANONYMOUS_NICKNAME,
      role: 'member', sex: 'unknown', title: '', user_id: ANONYMOUS_USER_ID,
    },
  };
}

/** `request`/`friend` (§7.5). */
export function friendRequestEvent(b: EventBase, userId: number, comment: string, flag: string): BackendEvent {
  return { post_type: 'request', request_type: 'friend', ...base(b), user_id: userId, comment, flag };
}

/** `request`/`group` `add` (`userId` applies) or `invite` (`userId` invites the bot) (§7.5). */
export function groupRequestEvent(b: EventBase, subType: 'add' | 'invite', groupId: number, userId: number, comment: string, flag: string): BackendEvent {
  return { post_type: 'request', request_type: 'group', sub_type: subType, ...base(b), group_id: groupId, user_id: userId, comment, flag };
}

/** A file as `group_upload` carries it. */
export interface UploadedFile { busid: number; id: string; name: string; size: number }

/** `notice`/`group_upload` (§7.4). */
export function groupUploadEvent(b: EventBase, groupId: number, userId: number, file: UploadedFile): BackendEvent {
  return {
    post_type: 'notice', notice_type: 'group_upload', ...base(b), group_id: groupId, user_id: userId,
    file: { busid: file.busid, id: file.id, name: file.name, size: file.size },
  };
}

/**
 * `notice`/`notify` `poke` in go-cqhttp's shape (docs/extensions.md §4.3, D10): `user_id` and `sender_id`
 * are the poker; `group_id` only for a group poke.
 */
export function pokeEvent(b: EventBase, groupId: number | undefined, userId: number, targetId: number): BackendEvent {
  const where = groupId === undefined ? {} : { group_id: groupId };
  return { post_type: 'notice', notice_type: 'notify', sub_type: 'poke', ...base(b), ...where, user_id: userId, sender_id: userId, target_id: targetId };
}

/** `notice`/`notify` `lucky_king` (docs/extensions.md §4.4): `user_id` (= `sender_id`) sent the red packet, `target_id` won it. */
export function luckyKingEvent(b: EventBase, groupId: number, senderId: number, winnerId: number): BackendEvent {
  return { post_type: 'notice', notice_type: 'notify', sub_type: 'lucky_king', ...base(b), group_id: groupId, user_id: senderId, sender_id: senderId, target_id: winnerId };
}

/** The honors v11 announces. */
export type HonorType = 'talkative' | 'performer' | 'emotion';

/** `notice`/`notify` `honor` (docs/extensions.md §4.5). */
export function honorEvent(b: EventBase, groupId: number, userId: number, honorType: HonorType): BackendEvent {
  return { post_type: 'notice', notice_type: 'notify', sub_type: 'honor', ...base(b), group_id: groupId, user_id: userId, honor_type: honorType };
}
