/**
 * A fake OneBot v11 upstream for the dialect fixtures: a real `ws` server (forward mode, or a
 * client dialing cqhttpd in reverse mode) that answers each call with the frame `answer` builds in
 * the implementation's own wire shape (`undefined` = never answers), records the calls, and pushes
 * events. Frames are written as the implementation writes them; the tests check what bots see.
 */
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';

export type Frame = Record<string, unknown>;
export interface Call { action: string; params: Record<string, unknown>; echo: unknown }

/** The answer frame (without `echo`) to a call, or `undefined` to leave it unanswered. */
export type Answer = (call: Call) => Frame | undefined;

export const ok = (data: unknown): Frame => ({ status: 'ok', retcode: 0, data });

export interface FakeUpstream {
  url: string;
  /** Every call received, in order. */
  calls: Call[];
  /** `Authorization` of each connection. */
  auth: (string | undefined)[];
  push(event: Frame): void;
  /** Drop every connection (the upstream restarts). */
  drop(): void;
}

function serve(socket: WebSocket, calls: Call[], answer: Answer): void {
  socket.on('message', (data) => {
    const call = JSON.parse(data.toString()) as Call;
    calls.push(call);
    const reply = answer(call);
    if (reply !== undefined) socket.send(JSON.stringify({ ...reply, echo: call.echo }));
  });
}

/** A forward-WebSocket upstream on an ephemeral port. */
export async function forwardUpstream(t: TestContext, answer: Answer): Promise<FakeUpstream> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const calls: Call[] = [];
  const auth: (string | undefined)[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket, req) => {
    auth.push(req.headers.authorization);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, calls, answer);
  });
  t.after(() => new Promise((resolve) => { for (const s of sockets) s.terminate(); server.close(resolve); }));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls, auth,
    push: (event) => { for (const s of sockets) s.send(JSON.stringify(event)); },
    drop: () => { for (const s of sockets) s.terminate(); },
  };
}

/** An upstream that dials `url` (reverse mode) with `headers`; resolves once connected. */
export async function reverseUpstream(t: TestContext, url: string, headers: Record<string, string>, answer: Answer): Promise<FakeUpstream & { socket: WebSocket }> {
  const calls: Call[] = [];
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
  serve(socket, calls, answer);
  t.after(() => socket.terminate());
  return { url, calls, auth: [], socket, push: (event) => socket.send(JSON.stringify(event)), drop: () => socket.terminate() };
}
