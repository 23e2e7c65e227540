/**
 * The sandbox's stand-in for QQ's media CDN: when a message is stored, each `image`, `record` and
 * `video` segment whose `file` is a file the data directory holds gets the `url` it can be fetched
 * at (CQHTTP 4.15 §8.6 "Receiving", OneBot v11 `url`), so message events, `get_msg` and history
 * carry it as QQ's would. The composition root supplies the resolver (it knows the HTTP address).
 */
import type { Segment } from '../../message/segment.js';
import type { SandboxContext } from './context.js';

/** The media kinds whose segments get a `url`. */
export type LinkedMediaKind = 'image' | 'record' | 'video';

/** The public URL of a stored media file, or `undefined` when there is no such file (or nothing serves it). */
export type MediaUrlResolver = (kind: LinkedMediaKind, file: string) => string | undefined;

const LINKED: Readonly<Record<string, LinkedMediaKind>> = { image: 'image', record: 'record', video: 'video' };

function isLinked(seg: Segment): boolean {
  return Object.hasOwn(LINKED, seg.type);
}

/** `message` with `url` set on its stored media segments (the same array when nothing changes). */
export function linkMedia(ctx: SandboxContext, message: Segment[]): Segment[] {
  const resolve = ctx.mediaUrl;
  if (resolve === undefined || !message.some(isLinked)) return message; // most messages: no copy
  let changed = false;
  const linked = message.map((seg) => {
    const kind = Object.hasOwn(LINKED, seg.type) ? LINKED[seg.type] : undefined;
    const file = seg.data.file;
    if (kind === undefined || file === undefined || file === '') return seg;
    const url = resolve(kind, file);
    if (url === undefined || seg.data.url === url) return seg;
    changed = true;
    return { type: seg.type, data: { ...seg.data, url } };
  });
  return changed ? linked : message;
}
