/**
 * The call journal: the last N API calls the bot made (action, parameters, retcode, timing), fed by
 * the composition root from `dispatcher.onCall` and read by the sandbox control API (`GET /api/calls`
 * and the `call` events of `GET /api/stream`).
 */
import type { CallRecord } from '../../core/dispatch.js';

export type { CallRecord } from '../../core/dispatch.js';

/** How many calls the journal keeps by default. */
export const DEFAULT_JOURNAL_CAPACITY = 1000;

/** A kept call and its number (1, 2, … in the order recorded), which the stream and the console use to match a listed call with a streamed one. */
export interface JournalEntry {
  readonly id: number;
  readonly record: CallRecord;
}

/**
 * What the journal keeps of a call: the record itself, except that a list answer (friends, members,
 * history…) is not kept — a thousand kept member lists would be megabytes; subscribers saw it whole.
 */
function kept(record: CallRecord): CallRecord {
  return Array.isArray(record.data) ? { ...record, data: { omitted: `a list of ${record.data.length}` } } : record;
}

/** A bounded ring buffer of call records with live subscribers. */
export class CallJournal {
  readonly capacity: number;
  readonly #ring: (JournalEntry | undefined)[];
  /** Index of the oldest record. */
  #start = 0;
  #size = 0;
  #lastId = 0;
  readonly #subscribers = new Set<(record: CallRecord, id: number) => void>();

  constructor(capacity: number = DEFAULT_JOURNAL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Array<JournalEntry | undefined>(capacity);
  }

  /** Append a call (dropping the oldest when full) and tell every subscriber. A throwing subscriber is skipped. */
  record(record: CallRecord): void {
    const id = ++this.#lastId;
    const entry: JournalEntry = { id, record: kept(record) };
    if (this.#size < this.capacity) {
      this.#ring[(this.#start + this.#size) % this.capacity] = entry;
      this.#size++;
    } else {
      this.#ring[this.#start] = entry;
      this.#start = (this.#start + 1) % this.capacity;
    }
    if (this.#subscribers.size === 0) return;
    for (const fn of [...this.#subscribers]) {
      try {
        fn(record, id);
      } catch {
        // A subscriber's failure is its own (the SSE stream logs its drops); the journal keeps going.
      }
    }
  }

  /** The kept calls, oldest first. */
  list(): CallRecord[] {
    return this.entries().map((e) => e.record);
  }

  /** The kept calls with their numbers, oldest first. */
  entries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 0; i < this.#size; i++) {
      const r = this.#ring[(this.#start + i) % this.capacity];
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** Be told of every call recorded from now on (with its number); returns the unsubscribe function. */
  subscribe(fn: (record: CallRecord, id: number) => void): () => void {
    const entry = (r: CallRecord, id: number): void => fn(r, id);
    this.#subscribers.add(entry);
    return () => {
      this.#subscribers.delete(entry);
    };
  }
}
