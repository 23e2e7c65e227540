/**
 * LLBot (LuckyLilliaBot, formerly LLOneBot; `app_name` "LLOneBot"), from its public source: the
 * same NTQQ message model as NapCat (extras on message events and `get_msg`, which may wait on a
 * recalled message: 5 s, then cqhttpd's store); failures with `message`/`wording`, 1400 for bad
 * parameters and 1200 when the action threw; pokes with `raw_info`, and `poke_recall` (a poke
 * withdrawn) passed through under that `sub_type`; `group_dismiss` (the owner dissolved a group),
 * `flash_file` and `notify`/`profile_like` passed through under their names.
 */
import { define } from './generic.js';
import { NAPCAT_MESSAGE_EXTRAS, ntNotice } from './napcat.js';
import { genericPoke } from './shape.js';

export const llbot = define('llbot', {
  timeouts: { get_msg: 5000 },
  messageExtras: NAPCAT_MESSAGE_EXTRAS,
  event: (frame) => {
    if (frame['post_type'] !== 'notice') return frame;
    if (frame['notice_type'] === 'notify' && frame['sub_type'] === 'poke_recall') return genericPoke(frame);
    return ntNotice(frame);
  },
});
