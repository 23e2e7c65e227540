/**
 * Shared pieces of the end-to-end event tests: an {@link Inbox} of received bodies with bounded
 * waits, a `node:http` POST receiver, forward-WebSocket clients, a bot-side `ws` server for the
 * reverse connections (key sets and the canonical-body check: `keys.ts`).
 */
import fs from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { TestApp } from '../helpers/app.js';
import { startBodyServer } from '../helpers/http-receiver.js';

export const SELF_ID = 10001000;
export type Json = Record<string, unknown>;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `probe` until it returns something other than undefined/false; fail after `ms`. */
export async function waitFor<T>(probe: () => T | undefined | false, ms = 3000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** One received body, when it arrived (`performance.now()`), and its parse. */
export interface Frame {
  body: string;
  json: Json;
  at: number;
}

const parse = (body: string): Json => {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
  } catch {
    return {};
  }
};

/** A partial-match predicate: every key of `partial` deep-equals the frame's. */
export function like(partial: Json): (e: Json) => boolean {
  return (e) => Object.entries(partial).every(([key, value]) => isDeepStrictEqual(e[key], value));
}

/** Everything one channel received, in order, with bounded waits. */
export class Inbox {
  readonly frames: Frame[] = [];
  #wake: (() => void)[] = [];

  constructor(readonly label: string) {}

  push(body: string, at = performance.now()): Frame {
    const frame = { body, json: parse(body), at };
    this.frames.push(frame);
    this.#wake.splice(0).forEach((wake) => wake());
    return frame;
  }

  /** A position to search from (frames received before it are ignored). */
  mark(): number {
    return this.frames.length;
  }

  /** Events (frames with `post_type`) from `from` on matching `pred`. */
  events(pred: (e: Json) => boolean = () => true, from = 0): Frame[] {
    return this.frames.slice(from).filter((f) => typeof f.json.post_type === 'string' && pred(f.json));
  }

