/**
 * Event builders of the groups extension, in go-cqhttp's wire shape (docs/extensions.md §4.6, §4.7, §4.10):
 * card changes, special-title changes and essence changes.
 */
import type { BackendEvent } from '../port.js';
import type { EventBase } from './events.js';

/** `notice`/`group_card` (no `sub_type`): '' means "no card", not the nickname. */
export function groupCardEvent(b: EventBase, groupId: number, userId: number, cardOld: string, cardNew: string): BackendEvent {
  return {
    post_type: 'notice', notice_type: 'group_card', self_id: b.selfId, time: b.time,
    group_id: groupId, user_id: userId, card_new: cardNew, card_old: cardOld,
  };
}

/** `notice`/`notify` `title`: `title` is the new special title ('' when removed). */
export function titleEvent(b: EventBase, groupId: number, userId: number, title: string): BackendEvent {
  return { post_type: 'notice', notice_type: 'notify', sub_type: 'title', self_id: b.selfId, time: b.time, group_id: groupId, user_id: userId, title };
}

/** `notice`/`essence` `add`/`delete`: `sender_id` (= `user_id`) wrote the message, `operator_id` (un)set it. */
export function essenceEvent(b: EventBase, add: boolean, groupId: number, messageId: number, senderId: number, operatorId: number): BackendEvent {
  return {
    post_type: 'notice', notice_type: 'essence', sub_type: add ? 'add' : 'delete', self_id: b.selfId, time: b.time,
    group_id: groupId, message_id: messageId, operator_id: operatorId, sender_id: senderId, user_id: senderId,
  };
}
