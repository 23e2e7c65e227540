/**
 * The supervisor: owns the running {@link Cqhttpd} and restarts it in-process for
 * `set_restart_plugin` / `set_restart` / `_set_restart` (CQHTTP 4.15 §6.7: a full disable + enable).
 *
 * A restart reloads the configuration from the sources used at start (`reload`) **before** touching
 * the running instance: an invalid configuration is logged and the old instance keeps serving
 * (`plugins_good.restarter` turns false until a restart succeeds). Otherwise the old instance is
 * closed (lifecycle `disable`, listeners and backend closed, connections dropped) and a new one
 * started on the new configuration (listeners re-bound, lifecycle `enable`). If it cannot start
 * (a port is taken…) the process would be half-alive: that is logged as fatal and `onFatal` runs
 * (by default `process.exit(1)`).
 */
import type { Logger } from 'pino';
import { ConfigError, type Config, type LoadResult } from '../config/index.js';
import { logFilePath, type AppLogging } from './logger.js';
import type { RuntimeHooks } from './runtime.js';
import { startCqhttpd, type Cqhttpd, type StartOptions } from './start.js';

/** How one restart attempt ended. */
export type RestartOutcome = { restarted: true } | { restarted: false; reason: string };

export interface SupervisorOptions {
  /** The configuration of the first instance. */
  config: Readonly<Config>;
  /** Its bot accounts (`LoadResult.bots`); default `[config]`. */
  bots?: readonly Readonly<Config>[];
  /** Loads the configuration again from the same sources (file, environment, overrides); throws `ConfigError`. */
  reload(): LoadResult;
  /** The logging of the first instance (the supervisor logs through the current one). */
  logging: AppLogging;
  /** Opens the logging for a configuration whose log settings (level, format, file) changed. */
  loggingFor(config: Readonly<Config>): AppLogging;
  /** Injectable clock (tests). */
  now?: () => number;
  /** Called when a restart left no instance running; default: `process.exit(1)`. */
  onFatal?(err: Error): void;
  /** Starts one instance (tests may wrap it); default `startCqhttpd`. */
  start?(options: StartOptions): Promise<Cqhttpd>;
}

export interface Supervisor {
  /** The running instance (replaced by each successful restart). */
  readonly current: Cqhttpd;
  /** The current logger. */
  readonly logger: Logger;
  /** Restart in `delayMs` ms; an earlier pending restart wins. Ignored once closed. */
  schedule(delayMs: number): void;
  /** Restart now (joins a restart already in progress). */
  restart(): Promise<RestartOutcome>;
  /** The outcome of the next restart attempt to finish. */
  nextRestart(): Promise<RestartOutcome>;
  /** `plugins_good.restarter`: not closed, not dead, and the last restart (if any) succeeded. */
  healthy(): boolean;
  /** Cancel any pending restart, wait for one in progress, close the instance. The logging stays open. */
  close(): Promise<void>;
}

/** What decides whether a restart needs a new logger. */
function loggingKey(config: Readonly<Config>): string {
  return JSON.stringify([config.log_level, config.log_format, logFilePath(config.data_dir, config.self_id)]);
}

function describeFailure(err: unknown): string[] {
  if (err instanceof ConfigError) return [...err.problems, ...err.warnings.map((warning) => `warning: ${warning}`)];
  return [err instanceof Error ? err.message : String(err)];
}

/** Start the first instance under a supervisor; rejects (nothing left open) if it cannot start. */
export async function startSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  const start = options.start ?? startCqhttpd;
  const onFatal = options.onFatal ?? (() => process.exit(1));
  let logging = options.logging;
  let config = options.config;
  let bots = options.bots ?? [config];
  let good = true;
  let closed = false;
  let timer: { handle: NodeJS.Timeout; due: number } | undefined;
  let inProgress: Promise<RestartOutcome> | undefined;
  const waiters: ((outcome: RestartOutcome) => void)[] = [];

  const hooks: RuntimeHooks = {
    restart: (delayMs) => schedule(delayMs),
    restarterGood: () => good && !closed,
    reopenLog: () => logging.reopen(),
  };
  const boot = (cfg: Readonly<Config>, accounts: readonly Readonly<Config>[], logger: Logger) =>
    start({ config: cfg, bots: accounts, logger, runtime: hooks, ...(options.now ? { now: options.now } : {}) });

  let instance = await boot(config, bots, logging.logger);

  function settle(outcome: RestartOutcome): RestartOutcome {
    for (const resolve of waiters.splice(0)) resolve(outcome);
    return outcome;
  }

  function schedule(delayMs: number): void {
    if (closed) return;
    const due = Date.now() + delayMs;
    if (timer !== undefined && timer.due <= due) {
      logging.logger.info(`restart requested in ${delayMs} ms; one is already due sooner`);
      return;
    }
    if (timer !== undefined) clearTimeout(timer.handle);
    logging.logger.info(`restart in ${delayMs} ms`);
    const handle = setTimeout(() => {
      timer = undefined;
      void restart();
    }, delayMs);
    handle.unref();
    timer = { handle, due };
  }

  function restart(): Promise<RestartOutcome> {
    inProgress ??= perform().finally(() => {
      inProgress = undefined;
    });
    return inProgress;
  }

  async function perform(): Promise<RestartOutcome> {
    if (closed) return settle({ restarted: false, reason: 'the supervisor is closed' });
    const logger = logging.logger;
    let loaded: LoadResult;
    try {
      loaded = options.reload();
    } catch (err) {
      const problems = describeFailure(err);
      good = false;
      logger.error(`restart refused, still running on the previous configuration: the configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return settle({ restarted: false, reason: problems.join('; ') });
    }

    logger.info('restarting: disabling, closing every listener and the backend (connections are dropped)');
    await instance.close();
    const previousLogging = logging;
    if (loggingKey(loaded.config) !== loggingKey(config)) logging = options.loggingFor(loaded.config);
    config = loaded.config;
    bots = loaded.bots;
    const next = logging.logger;
    for (const warning of loaded.warnings) next.warn(`config: ${warning}`);
    next.info(`configuration from ${loaded.source.length > 0 ? loaded.source.join(', ') : 'defaults'}`);
    try {
      instance = await boot(config, bots, next);
    } catch (err) {
      const reason = describeFailure(err).join('; ');
      good = false;
      closed = true;
      next.fatal(`restart failed, cqhttpd cannot run on the new configuration and exits: ${reason}`);
      if (previousLogging !== logging) previousLogging.close();
      settle({ restarted: false, reason });
      onFatal(err instanceof Error ? err : new Error(reason));
      return { restarted: false, reason };
    }
    if (previousLogging !== logging) previousLogging.close();
    good = true;
    next.info('restarted');
    return settle({ restarted: true });
  }

  return {
    get current() {
      return instance;
    },
    get logger() {
      return logging.logger;
    },
    schedule,
    restart,
    nextRestart: () => new Promise<RestartOutcome>((resolve) => waiters.push(resolve)),
    healthy: () => hooks.restarterGood(),
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer.handle);
      timer = undefined;
      await inProgress;
      await instance.close();
    },
  };
}
