/**
 * Start the bot: a Koishi app with the HTTP service, one OneBot bot dialling cqhttpd's forward
 * WebSocket, and the bot plugin. `stop()` disposes the plugins newest first, then the app (Koishi
 * 4.18 disposes its logger and bot list before the plugins that use them otherwise).
 */
import * as bot from './bot.js';
import { HttpPlugin, koishi, OneBotPlugin, type Fork } from './koishi.js';

export interface BotSettings {
  /** cqhttpd's forward WebSocket, e.g. ws://127.0.0.1:6700/ */
  endpoint: string;
  selfId: string;
  token?: string;
}

export interface RunningBot {
  /** Resolves once the OneBot bot is online. */
  online(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBot(settings: BotSettings): Promise<RunningBot> {
  const ctx = new koishi.Context();
  const forks: Fork[] = [
    ctx.plugin(HttpPlugin),
    ctx.plugin(OneBotPlugin, {
      protocol: 'ws', endpoint: settings.endpoint, selfId: settings.selfId,
      ...(settings.token ? { token: settings.token } : {}),
      // adapter-onebot never clears this timer: a short one lets the process end promptly.
      responseTimeout: 3000,
    }),
    ctx.plugin(bot),
  ];
  await ctx.start();
  return {
    async online(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ctx.bots.some((b) => b.status === 1)) {
        if (Date.now() > deadline) throw new Error('the Koishi bot did not come online');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      for (const fork of forks.reverse()) fork.dispose();
      await ctx.stop();
    },
  };
}
