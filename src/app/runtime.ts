/**
 * The runtime capabilities of the action context (`restart`, `cleanLog`, `actions`), built by the
 * composition root from the supervisor's hooks when there is a supervisor, and standing alone
 * otherwise (an embedded `startCqhttpd` cannot restart itself: the call is logged and skipped).
 */
import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ActionContext } from '../core/context.js';
import type { ActionRegistry } from '../core/registry.js';
import { ApiError } from '../protocol/errors.js';
import { logFilePath } from './logger.js';

/** What the process around an instance offers it; the supervisor implements this. */
export interface RuntimeHooks {
  /** Schedule an in-process restart in `delayMs` ms; never throws, the outcome is logged. */
  restart(delayMs: number): void;
  /** `get_status` `plugins_good.restarter`: restarts are possible and the last one did not fail. */
  restarterGood(): boolean;
  /** Reopen the log file after it was truncated. */
  reopenLog(): void;
}

/** The runtime part of the action context. */
export type RuntimeContext = Pick<ActionContext, 'restart' | 'cleanLog' | 'actions'>;

/** What {@link runtimeContext} needs from the composition root. */
export interface RuntimeContextOptions {
  dataDir: string;
  /** The configured `self_id` (names the plugin log file); `undefined` when unset. */
  selfId: number | undefined;
  logger: Logger;
  registry: ActionRegistry;
  hooks?: RuntimeHooks;
}

/** The context's runtime capabilities for one instance. */
export function runtimeContext({ dataDir, selfId, logger, registry, hooks }: RuntimeContextOptions): RuntimeContext {
  const names = Object.freeze(registry.list().map((action) => action.name));
  const logFile = logFilePath(dataDir, selfId);
  return {
    restart(delayMs) {
      if (hooks !== undefined) hooks.restart(delayMs);
      else logger.warn('restart requested, but this cqhttpd runs without a supervisor (embedded): the restart is skipped');
    },
    async cleanLog() {
      try {
        await fs.truncate(logFile, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new ApiError('OPERATION_FAILED', `could not clean the plugin log ${logFile}: ${(err as Error).message}`);
        }
      }
      hooks?.reopenLog();
      logger.info(`the plugin log ${logFile} was cleaned`);
    },
    actions: () => names,
  };
}
