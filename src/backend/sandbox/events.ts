/**
 * Every event the sandbox emits is built here, in OneBot v11 wire shape (CQHTTP 4.15 §7, Appendix B),
 * and delivered by {@link EventHub}. Acts collect events in an {@link Outbox} while their transaction
 * runs; the hub delivers them only after the commit, so a listener never sees an event whose effect
 * could still roll back.
 */
import type { Logger } from 'pino';
import type { Segment } from '../../message/segment.js';
import type { BackendEvent, EventListener } from '../port.js';
import type { MemberViewRow, UserRow } from './store/index.js';

/** Events produced by one act, waiting for the commit. */
export type Outbox = BackendEvent[];

/** Fields every event shares. */
export interface EventBase {
  selfId: number;
  /** Unix seconds. */
  time: number;
}

/** The listeners, and the one place events reach them. */
export class EventHub {
  readonly #listeners = new Set<EventListener>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Subscribe; returns the unsubscribe function. */
  on(listener: EventListener): () => void {
    // Wrap so the same function registered twice gets two independent subscriptions.
    const entry: EventListener = (e) => listener(e);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Deliver committed events, in order, synchronously. A throwing listener is logged and skipped. */
  deliver(events: readonly BackendEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(event);
        } catch (err) {
          this.#log.error({ err, post_type: event.post_type }, 'sandbox event listener threw');
        }
      }
    }
  }

  /** Drop every listener (on close). */
  clear(): void {
    this.#listeners.clear();
  }
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
