/**
 * The bot side of reverse WebSocket tests: a `ws` server that records every handshake and how many
 * connections are open at once, plus a reverse-client fixture with the real dispatcher and pipeline.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { EventPipeline } from '../../../src/core/events/pipeline.js';
import { createReverseWsClient } from '../../../src/transports/ws/reverse.js';
import type { ReverseWsClient, ReverseWsOptions } from '../../../src/transports/ws/reverse.js';
import { captureLogger, Peer, SELF_ID, testDispatcher, testPipeline, until } from './harness.js';

export interface BotConnection {
  peer: Peer;
  req: IncomingMessage;
}

/** A bot's WebSocket server on 127.0.0.1. */
export class BotServer {
  readonly connections: BotConnection[] = [];
  open = 0;
  maxOpen = 0;

  private constructor(readonly wss: WebSocketServer, readonly port: number) {
    wss.on('connection', (ws, req) => {
      this.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      ws.on('close', () => this.open--);
      this.connections.push({ peer: new Peer(ws), req });
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

  url(path = '/ws/'): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  /** The `n`-th connection (0-based), once it exists. */
  async connection(n: number, ms = 3000): Promise<BotConnection> {
    await until(() => this.connections.length > n, ms, `connection #${n}`);
    return this.connections[n] as BotConnection;
  }

  /** Cut every connection and stop listening (the port is free again when this resolves). */
  stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

export interface ReverseFixture {
  client: ReverseWsClient;
  pipeline: EventPipeline;
  calls: ReturnType<typeof testDispatcher>['calls'];
  lines: string[];
  stop(): Promise<void>;
}

/** A reverse client (not started) with the test dispatcher and the real pipeline. */
export function reverseClient(options: Partial<ReverseWsOptions> & { url: string }): ReverseFixture {
  const test = testDispatcher();
  const pipeline = testPipeline();
  const { logger, lines } = captureLogger();
  const client = createReverseWsClient({
    dispatch: test.dispatch,
    hub: pipeline,
    logger,
    options: {
      role: 'Universal',
      selfId: SELF_ID,
      accessToken: '',
      authorizationScheme: 'Bearer',
      reconnectIntervalMs: 20,
      reconnectOnCode1000: true,
      failureDetails: false,
      maxFrameSize: 1024 * 1024,
      format: { messageFormat: 'string', backwardCompatibility: false },
      filter: null,
      maxBacklogBytes: 1024 * 1024,
      userAgent: 'CQHttp/4.15.0',
      ...options,
    },
  });
  return {
    client,
    pipeline,
    calls: test.calls,
    lines,
    async stop() {
      await client.close();
      await test.close();
    },
  };
}
