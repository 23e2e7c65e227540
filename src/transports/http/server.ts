/**
 * The HTTP API server (CQHTTP 4.15 §3.1): `GET|POST /:action[/]`, parameters from the query string,
 * a form body or a JSON body, answered with the §4.1 envelope — or a bare status code.
 *
 * Order of checks (exact, §3.1): route → method → access token (401/403) → POST Content-Type
 * (406) → body size (413) → body parse (400) → merge (query > body) → dispatch (404 when unknown)
 * → 200. Built directly on `node:http`; this is the hottest path of the program.
 */
import { isUtf8 } from 'node:buffer';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { authStatus, createTokenCheck } from '../../core/auth.js';
import { encodeEnvelope } from '../../core/envelope.js';
import type { FaultEngine } from '../../core/faults/index.js';
import { NO_ANSWER, type Dispatch, type DispatchOutcome } from '../../core/result.js';
import { parseJsonParams } from '../../protocol/json.js';
import { readBodyThen, type BodyOutcome } from './body.js';
import { isDataFilePath, serveDataFile, type DataFileSettings } from './data-files.js';
import { overlay, parseQuery } from './params.js';
import { bodyPending, H_405_ACTION, H_405_NO_CORS, H_EMPTY, H_PREFLIGHT, writeEmpty, writeEnvelope } from './respond.js';
import { matchActionPath, pathEnd } from './routes.js';
import { clientErrorHandler } from '../client-error.js';
import { API_GRANTS, DEFAULT_MAX_HEADER_SIZE, listenOn } from '../listen.js';

/** Settings of the HTTP API server (config keys `host`, `port`, `access_token`, `enable_cors`, …). */
export interface HttpApiOptions {
  /** Listen address; "" means 127.0.0.1 (decision P1). */
  host: string;
  /** Listen port; 0 picks a free one. */
  port: number;
  /** "" disables the token check (§3.1.1). */
  accessToken: string;
  enableCors: boolean;
  /** Largest accepted POST body in bytes; bigger → 413. */
  maxBodySize: number;
  /** Largest request head (request line, query string, headers) in bytes; bigger → 431 (default 64 KiB). */
  maxHeaderSize?: number;
  /** Add `msg`/`wording` to failure envelopes (decision P4). */
  failureDetails: boolean;
  /** How long `close()` waits for in-flight requests before cutting connections (ms, default 5000). */
  shutdownGraceMs?: number;
  /** `GET /data/…`: the §3.2 endpoint (`serve_data_files`) and signed media URLs (data-files.ts); absent = 404. */
  dataFiles?: DataFileSettings;
}

export interface HttpApiServerDeps {
  dispatch: Dispatch;
  options: HttpApiOptions;
  logger: Logger;
  /** Injected faults: `refuse` on `http` drops new connections. */
  faults?: FaultEngine;
}

