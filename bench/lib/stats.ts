/** Small statistics helpers: medians and spreads of runs, percentiles of latency samples. */

/** The spread of a few repeated measurements of one figure. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  /** How many measurements. */
  n: number;
}

/** Median, min and max of `values` (NaN everywhere for an empty list). */
export function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantileSorted(sorted, 0.5), min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return stat(values).median;
}

/** Linear-interpolated quantile `q` (0…1) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `array`, or a copy twice as long when `index` is beyond its end (growable typed arrays). */
export function withRoom<T extends Float64Array | Uint8Array>(array: T, index: number): T {
  if (index < array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** A growable list of latency samples (milliseconds) kept in a typed array. */
export class Samples {
  #data = new Float64Array(1 << 16);
  #n = 0;

  add(value: number): void {
    this.#data = withRoom(this.#data, this.#n);
    this.#data[this.#n++] = value;
  }

  get count(): number {
    return this.#n;
  }

  /** p50/p90/p99/max of the samples so far (NaN when empty). */
  summary(): LatencySummary {
    const sorted = this.#data.slice(0, this.#n).sort();
    return {
      count: this.#n,
      p50: quantileSorted(sorted, 0.5),
      p90: quantileSorted(sorted, 0.9),
      p99: quantileSorted(sorted, 0.99),
      max: this.#n === 0 ? Number.NaN : sorted[this.#n - 1],
    };
  }
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
