/** `delete_msg` (§6.1): recall a message, subject to QQ's recall rules. */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { int, params } from '../../core/params.js';

export const deleteMsg = defineAction({
  name: 'delete_msg',
  summary: 'Recall a message by message_id.',
  params: params({ message_id: v.pipe(int(), v.check((n) => n > 0, 'is required and must be a positive integer')) }),
  handler: async (p, ctx) => {
    await ctx.backend.deleteMessage(p.message_id);
    return null;
  },
});
