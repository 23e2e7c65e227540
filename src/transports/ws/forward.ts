/**
 * The forward WebSocket server (CQHTTP 4.15 §3.4): bots connect to `ws_host:ws_port`.
 *
 * | path                          | API frames answered | events pushed | `connect` broadcast on open |
 * |-------------------------------|---------------------|---------------|-----------------------------|
 * | `/api`, `/api/`               | yes                 | no            | no                          |
 * | `/event`, `/event/`           | no (ignored)        | yes           | yes                         |
 * | `/` and any other path        | yes                 | yes           | yes                         |
 *
 * Any other path (`/ws`, `/onebot/v11/ws`: what many bot templates dial) is served as `/`
 * (Universal), as go-cqhttp does; 4.15 dropped such handshakes. The path is logged at debug.
 *
 * The upgrade is always accepted; the access token (§3.1.1, header or handshake query) is checked
 * after it, and a failure is answered with the text frame `authorization failed` and close 1000.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { createTokenCheck } from '../../core/auth.js';
import type { Connection, ConnectionRegistry } from '../../core/connections.js';
import type { Dispatch } from '../../core/result.js';
import { parseQuery } from '../http/params.js';
import { pathEnd } from '../http/routes.js';
import type { FaultEngine } from '../../core/faults/index.js';
import { answerApiFrames, faultableSocket, isFrameTooLarge, socketChannel } from './connection.js';
import type { EventHub, WsEventSettings } from './connection.js';
import { API_GRANTS, DEFAULT_MAX_HEADER_SIZE, listenOn } from '../listen.js';

/** Settings of the forward server (config keys `ws_host`, `ws_port`, `access_token`, …). */
export interface ForwardWsOptions extends WsEventSettings {
  /** The bot account it serves, for the connection registry (several bots share one). */
  selfId?: number | undefined;
  /** Listen address; "" means 127.0.0.1 (decision P1). */
  host: string;
  /** Listen port; 0 picks a free one. */
  port: number;
  /** "" disables the token check. */
  accessToken: string;
  /** Add `msg`/`wording` to failure envelopes (decision P4). */
  failureDetails: boolean;
  /** Largest accepted frame in bytes; a bigger one closes the connection with 1009. */
  maxFrameSize: number;
  /** Largest handshake head in bytes; bigger → 431 (default 64 KiB). */
  maxHeaderSize?: number;
  /** How long `close()` waits for close handshakes before cutting connections (ms, default 2000). */
  shutdownGraceMs?: number;
}

export interface ForwardWsDeps {
  dispatch: Dispatch;
  hub: EventHub;
  options: ForwardWsOptions;
  logger: Logger;
  /** Where each connection is registered (web console, metrics); absent = not registered. */
  connections?: ConnectionRegistry;
  /** Injected faults: `refuse` answers handshakes 503; `drop` and `half_open` act on open connections. */
  faults?: FaultEngine;
  /** The bot account this server is for (a drop's notice names it); absent = the first. */
  selfId?: number;
}

export interface ForwardWsServer {
  /** The underlying `node:http` server (for tests). */
  readonly server: Server;
  /** Start listening; resolves with the bound address. Rejects with a readable message on EADDRINUSE. */
  listen(): Promise<{ host: string; port: number }>;
  /** Close every connection with 1001 and stop listening (connections that linger are cut). Idempotent. */
  close(): Promise<void>;
  /** Open WebSocket connections (authorised or not yet closed after a failed check). */
  connections(): number;
}

type Endpoint = 'api' | 'event' | 'universal';

/** The endpoint of a raw path (query excluded, not decoded): `^/api/?$`, `^/event/?$`, else Universal. */
export function matchEndpoint(path: string): Endpoint {
  switch (path) {
    case '/api':
    case '/api/':
      return 'api';
    case '/event':
    case '/event/':
      return 'event';
    default:
      return 'universal';
  }
}

