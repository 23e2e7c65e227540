/**
 * A sandbox with every transport a bot can use, and the bot's side of each one played by the test
 * over real sockets: the HTTP API (fetch), HTTP POST events (a node:http receiver), the forward
 * WebSocket and the reverse WebSocket (`ws` client and server). Faults are set through the control
 * API (`sb.fault()`); the trace lines are kept.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/testing/index.js';

export const LOUNGE = 100001;
export const CAROL = 20003;

/** Poll `check` until true, or fail after `ms` naming `what`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One WebSocket the test holds as the bot: its events, and calls answered by echo. */
export class BotSocket {
  readonly events: Record<string, unknown>[] = [];
  readonly #pending = new Map<string, (frame: Record<string, unknown>) => void>();
  #echo = 0;
  closed: { code: number; reason: string } | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (frame['echo'] !== undefined) {
        this.#pending.get(String(frame['echo']))?.(frame);
        this.#pending.delete(String(frame['echo']));
      } else if (frame['post_type'] !== undefined) this.events.push(frame);
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  }

  /** Call an action; resolves with the envelope, or `'no answer'` after `ms`. */
  call(action: string, params: Record<string, unknown>, ms = 5000): Promise<Record<string, unknown> | 'no answer'> {
    const echo = `e${++this.#echo}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(echo);
        resolve('no answer');
      }, ms);
      this.#pending.set(echo, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.ws.send(JSON.stringify({ action, params, echo }));
    });
  }

  /** Events matching `pick`. */
  seen(pick: (e: Record<string, unknown>) => boolean): Record<string, unknown>[] {
    return this.events.filter(pick);
  }
}

export interface World {
  sb: Sandbox;
  /** The bot's forward WebSocket (Universal). */
  forward: BotSocket;
  /** The reverse WebSocket cqhttpd dialled (Universal), the latest one. */
  reverse(): BotSocket;
  /** How many reverse connections the bot's server accepted. */
  reverseCount(): number;
  /** Events POSTed to the bot's receiver. */
  posted: Record<string, unknown>[];
  /** Every trace line. */
  trace: Record<string, unknown>[];
  /** POST /<action> on the HTTP API. */
  http(action: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<{ status: number; body: Record<string, unknown> | null }>;
  /** Open another forward WebSocket. */
  connect(path?: string): Promise<BotSocket>;
  close(): Promise<void>;
}

/** The `fault` lines of the trace. */
export const faultLines = (w: World): Record<string, unknown>[] => w.trace.filter((l) => l['type'] === 'fault');

/** Start a sandbox with HTTP API, HTTP POST, forward and reverse WebSocket, all connected. */
export async function startWorld(options: SandboxOptions & { config?: Record<string, unknown> } = {}): Promise<World> {
  const posted: Record<string, unknown>[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const reverses: BotSocket[] = [];
  wss.on('connection', (ws) => reverses.push(new BotSocket(ws)));
  const trace: Record<string, unknown>[] = [];
  const sb = await startSandbox({
    ...options,
    trace: (line) => trace.push(line),
    config: {
      post_url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
      use_ws_reverse: true,
      ws_reverse_url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
      ws_reverse_reconnect_interval: 100,
      ...options.config,
    },
  });
  const sockets: BotSocket[] = [];
  const connect = async (path = '/'): Promise<BotSocket> => {
    const ws = new WebSocket(`ws://127.0.0.1:${sb.app.ws?.port ?? 0}${path}`, { perMessageDeflate: false });
    const socket = new BotSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode ?? 0}`)));
      ws.once('error', reject);
    });
    sockets.push(socket);
    return socket;
  };
  const forward = await connect();
  await until(() => reverses.length > 0 && reverses[0]?.ws.readyState === WebSocket.OPEN, 5000, 'the reverse WebSocket');
  return {
    sb, forward, posted, trace, connect,
    reverse: () => reverses.at(-1) as BotSocket,
    reverseCount: () => reverses.length,
    async http(action, params, signal) {
      const res = await fetch(`${sb.connection.http ?? ''}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params), ...(signal ? { signal } : {}) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
    },
    async close() {
      for (const s of sockets) s.ws.terminate();
      await sb.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    },
  };
}
