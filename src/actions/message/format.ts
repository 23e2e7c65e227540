/**
 * Messages read back (`get_msg`, history, forwards) in the implementation's format (docs/extensions.md
 * §2.1): a CQ string when `post_message_format` is `string` (merged first, as events are, §8.4),
 * else the segment array.
 */
import type { ActionContext } from '../../core/context.js';
import type { MessageObject } from '../../backend/port-messages.js';
import { mergeSegments, serialiseCQ } from '../../message/index.js';
import type { Segment } from '../../message/segment.js';

/** `message` as the configuration wants it. */
export function formatMessage(ctx: ActionContext, message: Segment[]): string | Segment[] {
  return ctx.config.post_message_format === 'string' ? serialiseCQ(mergeSegments(message)) : message;
}

/** A stored-message object on the wire: its `message` formatted. */
export function wireMessageObject(ctx: ActionContext, m: MessageObject): Record<string, unknown> {
  return { ...m, message: formatMessage(ctx, m.message) };
}
