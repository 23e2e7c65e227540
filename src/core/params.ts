/**
 * Parameter decoding exactly as CQHTTP 4.15 reads them (§5, `utils/jsonex.h`): HTTP query and
 * form values are always strings, so numbers and booleans are recovered from text, and a value of
 * the wrong kind silently falls back to the default (the action's own pre-checks then answer 100).
 * The valibot helpers at the bottom let every action declare its parameters once; types come from them.
 */
import * as v from 'valibot';

const INT_PREFIX = /^[ \t\n\v\f\r]*([+-]?\d+)/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** `get_integer`: JSON integers as-is; strings by C `stoll` prefix parse (`"123abc"` → 123); else the default. */
export function getInteger(value: unknown, fallback: number): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : fallback;
  if (typeof value === 'string') {
    const m = INT_PREFIX.exec(value);
    if (m === null) return fallback;
    const digits = m[1] as string;
    if (digits.length < 16) return Number(digits);
    const big = BigInt(digits);
    return big > INT64_MAX || big < INT64_MIN ? fallback : Number(big);
  }
  if (typeof value === 'bigint') return Number(value);
  return fallback;
}

/** `get_bool`: JSON booleans; strings yes/true/1 and no/false/0, case-insensitive; else the default. */
export function getBool(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    switch (value.toLowerCase()) {
      case 'yes': case 'true': case '1': return true;
      case 'no': case 'false': case '0': return false;
    }
  }
  return fallback;
}

/** `get_string`: JSON strings only (`"flag": 123` counts as missing). */
export function getString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * A parameter decoded by `decode`. An absent (or `undefined`) parameter is the fallback, which
 * `decode` leaves as it is; valibot's object runs an entry for a missing key only when it has a default.
 */
const decoded = <T>(fallback: T, decode: (value: unknown) => T) => v.optional(v.pipe(v.unknown(), v.transform(decode)), fallback);

/** An integer parameter decoded by `get_integer` (default 0 unless given). */
export const int = (fallback = 0) => decoded(fallback, (value) => getInteger(value, fallback));

/** A required id: decoded by `get_integer`, must not be 0 (the original's `≠ 0` pre-check → 100). */
export const id = () => v.pipe(int(0), v.check((n) => n !== 0, REQUIRED_ID));

/** The message of `id()`'s check; the OpenAPI generator lists the entries carrying it as required. */
export const REQUIRED_ID = 'is required and must be a non-zero integer';

/** A boolean parameter decoded by `get_bool`. */
export const bool = (fallback: boolean) => decoded(fallback, (value) => getBool(value, fallback));

/** A string parameter decoded by `get_string`. */
export const str = (fallback = '') => decoded(fallback, (value) => getString(value, fallback));

/** A raw parameter, decoded by the handler (e.g. `message`, which depends on `auto_escape`). */
export const raw = () => v.optional(v.unknown());

/** The parameter object: unknown keys are ignored, as in the original. */
export const params = <T extends v.ObjectEntries>(entries: T) => v.looseObject(entries);

/** The issue path of parameter `key`, for a cross-field rule's issue (`addIssue({ message, path })`). */
export const pathOf = (params: Record<string, unknown>, key: string): [v.ObjectPathItem] =>
  [{ type: 'object', origin: 'value', input: params, key, value: params[key] }];

/** Human summary of a validation failure: `user_id: is required…; duration: …`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.map((i) => (i.path !== undefined ? `${i.path.map((item) => String(item.key)).join('.')}: ` : '') + i.message).join('; ');
}