/** Create (not start) the forward WebSocket server. */
export function createForwardWsServer(deps: ForwardWsDeps): ForwardWsServer {
  const { dispatch, hub, options } = deps;
  const logger = deps.logger.child({ component: 'ws' });
  const checkToken = createTokenCheck(options.accessToken);
  const host = options.host === '' ? '127.0.0.1' : options.host;
  const clients = new Set<WebSocket>();
  /** Resolvers waiting for `clients` to become empty (shutdown). */
  const drained: (() => void)[] = [];
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer({
    headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000, requireHostHeader: false,
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
  });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: Math.max(1, options.maxFrameSize),
    perMessageDeflate: false,
    // Bad UTF-8 is answered with 1400 (api-frames.ts) rather than a 1007 close.
    skipUTF8Validation: true,
  });

  server.on('request', (_req, res) => {
    // Not a WebSocket handshake: every path is an endpoint (any other path is Universal), all want an upgrade.
    res.writeHead(426, ['Upgrade', 'websocket', 'Content-Length', '0', 'Connection', 'close']);
    res.end();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) {
      socket.destroy();
      return;
    }
    if (deps.faults?.active === true && deps.faults.refuses('ws')) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const url = req.url ?? '';
    const end = pathEnd(url);
    const requested = url.slice(0, end);
    const endpoint = matchEndpoint(requested);
    if (endpoint === 'universal' && requested !== '/') logger.debug({ path: requested }, `WebSocket path ${requested} is served as / (Universal: API and events)`);
    socket.on('error', ignore);
    wss.handleUpgrade(req, socket, head, (ws) => onOpen(ws, req, socket, endpoint, requested, end < url.length ? url.slice(end + 1) : null));
  });

  function onOpen(ws: WebSocket, req: IncomingMessage, raw: Duplex, endpoint: Endpoint, requested: string, query: string | null): void {
    const path = endpoint === 'universal' ? '/' : `/${endpoint}`;
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const name = `ws ${path} ${remote}`;
    let detach: (() => void) | undefined;
    let unfault: (() => void) | undefined = undefined; // set once the connection is authorised
    const entry: Connection | undefined = deps.connections?.open({ transport: 'ws', role: endpoint, path: requested, remote, auth: options.accessToken === '' ? 'none' : null, selfId: options.selfId });
    clients.add(ws);
    ws.on('error', (err) => {
      entry?.error(err.message);
      if (isFrameTooLarge(err)) logger.warn(`${name}: frame larger than ${options.maxFrameSize} bytes; connection closed (1009)`);
      else logger.debug({ err }, `${name}: ${err.message}`);
    });
    ws.on('close', (code) => {
      clients.delete(ws);
      detach?.();
      unfault?.();
      entry?.closed(code);
      entry?.remove();
      if (clients.size === 0) drained.splice(0).forEach((resolve) => resolve());
      logger.debug(`WebSocket client disconnected: ${name} (code ${code})`); // the traffic log announces it (app/traffic.ts)
    });
    if (closing) {
      ws.close(1001);
      return;
    }
    if (options.accessToken !== '') {
      const given = query === null ? undefined : parseQuery(query).access_token;
      const outcome = checkToken(req.headers.authorization, typeof given === 'string' ? given : undefined);
      entry?.authorized(outcome);
      if (outcome !== 'ok') {
        logger.warn(`${name}: authorization failed (${outcome === 'missing' ? 'no token' : 'wrong token'})`);
        ws.send('authorization failed');
        ws.close(1000);
        return;
      }
    }
    logger.debug(`WebSocket client connected: ${name}`);
    const cut = (err: Error): void => {
      logger.debug({ err }, `${name}: send failed (${err.message}); connection dropped`);
      entry?.error(`send failed: ${err.message}`);
      ws.terminate();
    };
    let overflowed = false;
    const overflow = (buffered: number): void => {
      if (overflowed) return;
      overflowed = true;
      logger.warn(`${name}: client is not reading (${buffered} bytes unsent, limit ${options.maxBacklogBytes}); connection cut`);
      entry?.error(`not reading: ${buffered} bytes unsent`);
      ws.terminate();
    };
    unfault = deps.faults?.attach(faultableSocket(ws, raw, 'ws', endpoint, endpoint !== 'api', entry?.id, deps.selfId));
    if (endpoint !== 'event') answerApiFrames(ws, dispatch, 'ws', options.failureDetails, logger, cut, { maxBytes: options.maxBacklogBytes, onOverflow: overflow }, raw);
    if (endpoint !== 'api') {
      detach = hub.attach(socketChannel(ws, name, options, overflow, cut, raw, entry));
      hub.emitLifecycle('connect');
    }
  }

  return {
    server,
    listen: () => listenOn(server, host, options.port, {
      what: 'WebSocket server', scheme: 'ws', hostKey: 'ws_host', portKey: 'ws_port',
      token: { key: 'access_token', set: options.accessToken !== '', grants: `${API_GRANTS}, and receive every event (every message the bot sees)` },
    }, logger),
    close() {
      if (closed === undefined) {
        closing = true;
        const empty = new Promise<void>((resolve) => (clients.size === 0 ? resolve() : drained.push(resolve)));
        closed = shutdown(server, clients, options.shutdownGraceMs ?? 2_000, logger).then(() => empty);
      }
      return closed;
    },
    connections: () => clients.size,
  };
}

function ignore(): void {}


function shutdown(server: Server, clients: Set<WebSocket>, graceMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    for (const ws of clients) ws.close(1001);
    if (!server.listening) {
      for (const ws of clients) ws.terminate();
      resolve();
      return;
    }
    const cut = setTimeout(() => {
      for (const ws of clients) ws.terminate();
      server.closeAllConnections();
    }, graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      logger.info('WebSocket server closed');
      resolve();
    });
    server.closeIdleConnections();
  });
}
