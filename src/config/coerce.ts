/**
 * String coercion for configuration values, following CQHTTP 4.15 §5 (`utils/jsonex.h`).
 * INI and environment values are always strings; JSON values may be native or strings.
 * A value that cannot be coerced is returned unchanged so that the schema reports it.
 */

/** Whitespace as C's `isspace` sees it (what `stoll` skips). */
const LEADING_INTEGER = /^[ \t\n\v\f\r]*([+-]?\d+)/;

/**
 * `get_integer`: a string is read like C `stoll` — optional leading whitespace and sign, then
 * digits, trailing garbage ignored (`"5700abc"` → 5700). A blank string stands for "not set"
 * and yields `blank`. Anything else is returned unchanged.
 */
export function coerceInteger(value: unknown, blank: number): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return blank;
  const match = LEADING_INTEGER.exec(value);
  if (match === null) return value;
  const parsed = Number(match[1]);
  return parsed === 0 ? 0 : parsed; // no -0
}

const TRUE_WORDS = new Set(['yes', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'false', '0']);

/**
 * `get_bool`: booleans as they are; strings `yes`/`true`/`1` and `no`/`false`/`0`,
 * case-insensitively. A blank string stands for "not set" and yields `blank`.
 */
export function coerceBoolean(value: unknown, blank: boolean): unknown {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  if (word.trim() === '') return blank;
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

/** Maps a string onto the member of `choices` it equals case-insensitively (canonical spelling). */
export function coerceChoice(value: unknown, choices: readonly string[]): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return choices.find((choice) => choice.toLowerCase() === lower) ?? value;
}
