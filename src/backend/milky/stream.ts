/**
 * Milky's event stream at `{base}/event` (the token as `Authorization: Bearer`), each event
 * `{event_type, time, self_id, data}`: a WebSocket (`upstream_event_transport = websocket`, each text
 * frame one event) or Server-Sent Events (`sse`, sse.ts). Either way it reconnects forever with
 * exponential backoff (1 s to 30 s by default) and ±25 % jitter, refuses an event larger than
 * `maxFrameSize` bytes (the WebSocket closes; the SSE stream is cut, with a log line), and the
 * implementation counts as online while the stream is open. A `tap` (the recorder) sees each event
 * and each change of state.
 */
import { UpstreamEvents } from '../upstream-events.js';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { dialUpstream, retryDelay, terminateSocket } from '../upstream-socket.js';
import { openSse } from './sse.js';

export type MilkyFrame = { event_type: string; time: number; self_id: number; data: Record<string, unknown> };

export type EventTransport = 'websocket' | 'sse';

/** Largest event accepted unless configured (a long forward or history can be large). */
const DEFAULT_MAX_EVENT = 64 * 1024 * 1024;

export interface StreamTap {
  frame(dir: 'in' | 'out', frame: Record<string, unknown>): void;
  state(online: boolean): void;
}

export interface StreamOptions {
  /** `{base}/event`, with the scheme of the API (`http(s)://`); dialed as `ws(s)://` for a WebSocket. */
  url: string;
  accessToken: string;
  logger: Logger;
  transport?: EventTransport;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxFrameSize?: number;
  tap?: StreamTap;
}

export class MilkyEventStream extends UpstreamEvents<MilkyFrame> {
  private link: { close(): Promise<void> } | undefined;
  private online = false;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly transport: EventTransport;
  readonly shownUrl: string;

  constructor(private readonly options: StreamOptions) {
    super();
    this.transport = options.transport ?? 'websocket';
    const url = new URL(options.url);
    const scheme = this.transport === 'websocket' ? url.protocol.replace(/^http/i, 'ws') : url.protocol;
    this.shownUrl = `${scheme}//${url.host}${url.pathname}`;
  }

  start(): void {
    this.connect();
  }

  isOnline(): boolean {
    return this.online;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const link = this.link;
    this.link = undefined;
    await link?.close();
  }

  private connect(): void {
    if (this.closed) return;
    const link = this.transport === 'sse' ? this.openSse() : this.openWebSocket();
    this.link = link;
  }

  private opened(): void {
    this.attempt = 0;
    this.setOnline(true);
    this.options.logger.info(`Milky event stream ${this.shownUrl} connected`);
  }

  private refused(status: number, detail = ''): void {
    const token = status === 401 || status === 403 ? ' (check upstream_access_token)' : '';
    this.options.logger.warn(`Milky event stream ${this.shownUrl} refused: HTTP ${status}${detail}${token}`);
  }

  /** The stream `link` is over: offline, and the next attempt after the backoff. */
  private lost(link: object): void {
    if (this.link === link) this.link = undefined;
    const was = this.online;
    this.setOnline(false);
    if (this.closed) return;
    const delay = retryDelay(this.attempt++, this.options.minBackoffMs ?? 1000, this.options.maxBackoffMs ?? 30_000);
    if (was) this.options.logger.warn(`Milky event stream ${this.shownUrl} lost; reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** One event's JSON text: parsed, checked for its shape, given to the listeners. */
  private received(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof (frame as MilkyFrame).event_type !== 'string') return;
    const event = frame as MilkyFrame;
    if (typeof event.data !== 'object' || event.data === null) event.data = {};
    this.options.tap?.frame('in', event);
    this.emitEvent(event);
  }

  private openWebSocket(): { close(): Promise<void> } {
    const url = this.options.url.replace(/^http/i, 'ws');
    const socket: WebSocket = dialUpstream(url, this.options.accessToken, this.options.maxFrameSize ?? DEFAULT_MAX_EVENT);
    const link = { close: () => terminateSocket(socket) };
    socket.on('open', () => this.opened());
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.received(data.toString());
    });
    socket.on('error', (err) => this.options.logger.debug({ err: err.message }, `Milky event stream ${this.shownUrl}: socket error`));
    socket.on('unexpected-response', (_req, res) => {
      this.refused(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('close', () => this.lost(link));
    return link;
  }

  private openSse(): { close(): Promise<void> } {
    const max = this.options.maxFrameSize ?? DEFAULT_MAX_EVENT;
    let ended: () => void = () => undefined;
    const over = new Promise<void>((resolve) => { ended = resolve; });
    const stream = openSse(this.options.url, this.options.accessToken, max, {
      open: () => this.opened(),
      message: (data) => this.received(data),
      refused: (status, type) => this.refused(status, status === 200 ? ` with ${type === '' ? 'no content type' : type}, not text/event-stream` : ''),
      oversized: () => this.options.logger.warn(`Milky event stream ${this.shownUrl}: an event larger than ${max} bytes (or a line that does not end); cutting the stream and reconnecting`),
      error: (err) => this.options.logger.debug({ err: err.message }, `Milky event stream ${this.shownUrl}: request error`),
      closed: () => {
        ended();
        this.lost(link);
      },
    });
    const link = {
      close: () => {
        stream.close();
        return over;
      },
    };
    return link;
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.options.tap?.state(online);
    this.emitState(online);
  }
}
