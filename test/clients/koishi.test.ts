/**
 * Koishi 4.18 with koishi-plugin-adapter-onebot 6.9.4, a real third-party bot framework, against
 * cqhttpd over the forward WebSocket (Koishi dials cqhttpd) and the reverse WebSocket (cqhttpd
 * dials Koishi). Each test: the bot comes online (get_login_info), a user says `ping` in a group
 * through the sandbox control API, Koishi answers `pong: ping`, and the answer is in the group's
 * history. HTTP POST is not covered: adapter-onebot 6.9.4 crashes on HTTP-POSTed events.
 *
 * Quirks worked around here:
 * - Koishi's ESM entry (lib/index.mjs) throws while loading on Node 20 ("Cannot read properties of
 *   undefined (reading 'add')"), so every Koishi package is loaded through its CommonJS build.
 * - A bare Context has no `http` service, and adapter-onebot's bot plugin injects it: without
 *   @koishijs/plugin-http no bot is ever created. The reverse mode also needs the `server` service
 *   (@koishijs/plugin-server, a dependency of koishi, resolved from there), which listens on no port
 *   when given port 0: it gets a free port (and may move up to 20 ports above it).
 * - `ctx.stop()` disposes the logger and the bot registry before the plugins that use them (a
 *   TypeError in Bot.dispose / Server's dispose hook, and the server stays open): dispose the
 *   plugins' forks first, newest first.
 * - adapter-onebot arms a `responseTimeout` timer for every API request and never clears it, so
 *   each request keeps the process alive that long (60 s by default): use a short timeout.
 * - Koishi's logger prints to stdout; its targets are swapped for a recorder during each test and the
 *   record is shown when a wait fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  HttpPlugin,
  koishi,
  OneBotPlugin,
  ServerPlugin,
  STATUS_OFFLINE,
  STATUS_ONLINE,
  type KoishiBot,
  type KoishiContext,
  type KoishiFork,
  type OneBotConfig,
} from './koishi-cjs.js';
import { botCalls, CAROL, freePort, LOUNGE, say, SELF_ID, TOKEN, waitFor, waitForBotReply } from './support.js';

/** Far above a local round trip, short enough not to hold the process (see the header). */
const RESPONSE_TIMEOUT_MS = 3_000;

/** What the Koishi side saw and did. */
interface KoishiApp {
  ctx: KoishiContext;
  /** Koishi's log lines (all levels), newest last. */
  logs: string[];
  /** Every message session Koishi dispatched. */
  received: { content: string; userId: string; guildId: string; channelId: string; messageId: string; selfId: string; isDirect: boolean }[];
  /** What each `session.send` resolved with (the message ids), or why it failed. */
  replies: (string[] | Error)[];
  /** Every status the bot went through. */
  statuses: number[];
  bot(): KoishiBot;
  /** The log and the bot's state, for failure messages. */
  diagnose(): string;
  /** Dispose the plugins newest first, then the context; restore Koishi's logger. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A Koishi app with plugin-http, optionally plugin-server (reverse mode), one OneBot bot, and a
 * listener that answers `ping` with `pong: <content>`; started.
 */
async function startKoishi(onebot: OneBotConfig, serverPort?: number): Promise<KoishiApp> {
  const logs: string[] = [];
  const saved = koishi.Logger.targets.splice(0, koishi.Logger.targets.length, {
    levels: { base: koishi.Logger.DEBUG },
    record: (r) => void logs.push(`[${r.type}] ${r.name} ${r.content}`),
  });
  const restoreLogger = () => void koishi.Logger.targets.splice(0, koishi.Logger.targets.length, ...saved);
  const received: KoishiApp['received'] = [];
  const replies: KoishiApp['replies'] = [];
  const statuses: number[] = [];
  let ctx: KoishiContext;
  let forks: KoishiFork[];
  try {
    ctx = new koishi.Context();
    forks = [ctx.plugin(HttpPlugin)];
    if (serverPort !== undefined) forks.push(ctx.plugin(ServerPlugin, { host: '127.0.0.1', port: serverPort, maxPort: serverPort + 20 }));
    ctx.on('bot-status-updated', (bot) => void statuses.push(bot.status));
    ctx.on('message', (session) => {
      received.push({
        content: session.content ?? '',
        userId: session.userId ?? '',
        guildId: session.guildId ?? '',
        channelId: session.channelId ?? '',
        messageId: session.messageId ?? '',
        selfId: session.selfId,
        isDirect: session.isDirect,
      });
      if (session.content !== 'ping') return;
      session.send(`pong: ${session.content}`).then(
        (ids) => void replies.push(ids),
        (err: unknown) => void replies.push(err instanceof Error ? err : new Error(String(err))),
      );
    });
    forks.push(ctx.plugin(OneBotPlugin, onebot));
  } catch (err) {
    restoreLogger();
    throw err;
  }
  let stopped = false;
  const handle: KoishiApp = {
    ctx,
    logs,
    received,
    replies,
    statuses,
    bot() {
      const bot = ctx.bots[0];
      assert.ok(bot, 'Koishi has no bot');
      return bot;
    },
    diagnose() {
      const bot = ctx.bots[0];
      const state = bot ? `bot status ${bot.status}${bot.error ? `, error: ${String(bot.error)}` : ''}` : 'no bot';
      return `${state}; statuses ${JSON.stringify(statuses)}\nKoishi log:\n${logs.join('\n')}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        for (const fork of forks.reverse()) fork.dispose();
        await ctx.stop();
      } finally {
        restoreLogger();
      }
    },
  };
  try {
    await ctx.start();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/** The ping/pong round trip through the sandbox, with every assertion on both sides. */
async function pingPong(cq: TestApp, k: KoishiApp, channel: 'ws' | 'ws_reverse'): Promise<void> {
  const bot = await waitFor('the Koishi bot to come online', () => k.ctx.bots.find((b) => b.status === STATUS_ONLINE), k.diagnose);
  // The adapter learnt its profile from get_login_info.
  assert.equal(bot.selfId, String(SELF_ID));
  assert.equal(bot.user?.name, 'cqhttpd-bot');

  const pingId = await say(cq, CAROL, LOUNGE, 'ping');
  const reply = await waitForBotReply(cq, LOUNGE, pingId, k.diagnose);
  assert.equal(reply.raw_message, 'pong: ping');
  assert.deepEqual(reply.message, [{ type: 'text', data: { text: 'pong: ping' } }]);
  assert.equal(reply.group_id, LOUNGE);

  // Koishi decoded the group message event…
  assert.deepEqual(k.received, [
    { content: 'ping', userId: String(CAROL), guildId: String(LOUNGE), channelId: String(LOUNGE), messageId: String(pingId), selfId: String(SELF_ID), isDirect: false },
  ]);
  // …and the send_group_msg answer: session.send resolved with the stored message's id.
  await waitFor('session.send to resolve', () => (k.replies.length > 0 ? true : undefined), k.diagnose);
  assert.deepEqual(k.replies, [[String(reply.message_id)]]);

  // The calls went over the WebSocket under test.
  const calls = await botCalls(cq);
  const login = calls.find((c) => c.action === 'get_login_info');
  const send = calls.find((c) => c.action === 'send_group_msg');
  assert.deepEqual(login && { channel: login.channel, retcode: login.retcode }, { channel, retcode: 0 });
  assert.deepEqual(send && { channel: send.channel, retcode: send.retcode }, { channel, retcode: 0 });
  // Koishi asks for the guild profile on every connect; cqhttpd answers ok, tiny_id "0" (decision P7).
  const profile = calls.find((c) => c.action === 'get_guild_service_profile');
  assert.deepEqual(profile && { channel: profile.channel, retcode: profile.retcode }, { channel, retcode: 0 });
}

test('Koishi over the forward WebSocket, with an access token: receives a group message and replies', async () => {
  const cq = await startTestApp({ config: { use_ws: true, access_token: TOKEN } });
  let k: KoishiApp | undefined;
  try {
    k = await startKoishi({
      protocol: 'ws',
      endpoint: `ws://127.0.0.1:${cq.app.ws!.port}`,
      selfId: String(SELF_ID),
      token: TOKEN,
      responseTimeout: RESPONSE_TIMEOUT_MS,
      retryTimes: 0,
    });
    await pingPong(cq, k, 'ws');
  } finally {
    await k?.stop(); // the client first: cqhttpd going away first would make Koishi schedule a reconnect
    await cq.close();
  }
});

