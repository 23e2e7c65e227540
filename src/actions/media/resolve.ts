/**
 * Sending media for real (CQHTTP 4.15 §8.6, docs/media.md): before a message reaches the backend,
 * every `image`, `record` and `video` segment — also inside forward nodes — has its `file` (a
 * data-directory name, `http(s)://`, `base64://` or an allowed `file://`) resolved to a file
 * stored under the data directory. A voice record that is not SILK is stored as SILK, as QQ holds
 * it. The send-only parameters (`cache`, `timeout`, `proxy`, `c`) are dropped: the stored message
 * is what QQ would deliver. Any failure is an `ApiError` and nothing is sent.
 */
import type { CustomNode, ForwardNode } from '../../backend/port-messages.js';
import type { ActionContext } from '../../core/context.js';
import { decodeMessage, parseCQ, serialiseCQ } from '../../message/index.js';
import type { Segment } from '../../message/index.js';

/** What resolution needs of the action context (the composition root also resolves for the sandbox control API). */
export type MediaContext = Pick<ActionContext, 'media'>;

/** Segment types whose `file` is resolved. */
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'record', 'video']);
/** Instructions to the sender that QQ never delivers. */
const SEND_ONLY = ['cache', 'timeout', 'proxy', 'c'];

/** True when the message has something to resolve (a media segment, or a node that may hold one). */
export function needsResolution(segments: readonly Segment[]): boolean {
  return segments.some((s) => MEDIA_TYPES.has(s.type) || (s.type === 'node' && s.data.content !== undefined));
}

/**
 * The message with its media stored and its `file`s rewritten to stored names (the same array
 * when there is nothing to resolve). Segments are resolved one after the other, so a failure
 * stops before the later ones are fetched.
 */
export async function resolveOutgoingMedia(ctx: MediaContext, segments: Segment[]): Promise<Segment[]> {
  if (!needsResolution(segments)) return segments;
  const out: Segment[] = [];
  for (const seg of segments) out.push(await resolveSegment(ctx, seg));
  return out;
}

/** What a send action sends: segments, or a forward card's nodes (send.ts's `Outgoing`). */
export type OutgoingContent = { kind: 'message'; message: Segment[] } | { kind: 'forward'; nodes: ForwardNode[] };

/** {@link resolveOutgoingMedia} or {@link resolveOutgoingNodes}, whichever `out` holds; the shape is kept. */
export async function resolveOutgoingContent<T extends OutgoingContent>(ctx: MediaContext, out: T): Promise<T> {
  if (out.kind === 'message') return { ...out, message: await resolveOutgoingMedia(ctx, out.message) };
  return { ...out, nodes: await resolveOutgoingNodes(ctx, out.nodes) };
}

/** The forward nodes with the media of their custom contents resolved (nested forwards included). */
export async function resolveOutgoingNodes(ctx: MediaContext, nodes: ForwardNode[]): Promise<ForwardNode[]> {
  const out: ForwardNode[] = [];
  for (const node of nodes) {
    if (node.kind !== 'custom') {
      out.push(node);
      continue;
    }
    const content: CustomNode['content'] = node.content.kind === 'message'
      ? { kind: 'message', message: await resolveOutgoingMedia(ctx, node.content.message) }
      : { kind: 'forward', nodes: await resolveOutgoingNodes(ctx, node.content.nodes) };
    out.push({ ...node, content });
  }
  return out;
}

async function resolveSegment(ctx: MediaContext, seg: Segment): Promise<Segment> {
  if (seg.type === 'node') return resolveNodeSegment(ctx, seg);
  if (!MEDIA_TYPES.has(seg.type)) return seg;
  const resolved = await ctx.media.store.resolveOutgoing(seg);
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(resolved.data)) if (!SEND_ONLY.includes(key)) data[key] = value;
  if (seg.type === 'record' && data.file !== undefined) data.file = await asSilk(ctx, data.file);
  return { type: seg.type, data };
}

/**
 * A `node` segment given in a send action: its `content` is CQ-code text, or the JSON text of a
 * segment array / segment (non-string values of `data` arrive as JSON text). The form is kept.
 */
async function resolveNodeSegment(ctx: MediaContext, seg: Segment): Promise<Segment> {
  const content = seg.data.content;
  if (content === undefined || content === '') return seg;
  let json: unknown;
  const trimmed = content.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      json = JSON.parse(content);
    } catch {
      json = undefined;
    }
  }
  const inner = json === undefined ? parseCQ(content) : decodeMessage(json, false);
  if (!needsResolution(inner)) return seg;
  const resolved = await resolveOutgoingMedia(ctx, inner);
  return { type: seg.type, data: { ...seg.data, content: json === undefined ? serialiseCQ(resolved) : JSON.stringify(resolved) } };
}

/** The name of a SILK record with the content of `<data_dir>/record/<name>` (the name itself when it is SILK). */
async function asSilk(ctx: MediaContext, name: string): Promise<string> {
  const file = ctx.media.store.pathOf('record', name);
  // The voice code is loaded by the first record sent (most bots never send one).
  const { isSilkFile } = await import('../../media/record.js');
  if (await isSilkFile(file)) return name;
  const silk = await ctx.media.records.encodeSilk(file);
  return ctx.media.store.saveBytes('record', silk.data, 'silk');
}

