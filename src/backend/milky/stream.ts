/**
 * Milky's event stream: a WebSocket to `{base}/event` (the token as `Authorization: Bearer`),
 * each text frame one event `{event_type, time, self_id, data}`. Reconnects forever with
 * exponential backoff (1 s to 30 s by default) and ±25 % jitter; the implementation counts as
 * online while the stream is open.
 */
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { dialUpstream, retryDelay, terminateSocket } from '../upstream-socket.js';

export type MilkyFrame = { event_type: string; time: number; self_id: number; data: Record<string, unknown> };

export interface StreamOptions {
  url: string;
  accessToken: string;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxFrameSize?: number;
}

export class MilkyEventStream {
  private socket: WebSocket | undefined;
  private online = false;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly eventListeners = new Set<(event: MilkyFrame) => void>();
  private readonly stateListeners = new Set<(online: boolean) => void>();
  readonly shownUrl: string;

  constructor(private readonly options: StreamOptions) {
    const url = new URL(options.url);
    this.shownUrl = `${url.protocol}//${url.host}${url.pathname}`;
  }

  start(): void {
    this.connect();
  }

  isOnline(): boolean {
    return this.online;
  }

  onEvent(listener: (event: MilkyFrame) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (online: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
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
      this.options.logger.info(`Milky event stream ${this.shownUrl} connected`);
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof frame !== 'object' || frame === null || typeof (frame as MilkyFrame).event_type !== 'string') return;
      const event = frame as MilkyFrame;
      if (typeof event.data !== 'object' || event.data === null) event.data = {};
      for (const listener of this.eventListeners) listener(event);
    });
    socket.on('error', (err) => this.options.logger.debug({ err: err.message }, `Milky event stream ${this.shownUrl}: socket error`));
    socket.on('unexpected-response', (_req, res) => {
      this.options.logger.warn(`Milky event stream ${this.shownUrl} refused: HTTP ${res.statusCode}${res.statusCode === 401 || res.statusCode === 403 ? ' (check upstream_access_token)' : ''}`);
      socket.terminate();
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      const was = this.online;
      this.setOnline(false);
      if (this.closed) return;
      const delay = retryDelay(this.attempt++, this.options.minBackoffMs ?? 1000, this.options.maxBackoffMs ?? 30_000);
      if (was) this.options.logger.warn(`Milky event stream ${this.shownUrl} lost; reconnecting in ${delay} ms`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    for (const listener of this.stateListeners) listener(online);
  }
}
