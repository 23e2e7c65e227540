/**
 * The socket to an upstream OneBot v11 implementation's forward WebSocket (Universal: calls and
 * events on one connection). Calls go out as `{action, params, echo}` frames and wait in a bounded
 * map for the frame with their echo, each with a deadline; frames with `post_type` are events.
 * The link reconnects forever with exponential backoff and jitter; while it is down every call fails
 * at once (BACKEND_OFFLINE) and the calls in flight when it dropped fail too — nothing waits forever.
 */
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { ApiError } from '../../protocol/errors.js';
import { dialUpstream, retryDelay, terminateSocket } from '../upstream-socket.js';
import { PendingCalls, parseFrame } from './calls.js';
import { waitOnline, type CallOptions, type Frame, type LinkTap, type UpstreamConnection } from './connection.js';

export type { LinkTap } from './connection.js';

export interface LinkOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>`; empty = none. */
  accessToken: string;
  logger: Logger;
  /** Milliseconds a call may wait for its answer (default 30 s). */
  callTimeoutMs?: number;
  /** Calls in flight at most; beyond, a call fails at once (default 1 000). */
  maxPending?: number;
  /** Largest frame accepted from the upstream, in bytes (default 64 MiB). */
  maxFrameSize?: number;
  /** First and longest pause between connection attempts (default 1 s and 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A failed answer as cqhttpd's failure (a dialect's reading of it); default `upstreamFailure`. */
  failure?: (action: string, frame: Frame) => ApiError;
  /** Sees every frame sent and received and every connection change (the recorder, docs/recording.md). */
  tap?: LinkTap;
}

export class UpstreamLink implements UpstreamConnection {
  private socket: WebSocket | undefined;
  private online = false;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly calls: PendingCalls;
  private readonly eventListeners = new Set<(event: Frame) => void>();
  private readonly stateListeners = new Set<(online: boolean) => void>();
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  readonly shownUrl: string;

  constructor(private readonly options: LinkOptions) {
    this.calls = new PendingCalls({
      callTimeoutMs: options.callTimeoutMs ?? 30_000, maxPending: options.maxPending ?? 1000, ...(options.failure ? { failure: options.failure } : {}),
      ...(options.tap ? { onSend: (frame: Frame) => options.tap?.frame('out', frame) } : {}),
    });
    this.minBackoffMs = options.minBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    const url = new URL(options.url);
    this.shownUrl = `${url.protocol}//${url.host}${url.pathname}`; // never a token in the query
  }

  /** Start connecting (and keep reconnecting until {@link close}). */
  start(): void {
    this.connect();
  }

  isOnline(): boolean {
    return this.online;
  }

  onEvent(listener: (event: Frame) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (online: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Resolves once online, or `false` after `timeoutMs`. */
  waitOnline(timeoutMs: number): Promise<boolean> {
    return waitOnline(this, timeoutMs);
  }

  /** Call `action` on the upstream; resolves with its `data`, rejects with an ApiError. */
  call(action: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const socket = this.socket;
    if (!this.online || socket === undefined) {
      return Promise.reject(new ApiError('BACKEND_OFFLINE', `${action}: the upstream ${this.shownUrl} is not connected; cqhttpd is reconnecting`));
    }
    return this.calls.send(socket, action, params, options.timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.calls.failAll('cqhttpd is shutting down');
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return;
    await terminateSocket(socket);
  }

  private connect(): void {
    if (this.closed) return;
    const socket = dialUpstream(this.options.url, this.options.accessToken, this.options.maxFrameSize);
    this.socket = socket;
    socket.on('open', () => {
      this.attempt = 0;
      this.setOnline(true);
      this.options.logger.info(`upstream ${this.shownUrl} connected`);
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.receive(data.toString());
    });
    socket.on('error', (err) => {
      this.options.logger.debug({ err: err.message }, `upstream ${this.shownUrl}: socket error`);
    });
    socket.on('unexpected-response', (_req, res) => {
      this.options.logger.warn(`upstream ${this.shownUrl} refused the connection: HTTP ${res.statusCode}${res.statusCode === 401 || res.statusCode === 403 ? ' (check upstream_access_token)' : ''}`);
      socket.terminate();
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const was = this.online;
      this.setOnline(false);
      this.calls.failAll(`the connection to the upstream ${this.shownUrl} was lost`);
      if (this.closed) return;
      const delay = this.backoff();
      if (was) this.options.logger.warn(`upstream ${this.shownUrl} disconnected; reconnecting in ${delay} ms`);
      else this.options.logger.debug(`upstream ${this.shownUrl} unreachable; retrying in ${delay} ms`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Exponential backoff with ±25 % jitter, capped. */
  private backoff(): number {
    return retryDelay(this.attempt++, this.minBackoffMs, this.maxBackoffMs);
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.options.tap?.state(online);
    for (const listener of this.stateListeners) listener(online);
  }

  private receive(text: string): void {
    const frame = parseFrame(text);
    if (frame === undefined) {
      this.options.logger.warn(`upstream ${this.shownUrl} sent a frame that is not a JSON object; ignored`);
      return;
    }
    this.options.tap?.frame('in', frame);
    if (typeof frame['post_type'] === 'string') {
      for (const listener of this.eventListeners) listener(frame);
      return;
    }
    this.calls.settle(frame);
  }
}
