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
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_MAX_FRAME } from '../upstream-socket.js';
import { FrameConnection, type FrameOptions, type SocketRole } from './connection.js';

/** The outcome of a token check: the composition root's `createTokenCheck` for `upstream_access_token`. */
export type UpstreamTokenCheck = (authorization: string | undefined, queryToken: string | undefined) => 'ok' | 'missing' | 'wrong';

export interface ReverseOptions extends FrameOptions {
  host: string;
  port: number;
  /** The Universal path; `<path>/api` and `<path>/event` are the pair's. */
  path: string;
  checkToken: UpstreamTokenCheck;
}

const trimSlash = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

export class ReverseUpstream extends FrameConnection {
  private server: Server | undefined;
  private readonly wss: WebSocketServer;
  /** The socket calls go to (Universal or API) and the sockets events come from. */
  private apiSocket: WebSocket | undefined;
  private readonly sockets = new Map<SocketRole, WebSocket>();
  private readonly base: string;
  private closed = false;
  shownUrl: string;

  constructor(private readonly listen: ReverseOptions) {
    super(listen);
    this.base = trimSlash(listen.path.startsWith('/') ? listen.path : `/${listen.path}`);
    this.shownUrl = `reverse ws://${listen.host}:${listen.port}${this.base}`;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: listen.maxFrameSize ?? DEFAULT_MAX_FRAME });
  }

  /** The port listened on (the OS's choice when configured 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.listen.port;
  }

  async start(): Promise<void> {
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('a OneBot v11 upstream connects here with a WebSocket\n');
    });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.shownUrl = `reverse ws://${this.listen.host}:${this.port}${this.base}`;
    this.listen.logger.info(`waiting for the upstream to connect to ws://${this.listen.host}:${this.port}${this.base}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.calls.failAll('cqhttpd is shutting down');
    for (const socket of this.sockets.values()) socket.terminate();
    this.sockets.clear();
    this.apiSocket = undefined;
    this.online = false; // the tap and the listeners are not told: cqhttpd is stopping
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected callSocket(): WebSocket | undefined {
    return this.apiSocket;
  }

  protected offlineWording(action: string): string {
    return `${action}: the upstream has not connected to ${this.shownUrl}`;
  }

  private roleOf(req: IncomingMessage, pathname: string): SocketRole | undefined {
    const header = String(req.headers['x-client-role'] ?? '').toLowerCase();
    const path = trimSlash(pathname);
    const bySuffix: SocketRole | undefined = path === this.base ? 'universal'
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
    const auth = this.listen.checkToken(req.headers.authorization, url.searchParams.get('access_token') ?? undefined);
    if (auth !== 'ok') {
      this.listen.logger.warn(`an upstream connection from ${req.socket.remoteAddress ?? '?'} was refused: ${auth === 'missing' ? 'no' : 'a wrong'} token (upstream_access_token)`);
      return refuse(auth === 'missing' ? 401 : 403, auth === 'missing' ? 'Unauthorized' : 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(role, ws, req));
  }

  private attach(role: SocketRole, socket: WebSocket, req: IncomingMessage): void {
    const older = this.sockets.get(role);
    this.sockets.set(role, socket);
    if (older !== undefined) older.terminate();
    if (role !== 'event') this.apiSocket = socket;
    this.listen.logger.info(`upstream connected (${role}) from ${req.socket.remoteAddress ?? '?'} to ${this.shownUrl}`);
    this.setOnline(this.apiSocket !== undefined);
    this.attachSocket(socket, role);
    socket.on('close', () => {
      if (this.sockets.get(role) !== socket) return; // replaced by a newer one
      this.sockets.delete(role);
      if (this.apiSocket !== socket) return;
      this.apiSocket = [this.sockets.get('universal'), this.sockets.get('api')].find((s) => s !== undefined);
      if (this.apiSocket !== undefined) return;
      this.calls.failAll(`the upstream's connection to ${this.shownUrl} was lost`);
      if (this.closed) return;
      this.listen.logger.warn(`upstream disconnected from ${this.shownUrl}; waiting for it to connect again`);
      this.setOnline(false);
    });
  }
}
