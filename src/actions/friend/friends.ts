/** `delete_friend` (docs/extensions.md §9.1): end a friendship; not a friend → -23. */
import { defineAction } from '../../core/action.js';
import { getInteger, params, raw } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';

export const deleteFriend = defineAction({
  name: 'delete_friend',
  summary: 'Remove a friend (user_id; go-cqhttp\'s id and NapCat\'s friend_id are accepted too).',
  origin: 'extension',
  params: params({ user_id: raw(), id: raw(), friend_id: raw() }),
  handler: async (p, ctx) => {
    const userId = [p.user_id, p.id, p.friend_id].map((v) => getInteger(v, 0)).find((v) => v !== 0);
    if (userId === undefined) throw new ApiError('BAD_PARAMS', 'delete_friend: user_id is required and must be a non-zero integer');
    await ctx.backend.deleteFriend(userId);
    return null;
  },
});
