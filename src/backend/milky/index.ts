/**
 * Opens the `milky` backend: the message-id database (the same `bridge.db` as the `onebot` backend),
 * the HTTP API and the event stream of the Milky implementation at `url`, and the bot's QQ number —
 * from `get_login_info` when it answers within `connectTimeoutMs`, else the configured one, else the
 * one this data directory last saw; with none of them, starting fails. With a `tap` (the recorder,
 * docs/recording.md) the calls, answers, events and state changes are seen, and the header names
 * the implementation by its `get_impl_info`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MessageIds } from '../onebot/ids.js';
import { MilkyApi } from './api.js';
import type { BridgeOptions } from '../bridge-options.js';
import { MilkyBackend } from './backend.js';
import { MilkyEventStream, type EventTransport, type StreamTap } from './stream.js';
import type * as M from './types.js';

export { MilkyBackend } from './backend.js';

export interface MilkyOptions extends BridgeOptions {
  /** The implementation's base address (`http://` or `https://`). */
  url: string;
  /** How events come: the WebSocket (default) or Server-Sent Events. */
  eventTransport?: EventTransport;
  /** Largest event accepted, in bytes. */
  maxEventSize?: number;
  tap?: MilkyTap;
}

/** What the recorder hands the bridge (src/app/record.ts): frames, state, and the implementation once known. */
export interface MilkyTap extends StreamTap {
  /** Ask `get_impl_info` at start, for the header (recording from the start). */
  readonly wantsVersion: boolean;
  ready(info: { selfId: number; version?: Record<string, unknown> }): void;
}

export async function openMilky(options: MilkyOptions): Promise<MilkyBackend> {
  mkdirSync(options.dataDir, { recursive: true });
  const ids = new MessageIds(join(options.dataDir, 'bridge.db'));
  const tap = options.tap;
  const api = new MilkyApi({
    baseUrl: options.url, accessToken: options.accessToken, ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}), ...(tap ? { tap } : {}),
  });
  const stream = new MilkyEventStream({
    url: api.eventUrl, accessToken: options.accessToken, logger: options.logger, ...(tap ? { tap } : {}),
    ...(options.eventTransport !== undefined ? { transport: options.eventTransport } : {}),
    ...(options.maxEventSize !== undefined ? { maxFrameSize: options.maxEventSize } : {}),
    ...(options.minBackoffMs !== undefined ? { minBackoffMs: options.minBackoffMs } : {}),
    ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });
  const shut = async () => {
    await stream.close();
    ids.close();
  };
  try {
    stream.start();
    let selfId: number | undefined;
    const online = await new Promise<boolean>((resolve) => {
      if (stream.isOnline()) return resolve(true);
      const timer = setTimeout(() => { stop(); resolve(false); }, options.connectTimeoutMs ?? 5000);
      const stop = stream.onState((up) => {
        if (!up) return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
    if (online) selfId = (await api.call<M.GetLoginInfoOutput>('get_login_info', {})).uin || undefined;
    if (selfId !== undefined && options.selfId !== undefined && selfId !== options.selfId) {
      throw new Error(`the Milky implementation ${api.shownUrl} is logged in as ${selfId}, but self_id is ${options.selfId}`);
    }
    const known = ids.selfId();
    if (selfId !== undefined && known !== undefined && known !== selfId) {
      throw new Error(`${ids.file} holds the message ids of bot ${known}, not of the Milky implementation's ${selfId}; use another data_dir`);
    }
    selfId ??= options.selfId ?? known;
    if (selfId === undefined) {
      throw new Error(`the Milky implementation ${api.shownUrl} could not be reached to learn the bot's QQ number; set self_id or start it first`);
    }
    if (known === undefined) ids.setSelfId(selfId);
    if (tap !== undefined) {
      const version = tap.wantsVersion && stream.isOnline() ? await api.call<Record<string, unknown>>('get_impl_info', {}).catch(() => undefined) : undefined;
      tap.ready({ selfId, ...(typeof version === 'object' && version !== null ? { version } : {}) });
    }
    if (!stream.isOnline()) options.logger.warn(`starting offline as bot ${selfId}: the Milky event stream is not reachable yet`);
    return new MilkyBackend(selfId, api, stream, ids, shut);
  } catch (err) {
    await shut();
    throw err;
  }
}
