/**
 * What every sandbox operation needs: the store, the bot's id, the clock, the options and the hubs.
 * {@link SandboxContext.act} is the single path by which a change is made and announced.
 */
import type { Logger } from 'pino';
import type { EventBase, EventHub, Outbox } from './events.js';
import type { Hub } from './hub.js';
import type { MediaUrlResolver } from './media-links.js';
import type { MessageRow, Store } from './store/index.js';

/** Tunables of the simulated QQ (qq-rules.md); all have QQ's defaults. */
export interface SandboxRules {
  /** Non-friends who share a group with the bot may be messaged (temporary session). */
  allowTempSessions: boolean;
}

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
   * Like {@link act}, but the commit is shared with the other batched acts of this event-loop turn
   * (group commit): each act runs in its own savepoint inside one write transaction, committed on
   * `setImmediate`; then, in order, each act's messages and events are announced and its promise
   * resolves. An answer therefore still means the change is durable. A throw rolls back that act
   * alone (its savepoint) and rejects at once.
   */
  actBatched<T>(fn: (out: Outbox) => T): Promise<T> {
    if (this.#batch === undefined) {
      this.store.begin();
      this.#batch = [];
      setImmediate(() => this.flush());
    }
    let run: { result: T; out: Outbox; stored: MessageRow[] };
    try {
      run = this.#run(fn); // a savepoint inside the shared transaction
    } catch (err) {
      return Promise.reject(err);
    }
    const { result, out, stored } = run;
    return new Promise<T>((resolve, reject) => {
      this.#batch?.push({ out, stored, resolve: () => resolve(result), reject });
    });
  }

  /**
   * `fn` in a transaction (a savepoint when one is open), collecting the events it produced and
   * the messages it stored; every read cache is invalidated whatever the outcome.
   */
  #run<T>(fn: (out: Outbox) => T): { result: T; out: Outbox; stored: MessageRow[] } {
    const out: Outbox = [];
    const stored: MessageRow[] = [];
    const outer = this.#stored;
    this.#stored = stored;
    try {
      return { result: this.store.transaction(() => fn(out)), out, stored };
    } finally {
      this.#stored = outer;
      this.#version++;
    }
  }

  /** Commit the open batch (if any), then announce and answer its acts in order. */
  flush(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.store.commit();
    } catch (err) {
      this.store.rollback();
      this.log.error({ err }, `sandbox: a group commit of ${batch.length} change(s) failed; none was applied`);
      for (const act of batch) act.reject(err);
      return;
    }
    for (const act of batch) {
      this.#messages.deliver(act.stored);
      this.#hub.deliver(act.out);
      act.resolve();
    }
  }
}

/** An act waiting for the shared commit. */
interface BatchedAct {
  out: Outbox;
  stored: MessageRow[];
  resolve: () => void;
  reject: (err: unknown) => void;
}
