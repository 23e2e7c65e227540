/**
 * nlohmann::json `dump()` text of a JSON value (CQHTTP 4.15 §5): how the original turned a
 * non-string segment `data` value into a string. Differs from `JSON.stringify` on numbers
 * (exact 64-bit integers, doubles always look like doubles: `1.0`, `1e-07`, Grisu2 digits) and on
 * object key order (code-point order at every level).
 */
import { isLosslessNumber as isBrandedLosslessNumber, type LosslessNumber } from 'lossless-json';
import { grisu2 } from './grisu2.js';
import { sortedKeys } from './order.js';

/**
 * Whether `v` is a number that kept its source text: a `LosslessNumber` made by lossless-json's
 * parser (recognised by its private symbol brand, never by shape: a client's object
 * `{"isLosslessNumber":true,"value":…}` is an ordinary object and must stay one).
 */
export function isLosslessNumber(v: unknown): v is LosslessNumber {
  return isBrandedLosslessNumber(v);
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const INT64_MIN_DIGITS = '9223372036854775808';
const UINT64_MAX_DIGITS = '18446744073709551615';
const INT64_MIN = -(2 ** 63);
const UINT64_LIMIT = 2 ** 64;

/** Whether the digit string `digits` (no sign, no leading zeros) is at most `max`. */
function digitsAtMost(digits: string, max: string): boolean {
  return digits.length < max.length || (digits.length === max.length && digits <= max);
}

/** nlohmann's `append_exponent`: sign and at least two digits. */
function exponentText(e: number): string {
  const sign = e < 0 ? '-' : '+';
  const abs = e < 0 ? -e : e;
  return abs < 10 ? sign + '0' + abs : sign + abs;
}

/**
 * Formats a double the way nlohmann's `to_chars` does: Grisu2 digits, then fixed notation for
 * decimal exponents in (-4, 15], exponent notation otherwise; zero is `0.0`, NaN/±∞ are `null`.
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return sign + '0.0';
  const { digits, exponent } = grisu2(Math.abs(value));
  const k = digits.length;
  const n = k + exponent; // value = 0.digits × 10^n
  if (k <= n && n <= 15) return sign + digits + '0'.repeat(n - k) + '.0';
  if (0 < n && n <= 15) return sign + digits.slice(0, n) + '.' + digits.slice(n);
  if (-4 < n && n <= 0) return sign + '0.' + '0'.repeat(-n) + digits;
  const mantissa = k === 1 ? digits : digits[0] + '.' + digits.slice(1);
  return sign + mantissa + 'e' + exponentText(n - 1);
}

/**
 * The dump text of a number given by its JSON lexeme: literals without fraction/exponent keep
 * their exact digits while they fit int64 (negative) or uint64 (non-negative), `-0` becomes `0`;
 * everything else is a double.
 */
export function formatNumberLexeme(lexeme: string): string {
  const m = JSON_NUMBER.exec(lexeme);
  if (m !== null && m[1] === undefined && m[2] === undefined) {
    if (lexeme.charCodeAt(0) === 0x2d) {
      const digits = lexeme.slice(1);
      if (digits === '0') return '0';
      if (digitsAtMost(digits, INT64_MIN_DIGITS)) return lexeme;
    } else if (digitsAtMost(lexeme, UINT64_MAX_DIGITS)) {
      return lexeme;
    }
  }
  return formatDouble(Number(lexeme));
}

/**
 * The dump text of a JS number, of which only the value is known: an integral value within the
 * int64/uint64 range prints as that integer (`-0` as `0`, like the JSON literal `-0`), anything
 * else as a double.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && value >= INT64_MIN && value < UINT64_LIMIT) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  return formatDouble(value);
}

function dumpArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += dumpNlohmann(items[i]);
  }
  return out + ']';
}

function dumpObject(obj: Record<string, unknown>): string {
  let out = '{';
  const keys = sortedKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (i > 0) out += ',';
    out += JSON.stringify(key) + ':' + dumpNlohmann(obj[key]);
  }
  return out + '}';
}

/**
 * nlohmann::json `dump()` (compact) of a JSON value: strings escaped like `JSON.stringify`
 * (which matches nlohmann for every valid string), numbers by {@link formatNumberLexeme} for
 * lossless numbers and {@link formatNumber} for JS numbers, bigints as integers, objects with keys
 * in code-point order, no whitespace. `undefined` and other non-JSON values print as `null`.
 */
export function dumpNlohmann(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value >= -(2n ** 63n) && value < 2n ** 64n ? value.toString() : formatDouble(Number(value));
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return dumpArray(value);
      if (isLosslessNumber(value)) return formatNumberLexeme(value.value);
      return dumpObject(value as Record<string, unknown>);
    default:
      return 'null';
  }
}
