/**
 * Opens the `onebot` backend: the message-id database, the link to the upstream, and the bot's QQ
 * number — from the upstream (`get_login_info`) when it answers within `connectTimeoutMs`, else the
 * configured one, else the one this data directory last saw; with none of them, starting fails.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { OnebotBackend } from './backend.js';
import type { EventRewrite } from './event-shapes.js';
import { MessageIds } from './ids.js';
import { UpstreamLink, type LinkTap } from './link.js';
import { int, object } from './normalise.js';

export { OnebotBackend } from './backend.js';
export { GENERIC_REWRITES, type EventRewrite } from './event-shapes.js';

export interface OnebotOptions {
  dataDir: string;
  url: string;
  accessToken: string;
  /** The configured `self_id`, if any: must match the upstream's account. */
  selfId: number | undefined;
  logger: Logger;
  /** How long starting waits for the upstream (default 5 s). */
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Sees the link's frames; it is also told the upstream's `get_version_info` and the bot's number once known (recording). */
  tap?: LinkTap & {
    /** Ask the upstream's `get_version_info` at start, for the tap (recording from the start). */
    readonly wantsVersion: boolean;
    ready(info: { selfId: number; version?: Record<string, unknown> }): void;
  };
  /** The dialect's event rewrites (default: the generic ones, event-shapes.ts). */
  rewrites?: readonly EventRewrite[];
}

export async function openOnebot(options: OnebotOptions): Promise<OnebotBackend> {
  mkdirSync(options.dataDir, { recursive: true });
  const ids = new MessageIds(join(options.dataDir, 'bridge.db'));
  const link = new UpstreamLink({
    url: options.url, accessToken: options.accessToken, logger: options.logger,
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.minBackoffMs !== undefined ? { minBackoffMs: options.minBackoffMs } : {}),
    ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    ...(options.tap !== undefined ? { tap: options.tap } : {}),
  });
  const shut = async () => {
    await link.close();
    ids.close();
  };
  try {
    link.start();
    let selfId: number | undefined;
    if (await link.waitOnline(options.connectTimeoutMs ?? 5000)) {
      selfId = int(object('get_login_info', await link.call('get_login_info', {}))['user_id']) || undefined;
    }
    if (selfId !== undefined && options.selfId !== undefined && selfId !== options.selfId) {
      throw new Error(`the upstream ${options.url.replace(/[?#].*$/, '')} is logged in as ${selfId}, but self_id is ${options.selfId}`);
    }
    const known = ids.selfId();
    if (selfId !== undefined && known !== undefined && known !== selfId) {
      throw new Error(`${ids.file} holds the message ids of bot ${known}, not of the upstream's ${selfId}; use another data_dir`);
    }
    selfId ??= options.selfId ?? known;
    if (selfId === undefined) {
      throw new Error(`the upstream ${options.url.replace(/[?#].*$/, '')} could not be reached to learn the bot's QQ number; set self_id or start the upstream first`);
    }
    if (known === undefined) ids.setSelfId(selfId);
    if (options.tap !== undefined) {
      const version = options.tap.wantsVersion && link.isOnline() ? await link.call('get_version_info', {}).catch(() => undefined) : undefined;
      options.tap.ready({ selfId, ...(typeof version === 'object' && version !== null ? { version: version as Record<string, unknown> } : {}) });
    }
    if (!link.isOnline()) options.logger.warn(`starting offline as bot ${selfId}: the upstream is not reachable yet; calls fail until it is`);
    return new OnebotBackend(selfId, link, ids, shut, options.rewrites);
  } catch (err) {
    await shut();
    throw err;
  }
}
