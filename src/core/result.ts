/**
 * What `dispatch()` answers: the transport-independent outcome of one API call.
 * Transports turn it into bytes with `core/envelope.ts` (or a bare 404 / 1404 when unknown).
 */
import type { ApiError } from '../protocol/errors.js';

export interface CallResult {
  /** 0 ok, 1 async, anything else failed (CQHTTP §4.2). */
  readonly retcode: number;
  readonly data: unknown;
  /** Present on failures raised as `ApiError`; drives `msg`/`wording` (decision P4). */
  readonly error?: ApiError;
}

/** Which channel a call came through (for logs and the sandbox's call journal). */
export type Channel = 'http' | 'ws' | 'ws_reverse' | 'quick_operation' | 'internal' | 'console';

/** What `dispatch` answers: a result, `null` for an action that does not exist (HTTP 404 / WS 1404). */
export type DispatchOutcome = CallResult | null;

/**
 * One API call. A call whose handler finished synchronously (cached reads, parameter failures,
 * unknown actions) is answered synchronously, without a promise: transports must accept both
 * forms (`await` does; the HTTP server writes a synchronous answer inside its request event).
 */
export type Dispatch = (action: string, params: Record<string, unknown>, channel: Channel) => DispatchOutcome | Promise<DispatchOutcome>;

/**
 * What `dispatch` answers for a call an injected `timeout` fault never answers (docs/testing.md):
 * the WebSocket transports send nothing, the HTTP API closes the connection without an answer.
 */
export const NO_ANSWER: CallResult = Object.freeze({ retcode: -1, data: null });

/**
 * What a handler returns to answer "accepted, running in the background" (retcode 1, `status:
 * "async"`, data null) — e.g. `set_restart_plugin` and `.check_update`, async by nature (§4.2).
 */
export const ACCEPTED: unique symbol = Symbol('accepted');
