/**
 * Listener sets for what the sandbox announces after a commit: the events the bot receives, and
 * every message stored (the bot's own included). Delivery is synchronous and in order; a throwing
 * listener is logged and skipped.
 */
import type { Logger } from 'pino';

/** A set of listeners for items of one kind. */
export class Hub<T> {
  readonly #listeners = new Set<(item: T) => void>();
  readonly #log: Logger;
  readonly #what: string;

  /** `what` names the items in log lines ("event", "stored message"). */
  constructor(log: Logger, what: string) {
    this.#log = log;
    this.#what = what;
  }

  /** Subscribe; returns the unsubscribe function. */
  on(listener: (item: T) => void): () => void {
    // Wrap so the same function registered twice gets two independent subscriptions.
    const entry = (item: T): void => listener(item);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Deliver committed items, in order, synchronously. */
  deliver(items: readonly T[]): void {
    for (const item of items) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(item);
        } catch (err) {
          this.#log.error({ err }, `sandbox ${this.#what} listener threw`);
        }
      }
    }
  }

  /** Drop every listener (on close). */
  clear(): void {
    this.#listeners.clear();
  }
}
