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
import { cleanMessage, messageEventShape, without } from './shape.js';

/** Message fields NapCat adds to message events and `get_msg` answers. */
export const NAPCAT_MESSAGE_EXTRAS = ['real_id', 'real_seq', 'message_seq', 'message_format', 'group_name', 'raw', 'target_id', 'temp_source', 'emoji_likes_list'] as const;

function isObject(value: unknown): value is Frame {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** NapCat's notices as cqhttpd's. */
export function ntNotice(frame: Frame): Frame {
  if (frame['notice_type'] === 'group_msg_emoji_like') return without(frame, ['message_seq']);
  if (frame['notice_type'] === 'notify' && frame['sub_type'] === 'input_status' && Number(frame['group_id']) === 0) return without(frame, ['group_id']);
  return frame;
}

export const napcat = define('napcat', {
  timeouts: { get_msg: 5000 },
  result: (action, data) => (action === 'get_msg' && isObject(data) ? cleanMessage(data, NAPCAT_MESSAGE_EXTRAS) : data),
  event: (frame) => {
    if (frame['post_type'] === 'message' || frame['post_type'] === 'message_sent') return messageEventShape(frame);
    if (frame['post_type'] === 'notice') return ntNotice(frame);
    return frame;
  },
});