export interface HttpApiServer {
  /** The underlying `node:http` server (for tests and for attaching more routes later). */
  readonly server: Server;
  /** Start listening; resolves with the bound address. Rejects with a readable message on EADDRINUSE. */
  listen(): Promise<{ host: string; port: number }>;
  /** Stop accepting, close idle keep-alive sockets, let in-flight requests finish (bounded). Idempotent. */
  close(): Promise<void>;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const BOM = 0xfeff;

/** Create (not start) the HTTP API server. */
export function createHttpApiServer(deps: HttpApiServerDeps): HttpApiServer {
  const { dispatch, options } = deps;
  const logger = deps.logger.child({ component: 'http' });
  const { accessToken, enableCors: cors, failureDetails } = options;
  const checkToken = createTokenCheck(accessToken);
  const maxBodySize = Math.max(0, options.maxBodySize);
  const host = options.host === '' ? '127.0.0.1' : options.host;
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer({
    headersTimeout: 10_000,
    requestTimeout: 60_000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
    requireHostHeader: false,
  });

  /** Answer with a bare status; logs at debug level (path only: the query may hold the token). */
  function reject(req: IncomingMessage, res: ServerResponse, status: number, headers = H_EMPTY, close = false): void {
    if (logger.isLevelEnabled('debug')) {
      const url = req.url ?? '';
      logger.debug({ method: req.method, path: url.slice(0, pathEnd(url)), status }, 'HTTP API request rejected');
    }
    writeEmpty(res, status, headers, close || closing || bodyPending(req, maxBodySize));
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const end = pathEnd(url);
    const action = matchActionPath(url, end);
    if (action === null) {
      if (options.dataFiles !== undefined && isDataFilePath(url, end)) return void handleDataFile(req, res, url, end, options.dataFiles);
      return reject(req, res, 404);
    }
    const method = req.method;
    if (method === 'GET') {
      handleAction(req, res, action, end < url.length ? url.slice(end + 1) : null, false);
    } else if (method === 'POST') {
      handleAction(req, res, action, end < url.length ? url.slice(end + 1) : null, true);
    } else if (method === 'OPTIONS') {
      if (cors) writeEmpty(res, 200, H_PREFLIGHT, closing || bodyPending(req, maxBodySize));
      else reject(req, res, 405, H_405_NO_CORS);
    } else {
      reject(req, res, 405, H_405_ACTION);
    }
  }

  /**
   * §3.1 from the token check on. A GET whose action answers synchronously (the cached reads) is
   * answered within this request event: no promise, no microtask.
   */
  function handleAction(req: IncomingMessage, res: ServerResponse, action: string, queryText: string | null, post: boolean): void {
    try {
      const query = queryText === null ? null : parseQuery(queryText);
      if (accessToken !== '') {
        const given = query === null ? undefined : query.access_token;
        const outcome = checkToken(req.headers.authorization, typeof given === 'string' ? given : undefined);
        if (outcome !== 'ok') return reject(req, res, authStatus(outcome));
      }
      if (post) handlePost(req, res, action, query);
      else call(req, res, action, query ?? {});
    } catch (err) {
      crashed(res, action, err);
    }
  }

  /**
   * §3.1 step 2 on for POST: the Content-Type and size checks, then the body, then the call. The
   * body arrives by callback and the call is answered from its own outcome: no promise of ours
   * between the socket and the action.
   */
  function handlePost(req: IncomingMessage, res: ServerResponse, action: string, query: Record<string, unknown> | null): void {
    const headers = req.headers;
    const type = headers['content-type'];
    if (type === undefined || type === '') return call(req, res, action, query ?? {});
    let json: boolean;
    if (type.startsWith(FORM)) json = false;
    else if (type.startsWith(JSON_TYPE)) json = true;
    else return reject(req, res, 406);
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodySize) return reject(req, res, 413, H_EMPTY, true);
    if (headers.expect !== undefined && headers.expect.toLowerCase() === '100-continue') res.writeContinue();
    readBodyThen(req, maxBodySize, (body) => {
      try {
        const params = bodyParams(req, res, body, json);
        if (params !== null) call(req, res, action, query === null ? params : overlay(params, query));
      } catch (err) {
        crashed(res, action, err);
      }
    });
  }

  /** Dispatch and answer, now for a plain outcome, when it settles for a promise. */
  function call(req: IncomingMessage, res: ServerResponse, action: string, params: Record<string, unknown>): void {
    const outcome = dispatch(action, params, 'http');
    if (outcome instanceof Promise) outcome.then((result) => answerLater(req, res, action, result), (err: unknown) => crashed(res, action, err));
    else answer(req, res, outcome);
  }

  function answer(req: IncomingMessage, res: ServerResponse, result: DispatchOutcome): void {
    if (result === null) return reject(req, res, 404);
    writeEnvelope(res, encodeEnvelope(result, undefined, failureDetails), cors, closing || bodyPending(req, maxBodySize));
  }

  /** {@link answer} from a promise's callback, where a throw would otherwise be an unhandled rejection. */
  function answerLater(req: IncomingMessage, res: ServerResponse, action: string, result: DispatchOutcome): void {
    // An injected `timeout`: the client waited for nothing; the connection closes unanswered.
    if (result === NO_ANSWER) return void res.destroy();
    try {
      answer(req, res, result);
    } catch (err) {
      crashed(res, action, err);
    }
  }