test('Koishi over the forward WebSocket with a wrong token never comes online', async () => {
  const cq = await startTestApp({ config: { use_ws: true, access_token: TOKEN } });
  let k: KoishiApp | undefined;
  try {
    k = await startKoishi({
      protocol: 'ws',
      endpoint: `ws://127.0.0.1:${cq.app.ws!.port}`,
      selfId: String(SELF_ID),
      token: 'not-the-token',
      responseTimeout: RESPONSE_TIMEOUT_MS,
      retryTimes: 0,
    });
    const kb = k;
    // cqhttpd accepts the upgrade, then sends the text frame `authorization failed` and closes with
    // 1000 (§3.4); the adapter cannot parse the frame, and the close takes the bot offline.
    await waitFor('the Koishi bot to go offline', () => (kb.statuses.includes(STATUS_OFFLINE) ? true : undefined), kb.diagnose);
    assert.equal(kb.ctx.bots.length, 1);
    assert.ok(!kb.statuses.includes(STATUS_ONLINE), `the bot came online: ${kb.diagnose()}`);
    assert.notEqual(kb.bot().status, STATUS_ONLINE);
    assert.ok(kb.logs.includes('[warn] onebot cannot parse message authorization failed'), kb.diagnose());
    assert.ok(kb.logs.includes('[debug] adapter websocket closed with 1000'), kb.diagnose());
    assert.deepEqual(await botCalls(cq), [], 'no API call may run without the token');
  } finally {
    await k?.stop();
    await cq.close();
  }
});

test('Koishi over the reverse WebSocket (Universal): receives a group message and replies', async () => {
  let k: KoishiApp | undefined;
  let cq: TestApp | undefined;
  try {
    k = await startKoishi(
      { protocol: 'ws-reverse', path: '/onebot', selfId: String(SELF_ID), responseTimeout: RESPONSE_TIMEOUT_MS },
      await freePort(),
    );
    const port = k.ctx.server.port;
    assert.ok(port > 0, 'Koishi server is not listening');
    cq = await startTestApp({
      config: {
        use_ws_reverse: true,
        ws_reverse_url: `ws://127.0.0.1:${port}/onebot`,
        ws_reverse_reconnect_interval: 200,
        access_token: TOKEN,
      },
    });
    await pingPong(cq, k, 'ws_reverse');
  } finally {
    await cq?.close(); // the client first: Koishi closing the socket first would make cqhttpd redial
    await k?.stop();
  }
});
