/**
 * The `{data, retcode, status}` envelope (CQHTTP 4.15 §4.1), encoded in exactly one place.
 * Keys are written in sorted order by construction (data < echo < msg < retcode < status < wording),
 * so the body is byte-identical to 4.15 and needs no generic key sort at the top level.
 */
import { stringifySorted } from '../protocol/json.js';
import type { CallResult } from './result.js';

/** `status` derives from `retcode` alone: 0 ok, 1 async, anything else failed. */
export function statusOf(retcode: number): 'ok' | 'async' | 'failed' {
  return retcode === 0 ? 'ok' : retcode === 1 ? 'async' : 'failed';
}

/** The JSON text of frozen results, made once (see {@link dataText}). */
const frozenTexts = new WeakMap<object, string>();

/**
 * The JSON text of `data`. A frozen object or array is taken to be immutable all the way down (the
 * handlers that freeze a result build it fresh and never share its parts), so its text is made
 * once and kept for as long as the value lives: the hot cached reads are not serialised again.
 * The sandbox stream's `call` frames use it too, so a cached answer is not serialised for them either.
 */
export function dataText(data: unknown): string {
  if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return stringifySorted(data);
  let text = frozenTexts.get(data);
  if (text === undefined) {
    text = stringifySorted(data);
    frozenTexts.set(data, text);
  }
  return text;
}

const OK_NULL = '{"data":null,"retcode":0,"status":"ok"}';
const ASYNC_NULL = '{"data":null,"retcode":1,"status":"async"}';

/**
 * Encode a call result.
 * @param echo WebSocket `echo`; `undefined` or `null` means absent (§3.4)
 * @param failureDetails add `msg` (error code name) and `wording` on failures (decision P4)
 */
export function encodeEnvelope(result: CallResult, echo: unknown, failureDetails: boolean): string {
  const { retcode, data, error } = result;
  const hasEcho = echo !== undefined && echo !== null;
  if (!hasEcho && data == null) {
    if (retcode === 0) return OK_NULL;
    if (retcode === 1) return ASYNC_NULL;
  }
  let out = '{"data":' + (data === undefined ? 'null' : dataText(data));
  if (hasEcho) out += ',"echo":' + stringifySorted(echo);
  const details = failureDetails && error !== undefined && retcode !== 0 && retcode !== 1;
  if (details) out += ',"msg":' + JSON.stringify(error.code);
  out += ',"retcode":' + retcode + ',"status":"' + (error === undefined ? statusOf(retcode) : (error.status ?? statusOf(retcode))) + '"';
  if (details) out += ',"wording":' + JSON.stringify(error.message);
  return out + '}';
}

/** The WS answer to an undecodable frame: 1400, never echoed (§3.4). */
export const BAD_FRAME_ENVELOPE = '{"data":null,"retcode":1400,"status":"failed"}';

/** The WS answer to an unknown action: 1404, echoed when given. */
export function unknownActionEnvelope(echo: unknown): string {
  return encodeEnvelope({ retcode: 1404, data: null }, echo, false);
}
