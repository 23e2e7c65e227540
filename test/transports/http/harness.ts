/**
 * Test harness for the HTTP API server: a real dispatcher with a few test actions, a server on an
 * ephemeral port, and raw-socket / node:http clients that show every byte fetch would hide.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { defineAction } from '../../../src/core/action.js';
import { params, raw as anyParam } from '../../../src/core/params.js';
import type { Dispatch } from '../../../src/core/result.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { createHttpApiServer, type HttpApiOptions, type HttpApiServer } from '../../../src/transports/http/server.js';
import { recordingDispatcher } from '../../helpers/dispatcher.js';
import { captureLogger } from '../../helpers/logger.js';

export { captureLogger };

export const TOKEN = 'kSLuTF2GC2Q4q4ugm3';

/** Test actions: the C.1 example, an echo, failures, a slow one. */
const ACTIONS = [
  defineAction({
    name: 'echo_params',
    summary: 'answers its parameters',
    params: params({}),
    handler: (p) => p,
  }),
  defineAction({
    name: 'send_private_msg',
    summary: 'the §C.1 example: message_id 1234 when user_id and message are given',
    params: params({ user_id: anyParam(), message: anyParam() }),
    handler: (p) => {
      if (p.user_id === undefined || p.message === undefined) throw new ApiError('BAD_PARAMS');
      return { message_id: 1234 };
    },
  }),
  defineAction({ name: 'send_msg', summary: 'no-op', params: params({}), handler: () => null }),
  defineAction({
    name: 'fail',
    summary: 'always BAD_PARAMS',
    params: params({}),
    handler: () => {
      throw new ApiError('BAD_PARAMS', 'fail: always fails');
    },
  }),
  defineAction({
    name: 'slow',
    summary: 'answers after `ms` milliseconds',
    params: params({ ms: anyParam() }),
    handler: async (p) => {
      await new Promise((resolve) => setTimeout(resolve, Number(p.ms ?? 100)));
      return 'done';
    },
  }),
  defineAction({ name: '.handle_quick_operation', summary: 'hidden', params: params({}), handler: () => null }),
];

/** A dispatcher over {@link ACTIONS}, recording every call it receives. */
export function testDispatcher() {
  const { dispatch, calls, close } = recordingDispatcher(ACTIONS);
  return { dispatch, calls, close };
}

export interface Started {
  api: HttpApiServer;
  port: number;
  calls: ReturnType<typeof testDispatcher>['calls'];
  lines: string[];
  stop(): Promise<void>;
}

/** Start a server on 127.0.0.1:0 with the test dispatcher (or `dispatch`) and these options. */
export async function start(options: Partial<HttpApiOptions> = {}, dispatch?: Dispatch): Promise<Started> {
  const test = testDispatcher();
  const { logger, lines } = captureLogger();
  const api = createHttpApiServer({
    dispatch: dispatch ?? test.dispatch,
    options: { host: '127.0.0.1', port: 0, accessToken: '', enableCors: false, maxBodySize: 1024 * 1024, failureDetails: false, ...options },
    logger,
  });
  const { port } = await api.listen();
  return {
    api,
    port,
    calls: test.calls,
    lines,
    async stop() {
      await api.close();
      await test.close();
    },
  };
}

export interface RawResponse {
  status: number;
  /** The status line without CRLF, e.g. `HTTP/1.1 404 Not Found`. */
  statusLine: string;
  /** Header names lowercased; duplicates joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** The bytes after the head that were received (body and anything following). */
  rawBody: Buffer;
}

/** Parse one response head + Content-Length body from `buf`, or null when incomplete. */
export function parseResponse(buf: Buffer): { response: RawResponse; rest: Buffer } | null {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd === -1) return null;
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusLine = lines[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const status = Number(statusLine.split(' ')[1]);
  const length = status === 100 ? 0 : Number(headers['content-length'] ?? 0);
  const bodyStart = headEnd + 4;
  if (buf.length < bodyStart + length) return null;
  const rawBody = buf.subarray(bodyStart, bodyStart + length);
  return { response: { status, statusLine, headers, body: rawBody.toString('utf8'), rawBody }, rest: buf.subarray(bodyStart + length) };
}

/**
 * Send `text` (or bytes) on a fresh TCP connection and collect the responses until `count` are
 * complete (skipping 100 Continue) or the server closes. `ended` tells whether the server closed.
 */
export function raw(port: number, text: string | Buffer, count = 1, timeoutMs = 5000): Promise<{ responses: RawResponse[]; ended: boolean; received: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf: Buffer = Buffer.alloc(0);
    let all: Buffer = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request timed out; received: ${JSON.stringify(all.toString('latin1'))}`));
    }, timeoutMs);
    const done = (ended: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses, ended, received: all });
    };
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      all = Buffer.concat([all, chunk]);
      for (let parsed = parseResponse(buf); parsed !== null; parsed = parseResponse(buf)) {
        buf = parsed.rest;
        if (parsed.response.status !== 100) responses.push(parsed.response);
        if (responses.length === count) return done(false);
      }
    });
    socket.on('end', () => done(true));
    socket.on('error', () => done(true));
    socket.write(text);
  });
}

/** A request head with CRLFs; `headers` lines are added as given. */
export function head(method: string, target: string, headers: string[] = []): string {
  return [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, '', ''].join('\r\n');
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with node:http (keeps exact header control, unlike fetch). */
export function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
