/** `send_like` (CQHTTP 4.15 §6.1): like a user's profile, at most 10 times per user per day (docs/qq-rules.md §5). */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { id, int, params } from '../../core/params.js';

export const sendLike = defineAction({
  name: 'send_like',
  summary: 'Like a user\'s profile `times` times (10 per user per day; -30 beyond).',
  params: params({ user_id: id(), times: v.pipe(int(1), v.check((n) => n > 0, 'must be a positive integer')) }),
  handler: async (p, ctx) => {
    await ctx.backend.sendLike(p.user_id, p.times);
    return null;
  },
});
