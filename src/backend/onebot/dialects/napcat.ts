/**
 * NapCat (NapCatQQ, `app_name` "NapCat.Onebot"), from its public source: message ids are int32
 * hashes kept in a 5 000-entry memory map (so `get_msg` of an older or recalled message fails or
 * waits: cqhttpd gives it 5 s, then answers from its store); failures carry `message`/`wording`
 * with 1400 (bad parameters) and 1200 (the action threw); events carry extras cqhttpd does not
 * emit (`real_id`, `real_seq`, `message_seq`, `message_format`, `group_name`, `raw`, `target_id`,
 * `temp_source`, pokes' `raw_info`, segment data such as `sub_type`, `file_size`, `summary`), which
 * are removed; its own notices (`bot_offline`, `notify`/`input_status`, `notify`/`gray_tip`,
 * `notify`/`profile_like`) pass through under their names.
 */
import type { Frame } from '../connection.js';
import { define } from './generic.js';
import { without } from './shape.js';

/** Message fields NapCat adds to message events and `get_msg` answers. */
export const NAPCAT_MESSAGE_EXTRAS = ['real_id', 'real_seq', 'message_seq', 'message_format', 'group_name', 'raw', 'target_id', 'temp_source', 'emoji_likes_list'] as const;

/**
 * NapCat's notices as cqhttpd's: `notify`/`input_status` without its `group_id: 0` (the kinds
 * cqhttpd emits itself lose NapCat's extra keys, such as a reaction's `message_seq`, in cqhttpd's
 * shaping, event-shapes.ts).
 */
export function ntNotice(frame: Frame): Frame {
  if (frame['notice_type'] === 'notify' && frame['sub_type'] === 'input_status' && Number(frame['group_id']) === 0) return without(frame, ['group_id']);
  return frame;
}

export const napcat = define('napcat', {
  timeouts: { get_msg: 5000 },
  messageExtras: NAPCAT_MESSAGE_EXTRAS,
  event: (frame) => (frame['post_type'] === 'notice' ? ntNotice(frame) : frame),
});
