/** `set_msg_emoji_like` (docs/extensions.md §5.8, LLB shape): react to a group message with a QQ face or an emoji. */
import { defineAction } from '../../core/action.js';
import { bool, id, params, raw } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';

/** `emoji_id` as a string: a string as given, an integer in decimal. */
function emojiIdOf(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return '';
}

export const setMsgEmojiLike = defineAction({
  name: 'set_msg_emoji_like',
  summary: 'Add (set=true) or remove an emoji reaction to a group message (QQ face id or emoji code point).',
  origin: 'extension',
  params: params({ message_id: id(), emoji_id: raw(), set: bool(true) }),
  handler: async (p, ctx) => {
    const emojiId = emojiIdOf(p.emoji_id);
    if (emojiId === '') throw new ApiError('BAD_PARAMS', 'set_msg_emoji_like: emoji_id is required');
    await ctx.backend.setMessageEmojiLike(p.message_id, emojiId, p.set);
    return null;
  },
});
