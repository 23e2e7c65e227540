/**
 * Upstream events as the events cqhttpd emits: message ids replaced by cqhttpd's stable ones (the
 * message's own, a quoted `reply` segment's, a recall's), `message` as segments (the pipeline formats
 * it per `post_message_format`), ids as integers. Meta events stay upstream: cqhttpd emits its own
 * lifecycle and heartbeat. Message objects (`get_msg`) get the same treatment.
 */
import type { Segment } from '../../message/index.js';
import type { MessageObject } from '../port-messages.js';
import type { BackendEvent } from '../port.js';
import type { MessageIds } from './ids.js';
import { int, segmentsOf } from './normalise.js';

type Wire = Record<string, unknown>;

/** Integer id fields of events, read leniently (an upstream may send them as strings). */
const ID_FIELDS = ['self_id', 'user_id', 'group_id', 'discuss_id', 'operator_id', 'target_id', 'time'] as const;

/** An upstream message id (number or string) as cqhttpd's; 0 when there is none. */
function localId(ids: MessageIds, value: unknown): number {
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

/** Outgoing segments: quoted replies named by cqhttpd's ids become the upstream's. */
export const toUpstreamSegments = (ids: MessageIds, segments: Segment[]): Segment[] => mapReplies(ids, segments, false);

function withIntegers(event: Wire): Wire {
  const out: Wire = { ...event };
  for (const key of ID_FIELDS) if (Object.hasOwn(out, key) && typeof out[key] === 'string') out[key] = int(out[key]);
  return out;
}

/** The upstream event as cqhttpd's, or `undefined` to drop it (meta events, malformed events). */
export function fromUpstreamEvent(ids: MessageIds, event: Wire): BackendEvent | undefined {
  const postType = event['post_type'];
  if (postType === 'message' || postType === 'message_sent') {
    const out = withIntegers(event);
    out['post_type'] = 'message';
    out['message'] = mapReplies(ids, segmentsOf(event['message']), true);
    const messageId = localId(ids, event['message_id']);
    out['message_id'] = messageId;
    if (messageId > 0) {
      const object: MessageObject = {
        ...out, post_type: postType, message: out['message'] as Segment[], real_id: int(event['real_id']), message_seq: int(event['message_seq']),
      };
      ids.remember(messageId, object);
    }
    if (postType === 'message_sent') return undefined; // the bot's own echo: not an event cqhttpd emits
    return out as BackendEvent;
  }
  if (postType === 'notice' || postType === 'request') {
    const out = withIntegers(event);
    if (Object.hasOwn(out, 'message_id')) {
      const messageId = localId(ids, event['message_id']);
      out['message_id'] = messageId;
      if (messageId > 0 && (event['notice_type'] === 'group_recall' || event['notice_type'] === 'friend_recall')) ids.recalled(messageId);
    }
    return out as BackendEvent;
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