  function crashed(res: ServerResponse, action: string, err: unknown): void {
    logger.error({ err, action }, `HTTP API: ${action} failed inside the server: ${(err as Error)?.message ?? String(err)}`);
    writeEmpty(res, 500, H_EMPTY, true);
  }

  /** §3.2 and signed media URLs; a failure inside is a 500 (or a cut stream), never a crash. */
  async function handleDataFile(req: IncomingMessage, res: ServerResponse, url: string, end: number, settings: DataFileSettings): Promise<void> {
    try {
      await serveDataFile(req, res, url, end, settings, checkToken, closing || bodyPending(req, maxBodySize));
    } catch (err) {
      logger.error({ err }, `HTTP API: serving ${url.slice(0, end)} failed: ${(err as Error)?.message ?? String(err)}`);
      if (res.headersSent) res.destroy();
      else writeEmpty(res, 500, H_EMPTY, true);
    }
  }

  /** §3.1 step 3 for POST: the body's parameters, or null when already answered (413, 400). */
  function bodyParams(req: IncomingMessage, res: ServerResponse, body: BodyOutcome, json: boolean): Record<string, unknown> | null {
    if (body === 'too_large') return rejectNull(req, res, 413, true);
    if (body === 'aborted') return rejectNull(req, res, 400, true);
    if (!json) return parseQuery(body.toString('utf8'));
    const params = isUtf8(body) ? parseJsonParams(stripBom(body.toString('utf8'))) : null;
    return params === null ? rejectNull(req, res, 400) : params;
  }

  function rejectNull(req: IncomingMessage, res: ServerResponse, status: number, close = false): null {
    reject(req, res, status, H_EMPTY, close);
    return null;
  }

  // Connections that never sent a byte are not "idle" to node (headersTimeout runs on them), so
  // `close()` drops them itself; this set is all the per-connection bookkeeping there is.
  const sockets = new Set<Socket>();
  const forget = function (this: Socket): void {
    sockets.delete(this);
  };
  const { faults } = deps;
  server.on('connection', (socket: Socket) => {
    if (faults?.active === true && faults.refuses('http')) return void socket.destroy();
    sockets.add(socket);
    socket.once('close', forget);
  });
  const sweep = (): void => {
    server.closeIdleConnections();
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  };
  const cutAll = (): void => {
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
  };

  server.on('request', onRequest);
  // With a listener node no longer sends "100 Continue" by itself: `handlePost` sends it only when
  // it is about to read the body, so a 401/406/413 reaches the client before it uploads anything.
  server.on('checkContinue', onRequest);
  // Malformed request line/headers, head overflow, timeouts: a bare status and close, after the
  // answers pipelined before it; never a crash.
  server.on('clientError', clientErrorHandler((err, status) => logger.debug({ code: err.code, status }, `HTTP API: bad request from client (${err.message})`)));

  return {
    server,
    listen: () => listenOn(server, host, options.port, {
      what: 'HTTP API', scheme: 'http', hostKey: 'host', portKey: 'port', portFlag: '--port',
      token: { key: 'access_token', set: accessToken !== '', grants: API_GRANTS },
    }, logger),
    close() {
      if (closed === undefined) {
        closing = true;
        closed = shutdown(server, options.shutdownGraceMs ?? 5_000, sweep, cutAll, logger);
      }
      return closed;
    },
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

function shutdown(server: Server, graceMs: number, sweep: () => void, cutAll: () => void, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    // Responses written from now on carry `Connection: close`; sockets that turn idle after the
    // first sweep are swept again until the server is gone; after the grace period, cut them all.
    const sweeper = setInterval(sweep, 25);
    const cut = setTimeout(cutAll, graceMs);
    sweeper.unref();
    cut.unref();
    server.close(() => {
      clearInterval(sweeper);
      clearTimeout(cut);
      logger.info('HTTP API server closed');
      resolve();
    });
    sweep();
  });
}
