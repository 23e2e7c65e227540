/**
 * The control listener behind a bridge (`backend` ≠ `sandbox`): there is no simulated world to
 * drive, so of the control API only what watches cqhttpd itself is served, on the same
 * `sandbox_host`/`sandbox_port` with the same `sandbox_token` — `GET /metrics` (Prometheus),
 * `GET /api/status` (the upstream's state and the bot connections) and `GET`/`PUT /api/record`
 * (the recorder, docs/recording.md). Everything else is 404.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createTokenCheck } from '../../core/auth.js';
import { clientErrorHandler } from '../client-error.js';
import { DEFAULT_MAX_HEADER_SIZE, listenOn } from '../listen.js';
import { parseJsonParams } from '../../protocol/json.js';
import { readBody } from '../http/body.js';
import { writeError, writeJson } from './respond.js';

export interface MonitorDeps {
  host: string;
  port: number;
  /** "" = no check; else `Authorization: Bearer <token>` or `?token=`. */
  token: string;
  maxHeaderSize?: number;
  /** The Prometheus exposition; absent = metrics are off (404). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** What `GET /api/status` answers. */
  status: () => unknown;
  /** The bridge's recorder (docs/recording.md): `GET /api/record` reads it, `PUT /api/record` switches it. */
  record?: { state(): unknown; set(on: boolean): unknown };
  logger: Logger;
}

export interface MonitorServer {
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

export function createMonitorServer(deps: MonitorDeps): MonitorServer {
  const logger = deps.logger.child({ component: 'control' });
  const host = deps.host === '' ? '127.0.0.1' : deps.host;
  const checkToken = createTokenCheck(deps.token);
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, requireHostHeader: false, maxHeaderSize: deps.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url?.startsWith('/') === true ? `http://control${req.url}` : 'http://control/');
    if (deps.token !== '') {
      const outcome = checkToken(req.headers.authorization, url.searchParams.get('token') ?? undefined);
      if (outcome === 'missing') return writeError(res, 401, 'UNAUTHORIZED', 'this control API needs a token: Authorization: Bearer <sandbox_token>, or ?token=', { 'WWW-Authenticate': 'Bearer' }, true);
      if (outcome === 'wrong') return writeError(res, 403, 'FORBIDDEN', 'the token is wrong', {}, true);
    }
    if (url.pathname === '/api/record' && deps.record !== undefined) return record(deps.record, req, res);
    const known = url.pathname === '/metrics' || url.pathname === '/api/status';
    if (!known) return writeError(res, 404, 'NOT_FOUND', `no endpoint ${url.pathname}: behind a bridge the control API serves only GET /metrics and GET /api/status (docs/bridge.md)`, {}, true);
    if (req.method !== 'GET' && req.method !== 'HEAD') return writeError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed on ${url.pathname}; use GET`, { Allow: 'GET, HEAD' }, true);
    if (url.pathname === '/api/status') return writeJson(res, 200, deps.status());
    if (deps.metrics === undefined) return writeError(res, 404, 'NOT_FOUND', 'metrics are off (metrics = false)');
    const { contentType, body } = await deps.metrics();
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  /** `GET /api/record` → `{recording, file, redacted}`; `PUT /api/record` with `{"recording": true|false}` switches it. */
  async function record(recorder: NonNullable<MonitorDeps['record']>, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') return writeJson(res, 200, recorder.state());
    if (req.method !== 'PUT' && req.method !== 'POST') return writeError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed on /api/record; use GET or PUT`, { Allow: 'GET, HEAD, PUT, POST' }, true);
    const raw = await readBody(req, 4096);
    const body = typeof raw === 'string' ? null : parseJsonParams(raw.toString('utf8'));
    const on = body?.['recording'];
    if (typeof on !== 'boolean') return writeError(res, 400, 'BAD_PARAMS', 'the body must be {"recording": true} or {"recording": false}', {}, true);
    return writeJson(res, 200, recorder.set(on));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      logger.error({ err }, `control API: request failed: ${(err as Error)?.message ?? String(err)}`);
      writeError(res, 500, 'INTERNAL', 'the control API failed; see the log', {}, true);
    });
  });
  server.on('clientError', clientErrorHandler());

  return {
    listen: () => listenOn(server, host, deps.port, {
      what: 'control API (metrics and status)', scheme: 'http', hostKey: 'sandbox_host', portKey: 'sandbox_port', pathSuffix: '/metrics',
      token: { key: 'sandbox_token', set: deps.token !== '', grants: 'read the metrics and which bots are connected' },
    }, logger),
    close: () => new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
