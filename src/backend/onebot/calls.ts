/**
 * Calls in flight to an upstream over a WebSocket, shared by the forward link and the reverse
 * server: each goes out as `{action, params, echo}` and waits in a bounded map for the frame with
 * its echo, with a deadline; when the socket goes away they all fail at once. Nothing waits forever.
 */
import type WebSocket from 'ws';
import { ApiError } from '../../protocol/errors.js';
import { upstreamFailure } from './failures.js';
import type { Frame } from './connection.js';

export interface CallsOptions {
  /** Milliseconds a call may wait for its answer. */
  callTimeoutMs: number;
  /** Calls in flight at most; beyond, a call fails at once. */
  maxPending: number;
  /** A failed answer as cqhttpd's failure (default: {@link upstreamFailure}). */
  failure?: (action: string, frame: Frame) => ApiError;
  /** Sees each call frame before it is sent (the recorder's tap). */
  onSend?: (frame: Frame) => void;
}

interface Pending {
  action: string;
  resolve(data: unknown): void;
  reject(err: ApiError): void;
  timer: NodeJS.Timeout;
}

export class PendingCalls {
  private nextEcho = 1;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: CallsOptions) {}

  get size(): number {
    return this.pending.size;
  }

  /** Send a call on `socket` and wait for its answer's `data`. */
  send(socket: WebSocket, action: string, params: Record<string, unknown>, timeoutMs = this.options.callTimeoutMs): Promise<unknown> {
    if (this.pending.size >= this.options.maxPending) {
      return Promise.reject(new ApiError('BACKEND_BUSY', `${action}: ${this.pending.size} calls already wait for the upstream`));
    }
    const echo = `cqhttpd:${this.nextEcho++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(echo);
        reject(new ApiError('BACKEND_TIMEOUT', `${action}: the upstream did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(echo, { action, resolve, reject, timer });
      const frame = { action, params, echo };
      this.options.onSend?.(frame);
      socket.send(JSON.stringify(frame), (err) => {
        if (err === undefined || err === null) return;
        const entry = this.pending.get(echo);
        if (entry === undefined) return;
        this.pending.delete(echo);
        clearTimeout(entry.timer);
        reject(new ApiError('BACKEND_OFFLINE', `${action}: the frame could not be sent to the upstream: ${err.message}`));
      });
    });
  }

  /** Settle the call a frame answers; `false` when it answers none (unknown or missing echo). */
  settle(frame: Frame): boolean {
    const echo = frame['echo'];
    const entry = typeof echo === 'string' ? this.pending.get(echo) : undefined;
    if (entry === undefined || typeof echo !== 'string') return false;
    this.pending.delete(echo);
    clearTimeout(entry.timer);
    if (Number(frame['retcode']) === 0) entry.resolve(frame['data']);
    else entry.reject((this.options.failure ?? upstreamFailure)(entry.action, frame));
    return true;
  }

  /** Fail every call in flight (the socket is gone, or cqhttpd is stopping). */
  failAll(why: string): void {
    for (const [echo, entry] of this.pending) {
      this.pending.delete(echo);
      clearTimeout(entry.timer);
      entry.reject(new ApiError('BACKEND_OFFLINE', `${entry.action}: ${why}`));
    }
  }
}

/** A text frame as a JSON object; `undefined` for anything else. */
export function parseFrame(text: string): Frame | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof frame === 'object' && frame !== null && !Array.isArray(frame) ? frame as Frame : undefined;
}
