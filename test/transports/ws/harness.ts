/**
 * Test harness for the WebSocket transports: a real dispatcher with a few test actions, the real
 * event pipeline (clock fixed at the C.2 example's time), and a `ws` peer that queues frames.
 */
import { pino } from 'pino';
import WebSocket from 'ws';
import type { ClientOptions, RawData } from 'ws';
import { defineAction } from '../../../src/core/action.js';
import { EventPipeline } from '../../../src/core/events/pipeline.js';
import { params, raw } from '../../../src/core/params.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { createForwardWsServer } from '../../../src/transports/ws/forward.js';
import type { ForwardWsOptions, ForwardWsServer } from '../../../src/transports/ws/forward.js';
import { recordingDispatcher } from '../../helpers/dispatcher.js';
import { captureLogger } from '../../helpers/logger.js';
import { sleep } from '../../helpers/wait.js';

export { captureLogger };
export { sleep, until } from '../../helpers/wait.js';

export const TOKEN = 'kSLuTF2GC2Q4q4ugm3';
export const SELF_ID = 10001000;
/** The `connect` event of C.2, byte for byte (the pipeline's clock is fixed at 1590000000 s). */
export const CONNECT = '{"_post_method":2,"meta_event_type":"lifecycle","post_type":"meta_event","self_id":10001000,"sub_type":"connect","time":1590000000}';

const ACTIONS = [
  defineAction({
    name: 'get_login_info',
    summary: 'the C.2 example',
    params: params({}),
    handler: () => ({ user_id: SELF_ID, nickname: 'bot' }),
  }),
  defineAction({ name: 'echo_params', summary: 'answers its parameters', params: params({}), handler: (p) => p }),
  defineAction({
    name: 'fail',
    summary: 'always NOT_IN_GROUP',
    params: params({}),
    handler: () => {
      throw new ApiError('NOT_IN_GROUP', 'fail: not in group 1');
    },
  }),
  defineAction({
    name: 'slow',
    summary: 'answers `ms` after `ms` milliseconds',
    params: params({ ms: raw() }),
    handler: async (p) => {
      const ms = Number(p.ms ?? 100);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    },
  }),
];

/** The real dispatcher over the test actions, recording every call it receives. */
export function testDispatcher() {
  const { dispatch, calls, close } = recordingDispatcher(ACTIONS);
  return { dispatch, calls, close };
}

/** The real event pipeline, its clock at 1590000000 s, no global filter. */
export function testPipeline(): EventPipeline {
  return new EventPipeline({ selfId: SELF_ID, logger: pino({ level: 'silent' }), filter: null, postWaitMs: 1000, maxBacklog: 10_000, now: () => 1_590_000_000_000 });
}

/** A WebSocket peer that queues every text it receives and remembers how it closed. */
export class Peer {
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];
  #taken = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData) => {
      this.frames.push(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
      this.#waiters.splice(0).forEach((wake) => wake());
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString('utf8') });
        this.#waiters.splice(0).forEach((wake) => wake());
      });
    });
  }

  /** Connect to `url`; resolves once open. */
  static open(url: string, options: ClientOptions = {}): Promise<Peer> {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    const peer = new Peer(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(peer));
      ws.once('error', reject);
    });
  }

  /** The next frame not yet taken; rejects after `ms`. */
  async next(ms = 2000): Promise<string> {
    const end = Date.now() + ms;
    while (this.#taken >= this.frames.length) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no frame within ${ms} ms (received: ${JSON.stringify(this.frames)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames[this.#taken++] as string;
  }

  /** Send `frame` and answer the next frame received. */
  async call(frame: string | Buffer, binary = false): Promise<string> {
    this.ws.send(frame, { binary });
    return this.next();
  }

  /** Assert-friendly: frames that arrive within `ms` beyond those already taken. */
  async quiet(ms = 150): Promise<string[]> {
    await sleep(ms);
    return this.frames.slice(this.#taken);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

export interface ForwardFixture {
  server: ForwardWsServer;
  port: number;
  pipeline: EventPipeline;
  calls: ReturnType<typeof testDispatcher>['calls'];
  lines: string[];
  url(path: string): string;
  stop(): Promise<void>;
}

/** A forward server on 127.0.0.1:0 with the test dispatcher and the real pipeline. */
export async function startForward(options: Partial<ForwardWsOptions> = {}): Promise<ForwardFixture> {
  const test = testDispatcher();
  const pipeline = testPipeline();
  const { logger, lines } = captureLogger();
  const server = createForwardWsServer({
    dispatch: test.dispatch,
    hub: pipeline,
    options: {
      host: '127.0.0.1',
      port: 0,
      accessToken: '',
      failureDetails: false,
      maxFrameSize: 1024 * 1024,
      format: { messageFormat: 'string', backwardCompatibility: false },
      filter: null,
      maxBacklogBytes: 1024 * 1024,
      ...options,
    },
    logger,
  });
  const { port } = await server.listen();
  return {
    server,
    port,
    pipeline,
    calls: test.calls,
    lines,
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    async stop() {
      await server.close();
      await test.close();
    },
  };
}
