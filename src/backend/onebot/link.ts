/**
 * The dialing mode of the `onebot` backend: cqhttpd connects to the upstream's forward WebSocket
 * (Universal: calls and events on one connection; the frames are read as every upstream
 * connection reads them, connection.ts). The link reconnects forever with exponential backoff and
 * jitter; while it is down every call fails at once (BACKEND_OFFLINE) and the calls in flight when
 * it dropped fail too — nothing waits forever.
 */
import type WebSocket from 'ws';
import { dialUpstream, retryDelay, terminateSocket } from '../upstream-socket.js';
import { FrameConnection, type FrameOptions } from './connection.js';

export type { LinkTap } from './connection.js';

export interface LinkOptions extends FrameOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>`; empty = none. */
  accessToken: string;
  /** First and longest pause between connection attempts (default 1 s and 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class UpstreamLink extends FrameConnection {
  private socket: WebSocket | undefined;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  readonly shownUrl: string;

  constructor(private readonly link: LinkOptions) {
    super(link);
    this.minBackoffMs = link.minBackoffMs ?? 1000;
    this.maxBackoffMs = link.maxBackoffMs ?? 30_000;
    const url = new URL(link.url);
    this.shownUrl = `${url.protocol}//${url.host}${url.pathname}`; // never a token in the query
  }

  /** Start connecting (and keep reconnecting until {@link close}). */
  start(): void {
    this.connect();
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

  protected callSocket(): WebSocket | undefined {
    return this.socket;
  }

  protected offlineWording(action: string): string {
    return `${action}: the upstream ${this.shownUrl} is not connected; cqhttpd is reconnecting`;
  }

  private connect(): void {
    if (this.closed) return;
    const logger = this.link.logger;
    const socket = dialUpstream(this.link.url, this.link.accessToken, this.link.maxFrameSize);
    this.socket = socket;
    this.attachSocket(socket, 'universal');
    socket.on('open', () => {
      this.attempt = 0;
      this.setOnline(true);
      logger.info(`upstream ${this.shownUrl} connected`);
    });
    socket.on('unexpected-response', (_req, res) => {
      logger.warn(`upstream ${this.shownUrl} refused the connection: HTTP ${res.statusCode}${res.statusCode === 401 || res.statusCode === 403 ? ' (check upstream_access_token)' : ''}`);
      socket.terminate();
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const was = this.online;
      this.setOnline(false);
      this.calls.failAll(`the connection to the upstream ${this.shownUrl} was lost`);
      if (this.closed) return;
      const delay = retryDelay(this.attempt++, this.minBackoffMs, this.maxBackoffMs);
      if (was) logger.warn(`upstream ${this.shownUrl} disconnected; reconnecting in ${delay} ms`);
      else logger.debug(`upstream ${this.shownUrl} unreachable; retrying in ${delay} ms`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }
}
