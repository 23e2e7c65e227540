/**
 * Code-point ordering of strings (CQHTTP 4.15 §2.1, §8.3): the original keeps objects in a
 * `std::map<std::string, …>`, so keys come out in UTF-8 byte order, which is Unicode code-point
 * order. JavaScript's `<` and default `sort()` compare UTF-16 code units instead; the two differ
 * only when one string has a U+E000–U+FFFF character where the other has a surrogate pair.
 */

/**
 * Compares two strings by Unicode code point (= UTF-8 byte order).
 * Returns a negative number, zero or a positive number, like a `sort` comparator.
 * (Lone surrogates, which valid UTF-8 cannot carry, sort as if they were supplementary characters.)
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Move surrogates (D800–DFFF) above E000–FFFF, keeping order inside each range.
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * The own enumerable keys of `obj` in code-point order. Sorts only when they are not already in
 * order (the common case for objects built by the server is "already sorted").
 */
export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (!isSorted(keys)) {
    // The native UTF-16 sort is much faster than a JS comparator and agrees with code-point order
    // unless surrogates meet U+E000–U+FFFF; the check below catches that rare case.
    keys.sort();
    if (!isSorted(keys)) keys.sort(compareCodePoints);
  }
  return keys;
}

/** Whether `keys` is in code-point order (adjacent pairs suffice: the order is total). */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (compareCodePoints(keys[i - 1], keys[i]) > 0) return false;
  }
  return true;
}

/**
 * Stores `value` under `key` as an own enumerable property, also for the key `__proto__` (which a
 * plain assignment would turn into a prototype change). Later writes to the same key win.
 */
export function setOwn(obj: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
