/** `get_msg` (OneBot v11; docs/extensions.md §2.1): a stored message, event-shaped, with `real_id` and `message_seq`. */
import { defineAction } from '../../core/action.js';
import { id, params } from '../../core/params.js';
import { wireMessageObject } from './format.js';

export const getMsg = defineAction({
  name: 'get_msg',
  summary: 'A stored message: its event fields plus real_id and message_seq (recalled or unknown ids fail).',
  origin: 'onebot-v11',
  params: params({ message_id: id() }),
  handler: async (p, ctx) => wireMessageObject(ctx, await ctx.backend.getMessage(p.message_id)),
});
