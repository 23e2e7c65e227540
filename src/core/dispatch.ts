/**
 * The one transport-agnostic entry point for API calls: exact action, else the `_rate_limited`
 * and `_async` suffixes (in the original's plugin order, so they combine both ways), else the
 * fallback (a bridge's pass-through to its upstream) when it takes the name, else unknown.
 * Failures become results here and nowhere else.
 */
import type { Logger } from 'pino';
import { ApiError, withoutAbsolutePaths } from '../protocol/errors.js';
import type { ActionContext } from './context.js';
import { answerFaulted, type FaultEngine } from './faults/index.js';
import { RateLimitedQueue, WorkerPool } from './queue.js';
import type { ActionRegistry } from './registry.js';
import { ACCEPTED, type CallResult, type Channel, type Dispatch, type DispatchOutcome } from './result.js';

/** One finished call, as reported to observers (the sandbox's call journal, logs). */
export interface CallRecord {
  action: string;
  params: Record<string, unknown>;
  channel: Channel;
  retcode: number;
  /** Milliseconds. */
  duration: number;
  /** Unix milliseconds when the call started. */
  time: number;
  /** The answer's `data` (a reference, not a copy). */
  data?: unknown;
  /** The failure, when the call failed with a catalogue error. */
  error?: ApiError;
  /** The action does not exist (answered HTTP 404 / WS 1404; `retcode` is 1404). */
  unknown?: true;
}

export interface DispatcherOptions {
  registry: ActionRegistry;
  /** The context handed to handlers; `call` is supplied by the dispatcher. */
  context: Omit<ActionContext, 'call'>;
  logger: Logger;
  enableRateLimitedActions: boolean;
  rateLimitInterval: number;
  /** Concurrency of the `_async` worker pool. */
  workerPoolSize: number;
  /** Bound of each queue; overflow answers QUEUE_FULL (201). */
  maxQueueLength: number;
  /**
   * Asked for an action the registry does not know (after the suffixes): a promise of its `data`
   * when something else answers it (a bridge passing it to its upstream), `undefined` when not.
   */
  fallback?: (name: string, params: Record<string, unknown>) => Promise<unknown> | undefined;
  /** Injected faults (docs/testing.md); asked only while `faults.active`. */
  faults?: FaultEngine;
}

export interface Dispatcher {
  readonly dispatch: Dispatch;
  /** Observe every finished call (not the async/rate-limited acknowledgements). */
  onCall(observer: (record: CallRecord) => void): () => void;
  /** Calls waiting or running in the `_async` pool, and waiting in the `_rate_limited` queue (metrics). */
  queues(): { async: number; rate_limited: number };
  /** Health of the suffix machinery, for `get_status`. */
  health(): { async_actions: boolean; rate_limited_actions: boolean };
  /** Finish queued work (bounded) and stop. */
  close(): Promise<void>;
}

