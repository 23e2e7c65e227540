/**
 * Frame helpers shared by the dialects: the generic v11 reading of failures, pokes and senders,
 * and the cleaning of message segments down to the data keys CQHTTP defines for each type.
 */
import { parseCQ, serialiseCQ, type Segment } from '../../../message/index.js';
import type { Frame } from '../connection.js';
import { shapeEvent } from '../event-shapes.js';

/**
 * A failure with `msg` and `wording` (some implementations say `message`) and the generic
 * retcodes: 1400 (bad parameters) is cqhttpd's 100; 1404 (unknown action) stays.
 */
export function genericFailure(frame: Frame): Frame {
  const text = typeof frame['message'] === 'string' ? frame['message'] : undefined;
  const out: Frame = { ...frame };
  if (typeof out['msg'] !== 'string' || out['msg'] === '') out['msg'] = text ?? '';
  if (typeof out['wording'] !== 'string' || out['wording'] === '') out['wording'] = text ?? out['msg'];
  if (Number(out['retcode']) === 1400) out['retcode'] = 100;
  return out;
}

/** Without the listed keys (a copy; the frame itself when it has none of them). */
export function without(frame: Frame, keys: readonly string[]): Frame {
  if (!keys.some((key) => Object.hasOwn(frame, key))) return frame;
  const out: Frame = { ...frame };
  for (const key of keys) delete out[key];
  return out;
}

/**
 * A poke as cqhttpd reports it (go-cqhttp's shape): `user_id` and `sender_id` both the poker
 * (an implementation that names the poker `sender_id` and the chat peer `user_id` is read so too).
 */
export function genericPoke(frame: Frame): Frame {
  const poker = frame['sender_id'] ?? frame['user_id'];
  const out = without(frame, ['raw_info', 'action', 'suffix', 'action_img_url']);
  return { ...out, user_id: poker, sender_id: poker };
}

/** The CQHTTP data keys of each segment type; other types keep all of theirs. */
const SEGMENT_KEYS: Readonly<Record<string, readonly string[]>> = {
  text: ['text'],
  face: ['id'],
  at: ['qq'],
  reply: ['id'],
  image: ['file', 'url', 'type'],
  record: ['file', 'url', 'magic'],
  video: ['file', 'url'],
  forward: ['id'],
  json: ['data'],
  xml: ['data'],
  poke: ['type', 'id', 'qq'],
};

/** A segment with only its type's CQHTTP data keys, values as strings. */
function cleanSegment(segment: Segment): Segment {
  const keys = SEGMENT_KEYS[segment.type];
  if (keys === undefined) return segment;
  const data: Record<string, string> = {};
  for (const key of keys) {
    const value: unknown = segment.data[key];
    if (value === undefined || value === null) continue;
    data[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value as number | boolean);
  }
  return { type: segment.type, data };
}

/** Segments of a message given as an array or a CQ string; `undefined` for anything else. */
function segmentsOf(message: unknown): Segment[] | undefined {
  if (typeof message === 'string') return parseCQ(message);
  if (!Array.isArray(message)) return undefined;
  return message.filter((s): s is Segment => typeof s === 'object' && s !== null && typeof (s as Segment).type === 'string')
    .map((s) => ({ type: s.type, data: typeof s.data === 'object' && s.data !== null ? s.data : {} }));
}

/** A message-carrying frame (event or `get_msg` answer) with cleaned segments and its `raw_message` made from them. */
export function cleanMessage(frame: Frame, extras: readonly string[]): Frame {
  const out = without(frame, extras);
  const segments = segmentsOf(frame['message']);
  if (segments === undefined) return out;
  const cleaned = segments.map(cleanSegment);
  return { ...out, message: cleaned, raw_message: serialiseCQ(cleaned) };
}

/** `sender` with integer ids and a string `level`, as 4.15 has them. */
export function genericSender(frame: Frame): Frame {
  const sender = frame['sender'];
  if (typeof sender !== 'object' || sender === null || Array.isArray(sender)) return frame;
  const s: Frame = { ...sender as Frame };
  if (typeof s['user_id'] === 'string' && /^\d+$/.test(s['user_id'])) s['user_id'] = Number(s['user_id']);
  if (typeof s['age'] === 'string' && /^\d+$/.test(s['age'])) s['age'] = Number(s['age']);
  if (typeof s['level'] === 'number') s['level'] = String(s['level']);
  return { ...frame, sender: s };
}

/**
 * A message event with exactly 4.15's fields for its chat type (event-shapes.ts, the shaping every
 * event gets after its ids are mapped): an implementation's extras dropped, `anonymous` (null),
 * `font` (0) and the sender's fields filled in when it leaves them out. The segments are cleaned as
 * {@link cleanMessage} does.
 */
export function messageEventShape(frame: Frame): Frame {
  return shapeEvent(cleanMessage(frame, []));
}
