/**
 * The call journal: the last N API calls the bot made (action, parameters, retcode, timing), fed by
 * the composition root from `dispatcher.onCall` and read by the sandbox control API (`GET /api/calls`
 * and the `call` events of `GET /api/stream`).
 */
import type { CallRecord } from '../../core/dispatch.js';

export type { CallRecord } from '../../core/dispatch.js';

/** How many calls the journal keeps by default. */
export const DEFAULT_JOURNAL_CAPACITY = 1000;

/** A bounded ring buffer of call records with live subscribers. */
export class CallJournal {
  readonly capacity: number;
  readonly #ring: (CallRecord | undefined)[];
  /** Index of the oldest record. */
  #start = 0;
  #size = 0;
  readonly #subscribers = new Set<(record: CallRecord) => void>();

  constructor(capacity: number = DEFAULT_JOURNAL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Array<CallRecord | undefined>(capacity);
  }

  /** Append a call (dropping the oldest when full) and tell every subscriber. A throwing subscriber is skipped. */
  record(record: CallRecord): void {
    if (this.#size < this.capacity) {
      this.#ring[(this.#start + this.#size) % this.capacity] = record;
      this.#size++;
    } else {
      this.#ring[this.#start] = record;
      this.#start = (this.#start + 1) % this.capacity;
    }
    if (this.#subscribers.size === 0) return;
    for (const fn of [...this.#subscribers]) {
      try {
        fn(record);
      } catch {
        // A subscriber's failure is its own (the SSE stream logs its drops); the journal keeps going.
      }
    }
  }

  /** The kept calls, oldest first. */
  list(): CallRecord[] {
    const out: CallRecord[] = [];
    for (let i = 0; i < this.#size; i++) {
      const r = this.#ring[(this.#start + i) % this.capacity];
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** Be told of every call recorded from now on; returns the unsubscribe function. */
  subscribe(fn: (record: CallRecord) => void): () => void {
    const entry = (r: CallRecord): void => fn(r);
    this.#subscribers.add(entry);
    return () => {
      this.#subscribers.delete(entry);
    };
  }
}
