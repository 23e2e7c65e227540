/**
 * How many bytes a call's parameters and answer hold, and a shortened copy when they hold too
 * many: what keeps the call journal and the `call` frames of the stream within byte budgets
 * (docs/limits.md) whatever a bot sends.
 *
 * The estimate walks the value once and stops as soon as it passes the limit asked about, so the
 * usual small call costs a few property reads. Strings count their length (base64 and most text
 * are one byte a character), other scalars 8, keys their length.
 */

/** A string longer than this (characters) is kept as its first {@link KEPT_PREFIX} characters and a marker. */
const LONG_STRING = 1024;
const KEPT_PREFIX = 256;
/** Deeper than this, a shortened copy keeps a marker instead of the value. */
const MAX_DEPTH = 64;

/** The marker that replaces what was cut: `…(truncated, 1048576 bytes)`. */
export function truncatedMarker(bytes: number): string {
  return `…(truncated, ${bytes} bytes)`;
}

/** An estimate of the bytes `value` holds, exact up to `limit`; past it, some number above `limit`. */
export function estimateBytes(value: unknown, limit: number): number {
  return estimate(value, limit, 0);
}

/** Levels walked by recursion (no allocation: the usual call is a few small objects); deeper, a walk with its own stack. */
const RECURSION_DEPTH = 32;

function estimate(v: unknown, limit: number, depth: number): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null) return 8;
  if (depth >= RECURSION_DEPTH) return estimateDeep(v, limit);
  let total = 8;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      total += estimate(v[i], limit - total, depth + 1);
      if (total > limit) return total;
    }
  } else {
    for (const key in v) {
      total += key.length;
      total += estimate((v as Record<string, unknown>)[key], limit - total, depth + 1);
      if (total > limit) return total;
    }
  }
  return total;
}

/** {@link estimate} for a deep value: iterative, so no depth (nor a cycle) can overflow the call stack. */
function estimateDeep(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length;
    else if (typeof v !== 'object' || v === null) total += 8;
    else if (Array.isArray(v)) {
      total += 8;
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else {
      total += 8;
      for (const key in v) {
        total += key.length;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
    if (total > limit) return total;
  }
  return total;
}

/**
 * A copy of `value` in which every long string is cut to its start and a
 * {@link truncatedMarker}; when even that is over `limit`, the marker alone.
 * @param bytes the estimate of `value` (for the marker)
 */
export function shorten(value: unknown, limit: number, bytes: number): unknown {
  const copy = shortenStrings(value, 0);
  return estimateBytes(copy, limit) > limit ? truncatedMarker(bytes) : copy;
}

function shortenStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (value.length <= LONG_STRING) return value;
    // A fresh string: a slice could keep the whole original alive.
    return Buffer.from(value.slice(0, KEPT_PREFIX)).toString() + truncatedMarker(Buffer.byteLength(value));
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return truncatedMarker(estimateBytes(value, Number.MAX_SAFE_INTEGER));
  if (Array.isArray(value)) return value.map((v) => shortenStrings(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // a parser's number object and the like: small, kept as they are
  const out: Record<string, unknown> = {};
  for (const key in value) {
    // defineProperty: a `__proto__` key from JSON is a plain key here too.
    Object.defineProperty(out, key, { value: shortenStrings((value as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
