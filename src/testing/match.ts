/**
 * The matchers of expectations (docs/testing.md "Matchers"): what a test writes is compared with
 * what the bot did, leniently by default.
 *
 * - a string `/re/flags` is a regular expression tested against a string or a number's text;
 * - any other string, number, boolean or null is exact; a number also equals its decimal text
 *   (HTTP bots send ids as query strings);
 * - an object is a subset: every key it names must match, other keys are ignored;
 * - an array matches an array of the same length element by element;
 * - `{$contains: x}`: a string containing the text x, or an array with an element matching x;
 * - `{$exact: x}`: deep equality, no subset, no regular expression;
 * - `"$any"` (or `{$any: true}`): present, whatever the value; `"$absent"` (or `{$absent: true}`):
 *   the key is missing (or undefined/null).
 *
 * Pure: no I/O, no state.
 */

const REGEX = /^\/(.+)\/([dgimsuy]*)$/s;

/** The compiled regular expression of a `/re/flags` string, or null when it is not one. */
export function regexOf(text: string): RegExp | null {
  const m = REGEX.exec(text);
  if (m === null) return null;
  try {
    return new RegExp(m[1] as string, (m[2] as string).replace('g', ''));
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isAbsentMarker = (e: unknown): boolean => e === '$absent' || (isPlainObject(e) && e['$absent'] === true && Object.keys(e).length === 1);
const isAnyMarker = (e: unknown): boolean => e === '$any' || (isPlainObject(e) && e['$any'] === true && Object.keys(e).length === 1);

/** Whether `actual` matches `expected` (see the header for the rules). */
export function matches(expected: unknown, actual: unknown): boolean {
  if (isAnyMarker(expected)) return actual !== undefined && actual !== null;
  if (isAbsentMarker(expected)) return actual === undefined || actual === null;
  if (typeof expected === 'string') {
    const re = regexOf(expected);
    if (re !== null) return (typeof actual === 'string' || typeof actual === 'number') && re.test(String(actual));
    return actual === expected || (typeof actual === 'number' && String(actual) === expected);
  }
  if (typeof expected === 'number') return actual === expected || (typeof actual === 'string' && actual === String(expected));
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]));
  }
  const spec = expected as Record<string, unknown>;
  if (Object.hasOwn(spec, '$exact')) return deepEqual(spec['$exact'], actual);
  if (Object.hasOwn(spec, '$contains')) {
    const needle = spec['$contains'];
    if (typeof actual === 'string') return typeof needle === 'string' && actual.includes(needle);
    return Array.isArray(actual) && actual.some((item) => matches(needle, item));
  }
  if (!isPlainObject(actual)) return false;
  for (const [key, want] of Object.entries(spec)) {
    if (!matches(want, actual[key])) return false;
  }
  return true;
}

/**
 * How close `actual` comes to `expected`, 0…1: the share of the subset's keys that match (1 when it
 * matches). Failures quote the nearest actual item.
 */
export function closeness(expected: unknown, actual: unknown): number {
  if (matches(expected, actual)) return 1;
  if (!isPlainObject(expected) || !isPlainObject(actual) || Object.hasOwn(expected, '$exact') || Object.hasOwn(expected, '$contains')) return 0;
  const keys = Object.keys(expected);
  if (keys.length === 0) return 0;
  let score = 0;
  for (const key of keys) score += matches(expected[key], actual[key]) ? 1 : closeness(expected[key], actual[key]) / 2;
  return score / keys.length;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
