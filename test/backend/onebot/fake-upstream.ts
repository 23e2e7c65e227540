/**
 * A small fake OneBot v11 upstream for bridge tests: a real `ws` server answering calls with
 * `answer(frame)` (a value = `data` of a success, a {@link Failure} = a failed envelope, undefined =
 * never answered), recording every call, and pushing events to every connected bridge.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type UpstreamCall = { action: string; params: Record<string, unknown>; echo: unknown };

/** A failed answer the fake gives. */
export class Failure {
  constructor(readonly retcode: number, readonly msg: string, readonly wording = '') {}
}

export interface FakeUpstream {
  url: string;
  port: number;
  calls: UpstreamCall[];
  sockets: Set<WebSocket>;
  push(event: unknown): void;
  /** Drop every connection (the upstream "restarts"); it accepts new ones at once. */
  drop(): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(answer: (call: UpstreamCall) => unknown, port = 0): Promise<FakeUpstream> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve) => server.once('listening', resolve));
  const calls: UpstreamCall[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const call = JSON.parse(data.toString()) as UpstreamCall;
      calls.push(call);
      const result = answer(call);
      if (result === undefined) return;
      if (result instanceof Failure) {
        socket.send(JSON.stringify({ status: 'failed', retcode: result.retcode, data: null, msg: result.msg, wording: result.wording, echo: call.echo }));
      } else {
        socket.send(JSON.stringify({ status: 'ok', retcode: 0, data: result, echo: call.echo }));
      }
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${bound}/`,
    port: bound,
    calls,
    sockets,
    push: (event) => { for (const s of sockets) s.send(JSON.stringify(event)); },
    drop: () => { for (const s of sockets) s.terminate(); },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.terminate();
      server.close(() => resolve());
    }),
  };
}
