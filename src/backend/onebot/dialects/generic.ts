/**
 * The generic OneBot v11 dialect (go-cqhttp and implementations that follow it, another cqhttpd):
 * failures read with `message` as `msg` and 1400 as bad parameters, pokes with the poker as
 * `user_id` and `sender_id`, `sender` ids as integers, guild messages (not a CQHTTP chat) dropped.
 * The other dialects build on it (`define`).
 */
import type { Frame } from '../connection.js';
import type { Dialect, DialectName } from './dialect.js';
import { cleanMessage, genericFailure, genericPoke, genericSender, messageEventShape } from './shape.js';

export interface DialectSpec {
  /** Per-action deadlines (ms) for calls the implementation may never answer. */
  timeouts?: Readonly<Record<string, number>>;
  /** Calls renamed, or their parameters adjusted. */
  request?: (action: string, params: Record<string, unknown>) => { action: string; params: Record<string, unknown> };
  /** Answers read (after the generic reading). */
  result?: (action: string, data: unknown) => unknown;
  /** Failures read (before the generic reading). */
  failure?: (frame: Frame) => Frame;
  /**
   * The implementation's own keys on message events and `get_msg` answers. Given, its messages are
   * read down to CQHTTP's: message events (and `message_sent` echoes) with exactly 4.15's fields
   * and segment data keys, `get_msg` answers without these keys and with cleaned segments.
   */
  messageExtras?: readonly string[];
  /** Other events renamed or cleaned (after the generic reading); `undefined` drops. */
  event?: (frame: Frame) => Frame | undefined;
}

const isPoke = (f: Frame): boolean => f['post_type'] === 'notice' && f['notice_type'] === 'notify' && f['sub_type'] === 'poke';
const isMessage = (f: Frame): boolean => f['post_type'] === 'message' || f['post_type'] === 'message_sent';
const isObject = (value: unknown): value is Frame => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The generic reading of an event. */
function genericEvent(frame: Frame): Frame | undefined {
  if (isMessage(frame)) {
    if (frame['message_type'] === 'guild') return undefined;
    return genericSender(frame);
  }
  if (isPoke(frame)) return genericPoke(frame);
  return frame;
}

export function define(name: DialectName, spec: DialectSpec = {}): Dialect {
  const extras = spec.messageExtras;
  const result: Dialect['result'] = spec.result ?? ((_action, data) => data);
  return {
    name,
    timeoutOf: (action) => spec.timeouts?.[action],
    request: spec.request ?? ((action, params) => ({ action, params })),
    result: extras === undefined ? result
      : (action, data) => result(action, action === 'get_msg' && isObject(data) ? cleanMessage(data, extras) : data),
    failure: (frame) => genericFailure(spec.failure ? spec.failure(frame) : frame),
    event: (frame) => {
      const generic = genericEvent(frame);
      if (generic === undefined) return undefined;
      if (extras !== undefined && isMessage(generic)) return messageEventShape(generic);
      return spec.event === undefined ? generic : spec.event(generic);
    },
  };
}

export const generic = define('generic');
/** go-cqhttp itself: the generic reading is its reading. */
export const gocq = define('gocq');
