/**
 * The sandbox's virtual clock (for tests): real time plus an offset that only `advance()` moves, so
 * a test can jump ten minutes ahead — mutes run out, the 2-minute recall window closes, event `time`
 * fields and stored messages show the later time. The sandbox holds no timers of its own (mute
 * expiry and the recall window are computed from the clock when asked), so a jump needs nothing to
 * fire. Heartbeats keep their real interval. The real clock (no VirtualClock) stays the default.
 */
export class VirtualClock {
  readonly virtual = true;
  #offset = 0;

  /** Unix milliseconds on this clock. */
  now(): number {
    return Date.now() + this.#offset;
  }

  /** How far ahead of real time it is, ms. */
  get offset(): number {
    return this.#offset;
  }

  /** Jump ahead by `ms` (a finite, non-negative number): time never runs backwards. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward by a finite number of ms, got ${ms}`);
    this.#offset += ms;
  }
}
