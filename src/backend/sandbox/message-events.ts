/**
 * Event builders of the messages extension: the discuss message (docs/protocol.md §7.3, decision P10)
 * and `group_msg_emoji_like` (docs/extensions.md §4.11, LLB semantics per D15).
 */
import type { BackendEvent } from '../port.js';
import type { EventBase, MessagePayload } from './events.js';
import type { UserRow } from './store/index.js';

/** `message`/`discuss` (4.15 §7.3): no `sub_type` at all; the sender as for private messages. */
export function discussMessageEvent(b: EventBase, discussId: number, m: MessagePayload, sender: UserRow): BackendEvent {
  return {
    discuss_id: discussId, font: 0, message: m.message, message_id: m.messageId, message_type: 'discuss',
    post_type: 'message', raw_message: m.rawMessage, self_id: b.selfId,
    sender: { age: sender.age, nickname: sender.nickname, sex: sender.sex, user_id: sender.user_id },
    time: b.time, user_id: sender.user_id,
  };
}

/** What one reaction change carries. */
export interface EmojiLikeChange { groupId: number; userId: number; messageId: number; emojiId: string; count: number; isAdd: boolean }

/** `notice`/`group_msg_emoji_like`: `likes` lists the changed emoji with how many users now have it. */
export function groupMsgEmojiLikeEvent(b: EventBase, c: EmojiLikeChange): BackendEvent {
  return {
    group_id: c.groupId, is_add: c.isAdd, likes: [{ count: c.count, emoji_id: c.emojiId }], message_id: c.messageId,
    notice_type: 'group_msg_emoji_like', post_type: 'notice', self_id: b.selfId, time: b.time, user_id: c.userId,
  };
}
