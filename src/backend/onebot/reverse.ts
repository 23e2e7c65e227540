/**
 * The reverse mode of the `onebot` backend: the upstream dials cqhttpd. cqhttpd listens on a
 * host, port and path; the upstream connects either one Universal socket (calls and events) or an
 * API socket and an Event socket (`<path>/api`, `<path>/event`, or any of them with an
 * `X-Client-Role` header). Its token is checked by the check the composition root hands in (the
 * same constant-time check as the bot-facing side). A newer socket of a role replaces the older
 * one; while no socket takes calls, every call fails at once (BACKEND_OFFLINE).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../protocol/errors.js';
import { PendingCalls, parseFrame } from './calls.js';
import { waitOnline, type CallOptions, type Frame, type LinkTap, type UpstreamConnection } from './connection.js';

/** The outcome of a token check: the composition root's `createTokenCheck` for `upstream_access_token`. */
export type UpstreamTokenCheck = (authorization: string | undefined, queryToken: string | undefined) => 'ok' | 'missing' | 'wrong';

export interface ReverseOptions {
  host: string;
  port: number;
  /** The Universal path; `<path>/api` and `<path>/event` are the pair's. */
  path: string;
  checkToken: UpstreamTokenCheck;
  logger: Logger;
  callTimeoutMs?: number;
  maxPending?: number;
  maxFrameSize?: number;
  failure?: (action: string, frame: Frame) => ApiError;
  /** Sees every frame sent and received and every connection change (the recorder). */
  tap?: LinkTap;
}

type Role = 'universal' | 'api' | 'event';

const trimSlash = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

export class ReverseUpstream implements UpstreamConnection {
  private server: Server | undefined;
  private readonly wss: WebSocketServer;
  /** The socket calls go to (Universal or API) and the sockets events come from. */
  private apiSocket: WebSocket | undefined;
  private readonly sockets = new Map<Role, WebSocket>();
  private readonly calls: PendingCalls;
  private readonly eventListeners = new Set<(event: Frame) => void>();
  private readonly stateListeners = new Set<(online: boolean) => void>();
  private readonly base: string;
  private closed = false;
  shownUrl: string;

  constructor(private readonly options: ReverseOptions) {
    this.base = trimSlash(options.path.startsWith('/') ? options.path : `/${options.path}`);
    this.shownUrl = `reverse ws://${options.host}:${options.port}${this.base}`;
    this.calls = new PendingCalls({
      callTimeoutMs: options.callTimeoutMs ?? 30_000, maxPending: options.maxPending ?? 1000, ...(options.failure ? { failure: options.failure } : {}),
      ...(options.tap ? { onSend: (frame: Frame) => options.tap?.frame('out', frame) } : {}),
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameSize ?? 64 * 1024 * 1024 });
  }

  /** The port listened on (the OS's choice when configured 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async start(): Promise<void> {
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('a OneBot v11 upstream connects here with a WebSocket\n');
    });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.shownUrl = `reverse ws://${this.options.host}:${this.port}${this.base}`;
    this.options.logger.info(`waiting for the upstream to connect to ws://${this.options.host}:${this.port}${this.base}`);
  }

  isOnline(): boolean {
    return this.apiSocket !== undefined;
  }

  onEvent(listener: (event: Frame) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (online: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  waitOnline(timeoutMs: number): Promise<boolean> {
    return waitOnline(this, timeoutMs);
  }

  call(action: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const socket = this.apiSocket;
    if (socket === undefined) {
      return Promise.reject(new ApiError('BACKEND_OFFLINE', `${action}: the upstream has not connected to ${this.shownUrl}`));
    }
    return this.calls.send(socket, action, params, options.timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.calls.failAll('cqhttpd is shutting down');
    for (const socket of this.sockets.values()) socket.terminate();
    this.sockets.clear();
    this.apiSocket = undefined;
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private roleOf(req: IncomingMessage, pathname: string): Role | undefined {
    const header = String(req.headers['x-client-role'] ?? '').toLowerCase();
    const path = trimSlash(pathname);
    const bySuffix: Role | undefined = path === this.base ? 'universal'
      : path === `${this.base === '/' ? '' : this.base}/api` ? 'api'
        : path === `${this.base === '/' ? '' : this.base}/event` ? 'event' : undefined;
    if (bySuffix === undefined) return undefined;
    if (header === 'universal' || header === 'api' || header === 'event') return header;
    return bySuffix;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://upstream');
    const role = this.roleOf(req, url.pathname);
    if (role === undefined || this.closed) return refuse(404, 'Not Found');
    const auth = this.options.checkToken(req.headers.authorization, url.searchParams.get('access_token') ?? undefined);
    if (auth !== 'ok') {
      this.options.logger.warn(`an upstream connection from ${req.socket.remoteAddress ?? '?'} was refused: ${auth === 'missing' ? 'no' : 'a wrong'} token (upstream_access_token)`);
      return refuse(auth === 'missing' ? 401 : 403, auth === 'missing' ? 'Unauthorized' : 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(role, ws, req));
  }

  private attach(role: Role, socket: WebSocket, req: IncomingMessage): void {
    const older = this.sockets.get(role);
    this.sockets.set(role, socket);
    if (older !== undefined) older.terminate();
    const wasOnline = this.isOnline();
    if (role !== 'event') this.apiSocket = socket;
    this.options.logger.info(`upstream connected (${role}) from ${req.socket.remoteAddress ?? '?'} to ${this.shownUrl}`);
    if (!wasOnline) this.emitState(true);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = parseFrame(data.toString());
      if (frame === undefined) return;
      this.options.tap?.frame('in', frame);
      if (typeof frame['post_type'] === 'string') {
        if (role === 'api') return; // an API socket carries answers only
        for (const listener of this.eventListeners) listener(frame);
        return;
      }
      if (role !== 'event') this.calls.settle(frame);
    });
    socket.on('error', (err) => this.options.logger.debug({ err: err.message }, `upstream ${role} socket error`));
    socket.on('close', () => {
      if (this.sockets.get(role) !== socket) return; // replaced by a newer one
      this.sockets.delete(role);
      if (this.apiSocket !== socket) return;
      this.apiSocket = [this.sockets.get('universal'), this.sockets.get('api')].find((s) => s !== undefined);
      if (this.apiSocket !== undefined) return;
      this.calls.failAll(`the upstream's connection to ${this.shownUrl} was lost`);
      if (this.closed) return;
      this.options.logger.warn(`upstream disconnected from ${this.shownUrl}; waiting for it to connect again`);
      this.emitState(false);
    });
  }

  private emitState(online: boolean): void {
    this.options.tap?.state(online);
    for (const listener of this.stateListeners) listener(online);
  }
}
