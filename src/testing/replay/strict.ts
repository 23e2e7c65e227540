/**
 * Strict mode's stage: an upstream made of the cassette — a forward WebSocket that answers each
 * call of the bridge with the recorded answer to the same call (same action, same parameters once
 * echoes are set aside, each recorded answer used once), and a failure `NOT_IN_CASSETTE` when
 * there is none — and a cqhttpd bridge in front of it, on a temporary data directory, for the bot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { silentLogger } from '../../app/logger.js';
import { startCqhttpd, type Cqhttpd } from '../../app/start.js';
import { loadConfig } from '../../config/index.js';
import { Redactor } from '../../record/index.js';
import { same, type ReplayCall } from './diff.js';
import type { Plan } from './plan.js';

type Obj = Record<string, unknown>;

export interface StrictBridge {
  env: Record<string, string>;
  waitForBot(timeout: number): Promise<void>;
  activity(): number;
  /** Send an upstream event frame; resolves with the message id the bridge gave it (a message event), if any. */
  push(frame: Obj): Promise<unknown>;
  take(): ReplayCall[];
  /** The bridge's calls the cassette had no answer to. */
  misses(): string[];
  close(): Promise<void>;
}

const BOT_CHANNELS = new Set(['http', 'ws', 'ws_reverse', 'quick_operation']);

export async function startStrictBridge(plan: Plan, config: Record<string, string>): Promise<StrictBridge> {
  const used = new Set<number>();
  const misses: string[] = [];
  const redactor = plan.redacted ? new Redactor({ ids: false }) : undefined;
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let upstream: WebSocket | undefined;
  server.on('connection', (socket) => {
    upstream = socket;
    socket.on('message', (raw) => {
      let frame: Obj;
      try {
        frame = JSON.parse(raw.toString()) as Obj;
      } catch {
        return;
      }
      const action = String(frame['action']);
      const params = (redactor ? redactor.value(frame['params'] ?? {}) : frame['params'] ?? {}) as Obj;
      const index = plan.upstreamCalls.findIndex((c, i) => !used.has(i) && c.result !== undefined && c.action === action && same(c.params, params));
      if (index < 0) {
        misses.push(`${action} ${JSON.stringify(params)}`);
        socket.send(JSON.stringify({ status: 'failed', retcode: 100, data: null, msg: 'NOT_IN_CASSETTE', wording: `strict replay: the cassette holds no answer to ${action} with these parameters`, echo: frame['echo'] }));
        return;
      }
      used.add(index);
      socket.send(JSON.stringify({ ...plan.upstreamCalls[index]?.result, echo: frame['echo'] }));
    });
  });
  const port = (server.address() as { port: number }).port;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-replay-'));
  let app: Cqhttpd | undefined;
  const close = async () => {
    await app?.close();
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { config: loaded } = loadConfig({
      searchDir: dataDir, env: {},
      overrides: { port: 0, ws_port: 0, use_ws: true, ...config, backend: 'onebot', upstream_url: `ws://127.0.0.1:${port}/`, data_dir: dataDir, self_id: plan.selfId, record: false },
    });
    app = await startCqhttpd({ config: loaded, logger: silentLogger() });
  } catch (err) {
    await close();
    throw err;
  }
  const running = app;
  let activity = 0;
  let calls: ReplayCall[] = [];
  let lastMessageId: unknown;
  running.dispatcher.onCall((r) => {
    activity++;
    if (BOT_CHANNELS.has(r.channel)) calls.push({ action: r.action, params: r.params, data: r.data });
  });
  running.backend.onEvent((e) => {
    activity++;
    const event = e as unknown as Obj;
    if (event['post_type'] === 'message') lastMessageId = event['message_id'];
  });
  const env: Record<string, string> = {
    CQHTTPD_SELF_ID: String(plan.selfId), CQHTTPD_ACCESS_TOKEN: running.config.access_token,
    ...(running.http ? { CQHTTPD_HTTP_URL: `http://127.0.0.1:${running.http.port}` } : {}),
    ...(running.ws ? { CQHTTPD_WS_URL: `ws://127.0.0.1:${running.ws.port}/` } : {}),
  };
  return {
    env,
    async waitForBot(timeout) {
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        if (running.connections.list().some((c) => c.transport !== 'http_post' && c.state === 'open' && /^(universal|event)$/i.test(c.role))) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the bot did not connect to the bridge within ${timeout} ms (${env['CQHTTPD_WS_URL'] ?? 'no forward WebSocket'})`);
    },
    activity: () => activity,
    async push(frame) {
      lastMessageId = undefined;
      upstream?.send(JSON.stringify(frame));
      if (frame['post_type'] !== 'message') return undefined;
      const until = Date.now() + 2000;
      while (lastMessageId === undefined && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      return lastMessageId;
    },
    take() {
      const out = calls;
      calls = [];
      return out;
    },
    misses: () => misses,
    close,
  };
}
