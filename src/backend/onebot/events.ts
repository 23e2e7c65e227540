/**
 * Upstream events as the events cqhttpd emits: message ids replaced by cqhttpd's stable ones (the
 * message's own, a quoted `reply` segment's, a recall's), `message` as segments (the pipeline formats
 * it per `post_message_format`), ids as integers. Meta events stay upstream: cqhttpd emits its own
 * lifecycle and heartbeat. Message objects (`get_msg`) get the same treatment.
 */
import type { Segment } from '../../message/index.js';
import type { MessageObject } from '../port-messages.js';
import type { BackendEvent } from '../port.js';
import { GENERIC_REWRITES, rewriteEvent, shapeEvent, type EventRewrite } from './event-shapes.js';
import type { MessageIds } from './ids.js';
import { int, segmentsOf } from './normalise.js';

type Wire = Record<string, unknown>;

/** Integer id fields of events, read leniently (an upstream may send them as strings). */
const ID_FIELDS = ['self_id', 'user_id', 'group_id', 'discuss_id', 'operator_id', 'target_id', 'sender_id', 'duration', 'time'] as const;

/** An upstream message id (number or string) as cqhttpd's, assigned on first sight; 0 when there is none. */
export function localId(ids: MessageIds, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return ids.local(value);
  if (typeof value === 'string' && value !== '') return ids.local(value);
  return 0;
}

/** Segments with each `reply` segment's id mapped to cqhttpd's (and `forward`… left as they are). */
function mapReplies(ids: MessageIds, segments: Segment[], toLocal: boolean): Segment[] {
  let out: Segment[] | undefined;
  segments.forEach((segment, i) => {
    if (segment.type !== 'reply' || typeof segment.data['id'] !== 'string') return;
    const id = segment.data['id'];
    const mapped = toLocal ? String(ids.local(id)) : ids.get(Number(id))?.upstreamId;
    if (mapped === undefined) return;
    out ??= [...segments];
    out[i] = { type: 'reply', data: { ...segment.data, id: mapped } };
  });
  return out ?? segments;
}

/** The upstream URLs of a message's received images and records, so `get_image`/`get_record` can fetch them. */
function rememberMedia(ids: MessageIds, segments: Segment[]): void {
  for (const segment of segments) {
    if (segment.type !== 'image' && segment.type !== 'record') continue;
    const { file, url } = segment.data;
    if (file !== undefined && file !== '' && url !== undefined && /^https?:\/\//i.test(url)) ids.rememberMedia(segment.type, file, url);
  }
}

/** Outgoing segments: quoted replies named by cqhttpd's ids become the upstream's. */
export const toUpstreamSegments = (ids: MessageIds, segments: Segment[]): Segment[] => mapReplies(ids, segments, false);

function withIntegers(event: Wire): Wire {
  const out: Wire = { ...event };
  for (const key of ID_FIELDS) if (Object.hasOwn(out, key) && typeof out[key] === 'string') out[key] = int(out[key]);
  return out;
}

/** `[CQ:reply,id=…]` codes of a CQ string with their ids mapped to cqhttpd's. */
function mapRawReplies(ids: MessageIds, raw: unknown): unknown {
  if (typeof raw !== 'string' || !raw.includes('[CQ:reply,')) return raw;
  return raw.replace(/\[CQ:reply,id=([^,\]]+)/g, (_code, id: string) => `[CQ:reply,id=${ids.local(id)}`);
}

/**
 * The upstream event as cqhttpd's, or `undefined` to drop it (meta events, malformed events): the
 * dialect's rewrites first, then ids, then cqhttpd's exact field set for the kind (event-shapes.ts).
 */
export function fromUpstreamEvent(ids: MessageIds, frame: Wire, rewrites: readonly EventRewrite[] = GENERIC_REWRITES): BackendEvent | undefined {
  const event = rewriteEvent(frame, rewrites);
  if (event === undefined) return undefined;
  const postType = event['post_type'];
  if (postType === 'message' || postType === 'message_sent') {
    const out = withIntegers(event);
    out['post_type'] = 'message';
    out['message'] = mapReplies(ids, segmentsOf(event['message']), true);
    rememberMedia(ids, out['message'] as Segment[]);
    if (Object.hasOwn(out, 'raw_message')) out['raw_message'] = mapRawReplies(ids, out['raw_message']);
    const messageId = localId(ids, event['message_id']);
    out['message_id'] = messageId;
    if (messageId > 0) {
      const object: MessageObject = {
        ...out, post_type: postType, message: out['message'] as Segment[], real_id: int(event['real_id']), message_seq: int(event['message_seq']),
      };
      ids.remember(messageId, object);
    }
    if (postType === 'message_sent') return undefined; // the bot's own echo: not an event cqhttpd emits
    if (messageId > 0 && !ids.firstDelivery(messageId)) return undefined; // delivered before: never twice
    return shapeEvent(out) as BackendEvent;
  }
  if (postType === 'notice' || postType === 'request') {
    const out = withIntegers(event);
    if (Object.hasOwn(out, 'message_id')) {
      const messageId = localId(ids, event['message_id']);
      out['message_id'] = messageId;
      if (messageId > 0 && (event['notice_type'] === 'group_recall' || event['notice_type'] === 'friend_recall')) ids.recalled(messageId);
    }
    return shapeEvent(out) as BackendEvent;
  }
  return undefined;
}

/** An upstream `get_msg` answer as cqhttpd's message object (ids mapped, message as segments). */
export function fromUpstreamMessage(ids: MessageIds, messageId: number, data: Wire): MessageObject {
  const out = withIntegers(data);
  const postType = data['post_type'] === 'message_sent' ? 'message_sent' : 'message';
  const object: MessageObject = {
    ...out,
    post_type: postType,
    message_id: messageId,
    message: mapReplies(ids, segmentsOf(data['message']), true),
    real_id: int(data['real_id']),
    message_seq: int(data['message_seq']),
  };
  ids.remember(messageId, object);
  return object;
}
