/**
 * The socket to an upstream OneBot v11 implementation's forward WebSocket (Universal: calls and
 * events on one connection). Calls go out as `{action, params, echo}` frames and wait in a bounded
 * map for the frame with their echo, each with a deadline; frames with `post_type` are events.
 * The link reconnects forever with exponential backoff and jitter; while it is down every call fails
 * at once (BACKEND_OFFLINE) and the calls in flight when it dropped fail too — nothing waits forever.
 */
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { ApiError } from '../../protocol/errors.js';
import { upstreamFailure } from './failures.js';

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
  /** Sees every frame sent and received and every connection change (the recorder, docs/recording.md). */
  tap?: LinkTap;
}

/** An observer of the link's traffic: frames as objects (before sending, after parsing), and `online` changes. */
export interface LinkTap {
  frame(dir: 'in' | 'out', frame: Record<string, unknown>): void;
  state(online: boolean): void;
}

type Frame = Record<string, unknown>;

interface Pending {
  action: string;
  resolve(data: unknown): void;
  reject(err: ApiError): void;
  timer: NodeJS.Timeout;
}

export class UpstreamLink {
  private socket: WebSocket | undefined;
  private online = false;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private nextEcho = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(event: Frame) => void>();
  private readonly stateListeners = new Set<(online: boolean) => void>();
  private readonly callTimeoutMs: number;
  private readonly maxPending: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly shownUrl: string;

  constructor(private readonly options: LinkOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.maxPending = options.maxPending ?? 1000;
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
    if (this.online) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { stop(); resolve(false); }, timeoutMs);
      const stop = this.onState((online) => {
        if (!online) return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  /** Call `action` on the upstream; resolves with its `data`, rejects with an ApiError. */
  call(action: string, params: Record<string, unknown>): Promise<unknown> {
    const socket = this.socket;
    if (!this.online || socket === undefined) {
      return Promise.reject(new ApiError('BACKEND_OFFLINE', `${action}: the upstream ${this.shownUrl} is not connected; cqhttpd is reconnecting`));
    }
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(new ApiError('BACKEND_BUSY', `${action}: ${this.pending.size} calls already wait for the upstream`));
    }
    const echo = `cqhttpd:${this.nextEcho++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(echo);
        reject(new ApiError('BACKEND_TIMEOUT', `${action}: the upstream did not answer within ${this.callTimeoutMs} ms`));
      }, this.callTimeoutMs);
      this.pending.set(echo, { action, resolve, reject, timer });
      const frame = { action, params, echo };
      this.options.tap?.frame('out', frame);
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

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.failPending('cqhttpd is shutting down');
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return;
    await new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once('close', () => resolve());
      socket.terminate();
    });
  }

  private connect(): void {
    if (this.closed) return;
    const headers: Record<string, string> = {};
    if (this.options.accessToken !== '') headers['authorization'] = `Bearer ${this.options.accessToken}`;
    const socket = new WebSocket(this.options.url, { headers, maxPayload: this.options.maxFrameSize ?? 64 * 1024 * 1024, handshakeTimeout: 10_000 });
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
      this.failPending(`the connection to the upstream ${this.shownUrl} was lost`);
      if (this.closed) return;
      const delay = this.backoff();
      if (was) this.options.logger.warn(`upstream ${this.shownUrl} disconnected; reconnecting in ${delay} ms`);
      else this.options.logger.debug(`upstream ${this.shownUrl} unreachable; retrying in ${delay} ms`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Exponential backoff with ±25 % jitter, capped. */
  private backoff(): number {
    const base = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** Math.min(this.attempt, 16));
    this.attempt++;
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.options.tap?.state(online);
    for (const listener of this.stateListeners) listener(online);
  }

  private failPending(why: string): void {
    for (const [echo, entry] of this.pending) {
      this.pending.delete(echo);
      clearTimeout(entry.timer);
      entry.reject(new ApiError('BACKEND_OFFLINE', `${entry.action}: ${why}`));
    }
  }

  private receive(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.options.logger.warn(`upstream ${this.shownUrl} sent a frame that is not JSON; ignored`);
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return;
    const f = frame as Frame;
    this.options.tap?.frame('in', f);
    if (typeof f['post_type'] === 'string') {
      for (const listener of this.eventListeners) listener(f);
      return;
    }
    const echo = f['echo'];
    const entry = typeof echo === 'string' ? this.pending.get(echo) : undefined;
    if (entry === undefined || typeof echo !== 'string') return;
    this.pending.delete(echo);
    clearTimeout(entry.timer);
    const retcode = Number(f['retcode']);
    if (retcode === 0) entry.resolve(f['data']);
    else entry.reject(upstreamFailure(entry.action, f));
  }
}
