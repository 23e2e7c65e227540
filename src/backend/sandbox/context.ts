/**
 * What every sandbox operation needs: the store, the bot's id, the clock, the options and the hubs.
 * {@link SandboxContext.act} is the single path by which a change is made and announced.
 */
import type { Logger } from 'pino';
import type { EventBase, EventHub, Outbox } from './events.js';
import type { Hub } from './hub.js';
import type { MediaUrlResolver } from './media-links.js';
import type { MessageRow, Store } from './store/index.js';

/** Tunables of the simulated QQ (docs/qq-rules.md); all have QQ's defaults. */
export interface SandboxRules {
  /** Non-friends who share a group with the bot may be messaged (temporary session). */
  allowTempSessions: boolean;
}

/** Batches that start guarded after a batch had a failing act. */
const GUARDED_AFTER_FAILURE = 16;

/** Shared state of one open sandbox. */
export class SandboxContext {
  readonly store: Store;
  readonly selfId: number;
  readonly rules: SandboxRules;
  readonly log: Logger;
  /** The `url` of stored media segments (media-links.ts); undefined = none. */
  readonly mediaUrl: MediaUrlResolver | undefined;
  readonly #hub: EventHub;
  readonly #messages: Hub<MessageRow>;
  readonly #now: () => number;
  /** Messages stored by the act in progress. */
  #stored: MessageRow[] | undefined;
  /** Bumped by every act: read-through caches are valid while it is unchanged. */
  #version = 0;
  readonly #cache = new Map<string, { version: number; value: unknown }>();
  /** The acts waiting for the shared commit (group commit), in order; undefined = none open. */
  #batch: BatchedAct[] | undefined;
  /** How many more batches run with a savepoint per act from the start (see {@link flush}). */
  #guardedBatches = 0;

  constructor(init: { store: Store; selfId: number; rules: SandboxRules; log: Logger; hub: EventHub; messages: Hub<MessageRow>; now: () => number; mediaUrl?: MediaUrlResolver | undefined }) {
    this.store = init.store;
    this.selfId = init.selfId;
    this.rules = init.rules;
    this.log = init.log;
    this.mediaUrl = init.mediaUrl;
    this.#hub = init.hub;
    this.#messages = init.messages;
    this.#now = init.now;
  }

  /** The clock, in milliseconds. */
  nowMs(): number {
    return this.#now();
  }

