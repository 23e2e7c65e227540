/**
 * Shaping an event for one channel (CQHTTP 4.15 §7.6, §7.7): `message` as a CQ string or a
 * segment array (`post_message_format`), and the 3.x shapes of backward-compatibility mode.
 * Runs after the filter, which always sees the 4.x event with `message` as an array (§10.2).
 */
import { mergeSegments, serialiseCQ } from '../../message/index.js';
import type { Segment } from '../../message/index.js';
import type { EventFormat, OneBotEvent } from './channel.js';
import { isJsonObject } from '../../protocol/json.js';

const hasOwn = Object.hasOwn;

/** The 3.x group message: `anonymous` as the name string and `anonymous_flag` beside it. */
function compatAnonymous(event: OneBotEvent): OneBotEvent {
  const anonymous = event.anonymous;
  const name = isJsonObject(anonymous) && typeof anonymous.name === 'string' ? anonymous.name : '';
  const flag = isJsonObject(anonymous) && typeof anonymous.flag === 'string' ? anonymous.flag : '';
  return { ...event, anonymous: name, anonymous_flag: flag };
}

/** A shallow copy with `from` renamed to `to` (nothing to rename → the copy without changes). */
function rename(event: OneBotEvent, from: string, to: string): OneBotEvent {
  const copy: OneBotEvent = { ...event };
  if (hasOwn(copy, from)) {
    copy[to] = copy[from];
    delete copy[from];
  }
  return copy;
}

/** §7.7, on an event whose `message` is already formatted. `null` when the kind has no 3.x shape. */
function compat(event: OneBotEvent): OneBotEvent | null {
  switch (event.post_type) {
    case 'message':
      return event.message_type === 'group' ? compatAnonymous(event) : null;
    case 'notice': {
      const copy = rename(event, 'notice_type', 'event');
      copy.post_type = 'event';
      return copy;
    }
    case 'request':
      return rename(event, 'comment', 'message');
    default:
      return null;
  }
}

/**
 * The event as `format` wants it. Returns `event` itself when nothing changes, else a shallow
 * copy: in `string` format a message event's `message` segments are merged (§8.4) and
 * serialised to CQ codes (§8.3); with `backwardCompatibility` group messages carry `anonymous`
 * as the name (`""` when not anonymous) plus `anonymous_flag`, notices become
 * `post_type: "event"` with `event` instead of `notice_type`, requests carry `message` instead
 * of `comment`; meta events are unchanged. The input is never mutated (channels share it).
 */
export function formatEvent(event: OneBotEvent, format: EventFormat): OneBotEvent {
  let out = event;
  if (format.messageFormat === 'string' && event.post_type === 'message' && Array.isArray(event.message)) {
    out = { ...event, message: serialiseCQ(mergeSegments(event.message as Segment[])) };
  }
  if (!format.backwardCompatibility) return out;
  return compat(out) ?? out;
}
