/**
 * What the bot did, waiting to be expected: its messages (`reply`), its calls (`call`) and the
 * events delivered to it (`event`), numbered in the order the sandbox stream reported them.
 *
 * An expectation looks at the unconsumed items after its mark and at every later one, and takes
 * (consumes) the first it matches — "eventually, within the timeout". So an expectation armed
 * before the act cannot miss a fast answer, and two equal expectations need two items. `none`
 * waits the quiet window and fails on the first match. Bounded: at most {@link MAX_ITEMS}
 * unconsumed items (the oldest go first) and {@link MAX_SEEN} remembered per kind for failure messages.
 */

export type ItemKind = 'reply' | 'call' | 'event';

export interface Item {
  /** Order of arrival, from 1. */
  seq: number;
  kind: ItemKind;
  data: Record<string, unknown>;
  /** Unix ms when the engine received it. */
  at: number;
}

export interface Expectation {
  kind: ItemKind;
  /** For failure messages, e.g. `reply {"text":"pong"}`. */
  describe: string;
  test(data: Record<string, unknown>): boolean;
  /** 0…1 closeness, for quoting the nearest actual item on failure. */
  score(data: Record<string, unknown>): number;
  /** Only items with a larger `seq` count (an `ordered` step, or a step's arm point). */
  after?: number;
}

/** An expectation that did not hold: which, and the nearest actual item (if any). */
export class ExpectationFailure extends Error {
  constructor(
    message: string,
    readonly expectation: string,
    readonly nearest: Item | undefined,
  ) {
    super(message);
    this.name = 'ExpectationFailure';
  }
}

export const MAX_ITEMS = 10_000;
export const MAX_SEEN = 200;

interface Waiter {
  exp: Expectation;
  claim(item: Item): void;
}

export class Inbox {
  #seq = 0;
  readonly #items: Item[] = [];
  readonly #seen = new Map<ItemKind, Item[]>();
  readonly #waiters: Waiter[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The number of the last item received (0 before any): the arm point of what follows. */
  mark(): number {
    return this.#seq;
  }

  /** A new item: the first waiting expectation it matches takes it, else it waits unconsumed. */
  push(kind: ItemKind, data: Record<string, unknown>): Item {
    const item: Item = { seq: ++this.#seq, kind, data, at: this.#now() };
    const seen = this.#seen.get(kind) ?? [];
    seen.push(item);
    if (seen.length > MAX_SEEN) seen.shift();
    this.#seen.set(kind, seen);
    for (const waiter of this.#waiters) {
      if (eligible(waiter.exp, item)) {
        waiter.claim(item);
        return item;
      }
    }
    this.#items.push(item);
    if (this.#items.length > MAX_ITEMS) this.#items.shift();
    return item;
  }

  /** Take the first item matching `exp`, waiting up to `timeoutMs`; rejects with an {@link ExpectationFailure}. */
  take(exp: Expectation, timeoutMs: number): Promise<Item> {
    const index = this.#items.findIndex((item) => eligible(exp, item));
    if (index >= 0) return Promise.resolve(this.#items.splice(index, 1)[0] as Item);
    return new Promise<Item>((resolve, reject) => {
      const waiter: Waiter = {
        exp,
        claim: (item) => {
          clearTimeout(timer);
          this.#remove(waiter);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.#remove(waiter);
        const nearest = this.nearest(exp);
        reject(new ExpectationFailure(`expected ${exp.describe} within ${timeoutMs} ms${quoteNearest(exp.kind, nearest)}`, exp.describe, nearest));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Resolve after `quietMs` if nothing matching `exp` arrived (or was unconsumed after its mark); reject at the first match. */
  none(exp: Expectation, quietMs: number): Promise<void> {
    const fail = (item: Item) =>
      new ExpectationFailure(`expected no ${exp.describe} within ${quietMs} ms, but got ${quote(item)}`, `none ${exp.describe}`, item);
    const early = this.#items.find((item) => eligible(exp, item));
    if (early !== undefined) return Promise.reject(fail(early));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        exp,
        claim: (item) => {
          clearTimeout(timer);
          this.#remove(waiter);
          // A forbidden item is not consumed: it stays for the unconsumed report too.
          this.#items.push(item);
          reject(fail(item));
        },
      };
      const timer = setTimeout(() => {
        this.#remove(waiter);
        resolve();
      }, quietMs);
      this.#waiters.push(waiter);
    });
  }

  /** The remembered item of `exp`'s kind (after its mark) that comes closest to it. */
  nearest(exp: Expectation): Item | undefined {
    let best: Item | undefined;
    let bestScore = -1;
    for (const item of this.#seen.get(exp.kind) ?? []) {
      if (exp.after !== undefined && item.seq <= exp.after) continue;
      const score = exp.score(item.data);
      if (score > bestScore) {
        best = item;
        bestScore = score;
      }
    }
    return best;
  }

  /** Remove and return the unconsumed items of a kind (all kinds when omitted). */
  drain(kind?: ItemKind): Item[] {
    const out: Item[] = [];
    for (let i = 0; i < this.#items.length; ) {
      const item = this.#items[i] as Item;
      if (kind === undefined || item.kind === kind) {
        out.push(item);
        this.#items.splice(i, 1);
      } else {
        i++;
      }
    }
    return out;
  }

  #remove(waiter: Waiter): void {
    const i = this.#waiters.indexOf(waiter);
    if (i >= 0) this.#waiters.splice(i, 1);
  }
}

function eligible(exp: Expectation, item: Item): boolean {
  return item.kind === exp.kind && (exp.after === undefined || item.seq > exp.after) && exp.test(item.data);
}

/** One item as JSON for a failure message (long ones cut). */
export function quote(item: Item): string {
  const text = JSON.stringify(item.data);
  return `${item.kind} ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
}

function quoteNearest(kind: ItemKind, item: Item | undefined): string {
  return item === undefined ? `; no ${kind} at all` : `; nearest: ${quote(item)}`;
}
