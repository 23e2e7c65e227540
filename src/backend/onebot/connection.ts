/**
 * The connection to the upstream — what the `onebot` backend needs of it, whichever way it is
 * connected: cqhttpd dialing its forward WebSocket (`link.ts`), the upstream dialing cqhttpd
 * (`reverse.ts`), and a dialect (`dialects/`) wrapped around either. Calls resolve with the
 * answer's `data` or reject with an `ApiError`; events are the upstream's frames with a `post_type`.
 *
 * {@link FrameConnection} is what both ways share: the bounded call table, frames read off a socket
 * (answers settle their calls, events go to the listeners), the `online` state and its listeners,
 * the recorder's tap. The two modes only say where the sockets come from and which takes calls.
 */
import { UpstreamEvents } from '../upstream-events.js';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { ApiError } from '../../protocol/errors.js';
import { PendingCalls, parseFrame } from './calls.js';

export type Frame = Record<string, unknown>;

/** An observer of an upstream's traffic: frames as objects (before sending, after parsing), and `online` changes (the recorder, docs/recording.md). */
export interface LinkTap {
  frame(dir: 'in' | 'out', frame: Frame): void;
  state(online: boolean): void;
}

export interface CallOptions {
  /** A deadline for this call instead of the link's default. */
  timeoutMs?: number;
}

export interface UpstreamConnection {
  /** Where the upstream is, for logs and errors (never a token). */
  readonly shownUrl: string;
  /** Start connecting or listening (and keep at it until {@link close}). */
  start(): void | Promise<void>;
  isOnline(): boolean;
  onEvent(listener: (event: Frame) => void): () => void;
  /** Events are held from the start until this is called (cqhttpd's listeners are attached); returns how many the hold dropped. */
  release(): number;
  onState(listener: (online: boolean) => void): () => void;
  /** Resolves once online, or `false` after `timeoutMs`. */
  waitOnline(timeoutMs: number): Promise<boolean>;
  call(action: string, params: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** Resolves once `upstream` is online, or `false` after `timeoutMs`. */
export function waitOnline(upstream: Pick<UpstreamConnection, 'isOnline' | 'onState'>, timeoutMs: number): Promise<boolean> {
  if (upstream.isOnline()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { stop(); resolve(false); }, timeoutMs);
    const stop = upstream.onState((online) => {
      if (!online) return;
      clearTimeout(timer);
      stop();
      resolve(true);
    });
  });
}

/** What a socket to the upstream carries: calls and events (Universal), calls only (API), events only (Event). */
export type SocketRole = 'universal' | 'api' | 'event';

/** The settings both modes take. */
export interface FrameOptions {
  logger: Logger;
  /** Milliseconds a call may wait for its answer (default 30 s). */
  callTimeoutMs?: number;
  /** Calls in flight at most; beyond, a call fails at once (default 1 000). */
  maxPending?: number;
  /** Largest frame accepted from the upstream, in bytes (default 64 MiB). */
  maxFrameSize?: number;
  /** A failed answer as cqhttpd's failure (a dialect's reading of it); default `upstreamFailure`. */
  failure?: (action: string, frame: Frame) => ApiError;
  /** Sees every frame sent and received and every connection change (the recorder, docs/recording.md). */
  tap?: LinkTap;
}

/**
 * An upstream OneBot v11 connection over WebSockets: calls go out as `{action, params, echo}` on
 * the socket that takes calls and wait in a bounded table for their answer, each with a deadline;
 * frames with `post_type` are events. While no socket takes calls, every call fails at once
 * (BACKEND_OFFLINE) — nothing waits forever. A mode supplies the sockets ({@link attachSocket}),
 * names the one that takes calls ({@link callSocket}) and reports `online` changes ({@link setOnline}).
 */
export abstract class FrameConnection extends UpstreamEvents<Frame> implements UpstreamConnection {
  abstract readonly shownUrl: string;
  /** Whether a socket takes calls; changed through {@link setOnline}. */
  protected online = false;
  protected readonly calls: PendingCalls;
  constructor(protected readonly options: FrameOptions) {
    super();
    const tap = options.tap;
    this.calls = new PendingCalls({
      callTimeoutMs: options.callTimeoutMs ?? 30_000, maxPending: options.maxPending ?? 1000,
      ...(options.failure ? { failure: options.failure } : {}),
      ...(tap ? { onSend: (frame: Frame) => tap.frame('out', frame) } : {}),
    });
  }

  abstract start(): void | Promise<void>;
  abstract close(): Promise<void>;
  /** The socket calls go to now (`undefined`: none). */
  protected abstract callSocket(): WebSocket | undefined;
  /** Why `action` fails while no socket takes calls (the BACKEND_OFFLINE wording). */
  protected abstract offlineWording(action: string): string;

  isOnline(): boolean {
    return this.online;
  }

  /** Resolves once online, or `false` after `timeoutMs`. */
  waitOnline(timeoutMs: number): Promise<boolean> {
    return waitOnline(this, timeoutMs);
  }

  /** Call `action` on the upstream; resolves with its `data`, rejects with an ApiError. */
  call(action: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const socket = this.online ? this.callSocket() : undefined;
    if (socket === undefined) return Promise.reject(new ApiError('BACKEND_OFFLINE', this.offlineWording(action)));
    return this.calls.send(socket, action, params, options.timeoutMs);
  }

  /** Tell the tap and the listeners that `online` changed (nothing when it did not). */
  protected setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.options.tap?.state(online);
    this.emitState(online);
  }

  /** Read `socket`'s text frames as a socket of `role`: answers settle their calls (not on an Event socket), events go to the listeners (not on an API socket). */
  protected attachSocket(socket: WebSocket, role: SocketRole): void {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.receive(data.toString(), role);
    });
    socket.on('error', (err) => {
      this.options.logger.debug({ err: err.message }, `upstream ${this.shownUrl} (${role}): socket error`);
    });
  }

  private receive(text: string, role: SocketRole): void {
    const frame = parseFrame(text);
    if (frame === undefined) {
      this.options.logger.warn(`upstream ${this.shownUrl} sent a frame that is not a JSON object; ignored`);
      return;
    }
    this.options.tap?.frame('in', frame);
    if (typeof frame['post_type'] === 'string') {
      if (role === 'api') return; // an API socket carries answers only
      this.emitEvent(frame);
      return;
    }
    if (role !== 'event') this.calls.settle(frame);
  }
}