const ASYNC = '_async';
const RATE_LIMITED = '_rate_limited';
const ACK: CallResult = Object.freeze({ retcode: 1, data: null });

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { registry, logger } = options;
  const pool = new WorkerPool(Math.max(1, options.workerPoolSize), options.maxQueueLength);
  const rateLimited = new RateLimitedQueue(options.rateLimitInterval, options.maxQueueLength);
  const observers = new Set<(record: CallRecord) => void>();
  const context: ActionContext = { ...options.context, call: async (action, params) => dispatch(action, params, 'internal') };
  const faults = options.faults;

  /** A call, unless an injected fault answers it instead (one test while no fault is set). */
  function dispatch(name: string, params: Record<string, unknown>, channel: Channel): DispatchOutcome | Promise<DispatchOutcome> {
    if (faults?.active === true) {
      const fault = faults.forCall(name, params, channel);
      if (fault !== undefined) {
        const started = performance.now();
        return answerFaulted(faults, fault, name, {
          run: () => run(name, params, channel),
          runQuietly: async () => registry.get(name)?.run(params, context),
          settle: (result) => settle(name, params, channel, started, result),
        });
      }
    }
    return run(name, params, channel);
  }

  /**
   * Runs the action; a handler that returns no promise is answered without one (no microtask, no
   * promise allocated: the hot reads are served within the transport's own event).
   */
  function run(name: string, params: Record<string, unknown>, channel: Channel): DispatchOutcome | Promise<DispatchOutcome> {
    const action = registry.get(name);
    if (action === undefined) {
      const outcome = suffixed(name, params, channel);
      if (outcome !== null) return outcome;
      const passed = options.fallback?.(name, params);
      if (passed !== undefined) {
        const started = performance.now();
        return passed.then(
          (value: unknown) => settle(name, params, channel, started, success(value)),
          (err: unknown) => settle(name, params, channel, started, failure(name, err)),
        );
      }
      if (observers.size > 0) report({ action: name, params, channel, retcode: 1404, duration: 0, time: Date.now(), data: null, unknown: true });
      return null;
    }
    const started = performance.now();
    let data: unknown;
    try {
      data = action.run(params, context);
    } catch (err) {
      return settle(name, params, channel, started, failure(name, err));
    }
    if (data instanceof Promise) {
      return data.then(
        (value: unknown) => settle(name, params, channel, started, success(value)),
        (err: unknown) => settle(name, params, channel, started, failure(name, err)),
      );
    }
    return settle(name, params, channel, started, success(data));
  }

  /** Report the finished call to the observers (if any) and answer its result. */
  function settle(name: string, params: Record<string, unknown>, channel: Channel, started: number, result: CallResult): CallResult {
    if (observers.size > 0) {
      const record: CallRecord = { action: name, params, channel, retcode: result.retcode, duration: performance.now() - started, time: Date.now(), data: result.data };
      if (result.error !== undefined) record.error = result.error;
      report(record);
    }
    return result;
  }

  function report(record: CallRecord): void {
    for (const observer of observers) observer(record);
  }

  function success(data: unknown): CallResult {
    return data === ACCEPTED ? ACK : { retcode: 0, data: data === undefined ? null : data };
  }

  function failure(name: string, err: unknown): CallResult {
    if (err instanceof ApiError) {
      logger.debug({ action: name, code: err.code }, `${name} failed: ${err.message}`);
      // The log keeps the full sentence; the bot's wording never names a path on this host.
      const wording = withoutAbsolutePaths(err.message);
      return { retcode: err.retcode, data: null, error: wording === err.message ? err : new ApiError(err.code, wording) };
    }
    logger.error({ err, action: name }, `${name} crashed: ${(err as Error)?.message ?? String(err)}`);
    const wrapped = new ApiError('OPERATION_FAILED', `${name} failed unexpectedly`);
    return { retcode: wrapped.retcode, data: null, error: wrapped };
  }

  function suffixed(name: string, params: Record<string, unknown>, channel: Channel): CallResult | null {
    if (options.enableRateLimitedActions && name.endsWith(RATE_LIMITED)) {
      const inner = name.slice(0, -RATE_LIMITED.length);
      if (inner.length > 0 && !inner.endsWith(RATE_LIMITED)) {
        return enqueue(rateLimited.push(async () => dispatch(inner, params, channel)), name);
      }
    }
    if (name.endsWith(ASYNC)) {
      const inner = name.slice(0, -ASYNC.length);
      if (inner.length > 0 && !inner.endsWith(ASYNC)) {
        return enqueue(pool.push(async () => dispatch(inner, params, channel)), name);
      }
    }
    return null;
  }

  function enqueue(accepted: boolean, name: string): CallResult {
    if (accepted) return ACK;
    logger.warn({ action: name }, `${name} refused: the queue is full (max_queue_length)`);
    const err = new ApiError('QUEUE_FULL', `${name}: the queue is full (max_queue_length); the call was not queued`);
    return { retcode: err.retcode, data: null, error: err };
  }

  return {
    dispatch,
    onCall(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    queues: () => ({ async: pool.pending, rate_limited: rateLimited.pending }),
    health: () => ({ async_actions: pool.running, rate_limited_actions: !options.enableRateLimitedActions || rateLimited.running }),
    async close() {
      const dropped = await rateLimited.close();
      if (dropped > 0) logger.warn(`${dropped} rate-limited call(s) were still queued at shutdown and were dropped`);
      await pool.close();
    },
  };
}
