/**
 * The call journal: the last API calls the bot made (action, parameters, retcode, timing), fed by
 * the composition root from `dispatcher.onCall` and read by the sandbox control API (`GET /api/calls`
 * and the `call` events of `GET /api/stream`). Bounded by count and by bytes (docs/limits.md): a
 * call whose parameters and answer hold more than {@link JOURNAL_ENTRY_BYTES} is kept shortened
 * (long strings cut, marked `…(truncated, N bytes)`, and `truncated: true`), and the oldest calls
 * go once the kept bytes pass the budget.
 */
import type { CallRecord } from '../../core/dispatch.js';
import { estimateBytes, shorten } from './call-bytes.js';

export type { CallRecord } from '../../core/dispatch.js';

/** How many calls the journal keeps at most by default. */
export const DEFAULT_JOURNAL_CAPACITY = 1000;
/** How many bytes of parameters and answers the journal keeps by default (`max_journal_size`). */
export const DEFAULT_JOURNAL_BYTES = 16 * 1024 * 1024;
/** A kept call's parameters and answer together hold at most this many bytes; more is shortened. */
export const JOURNAL_ENTRY_BYTES = 64 * 1024;
/** A call sent to stream subscribers holds at most this many bytes; more is shortened. */
export const STREAMED_CALL_BYTES = 1024 * 1024;
/** What a kept call costs beside its parameters and answer (the record, the entry). */
const ENTRY_OVERHEAD = 256;

/** A call as kept: the record, marked when its parameters or answer were shortened. */
export type KeptCall = CallRecord & { truncated?: true };

/** A kept call and its number (1, 2, … in the order recorded), which the stream and the console use to match a listed call with a streamed one. */
export interface JournalEntry {
  readonly id: number;
  readonly record: KeptCall;
  /** The bot account that made the call (several share one journal, docs/config.md#several-bots). */
  readonly selfId: number;
  /** Estimated bytes it holds. */
  readonly bytes: number;
}

/** `record` with its parameters and answer within `limit` bytes together, and what it then holds. */
function bounded(record: CallRecord, limit: number): { record: KeptCall; bytes: number } {
  const paramBytes = estimateBytes(record.params, limit);
  const dataBytes = estimateBytes(record.data, limit);
  if (paramBytes + dataBytes <= limit) return { record, bytes: paramBytes + dataBytes };
  // Each side gets half the allowance when both are large; a small side is kept whole.
  const half = limit / 2;
  const params = paramBytes > half ? (shorten(record.params, half, paramBytes) as Record<string, unknown>) : record.params;
  const data = dataBytes > half ? shorten(record.data, half, estimateBytes(record.data, Number.MAX_SAFE_INTEGER)) : record.data;
  const out: KeptCall = { ...record, params: typeof params === 'object' ? params : { '…': params }, data, truncated: true };
  return { record: out, bytes: estimateBytes(out.params, limit) + estimateBytes(out.data, limit) };
}

/** A bounded ring buffer of call records with live subscribers. */
export class CallJournal {
  readonly capacity: number;
  /** The byte budget of the kept parameters and answers. */
  readonly maxBytes: number;
  // The ring, as parallel arrays (no entry object per call on the hot path; `entries()` makes them).
  readonly #records: (KeptCall | undefined)[];
  readonly #entryBytes: Float64Array;
  readonly #selfIds: Float64Array;
  /** Index of the oldest record. */
  #start = 0;
  #size = 0;
  #bytes = 0;
  #lastId = 0;
  readonly #subscribers = new Set<(record: KeptCall, id: number, selfId: number) => void>();

  constructor(capacity: number = DEFAULT_JOURNAL_CAPACITY, maxBytes: number = DEFAULT_JOURNAL_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`journal byte budget must be a positive integer, got ${maxBytes}`);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.#records = new Array<KeptCall | undefined>(capacity).fill(undefined);
    this.#entryBytes = new Float64Array(capacity);
    this.#selfIds = new Float64Array(capacity);
  }

  /** Estimated bytes the kept calls hold. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Append a call made by bot `selfId` (0: not said — a journal fed outside the composition root),
   * dropping the oldest while over the count or byte budget, and tell every subscriber (within
   * {@link STREAMED_CALL_BYTES}). A throwing subscriber is skipped.
   *
   * What is kept of a call: the record within {@link JOURNAL_ENTRY_BYTES}, except that a list
   * answer (friends, members, history…) is not kept — a thousand kept member lists would be
   * megabytes; subscribers saw it.
   */
  record(record: CallRecord, selfId = 0): void {
    const id = ++this.#lastId;
    let keptRecord: KeptCall = Array.isArray(record.data) ? { ...record, data: { omitted: `a list of ${record.data.length}` } } : record;
    // The usual call is small: two short walks and it is kept as it is.
    let bytes = estimateBytes(keptRecord.params, JOURNAL_ENTRY_BYTES);
    if (bytes <= JOURNAL_ENTRY_BYTES) bytes += estimateBytes(keptRecord.data, JOURNAL_ENTRY_BYTES - bytes);
    if (bytes > JOURNAL_ENTRY_BYTES) ({ record: keptRecord, bytes } = bounded(keptRecord, JOURNAL_ENTRY_BYTES));
    if (this.#size === this.capacity) this.#dropOldest();
    const slot = (this.#start + this.#size) % this.capacity;
    this.#records[slot] = keptRecord;
    this.#entryBytes[slot] = bytes + ENTRY_OVERHEAD;
    this.#selfIds[slot] = selfId;
    this.#size++;
    this.#bytes += bytes + ENTRY_OVERHEAD;
    while (this.#bytes > this.maxBytes && this.#size > 1) this.#dropOldest();
    if (this.#subscribers.size === 0) return;
    // Kept whole (within JOURNAL_ENTRY_BYTES, far below STREAMED_CALL_BYTES): no second estimate.
    const streamed = keptRecord === record ? record : bounded(record, STREAMED_CALL_BYTES).record;
    for (const fn of [...this.#subscribers]) {
      try {
        fn(streamed, id, selfId);
      } catch {
        // A subscriber's failure is its own (the SSE stream logs its drops); the journal keeps going.
      }
    }
  }

  #dropOldest(): void {
    const slot = this.#start;
    this.#records[slot] = undefined;
    this.#bytes -= this.#entryBytes[slot] as number;
    this.#entryBytes[slot] = 0;
    this.#start = (slot + 1) % this.capacity;
    this.#size--;
  }

  /** The kept calls, oldest first. */
  list(): KeptCall[] {
    return this.entries().map((e) => e.record);
  }

  /** The kept calls with their numbers, oldest first. */
  entries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    const firstId = this.#lastId - this.#size + 1;
    for (let i = 0; i < this.#size; i++) {
      const slot = (this.#start + i) % this.capacity;
      const record = this.#records[slot];
      if (record !== undefined) out.push({ id: firstId + i, record, selfId: this.#selfIds[slot] as number, bytes: this.#entryBytes[slot] as number });
    }
    return out;
  }

  /** Be told of every call recorded from now on (with its number and bot); returns the unsubscribe function. */
  subscribe(fn: (record: KeptCall, id: number, selfId: number) => void): () => void {
    const entry = (r: KeptCall, id: number, selfId: number): void => fn(r, id, selfId);
    this.#subscribers.add(entry);
    return () => {
      this.#subscribers.delete(entry);
    };
  }
}
