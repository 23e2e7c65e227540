/**
 * The sandbox control API: a second HTTP listener (config `sandbox_host`, `sandbox_port`,
 * `sandbox_token`), separate from the bot's API, for people and test scripts to drive the simulated
 * world — JSON over HTTP under `/api/` plus a Server-Sent Events stream. Endpoints: docs/sandbox-api.md.
 *
 * Order of checks: token (401/403) → route (404) → method (405) → body size (413) → JSON (400) →
 * handler (200, or the failure's status). Built on `node:http` like the HTTP API server.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { createTokenCheck } from '../../core/auth.js';
import { ApiError } from '../../protocol/errors.js';
import { parseJsonParams } from '../../protocol/json.js';
import { clientErrorHandler } from '../client-error.js';
import { MAX_JSON_DEPTH } from '../../protocol/json-scan.js';
import { readBody } from '../http/body.js';
import { Fields } from './fields.js';
import type { CallJournal } from './journal.js';
import { FileAnswer, writeFile } from './file-answer.js';
import { writeApiError, writeError, writeJson } from './respond.js';
import { routeIndex, Router } from './router.js';
import type { BotApi, ControlApi, Route } from './router.js';
import type { FaultEngine } from '../../core/faults/index.js';
import { CALL_ROUTES } from './routes-call.js';
import { FAULT_ROUTES } from './routes-faults.js';
import { GROUP_ROUTES } from './routes-groups.js';
import { MESSAGE_ROUTES } from './routes-messages.js';
import { DISCUSS_ROUTES } from './routes-discuss.js';
import { MEDIA_ROUTES } from './routes-media.js';
import { WORLD_ROUTES } from './routes-world.js';
import { DEFAULT_SSE_BACKLOG } from './sse.js';
import { StreamHub, type BotEvents, type MetaEvents } from './stream.js';
import type { SubscribeDeliveries } from './deliveries.js';
import type { SandboxBackend } from './surface.js';
import { DEFAULT_MAX_HEADER_SIZE, listenOn } from '../listen.js';

/** Settings of the control listener. */
export interface SandboxControlOptions {
  /** Listen address; "" means 127.0.0.1 (decision P1). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** "" disables the check; else `Authorization: Bearer <token>` or `?token=` is required. */
  token: string;
  /** Largest accepted request body in bytes; bigger → 413. */
  maxBodySize: number;
  /** Largest request head in bytes; bigger → 431 (default 64 KiB). */
  maxHeaderSize?: number;
  /** Bytes of frames a stream client may have queued before it is dropped (default 8 MiB, `max_stream_backlog_size`). */
  sseBacklog?: number;
  /** Interval of the stream's keep-alive comment, ms (default 15000; 0 = none). */
  heartbeatMs?: number;
  /** How long `close()` waits for in-flight requests (ms, default 2000). */
  shutdownGraceMs?: number;
  /** The built web console (dist/console); absent or unbuilt: `/` answers 404 and the log says why. */
  consoleDir?: string;
}

/** What the control server drives and reports: the sandbox, the call journal, its settings, a logger. */
export interface SandboxControlDeps {
  sandbox: SandboxBackend;
  calls: CallJournal;
  options: SandboxControlOptions;
  logger: Logger;
  /** Resolves the media of posted messages (see {@link ControlApi.resolveMedia}). */
  resolveMedia?: ControlApi['resolveMedia'];
  /** Voice records as browsers play them (see {@link ControlApi.playableRecord}). */
  playableRecord?: ControlApi['playableRecord'];
  /** What `GET /api/connections` reports (see {@link ControlApi.connections}). */
  connections?: ControlApi['connections'];
  /** The virtual clock `/api/clock` moves (see {@link ControlApi.clock}). */
  clock?: ControlApi['clock'];
  /** Subscribes to the meta events cqhttpd makes (heartbeats): the stream shows them as `event` frames. */
  metaEvents?: MetaEvents;
  /** `GET /metrics`: the Prometheus exposition; absent = metrics are off (404). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The bot's actions and dispatch: `GET /openapi.json` and `POST /api/call`; absent = both answer 409. */
  bot?: BotApi;
  /** Where the bot's HTTP API listens, shown by `GET /api/info`. */
  apiBase?: string;
  /** The event pipeline's deliveries (`EventPipeline.onDelivery`), for the `delivery` frames of `GET /api/stream?all=1`. */
  deliveries?: SubscribeDeliveries;
  /** The other bot accounts of the world (`bots`): their events go on `GET /api/stream` too. */
  otherBots?: readonly BotEvents[];
  /** Injected faults: `/api/faults`, and `fault` frames on the stream. */
  faults?: FaultEngine;
}

