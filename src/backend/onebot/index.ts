/**
 * Opens the `onebot` backend: the message-id database, the link to the upstream, and the bot's QQ
 * number — from the upstream (`get_login_info`) when it answers within `connectTimeoutMs`, else the
 * configured one, else the one this data directory last saw; with none of them, starting fails.
 */
import type { BridgeOptions } from '../bridge-options.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OnebotBackend } from './backend.js';
import { dialectNamed, DialectUpstream, type DialectName } from './dialects/index.js';
import type { EventRewrite } from './event-shapes.js';
import { upstreamFailure } from './failures.js';
import { MessageIds } from './ids.js';
import { UpstreamLink, type LinkTap } from './link.js';
import { int, object } from './normalise.js';
import { ReverseUpstream, type UpstreamTokenCheck } from './reverse.js';
import type { Frame, UpstreamConnection } from './connection.js';

export { OnebotBackend } from './backend.js';
export { GENERIC_REWRITES, type EventRewrite } from './event-shapes.js';
export { DIALECT_NAMES, type DialectName } from './dialects/index.js';
export type { UpstreamTokenCheck } from './reverse.js';

/** The upstream dials cqhttpd (reverse WebSocket) instead of cqhttpd dialing `url`. */
export interface ReverseListen {
  host: string;
  port: number;
  path: string;
  /** The constant-time check of `upstream_access_token` (the composition root's). */
  checkToken: UpstreamTokenCheck;
}

export interface OnebotOptions extends BridgeOptions {
  /** The upstream's forward WebSocket; ignored with {@link reverse}. */
  url: string;
  /** Listen for the upstream instead of dialing it. */
  reverse?: ReverseListen;
  /** The upstream's dialect; `auto` (default) asks its `get_version_info`. */
  dialect?: DialectName | 'auto';
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
  const fixed = options.dialect === undefined || options.dialect === 'auto' ? undefined : options.dialect;
  // Failures are read by the dialect in force (`link` below; no failure can arrive before it exists).
  const failure = (action: string, frame: Frame) => upstreamFailure(action, link.failure(frame));
  const common = {
    logger: options.logger, failure,
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.tap !== undefined ? { tap: options.tap } : {}),
  };
  const inner: UpstreamConnection = options.reverse !== undefined
    ? new ReverseUpstream({ ...options.reverse, ...common })
    : new UpstreamLink({
      url: options.url, accessToken: options.accessToken, ...common,
      ...(options.minBackoffMs !== undefined ? { minBackoffMs: options.minBackoffMs } : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    });
  const link = new DialectUpstream(inner, dialectNamed, fixed, options.logger, options.callTimeoutMs);
  const shut = async () => {
    await link.close();
    ids.close();
  };
  try {
    await link.start();
    let selfId: number | undefined;
    if (await link.waitOnline(options.connectTimeoutMs ?? 5000)) {
      await link.detect();
      selfId = int(object('get_login_info', await link.call('get_login_info', {}))['user_id']) || undefined;
    }
    if (selfId !== undefined && options.selfId !== undefined && selfId !== options.selfId) {
      throw new Error(`the upstream ${link.shownUrl} is logged in as ${selfId}, but self_id is ${options.selfId}`);
    }
    const known = ids.selfId();
    if (selfId !== undefined && known !== undefined && known !== selfId) {
      throw new Error(`${ids.file} holds the message ids of bot ${known}, not of the upstream's ${selfId}; use another data_dir`);
    }
    selfId ??= options.selfId ?? known;
    if (selfId === undefined) {
      throw new Error(`the upstream ${link.shownUrl} could not be reached to learn the bot's QQ number; set self_id or start the upstream first`);
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
