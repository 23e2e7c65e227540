/**
 * From a `message` parameter to segments (CQHTTP 4.15 §5 `get_message`, §8.1 input shapes) and
 * the merge step of §8.4 (the original's `Message::reduce`).
 */
import { parseCQ } from './cqcode.js';
import { dumpNlohmann, isLosslessNumber } from './nlohmann.js';
import { setOwn } from './order.js';
import type { Segment } from './segment.js';

const hasOwn = Object.hasOwn;

/** A JSON object: not null, not an array, not a lossless number. */
function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
}

/**
 * The merge step (§8.4): left to right, a `text` segment with a `text` key is appended to the
 * previous kept segment when that one is also `text` with a `text` key (the dropped segment's
 * other keys are lost, the kept one's stay). Then a message that is exactly one `text` segment
 * with an empty or missing `text` becomes empty (the original crashed on the missing key, §15.23).
 * Returns a new array; input segments are never mutated (merged ones are copied, the others shared).
 */
export function mergeSegments(segs: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  let prev: Segment | undefined;
  let prevIsCopy = false;
  for (const seg of segs) {
    if (
      prev !== undefined &&
      seg.type === 'text' &&
      prev.type === 'text' &&
      hasOwn(seg.data, 'text') &&
      hasOwn(prev.data, 'text')
    ) {
      if (!prevIsCopy) {
        prev = { type: 'text', data: { ...prev.data } };
        out[out.length - 1] = prev;
        prevIsCopy = true;
      }
      prev.data.text += seg.data.text;
      continue;
    }
    out.push(seg);
    prev = seg;
    prevIsCopy = false;
  }
  if (out.length === 1 && prev !== undefined && prev.type === 'text') {
    if (!hasOwn(prev.data, 'text') || prev.data.text === '') return [];
  }
  return out;
}

/**
 * One array element or object message as a segment, or `null` when malformed: not an object,
 * `type` missing or not a string, `data` missing or not an object (`null` included). Extra keys
 * are ignored; non-string `data` values become their nlohmann `dump()` text.
 */
function decodeSegment(v: unknown): Segment | null {
  if (!isJsonObject(v) || !hasOwn(v, 'type') || !hasOwn(v, 'data')) return null;
  const type = v.type;
  const data = v.data;
  if (typeof type !== 'string' || !isJsonObject(data)) return null;
  for (const key in data) {
    if (typeof data[key] !== 'string') return { type, data: stringifyValues(data) };
  }
  return { type, data: data as Record<string, string> };
}

/** A copy of `data` with every non-string value replaced by its nlohmann `dump()` text. */
function stringifyValues(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(data)) {
    const value = data[key];
    setOwn(out, key, typeof value === 'string' ? value : dumpNlohmann(value));
  }
  return out;
}

/**
 * `get_message` as the non-send actions see it (§5): a string is CQ-code parsed (no merge), or is
 * one `text` segment holding it verbatim when `autoEscape`; an array is decoded element by element
 * and then merged (§8.4); a single segment object gives that segment (no merge). Anything else,
 * or any malformed segment, gives `[]`. `data: null` is malformed, as in 4.15 (the test vectors
 * pin this). Segments whose `data` values are all strings share the input's `data` object.
 */
export function decodeMessage(value: unknown, autoEscape: boolean): Segment[] {
  if (typeof value === 'string') {
    return autoEscape ? [{ type: 'text', data: { text: value } }] : parseCQ(value);
  }
  if (Array.isArray(value)) {
    const segs: Segment[] = [];
    for (const item of value) {
      const seg = decodeSegment(item);
      if (seg === null) return [];
      segs.push(seg);
    }
    return mergeSegments(segs);
  }
  const seg = decodeSegment(value);
  return seg === null ? [] : [seg];
}

/**
 * The message a `send_*msg` action (or a quick reply) sends (§5): the original decodes `message`
 * twice, the second time as a segment array, so the merge step applies to every input shape and
 * `auto_escape` only to the first pass (`""` with auto_escape → `[]`; `[CQ:text,text=a]b` → `ab`;
 * `[CQ:text]` → `[]`).
 */
export function decodeSendMessage(value: unknown, autoEscape: boolean): Segment[] {
  const segs = decodeMessage(value, autoEscape);
  // An array has been merged already, and merging is idempotent.
  return Array.isArray(value) ? segs : mergeSegments(segs);
}