/** A created control server; nothing listens until {@link SandboxControlServer.listen}. */
export interface SandboxControlServer {
  /** The underlying `node:http` server. */
  readonly server: Server;
  /** Start listening; resolves with the bound address, rejects with a readable message. */
  listen(): Promise<{ host: string; port: number }>;
  /** End the streams, stop accepting, let in-flight requests finish (bounded). Idempotent. */
  close(): Promise<void>;
}

type ServeConsole = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/', summary: 'this index: every endpoint with its method and what it does (docs/sandbox-api.md)', handler: () => INDEX },
  { method: 'GET', path: '/api/stream', summary: 'Server-Sent Events: messages, events and API calls as they happen', handler: 'stream' },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics: calls, latencies, events delivered, queues, connections, process (docs/metrics.md)', handler: 'metrics' },
  ...WORLD_ROUTES, ...MESSAGE_ROUTES, ...GROUP_ROUTES, ...DISCUSS_ROUTES, ...CALL_ROUTES, ...MEDIA_ROUTES, ...FAULT_ROUTES,
];
/** `GET /api/`: generated from the table above. */
const INDEX = Object.freeze({ endpoints: routeIndex(ROUTES) });

/** Create (not start) the control server. */
export function createSandboxControlServer(deps: SandboxControlDeps): SandboxControlServer {
  const { options } = deps;
  const logger = deps.logger.child({ component: 'sandbox-api' });
  const host = options.host === '' ? '127.0.0.1' : options.host;
  const maxBodySize = Math.max(0, options.maxBodySize);
  const { bot } = deps;
  let openApiDocument: Promise<unknown> | undefined;
  // Generated on the first request for it: a start nobody asks loads no schema converter.
  const openApi = bot === undefined ? undefined : () => (openApiDocument ??= import('../../core/openapi.js').then((m) => Object.freeze(m.openApiDocument(bot.actions, bot.version))));
  const api: ControlApi = { sb: deps.sandbox, calls: deps.calls, resolveMedia: deps.resolveMedia, playableRecord: deps.playableRecord, connections: deps.connections, apiBase: deps.apiBase, clock: deps.clock, bot, openApi, faults: deps.faults };
  const router = new Router(ROUTES);
  const checkToken = createTokenCheck(options.token);
  const hubOptions = { sb: deps.sandbox, otherBots: deps.otherBots, calls: deps.calls, log: logger, meta: deps.metaEvents, ...(deps.faults ? { faults: deps.faults } : {}), backlog: options.sseBacklog ?? DEFAULT_SSE_BACKLOG, heartbeatMs: options.heartbeatMs ?? 15_000 };
  // Two streams, each listening only while it has clients: the plain one, and `?all=1` (the web
  // console's) with `delivery` and `world` frames besides.
  const streams = new StreamHub(hubOptions);
  const fullStreams = new StreamHub({ ...hubOptions, extras: { deliveries: deps.deliveries } });
  const server = createServer({
    headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000, requireHostHeader: false,
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
  });
  let closed: Promise<void> | undefined;
  const consoleDir = options.consoleDir !== undefined && existsSync(`${options.consoleDir}/index.html`) ? options.consoleDir : undefined;
  let consoleFiles: Promise<ServeConsole> | undefined;

  /** The console's files, read on the first request for one (a start that nobody opens it on reads nothing). */
  function consoleServer(dir: string): Promise<ServeConsole> {
    consoleFiles ??= import('./console-files.js').then(({ loadConsoleFiles, serveConsoleFile }) => {
      const files = loadConsoleFiles(dir);
      return (req, res, path) => serveConsoleFile(req, res, files, path);
    });
    return consoleFiles;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseTarget(req.url ?? '/');
    if (url === null) return writeError(res, 400, 'BAD_PARAMS', 'the request target is not a valid URL', {}, pending(req));
    if (!url.pathname.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')) {
      // The console's files hold no data of the world: they are public; every /api/ call they make needs the token.
      if (consoleDir !== undefined && (await consoleServer(consoleDir))(req, res, url.pathname)) return;
      if (url.pathname === '/') return writeError(res, 404, 'NOT_FOUND', 'the web console is not built: run npm run build', {}, pending(req));
    }
    if (options.token !== '') {
      const outcome = checkToken(req.headers.authorization, url.searchParams.get('token') ?? undefined);
      if (outcome === 'missing') return writeError(res, 401, 'UNAUTHORIZED', 'this control API needs a token: Authorization: Bearer <sandbox_token>, or ?token=', { 'WWW-Authenticate': 'Bearer' }, pending(req));
      if (outcome === 'wrong') return writeError(res, 403, 'FORBIDDEN', 'the token is wrong', {}, pending(req));
    }
    const match = router.match(req.method ?? 'GET', url.pathname);
    if (match.kind === 'not_found') return writeError(res, 404, 'NOT_FOUND', `no endpoint ${url.pathname}; GET /api/ lists them (docs/sandbox-api.md)`, {}, pending(req));
    if (match.kind === 'method_not_allowed') {
      return writeError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed on ${url.pathname}; use ${match.allow}`, { Allow: match.allow }, pending(req));
    }
    const handler = match.route.handler;
    if (handler === 'stream') return openStream(req, res, url);
    if (handler === 'metrics') return scrape(res);
    const body = req.method === 'GET' ? {} : await readJson(req, res);
    if (body === null) return;
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
    try {
      const value = await handler(api, { params: match.params, query: new Fields(query), body: new Fields(body) });
      if (value instanceof FileAnswer) return await writeFile(req, res, value);
      writeJson(res, 200, value);
      if (req.method !== 'GET' && match.route.world !== false) fullStreams.world(req.method ?? '', url.pathname);
    } catch (err) {
      if (err instanceof ApiError) {
        logger.debug({ path: url.pathname, code: err.code }, `sandbox API: ${err.message}`);
        return writeApiError(res, err);
      }
      throw err;
    }
  }

  /** The JSON object body (`{}` when empty), or null when already answered (413 / 400). */
  async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | null> {
    const tooLarge = (): null => {
      writeError(res, 413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBodySize} bytes`, {}, true);
      return null;
    };
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodySize) return tooLarge();
    const raw = await readBody(req, maxBodySize);
    if (raw === 'too_large') return tooLarge();
    if (raw === 'aborted') {
      writeError(res, 400, 'BAD_JSON', 'the body was cut short', {}, true);
      return null;
    }
    const text = raw.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') return {};
    const parsed = parseJsonParams(text);
    if (parsed === null) writeError(res, 400, 'BAD_JSON', `the body must be a JSON object, nested at most ${MAX_JSON_DEPTH} levels deep, numbers within a double's range`);
    return parsed;
  }

  async function scrape(res: ServerResponse): Promise<void> {
    if (deps.metrics === undefined) return writeError(res, 404, 'NOT_FOUND', 'metrics are off (metrics = false)');
    const { contentType, body } = await deps.metrics();
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  function openStream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(': cqhttpd sandbox stream\n\n');
    const name = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const lastEventId = req.headers['last-event-id'] ?? url.searchParams.get('last_event_id') ?? undefined;
    const hub = url.searchParams.get('all') === '1' ? fullStreams : streams;
    const client = hub.add(res, name, typeof lastEventId === 'string' ? lastEventId : undefined);
    res.on('close', () => client.close());
  }

  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url?.split('?')[0] }, `sandbox API: request failed: ${(err as Error)?.message ?? String(err)}`);
      writeError(res, 500, 'INTERNAL', 'the control API failed; see the log', {}, true);
    });
  });
  server.on('clientError', clientErrorHandler());

  return {
    server,
    async listen() {
      const address = await listenOn(server, host, options.port, {
        what: 'sandbox control API', scheme: 'http', hostKey: 'sandbox_host', portKey: 'sandbox_port', pathSuffix: '/api/',
        token: { key: 'sandbox_token', set: options.token !== '', grants: 'act as any user, rewrite the world, read every conversation and the bot\'s call journal' },
      }, logger);
      const shown = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}/`;
      if (consoleDir !== undefined) logger.info(`web console at ${shown}`);
      else if (options.consoleDir !== undefined) logger.info(`web console not built (run npm run build): ${shown} answers 404`);
      return address;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        streams.closeAll();
        fullStreams.closeAll();
        for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
        if (!server.listening) {
          server.closeAllConnections();
          resolve();
          return;
        }
        const cut = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 2_000);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          logger.info('sandbox control API closed');
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

/** The request target (origin-form `/path?query`, or absolute-form from a proxy) as a URL, or null. */
function parseTarget(target: string): URL | null {
  try {
    return new URL(target.startsWith('/') ? `http://sandbox${target}` : target);
  } catch {
    return null;
  }
}

/** Whether the request's body is still on the wire (then the answer closes the connection). */
function pending(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

