/**
 * Response writing for the HTTP API server: pre-built header lists (`writeHead` with a flat array
 * is node's fastest path) and the keep-alive decision for requests whose body was not read.
 */
import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { ACTION_ROUTE_ALLOW } from './routes.js';

type Headers = OutgoingHttpHeader[];

const CONTENT_TYPE_JSON = 'application/json; charset=UTF-8';

/** Bare error response: `Content-Length: 0`, nothing else (§3.1: no body, no JSON, no CORS). */
export const H_EMPTY: Headers = ['Content-Length', '0'];
/** 405 on the action route for a method it never answers. */
export const H_405_ACTION: Headers = ['Allow', ACTION_ROUTE_ALLOW, 'Content-Length', '0'];
/** 405 for OPTIONS when CORS is disabled (then OPTIONS is not allowed either). */
export const H_405_NO_CORS: Headers = ['Allow', 'GET, POST', 'Content-Length', '0'];
/** CORS preflight answer (§3.1). */
export const H_PREFLIGHT: Headers = [
  'Access-Control-Allow-Origin', '*',
  'Access-Control-Allow-Methods', '*',
  'Access-Control-Allow-Headers', '*',
  'Content-Length', '0',
];
const CLOSE: Headers = ['Connection', 'close'];

/**
 * True when the request still has body bytes on the wire that nobody will read and that should not
 * be drained on a kept-alive connection: a chunked body (unknown size), a declared size above
 * `limit`, or an `Expect: 100-continue` client that will not send its body without a 100.
 * Small declared bodies are left to node, which discards them after the response.
 */
export function bodyPending(req: IncomingMessage, limit: number): boolean {
  if (req.complete) return false;
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  if (length === undefined || length === '0') return false;
  return headers.expect !== undefined || Number(length) > limit;
}

/** Whether `res` can no longer be written: already answered, or the connection is gone/ending. */
export function unwritable(res: ServerResponse): boolean {
  const socket = res.socket;
  return res.headersSent || res.destroyed || (socket !== null && !socket.writable);
}

/** Write an empty response; adds `Connection: close` when `close` is set. No-op once answered. */
export function writeEmpty(res: ServerResponse, status: number, headers: Headers, close: boolean): void {
  if (unwritable(res)) return;
  res.writeHead(status, close ? headers.concat(CLOSE) : headers);
  res.end();
}

/** Write the 200 envelope response (§3.1 step 5). No-op once answered or disconnected. */
export function writeEnvelope(res: ServerResponse, body: string, cors: boolean, close: boolean): void {
  if (unwritable(res)) return;
  const length = Buffer.byteLength(body);
  let headers: Headers;
  if (cors) {
    headers = close
      ? ['Content-Type', CONTENT_TYPE_JSON, 'Content-Length', length, 'Access-Control-Allow-Origin', '*', 'Connection', 'close']
      : ['Content-Type', CONTENT_TYPE_JSON, 'Content-Length', length, 'Access-Control-Allow-Origin', '*'];
  } else {
    headers = close
      ? ['Content-Type', CONTENT_TYPE_JSON, 'Content-Length', length, 'Connection', 'close']
      : ['Content-Type', CONTENT_TYPE_JSON, 'Content-Length', length];
  }
  res.writeHead(200, headers);
  res.end(body);
}
