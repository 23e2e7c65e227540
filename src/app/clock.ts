/**
 * The sandbox's virtual clock (for tests): real time plus an offset that only `advance()` moves, so
 * a test can jump ten minutes ahead — mutes run out, the 2-minute recall window closes, pending
 * requests lapse, event `time` fields and stored messages show the later time. The sandbox holds no
 * timers of its own for these (they are computed from the clock when asked).
 *
 * What must *happen* at a time — heartbeats — is scheduled on the clock with {@link setTimer}: such a
 * timer fires when real time reaches it, or when a jump passes it. A jump fires every timer that
 * falls due within it, in order of due time, with the clock standing at each timer's due time while
 * it runs (so a heartbeat's `time` is its own), then leaves the clock at the jump's end. At most
 * {@link MAX_FIRED_PER_ADVANCE} timers fire per jump (a day of 15 s heartbeats is 5760; a thousand
 * heartbeats are under a megabyte on each connection and the stream, far below their bounds): past
 * that, the rest fall due again from the jump's end. The real clock (no VirtualClock) stays the default.
 */

/** Timers fired by one `advance()`, at most. */
export const MAX_FIRED_PER_ADVANCE = 1000;

interface Timer {
  /** Virtual Unix ms. */
  due: number;
  /** Creation order: timers due at the same ms fire in the order they were set. */
  seq: number;
  fn: () => void;
}

export class VirtualClock {
  readonly virtual = true;
  #offset = 0;
  #seq = 0;
  /** Pending timers, by due time then creation. */
  #timers: Timer[] = [];
  /** The real timeout that fires the earliest timer when real time reaches it. */
  #real: NodeJS.Timeout | undefined;

  /** Unix milliseconds on this clock. */
  now(): number {
    return Date.now() + this.#offset;
  }

  /** How far ahead of real time it is, ms. */
  get offset(): number {
    return this.#offset;
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Run `fn` once, `ms` from now on this clock (real time passing, or a jump). Returns the function
   * that cancels it. A throwing `fn` is the caller's bug: it propagates to whoever fired it.
   */
  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { due: this.now() + Math.max(0, ms), seq: ++this.#seq, fn };
    let i = this.#timers.length;
    while (i > 0 && (this.#timers[i - 1] as Timer).due > timer.due) i--;
    this.#timers.splice(i, 0, timer);
    if (i === 0) this.#arm();
    return () => {
      const at = this.#timers.indexOf(timer);
      if (at < 0) return;
      this.#timers.splice(at, 1);
      if (at === 0) this.#arm();
    };
  }

  /**
   * Jump ahead by `ms` (a finite, non-negative number): time never runs backwards. Fires what falls
   * due within the jump, in order; returns how many timers fired.
   */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward by a finite number of ms, got ${ms}`);
    const start = this.now();
    const endOffset = this.#offset + ms;
    let fired = 0;
    try {
      for (let next = this.#timers[0]; next !== undefined && next.due <= start + ms && fired < MAX_FIRED_PER_ADVANCE; next = this.#timers[0]) {
        this.#timers.shift();
        // Stand at the timer's due time (never back, never past the jump's end) while it runs.
        this.#offset = Math.min(endOffset, Math.max(this.#offset, next.due - Date.now()));
        fired++;
        next.fn();
      }
    } finally {
      this.#offset = endOffset;
      this.#arm();
    }
    return fired;
  }

  /** Cancel every timer (the app closes). */
  clear(): void {
    this.#timers = [];
    this.#arm();
  }

  /** Fire what real time has made due, and wait for the next. */
  readonly #fireDue = (): void => {
    this.#real = undefined;
    const now = this.now();
    let fired = 0;
    for (let next = this.#timers[0]; next !== undefined && next.due <= now && fired < MAX_FIRED_PER_ADVANCE; next = this.#timers[0]) {
      this.#timers.shift();
      fired++;
      next.fn();
    }
    this.#arm();
  };

  /** (Re)start the real timeout for the earliest timer. */
  #arm(): void {
    if (this.#real !== undefined) clearTimeout(this.#real);
    this.#real = undefined;
    const first = this.#timers[0];
    if (first === undefined) return;
    this.#real = setTimeout(this.#fireDue, Math.max(0, first.due - this.now()));
    this.#real.unref();
  }
}