  /** The first frame from `from` on matching `pred`, waiting at most `ms`. */
  async waitFor(pred: (e: Json) => boolean, from = 0, ms = 3000): Promise<Frame> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.frames.slice(from).find((f) => pred(f.json));
      if (hit !== undefined) return hit;
      const left = end - Date.now();
      if (left <= 0) {
        const seen = this.frames.slice(from).map((f) => f.body.slice(0, 200));
        throw new Error(`${this.label}: no matching frame within ${ms} ms; received ${JSON.stringify(seen)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A response of the POST receiver: status and body, sent after `delayMs`. */
export interface Reply { status?: number; body?: string; delayMs?: number }
/** How the POST receiver answers one request: a response, or never. */
export type Answer = Reply | 'hang';

export interface PostRequest extends Frame {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the response was ended (undefined while pending or hanging). */
  answeredAt?: number;
}

/** A `node:http` event receiver on 127.0.0.1:0. `respond` may be replaced at any time. */
export class PostReceiver {
  readonly inbox = new Inbox('POST');
  readonly requests: PostRequest[] = [];
  respond: (req: PostRequest) => Answer = () => ({ status: 204 });
  readonly #pending = new Set<ServerResponse>();
  private constructor(readonly server: Server, readonly port: number, private readonly stop: () => Promise<void>) {}

  static async start(): Promise<PostReceiver> {
    const made: { receiver?: PostReceiver } = {};
    const listening = await startBodyServer((req, body, res) => {
      const receiver = made.receiver;
      if (receiver !== undefined) receiver.#receive(req, body, res);
    });
    made.receiver = new PostReceiver(listening.server, listening.port, listening.close);
    return made.receiver;
  }

  #receive(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const frame = this.inbox.push(body.toString('utf8'));
    const request: PostRequest = Object.assign(frame, { method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    this.requests.push(request);
    const answer = this.respond(request);
    if (answer === 'hang') return void this.#pending.add(res);
    const finish = (): void => {
      res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(answer.body ?? '', () => (request.answeredAt = performance.now()));
    };
    if (answer.delayMs === undefined) finish();
    else setTimeout(finish, answer.delayMs);
  }

  url(p = '/'): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  /** The first request from `from` on whose event matches `pred`, waiting at most `ms`. */
  async request(pred: (e: Json) => boolean, from = 0, ms = 3000): Promise<PostRequest> {
    const frame = await this.inbox.waitFor(pred, from, ms);
    return this.requests.find((r) => r === frame) as PostRequest;
  }

  close(): Promise<void> {
    for (const res of this.#pending) res.destroy();
    return this.stop();
  }
}

/** A quick-operation answer. */
export const reply = (operation: Json): Reply => ({ status: 200, body: JSON.stringify(operation) });

const text = (data: RawData): string => (Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])).toString('utf8');

/** A forward-WebSocket client collecting every text frame. */
export class WsClient {
  readonly inbox: Inbox;
  #echo = 0;
  private constructor(readonly ws: WebSocket, label: string) {
    this.inbox = new Inbox(label);
    ws.on('message', (data: RawData) => this.inbox.push(text(data)));
    ws.on('error', () => {});
  }

  static open(url: string): Promise<WsClient> {
    const client = new WsClient(new WebSocket(url, { perMessageDeflate: false }), url);
    return new Promise((resolve, reject) => {
      client.ws.once('open', () => resolve(client));
      client.ws.once('error', reject);
    });
  }

  /** Send an API frame and wait for the answer carrying its echo. */
  async call(action: string, params: Json = {}): Promise<Json> {
    const echo = `e${++this.#echo}`;
    const from = this.inbox.mark();
    this.ws.send(JSON.stringify({ action, params, echo }));
    return (await this.inbox.waitFor((f) => f.echo === echo, from)).json;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** One connection a reverse client opened to the {@link BotServer}. */
export interface BotConnection {
  role: string;
  headers: IncomingHttpHeaders;
  path: string;
  ws: WebSocket;
  inbox: Inbox;
  open: boolean;
}

/** The bot's side of reverse WebSockets: a `ws` server; frames of every connection also go to `inbox`. */
export class BotServer {
  readonly connections: BotConnection[] = [];
  /** Event frames of every connection, in arrival order. */
  readonly inbox: Inbox;
  #echo = 0;
  private constructor(readonly wss: WebSocketServer, readonly port: number) {
    this.inbox = new Inbox(`bot server :${port}`);
    wss.on('connection', (ws, req) => {
      const role = String(req.headers['x-client-role'] ?? '');
      const connection: BotConnection = { role, headers: req.headers, path: req.url ?? '', ws, inbox: new Inbox(`${role} :${port}`), open: true };
      this.connections.push(connection);
      ws.on('message', (data: RawData) => {
        const frame = connection.inbox.push(text(data));
        this.inbox.push(frame.body, frame.at);
      });
      ws.on('close', () => (connection.open = false));
      ws.on('error', () => {});
    });
  }

  /** Listen on `port` (0 = any free one). */
  static start(port = 0): Promise<BotServer> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
      wss.once('error', reject);
      wss.once('listening', () => resolve(new BotServer(wss, (wss.address() as AddressInfo).port)));
    });
  }

  url(p = '/'): string {
    return `ws://127.0.0.1:${this.port}${p}`;
  }

  /** The open connection with this `X-Client-Role`, once there is one. */
  connected(role: string, ms = 3000): Promise<BotConnection> {
    return waitFor(() => this.connections.find((c) => c.open && c.role === role), ms, `a ${role} connection on :${this.port}`);
  }

  /** Send an API frame on `connection` and wait for the answer carrying its echo. */
  async call(connection: BotConnection, action: string, params: Json = {}): Promise<Json> {
    const echo = `r${++this.#echo}`;
    const from = connection.inbox.mark();
    connection.ws.send(JSON.stringify({ action, params, echo }));
    return (await connection.inbox.waitFor((f) => f.echo === echo, from)).json;
  }

  /** Cut every connection and stop listening; the port is free again when this resolves. */
  stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/**
 * Every reverse client of the app is open on its side (the bot server sees a connection a moment
 * before the client has attached it to the pipeline; events in between are dropped, §3.5).
 */
export function reverseUp(t: TestApp): Promise<true> {
  return waitFor(() => t.app.events.reverseHealthy(), 3000, 'the reverse clients to be connected');
}

/** Write `content` (JSON-encoded unless a string) to a fresh temp file; returns its path. */
export function tempFile(name: string, content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-events-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A one-text-segment message. */
export const textMsg = (s: string) => [{ type: 'text', data: { text: s } }];

/** POST JSON to the sandbox control API. */
export async function control(port: number, method: string, p: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const t = await res.text();
  return { status: res.status, json: t === '' ? {} : (JSON.parse(t) as Json) };
}

export { assertCanonical, KEYS, keysOf } from './keys.js';
/** A port nothing listens on (bound, then released). */
export { freePort as deadPort } from '../helpers/ports.js';
