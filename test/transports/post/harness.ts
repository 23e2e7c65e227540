/**
 * Test harness for the HTTP POST channel: real receivers (`node:http` on an ephemeral port) that
 * record every request byte, the real dispatcher with the real `.handle_quick_operation` and
 * recording stand-ins for the actions it calls, and a logger whose lines can be inspected.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { handleQuickOperation } from '../../../src/actions/system/quick-operation.js';
import { defineAction } from '../../../src/core/action.js';
import { params, raw } from '../../../src/core/params.js';
import type { Dispatch } from '../../../src/core/result.js';
import { createHttpPostChannel, type HttpPostChannel, type HttpPostChannelOptions } from '../../../src/transports/post/channel.js';
import { recordingDispatcher as realDispatcher } from '../../helpers/dispatcher.js';
import { startBodyServer } from '../../helpers/http-receiver.js';

export { captureLogger } from '../../helpers/logger.js';
export { sleep, until } from '../../helpers/wait.js';
/** A port nothing listens on (connection refused). */
export { freePort as deadPort } from '../../helpers/ports.js';

/** What a test opened and has not closed yet: closed by {@link closeLeftovers}, so a failed test cannot hang the run. */
const leftovers = new Set<() => Promise<void>>();

/** Register `close` to run at the end of the file (call `after(closeLeftovers)` in every test file). */
export function leftover(close: () => Promise<void>): void {
  leftovers.add(close);
}

/** Close everything registered with {@link leftover} (idempotent). */
export async function closeLeftovers(): Promise<void> {
  const closers = [...leftovers];
  leftovers.clear();
  await Promise.allSettled(closers.map((close) => close()));
}

/** One request as the receiver saw it. */
export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The client's port: equal for two requests on one keep-alive connection. */
  remotePort: number;
}

export type Responder = (req: Received, res: ServerResponse) => void;

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  server: Server;
  close(): Promise<void>;
}

/** A receiver answering every request with `respond` (after reading the whole body). */
export async function startReceiver(respond: Responder): Promise<Receiver> {
  const requests: Received[] = [];
  const { server, port, close } = await startBodyServer((req, body, res) => {
    const received: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      body,
      remotePort: req.socket.remotePort ?? 0,
    };
    requests.push(received);
    respond(received, res);
  });
  server.unref();
  leftover(close);
  return { url: `http://127.0.0.1:${port}/`, port, requests, server, close };
}

/** Answer with a status and a body (`Content-Type: application/json` unless told otherwise). */
export const answer = (status: number, body = '', contentType = 'application/json'): Responder => (_req, res) => {
  res.writeHead(status, body === '' ? {} : { 'Content-Type': contentType });
  res.end(body);
};

const TARGETS = ['send_msg', 'delete_msg', 'set_group_kick', 'set_group_ban', 'set_group_anonymous_ban', 'set_friend_add_request', 'set_group_add_request'];

/**
 * The real dispatcher with `.handle_quick_operation`, recording stand-ins for the actions it calls
 * (`send_msg` takes `sendDelayMs`), and `echo`. `dispatched` records the top-level calls (what the
 * channel dispatched), `calls` the actions that ran.
 */
export function recordingDispatcher(sendDelayMs = 0) {
  const calls: { action: string; params: Record<string, unknown>; at: number }[] = [];
  const actions = TARGETS.map((name) =>
    defineAction({
      name,
      summary: 'records its call',
      params: params({ _: raw() }),
      handler: async (p) => {
        if (name === 'send_msg' && sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, sendDelayMs));
        calls.push({ action: name, params: p, at: performance.now() });
        return null;
      },
    }),
  );
  const echo = defineAction({ name: 'echo', summary: 'answers its params', params: params({}), handler: (p) => p });
  const { dispatch, calls: dispatched, close } = realDispatcher([handleQuickOperation, echo, ...actions]);
  return { dispatch, calls, dispatched, names: () => calls.map((c) => c.action), close };
}

/** A channel to `url` with test defaults (secret "", timeout 5 s, self id 10001000, string format). */
export function channelTo(url: string, dispatch: Dispatch, logger: Logger, overrides: Partial<HttpPostChannelOptions> = {}): HttpPostChannel {
  const channel = createHttpPostChannel({
    url,
    secret: '',
    timeoutSeconds: 5,
    selfId: 10001000,
    format: { messageFormat: 'string', backwardCompatibility: false },
    dispatch,
    logger,
    ...overrides,
  });
  leftover(() => channel.close());
  return channel;
}

/** A group message event and its serialised body (keys sorted, as the pipeline makes it). */
export const GROUP_EVENT = {
  anonymous: null,
  font: 0,
  group_id: 100001,
  message: 'hi 你好 😀 &#91;x&#93; "q" \\ /',
  message_id: 34,
  message_type: 'group',
  post_type: 'message',
  raw_message: 'hi 你好 😀 &#91;x&#93; "q" \\ /',
  self_id: 10001000,
  sender: { nickname: 'Dave', user_id: 20004 },
  sub_type: 'normal',
  time: 1590000000,
  user_id: 20004,
} as const;
export const GROUP_BODY = JSON.stringify(GROUP_EVENT);
