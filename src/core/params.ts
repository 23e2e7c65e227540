/**
 * Parameter decoding exactly as CQHTTP 4.15 reads them (§5, `utils/jsonex.h`): HTTP query and
 * form values are always strings, so numbers and booleans are recovered from text, and a value of
 * the wrong kind silently falls back to the default (the action's own pre-checks then answer 100).
 * The zod helpers at the bottom let every action declare its parameters once; types come from them.
 */
import { z } from 'zod';

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

/** An integer parameter decoded by `get_integer` (default 0 unless given). */
export const int = (fallback = 0) => z.unknown().optional().transform((v) => getInteger(v, fallback));

/** A required id: decoded by `get_integer`, must not be 0 (the original's `≠ 0` pre-check → 100). */
export const id = () => int(0).refine((v) => v !== 0, { message: 'is required and must be a non-zero integer' });

/** A boolean parameter decoded by `get_bool`. */
export const bool = (fallback: boolean) => z.unknown().optional().transform((v) => getBool(v, fallback));

/** A string parameter decoded by `get_string`. */
export const str = (fallback = '') => z.unknown().optional().transform((v) => getString(v, fallback));

/** A raw parameter, decoded by the handler (e.g. `message`, which depends on `auto_escape`). */
export const raw = () => z.unknown().optional();

/** The parameter object: unknown keys are ignored, as in the original. */
export const params = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** Human summary of a validation failure: `user_id: is required…; duration: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
}
