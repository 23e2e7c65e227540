/**
 * A received image or voice record by the `file` of its segment: the file in the data directory,
 * else — behind a bridge, whose upstream holds QQ's media — downloaded from the URL the upstream gave
 * with the segment, by the download rules of docs/media.md (public addresses unless allow-listed,
 * size and time limits), and kept in the data directory like any downloaded media.
 */
import type { ActionContext } from '../../core/context.js';
import { ApiError } from '../../protocol/errors.js';

export async function receivedMedia(ctx: Pick<ActionContext, 'media' | 'backend'>, kind: 'image' | 'record', file: string): Promise<string> {
  try {
    return await ctx.media.store.existing(kind, file);
  } catch (err) {
    const url = err instanceof ApiError ? await ctx.backend.mediaUrl?.(kind, file) : undefined;
    if (url === undefined) throw err;
    return ctx.media.store.download(kind, url);
  }
}