  /** The clock, in Unix seconds. */
  nowSec(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Common event fields at this instant. */
  eventBase(): EventBase {
    return { selfId: this.selfId, time: this.nowSec() };
  }

  /** Whether the bot is currently a member of the group. */
  botInGroup(groupId: number): boolean {
    return this.store.groups.member(groupId, this.selfId) !== undefined;
  }

  /**
   * A read-only look-up cached until the next act (every change goes through {@link act}), for the
   * hot reads bots repeat (`get_login_info`). Callers must not mutate the value.
   */
  cached<T>(key: string, compute: () => T): T {
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.version === this.#version) return hit.value as T;
    const value = compute();
    this.#cache.set(key, { version: this.#version, value });
    return value;
  }

  /** Note a message the act in progress stored; it is announced after the commit. */
  noteStored(row: MessageRow): void {
    this.#stored?.push(row);
  }

  /**
   * Run a change in one transaction, then announce the messages it stored and deliver the events it
   * produced. A throw rolls everything back and announces nothing.
   */
  act<T>(fn: (out: Outbox) => T): T {
    this.flush(); // a change made now must not be announced before the batched ones before it
    const { result, out, stored } = this.#run(fn);
    this.#messages.deliver(stored);
    this.#hub.deliver(out);
    return result;
  }

  /**
   * Like {@link act}, but deferred to the end of this event-loop turn and sharing its commit with
   * the other batched acts of the turn (group commit). On `setImmediate` (or earlier, when an
   * {@link act} or `close` needs the order kept) the queued acts run one after the other inside one
   * write transaction; then, in order, each act's messages and events are announced and its
   * promise settles. An answer therefore still means the change is durable; a throw undoes that
   * act alone and rejects it (see {@link flush}).
   *
   * Running the acts together, not as each request arrives, keeps SQLite's pages and code hot
   * between them: it cut the CPU of an HTTP `send_group_msg` by a fifth (docs/performance.md).
   * Nothing is visible to reads before the act has run, as nothing was before it committed.
   */
  actBatched<T>(fn: (out: Outbox) => T): Promise<T> {
    if (this.#batch === undefined) {
      this.#batch = [];
      setImmediate(() => this.flush());
    }
    const batch = this.#batch;
    return new Promise<T>((resolve, reject) => {
      batch.push({ fn, out: undefined, stored: undefined, result: undefined, error: undefined, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * `fn` in a transaction (a savepoint when one is open; directly inside the open one when not
   * `guarded`), collecting the events it produced and the messages it stored; every read cache is
   * invalidated whatever the outcome.
   */
  #run<T>(fn: (out: Outbox) => T, guarded = true): { result: T; out: Outbox; stored: MessageRow[] } {
    const out: Outbox = [];
    const stored: MessageRow[] = [];
    const outer = this.#stored;
    this.#stored = stored;
    try {
      return { result: guarded ? this.store.transaction(() => fn(out)) : fn(out), out, stored };
    } finally {
      this.#stored = outer;
      this.#version++;
    }
  }

  /**
   * Run the queued acts in one transaction, commit, then announce and answer them in order.
   *
   * The acts first run without savepoints (a savepoint and its release cost about 1 µs, a
   * fortieth of an HTTP send). If one throws, it may have written part of its change, which only
   * its own savepoint could undo: the whole transaction is rolled back and the batch runs again,
   * one savepoint per act, where the failing act rolls back alone. After such a failure the next
   * batches start guarded, so that a bot whose sends keep failing does not pay every batch twice.
   */
  flush(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    if (!this.#begin(batch)) return;
    const guarded = this.#guardedBatches > 0;
    if (guarded) this.#guardedBatches--;
    if (!this.#runAll(batch, guarded)) {
      this.#guardedBatches = GUARDED_AFTER_FAILURE;
      this.store.rollback();
      if (!this.#begin(batch)) return;
      this.#runAll(batch, true);
    }
    try {
      this.store.commit();
    } catch (err) {
      this.store.rollback();
      this.log.error({ err }, `sandbox: a group commit of ${batch.length} change(s) failed; none was applied`);
      for (const act of batch) if (act.error === undefined) act.reject(err);
      return;
    }
    for (const act of batch) {
      if (act.error !== undefined) {
        act.reject(act.error.err);
        continue;
      }
      if (act.stored !== undefined) this.#messages.deliver(act.stored);
      if (act.out !== undefined) this.#hub.deliver(act.out);
      act.resolve(act.result);
    }
  }

  /** Open the shared write transaction; on failure every act of the batch is rejected. */
  #begin(batch: BatchedAct[]): boolean {
    try {
      this.store.begin();
      return true;
    } catch (err) {
      // Another process holding the database past busy_timeout, or the store already closed.
      this.log.error({ err }, `sandbox: cannot open the write transaction for ${batch.length} change(s); none was applied`);
      for (const act of batch) act.reject(err);
      return false;
    }
  }

  /**
   * Run every act of the batch. Guarded (a savepoint each), a failing act is noted and the others
   * go on; unguarded, the first failure stops the run and returns false (nothing is noted).
   */
  #runAll(batch: BatchedAct[], guarded: boolean): boolean {
    for (const act of batch) {
      try {
        const run = this.#run(act.fn, guarded);
        act.out = run.out;
        act.stored = run.stored;
        act.result = run.result;
        act.error = undefined;
      } catch (err) {
        if (!guarded) return false;
        act.error = { err };
      }
    }
    return true;
  }
}

/** An act waiting for the shared commit. */
interface BatchedAct {
  fn: (out: Outbox) => unknown;
  out: Outbox | undefined;
  stored: MessageRow[] | undefined;
  result: unknown;
  /** Set when the act failed (in its savepoint); it is rejected with `err` after the commit. */
  error: { err: unknown } | undefined;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}
