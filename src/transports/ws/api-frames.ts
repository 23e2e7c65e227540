/**
 * The API frame handler shared by the forward WebSocket server and the reverse WebSocket client
 * (CQHTTP 4.15 §3.4): one request frame in, one response text out.
 *
 * | frame                                                        | answer                          |
 * |--------------------------------------------------------------|---------------------------------|
 * | not JSON, not an object, `action` missing or not a string,   | 1400, never echoed              |
 * | nested deeper than 1000 levels, a number beyond a double     |                                 |
 * | unknown action                                               | 1404, echoed                    |
 * | anything else                                                | the §4.1 envelope, echoed       |
 *
 * `params` that is absent or not an object is `{}`; `echo` is any JSON value, copied verbatim:
 * numbers exactly as written (`1.0`, `12345678901234567890`), objects compact with sorted keys
 * (like the original's nlohmann); a `null` echo counts as absent.
 */
import { isUtf8 } from 'node:buffer';
import { BAD_FRAME_ENVELOPE, encodeEnvelope, unknownActionEnvelope } from '../../core/envelope.js';
import { NO_ANSWER, type Dispatch } from '../../core/result.js';
import { ApiError } from '../../protocol/errors.js';
import { parseJsonFrame } from '../../protocol/json.js';

/**
 * Answer one API frame (null: send nothing, for a call a fault never answers). Never rejects: a `dispatch` that throws (a bug — the dispatcher turns
 * failures into results) is answered like the dispatcher answers a crashed action (103, echoed),
 * after `onError` saw the error.
 * @param text the frame's text (already known to be UTF-8; see {@link frameText})
 * @param failureDetails add `msg`/`wording` to failure envelopes (decision P4)
 */
export async function handleApiFrame(
  text: string,
  dispatch: Dispatch,
  channel: 'ws' | 'ws_reverse',
  failureDetails: boolean,
  onError?: (err: unknown, action: string) => void,
): Promise<string | null> {
  let frame;
  try {
    frame = parseJsonFrame(text);
  } catch (err) {
    // A bug: the parser answers null for anything it refuses. Answered as undecodable all the same.
    onError?.(err, '(frame parse)');
    return BAD_FRAME_ENVELOPE;
  }
  if (frame === null) return BAD_FRAME_ENVELOPE;
  const action = frame.action;
  if (typeof action !== 'string') return BAD_FRAME_ENVELOPE;
  const echo = frame.echo;
  const raw = frame.params;
  let params: Record<string, unknown>;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    params = raw as Record<string, unknown>;
  } else {
    params = {};
  }
  let result;
  try {
    result = await dispatch(action, params, channel);
  } catch (err) {
    onError?.(err, action);
    const wrapped = new ApiError('OPERATION_FAILED', `${action} failed unexpectedly`);
    return encodeEnvelope({ retcode: wrapped.retcode, data: null, error: wrapped }, echo, failureDetails);
  }
  if (result === NO_ANSWER) return null; // an injected `timeout`: never answered
  return result === null ? unknownActionEnvelope(echo) : encodeEnvelope(result, echo, failureDetails);
}

/**
 * The text of a received frame, or null when it is not UTF-8 (→ 1400). Text and binary frames are
 * treated alike, as the original parsed the payload whatever the opcode; the servers and clients
 * run with ws's own UTF-8 check off so that bad UTF-8 is answered with 1400 instead of a 1007 close.
 */
export function frameText(data: Buffer | ArrayBuffer | Buffer[]): string | null {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}
