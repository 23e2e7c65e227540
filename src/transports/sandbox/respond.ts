/**
 * Answers of the control API: JSON bodies (keys sorted, `protocol/json`), and failures as
 * `{"error": CODE, "message": sentence}` with an HTTP status. A catalogue error's status follows what
 * went wrong: 400 bad input, 403 refused by QQ's rules, 404 no such thing, 409 conflicts with the
 * world's state (already exists, already a member, group full).
 */
import type { ServerResponse } from 'node:http';
import { ApiError, ERRORS } from '../../protocol/errors.js';
import type { ErrorCode } from '../../protocol/errors.js';
import { stringifySorted } from '../../protocol/json.js';

/** HTTP status per catalogue code; codes not listed fall back by retcode (see {@link statusOf}). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_PARAMS: 400,
  DURATION_OUT_OF_RANGE: 400,
  MESSAGE_EMPTY_OR_TOO_LONG: 400,
  BAD_ANONYMOUS_FLAG: 400,
  INVALID_TARGET: 404,
  USER_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  FLAG_NOT_FOUND: 404,
  INVALID_DATA: 404,
  NOT_IN_GROUP: 404,
  CANNOT_LEAVE: 404,
  NO_PERMISSION: 403,
  BOT_MUTED: 403,
  NO_RELATIONSHIP: 403,
  ANONYMOUS_DISABLED: 403,
  CANNOT_LIFT_ANONYMOUS_BAN: 403,
  OWNER_CANNOT_LEAVE: 403,
  NOT_OWNER: 403,
  OPERATION_FAILED: 409,
};

/** The HTTP status of a catalogue code: the table, else 100 → 400, 102 → 404, negative → 403, else 409. */
export function statusOf(code: ErrorCode): number {
  const listed = STATUS[code];
  if (listed !== undefined) return listed;
  const retcode = ERRORS[code].retcode;
  return retcode === 100 ? 400 : retcode === 102 ? 404 : retcode < 0 ? 403 : 409;
}

/** Codes of failures the control API itself reports (beside the catalogue's). */
export type TransportErrorCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'BAD_JSON' | 'PAYLOAD_TOO_LARGE' | 'RANGE_NOT_SATISFIABLE' | 'INTERNAL';

/** Whether `res` can no longer be written. */
export function unwritable(res: ServerResponse): boolean {
  return res.headersSent || res.destroyed || (res.socket !== null && !res.socket.writable);
}

/** Write a JSON answer. `close` adds `Connection: close` (e.g. when the body was not read). */
export function writeJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}, close = false): void {
  if (unwritable(res)) return;
  const body = stringifySorted(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/** Write `{"error", "message"}` with `status`. */
export function writeError(res: ServerResponse, status: number, error: ErrorCode | TransportErrorCode, message: string, headers: Record<string, string> = {}, close = false): void {
  writeJson(res, status, { error: error, message }, headers, close);
}

/** Write a catalogue failure with its status: `{error, message, retcode, wording}` — the retcode and wording the bot would get for it (and `problems`, a list, when the input had several). */
export function writeApiError(res: ServerResponse, err: ApiError, close = false): void {
  const problems = (err as { problems?: unknown }).problems;
  writeJson(res, statusOf(err.code), { error: err.code, message: err.message, retcode: err.retcode, wording: ERRORS[err.code].wording, ...(problems !== undefined ? { problems } : {}) }, {}, close);
}
