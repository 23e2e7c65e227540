/**
 * Koishi, its HTTP service and the OneBot adapter, loaded through their CommonJS builds, with the
 * few types this bot uses.
 *
 * Why: Koishi 4.18's ESM entry throws while loading on Node 20, and its declarations do not
 * type-check under `moduleResolution: NodeNext`. A bot built with Koishi's own loader or in
 * CommonJS needs none of this.
 */
import { createRequire } from 'node:module';

export interface Session {
  content?: string;
  userId?: string;
  guildId?: string;
  isDirect: boolean;
  send(content: string): Promise<string[]>;
}

export interface Plugin {
  readonly __koishiPlugin: true;
}

export interface Fork {
  dispose(): boolean;
}

export interface Context {
  plugin(plugin: Plugin | { name: string; apply(ctx: Context): void }, config?: object): Fork;
  on(event: 'message', listener: (session: Session) => void): () => boolean;
  on(event: 'guild-member-added', listener: (session: Session) => void): () => boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly bots: { status: number }[];
}

const require = createRequire(import.meta.url);

export const koishi = require('koishi') as {
  Context: new () => Context;
  Logger: { targets: { levels?: { base: number }; print?(text: string): void }[] };
};
export const HttpPlugin = (require('@koishijs/plugin-http') as { HTTP: Plugin }).HTTP;
export const OneBotPlugin = (require('koishi-plugin-adapter-onebot') as { OneBotBot: Plugin }).OneBotBot;
