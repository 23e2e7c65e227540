/**
 * The generic OneBot v11 dialect (go-cqhttp and implementations that follow it, another cqhttpd):
 * failures read with `message` as `msg` and 1400 as bad parameters, pokes with the poker as
 * `user_id` and `sender_id`, `sender` ids as integers, guild messages (not a CQHTTP chat) dropped.
 * The other dialects build on it (`define`).
 */
import type { Frame } from '../connection.js';
import type { Dialect, DialectName } from './dialect.js';
import { genericFailure, genericPoke, genericSender } from './shape.js';

export interface DialectSpec {
  /** Per-action deadlines (ms) for calls the implementation may never answer. */
  timeouts?: Readonly<Record<string, number>>;
  /** Calls renamed, or their parameters adjusted. */
  request?: (action: string, params: Record<string, unknown>) => { action: string; params: Record<string, unknown> };
  /** Answers read (after the generic reading). */
  result?: (action: string, data: unknown) => unknown;
  /** Failures read (before the generic reading). */
  failure?: (frame: Frame) => Frame;
  /** Events renamed or cleaned (after the generic reading); `undefined` drops. */
  event?: (frame: Frame) => Frame | undefined;
}

const isPoke = (f: Frame): boolean => f['post_type'] === 'notice' && f['notice_type'] === 'notify' && f['sub_type'] === 'poke';

/** The generic reading of an event. */
function genericEvent(frame: Frame): Frame | undefined {
  if (frame['post_type'] === 'message' || frame['post_type'] === 'message_sent') {
    if (frame['message_type'] === 'guild') return undefined;
    return genericSender(frame);
  }
  if (isPoke(frame)) return genericPoke(frame);
  return frame;
}

export function define(name: DialectName, spec: DialectSpec = {}): Dialect {
  return {
    name,
    timeoutOf: (action) => spec.timeouts?.[action],
    request: spec.request ?? ((action, params) => ({ action, params })),
    result: spec.result ?? ((_action, data) => data),
    failure: (frame) => genericFailure(spec.failure ? spec.failure(frame) : frame),
    event: (frame) => {
      const generic = genericEvent(frame);
      return generic === undefined || spec.event === undefined ? generic : spec.event(generic);
    },
  };
}

export const generic = define('generic');
/** go-cqhttp itself: the generic reading is its reading. */
export const gocq = define('gocq');
