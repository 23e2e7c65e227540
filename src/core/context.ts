/** What an action handler may use: the backend port, the frozen config, and re-entry into dispatch. */
import type { Logger } from 'pino';
import type { Backend } from '../backend/port.js';
import type { Config } from '../config/index.js';
import type { MediaPort } from './media.js';
import type { CallResult } from './result.js';

/** Static facts about this build, reported by `get_version_info`. */
export interface BuildInfo {
  appName: string;
  appVersion: string;
}

export interface ActionContext {
  readonly backend: Backend;
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly build: BuildInfo;
  /** Absolute data directory (media, database, logs). */
  readonly dataDir: string;
  /** Health of the internal components by their 4.15 plugin names (`http`, `websocket`, …), for `get_status`. */
  health(): Readonly<Record<string, boolean>>;
  /** Call another action through dispatch (used by `send_msg`, quick operations). */
  call(action: string, params: Record<string, unknown>): Promise<CallResult | null>;

  // --- runtime (system area): wired by the composition root, from the supervisor when there is one
  /**
   * Schedule an in-process restart in `delayMs` ms (config reloaded from its sources, listeners
   * re-bound, connections dropped). Returns at once; the outcome is only logged (4.15's restarter).
   */
  restart(delayMs: number): void;
  /** Empty this account's plugin log file (`<data_dir>/logs/<self_id>.log`) and reopen it. */
  cleanLog(): Promise<void>;
  /** Every action name the registry routes, sorted (no `_async`/`_rate_limited` forms). */
  actions(): readonly string[];

  // --- files & media: the data directory's media, downloads, voice records (src/core/media.ts)
  readonly media: MediaPort;
}
