/**
 * What every sandbox operation needs: the store, the bot's id, the clock, the options and the event
 * hub. {@link SandboxContext.act} is the single path by which a change is made and announced.
 */
import type { Logger } from 'pino';
import type { EventBase, EventHub, Outbox } from './events.js';
import type { Store } from './store/index.js';

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
  readonly #hub: EventHub;
  readonly #now: () => number;

  constructor(init: { store: Store; selfId: number; rules: SandboxRules; log: Logger; hub: EventHub; now: () => number }) {
    this.store = init.store;
    this.selfId = init.selfId;
    this.rules = init.rules;
    this.log = init.log;
    this.#hub = init.hub;
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
   * Run a change in one transaction, then deliver the events it produced. A throw rolls everything
   * back and delivers nothing.
   */
  act<T>(fn: (out: Outbox) => T): T {
    const out: Outbox = [];
    const result = this.store.transaction(() => fn(out));
    this.#hub.deliver(out);
    return result;
  }
}
