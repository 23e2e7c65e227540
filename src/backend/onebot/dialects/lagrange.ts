/**
 * Lagrange.OneBot (`app_name` "Lagrange.OneBot", its v1, now ended), from its public source: an
 * unknown action is retcode 404 (not 1404) and a thrown one 200, failures carry no `msg`; messages
 * carry `message_style` and a numeric `sender.level`; a reaction is notice `reaction`
 * (`operator_id`, `code`, `count`, `sub_type` add/remove), which becomes cqhttpd's
 * `group_msg_emoji_like`; `group_upload` files carry a `url` beyond 4.15's four fields;
 * `bot_online`/`bot_offline` and `group_name_change` pass through under their names.
 */
import type { Frame } from '../connection.js';
import { define } from './generic.js';

/** A reaction (`reaction`) as cqhttpd's `group_msg_emoji_like`; other notices as they are (cqhttpd's shaping, event-shapes.ts, drops `group_recall`'s `tip` and a `group_upload` file's `url`). */
function notice(frame: Frame): Frame {
  if (frame['notice_type'] !== 'reaction') return frame;
  return {
    post_type: 'notice', notice_type: 'group_msg_emoji_like', self_id: frame['self_id'], time: frame['time'],
    group_id: frame['group_id'], user_id: frame['operator_id'], message_id: frame['message_id'],
    likes: [{ emoji_id: String(frame['code'] ?? ''), count: Number(frame['count'] ?? 0) }], is_add: frame['sub_type'] !== 'remove',
  };
}

export const lagrange = define('lagrange', {
  failure: (frame) => (Number(frame['retcode']) === 404 ? { ...frame, retcode: 1404 } : frame),
  messageExtras: ['message_style'],
  event: (frame) => (frame['post_type'] === 'notice' ? notice(frame) : frame),
});
