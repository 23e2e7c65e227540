/**
 * The fake OneBot v11 upstream of the bridge tests: a real `ws` server (forward mode, cqhttpd
 * dials it) or a `ws` client dialing cqhttpd (reverse mode). It answers each call with what
 * `answer` returns — a value is a success's `data`, a {@link Failure} a failed answer written the
 * way the implementation it plays writes one (`failures`), `undefined` is never answered — records
 * every call and each connection's `Authorization`, and pushes events to every connected bridge.
 * The dialect fixtures write their events and answers in their implementation's own shapes; the
 * tests check what bots see.
 */
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';

export type Frame = Record<string, unknown>;
export interface Call { action: string; params: Record<string, unknown>; echo: unknown }

/** A failed answer the fake gives. */
export class Failure {
  constructor(readonly retcode: number, readonly msg: string, readonly wording = '') {}
}

/** What the fake answers a call with: `data` of a success, a {@link Failure}, or `undefined` (never answered). */
export type Answer = (call: Call) => unknown;

/**
 * How the implementation writes a failed answer: v11's `msg` and `wording` (go-cqhttp, another
 * cqhttpd), NT's `message` and `wording` (NapCat, LLBot; the wording is the message unless given),
 * or only the retcode (Lagrange.OneBot).
 */
export type FailureStyle = 'v11' | 'nt' | 'bare';

export interface FakeOptions {
  /** Default `v11`. */
  failures?: FailureStyle;
  /** Closed when this test ends (else call `close()`). */
  t?: TestContext;
}

export interface FakeUpstream {
  url: string;
  /** Every call received, in order. */
  calls: Call[];
  /** `Authorization` of each connection (forward mode). */
  auth: (string | undefined)[];
  /** The connections open now. */
  sockets: Set<WebSocket>;
  push(event: unknown): void;
  /** Drop every connection (the upstream "restarts"); a forward fake accepts new ones at once. */
  drop(): void;
  close(): Promise<void>;
}

function failureFrame(failure: Failure, style: FailureStyle): Frame {
  const frame: Frame = { status: 'failed', retcode: failure.retcode, data: null };
  if (style === 'v11') return { ...frame, msg: failure.msg, wording: failure.wording };
  if (style === 'nt') return { ...frame, message: failure.msg, wording: failure.wording === '' ? failure.msg : failure.wording };
  return frame;
}

/** Answer the calls arriving on `socket`. */
function serve(socket: WebSocket, calls: Call[], answer: Answer, style: FailureStyle): void {
  socket.on('message', (data) => {
    const call = JSON.parse(data.toString()) as Call;
    calls.push(call);
    const result = answer(call);
    if (result === undefined) return;
    const reply = result instanceof Failure ? failureFrame(result, style) : { status: 'ok', retcode: 0, data: result };
    socket.send(JSON.stringify({ ...reply, echo: call.echo }));
  });
}

function fake(url: string, calls: Call[], auth: (string | undefined)[], sockets: Set<WebSocket>, close: () => Promise<void>, options: FakeOptions): FakeUpstream {
  options.t?.after(close);
  return {
    url, calls, auth, sockets, close,
    push: (event) => { for (const s of sockets) s.send(JSON.stringify(event)); },
    drop: () => { for (const s of sockets) s.terminate(); },
  };
}

/** A forward-WebSocket upstream on an ephemeral port (or `port`). */
export async function startFakeUpstream(answer: Answer, options: FakeOptions & { port?: number } = {}): Promise<FakeUpstream> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const calls: Call[] = [];
  const auth: (string | undefined)[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket, req) => {
    auth.push(req.headers.authorization);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, calls, answer, options.failures ?? 'v11');
  });
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.terminate();
    server.close(() => resolve());
  });
  return fake(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls, auth, sockets, close, options);
}

/** An upstream that dials `url` (reverse mode) with `headers`; resolves once connected, rejects on a refusal (`HTTP <status>`). */
export async function dialFakeUpstream(url: string, headers: Record<string, string>, answer: Answer, options: FakeOptions = {}): Promise<FakeUpstream & { socket: WebSocket }> {
  const socket = new WebSocket(url, { headers });
  socket.on('error', () => {}); // a refusal or a drop is what some tests cause
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      req.destroy();
    });
  });
  const calls: Call[] = [];
  const sockets = new Set([socket]);
  socket.on('close', () => sockets.delete(socket));
  serve(socket, calls, answer, options.failures ?? 'v11');
  const close = () => {
    socket.terminate();
    return Promise.resolve();
  };
  return { ...fake(url, calls, [], sockets, close, options), socket };
}
