/**
 * Koishi and its plugins, loaded through their CommonJS builds, with minimal local types for what
 * the tests use.
 *
 * Why CommonJS: Koishi's ESM entry (koishi/lib/index.mjs) throws while loading on Node 20
 * ("Cannot read properties of undefined (reading 'add')"). Why local types: Koishi's own
 * declarations resolve cordis/minato in two module modes at once under NodeNext and do not type-check
 * (`Context` from @koishijs/core is not assignable to cordis' `Context`, plugin configs become `never`).
 */
import { createRequire } from 'node:module';

/** A plugin, opaque: only handed to `Context.plugin`. */
export interface KoishiPlugin {
  readonly __koishiPlugin: true;
}

/** The fork a `plugin()` call returns: `dispose()` unloads that plugin (synchronously). */
export interface KoishiFork {
  dispose(): boolean;
}

export interface KoishiSession {
  content?: string;
  userId?: string;
  guildId?: string;
  channelId?: string;
  messageId?: string;
  selfId: string;
  isDirect: boolean;
  /** Resolves with the ids of the messages sent. */
  send(content: string): Promise<string[]>;
}

export interface KoishiBot {
  selfId: string;
  /** `Universal.Status`: 0 offline, 1 online, 2 connect, 3 disconnect, 4 reconnect. */
  status: number;
  error?: unknown;
  user?: { name?: string };
}

export interface KoishiContext {
  plugin(plugin: KoishiPlugin, config?: object): KoishiFork;
  on(event: 'message', listener: (session: KoishiSession) => void): () => boolean;
  on(event: 'bot-status-updated', listener: (bot: KoishiBot) => void): () => boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly bots: KoishiBot[];
  /** With @koishijs/plugin-server loaded: where it listens (after `start()`). */
  readonly server: { readonly port: number; readonly host: string };
}

/** reggol's log record and output target (Koishi's logger). */
export interface KoishiLogRecord {
  type: string;
  name: string;
  content: string;
}
export interface KoishiLogTarget {
  levels?: { base: number };
  record?(record: KoishiLogRecord): void;
  print?(text: string): void;
}

/** adapter-onebot's bot config (the WebSocket modes). */
export interface OneBotConfig {
  selfId: string;
  token?: string;
  protocol: 'ws' | 'ws-reverse';
  /** `ws`: cqhttpd's address. */
  endpoint?: string;
  /** `ws-reverse`: the path Koishi's server accepts cqhttpd on (default `/onebot`). */
  path?: string;
  /** How long an API call waits for its answer (ms, default 60 000). */
  responseTimeout?: number;
  /** `ws`: dial retries before giving up (default 6), and the delay between them (ms). */
  retryTimes?: number;
  retryInterval?: number;
}

/** Status values of `Universal.Status` (an ambient const enum, unusable under `isolatedModules`). */
export const STATUS_OFFLINE = 0;
export const STATUS_ONLINE = 1;

const require = createRequire(import.meta.url);

export const koishi = require('koishi') as {
  Context: new () => KoishiContext;
  Logger: { targets: KoishiLogTarget[]; readonly DEBUG: number };
};
/** @koishijs/plugin-http: the `http` service adapter-onebot's bots wait for. */
export const HttpPlugin = (require('@koishijs/plugin-http') as { HTTP: KoishiPlugin }).HTTP;
/** koishi-plugin-adapter-onebot's bot. */
export const OneBotPlugin = (require('koishi-plugin-adapter-onebot') as { OneBotBot: KoishiPlugin }).OneBotBot;
/** @koishijs/plugin-server, a dependency of koishi itself (not hoisted): resolved from koishi. */
export const ServerPlugin = (createRequire(require.resolve('koishi'))('@koishijs/plugin-server') as { Server: KoishiPlugin }).Server;
