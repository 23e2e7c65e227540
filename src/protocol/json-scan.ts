/**
 * The guard in front of every JSON text a client sends (HTTP API bodies, WebSocket frames, the
 * sandbox control API's bodies, HTTP POST answers): one flat pass over the raw text, before any
 * parser sees it, that refuses what the rest of the program must never receive —
 *
 * - nesting deeper than {@link MAX_JSON_DEPTH} arrays/objects (the serialisers and the lossless
 *   parser recurse once per level; a frame thousands of levels deep would overflow the stack);
 * - a number literal that overflows a double (`1e400`): the original's JSON library refused such
 *   a body as malformed instead of reading it as `null`.
 *
 * The pass does not validate JSON (`JSON.parse` does that right after); it only has to be right on
 * valid JSON and finite on anything else. Strings are skipped with `indexOf`, so the work is
 * proportional to the structural characters and numbers, not to the text's length. For a frame it
 * also finds where the top-level `echo` member's value is written, so the echo can be answered
 * with its numbers exactly as sent.
 *
 * A text no longer than {@link MAX_JSON_DEPTH} cannot nest too deeply, and whether it overflows a
 * double shows in its parsed value (±Infinity): the parsers skip this pass for such short texts
 * (the usual call frame) and find a trailing `echo` with {@link trailingEchoNumber} instead.
 */

/** How deeply arrays and objects may nest in client JSON (the top-level object is level 1). */
export const MAX_JSON_DEPTH = 1000;

/** What {@link scanJson} found; `echoStart < 0` when no top-level `echo` member was seen. */
export interface JsonScan {
  readonly echoStart: number;
  readonly echoEnd: number;
}

const NO_ECHO: JsonScan = Object.freeze({ echoStart: -1, echoEnd: -1 });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index of the quote closing the string that opens at `start`, or -1 when it never closes. */
function stringEnd(text: string, start: number): number {
  let j = text.indexOf('"', start + 1);
  while (j > 0) {
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
  return -1;
}

/** Whether `c` may continue a JSON number literal: digits, `.`, `e`, `E`, `+`, `-`. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Whether the key string `text[start..end]` (quotes included) reads `echo`. */
function isEchoKey(text: string, start: number, end: number): boolean {
  if (end - start === 5) return text.startsWith('echo', start + 1);
  if (end - start < 5) return false;
  let escaped = false;
  for (let k = start + 1; k < end && !escaped; k++) escaped = text.charCodeAt(k) === BACKSLASH;
  if (!escaped) return false;
  try {
    return JSON.parse(text.slice(start, end + 1)) === 'echo';
  } catch {
    return false;
  }
}

// Where the scan stands relative to the top-level `echo` member.
const ECHO_NONE = 0;
const ECHO_KEY = 1; // its key was read, the colon is next
const ECHO_VALUE = 2; // the colon was read, the value is next
const ECHO_IN = 3; // inside the value

/**
 * Scan a client's JSON text: `null` when it must be answered as malformed (nested deeper than
 * {@link MAX_JSON_DEPTH}, a number literal beyond a double's range, an unterminated string),
 * else where the top-level `echo` value is written (only looked for when `findEcho`; the last
 * one wins, as in the parsers).
 */
export function scanJson(text: string, findEcho: boolean): JsonScan | null {
  const n = text.length;
  let depth = 0;
  let expectKey = false;
  let echo = ECHO_NONE;
  let valueStart = -1;
  let echoStart = -1;
  let echoEnd = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return null;
      if (findEcho && depth === 1) {
        if (expectKey) {
          expectKey = false;
          echo = isEchoKey(text, i, end) ? ECHO_KEY : ECHO_NONE;
        } else if (echo === ECHO_VALUE) {
          valueStart = i;
          echo = ECHO_IN;
        }
      }
      i = end + 1;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      let j = i + 1;
      let exponent = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (!isNumberChar(d)) break;
        if (d === 0x65 || d === 0x45) exponent = true;
        j++;
      }
      // Only an exponent or more than 308 characters can take a literal past a double's range.
      if ((exponent || j - i > 308) && !Number.isFinite(Number(text.slice(i, j)))) return null;
      if (echo === ECHO_VALUE && depth === 1) {
        valueStart = i;
        echo = ECHO_IN;
      }
      i = j;
      continue;
    }
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        if (++depth > MAX_JSON_DEPTH) return null;
        if (depth === 1) expectKey = c === 0x7b;
        else if (depth === 2 && echo === ECHO_VALUE) {
          valueStart = i;
          echo = ECHO_IN;
        }
        break;
      case 0x7d: // }
      case 0x5d: // ]
      case 0x2c: // ,
        if (depth === 1 && echo === ECHO_IN) {
          let end = i;
          while (isSpace(text.charCodeAt(end - 1))) end--;
          echoStart = valueStart;
          echoEnd = end;
          echo = ECHO_NONE;
        }
        if (c === 0x2c) {
          if (depth === 1) expectKey = true;
        } else {
          depth--;
        }
        break;
      case 0x3a: // :
        if (depth === 1 && echo === ECHO_KEY) echo = ECHO_VALUE;
        break;
      case 0x74: // t(rue)
      case 0x66: // f(alse)
      case 0x6e: // n(ull)
        if (depth === 1 && echo === ECHO_VALUE) {
          valueStart = i;
          echo = ECHO_IN;
        }
        break;
      default:
        break;
    }
    i++;
  }
  return echoStart < 0 ? NO_ECHO : { echoStart, echoEnd };
}

/**
 * Whether a frame ends the usual compact way with a plain integer echo, `…,"echo":123}` (at most
 * 15 digits, no sign): then the parsed echo is already exact and nothing more is looked for. For
 * text `JSON.parse` accepted (see {@link trailingEchoNumber} for why the member is the top-level one).
 */
export function endsWithPlainEcho(text: string): boolean {
  const last = text.length - 1;
  if (text.charCodeAt(last) !== 0x7d) return false;
  let i = last - 1;
  while (i > 0) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i--;
  }
  const digits = last - 1 - i;
  return digits > 0 && digits <= 15 && text.charCodeAt(i) === 0x3a && (text.startsWith(',"echo"', i - 7) || text.startsWith('{"echo"', i - 7));
}

/**
 * Where the top-level `echo` member's number is written when that member comes last in the frame
 * (`…,"echo":123}`, as clients write frames), or null. Only for text `JSON.parse` accepted: its
 * last `}` closes the top-level object, so the member just before it is a top-level one, and a key
 * that reads `"echo"` with its opening quote after `,` or `{` cannot be the end of a longer string.
 * The value must be known to be a number (the caller parsed it).
 */
export function trailingEchoNumber(text: string): JsonScan | null {
  let i = text.length - 1;
  while (i > 0 && isSpace(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== 0x7d) return null;
  i--;
  while (i > 0 && isSpace(text.charCodeAt(i))) i--;
  const end = i + 1;
  while (i > 0 && isNumberChar(text.charCodeAt(i))) i--;
  const start = i + 1;
  if (start === end) return null;
  while (i > 0 && isSpace(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== 0x3a) return null;
  i--;
  while (i > 0 && isSpace(text.charCodeAt(i))) i--;
  if (i < 6 || !text.startsWith('"echo"', i - 5)) return null;
  i -= 6;
  while (i > 0 && isSpace(text.charCodeAt(i))) i--;
  const before = text.charCodeAt(i);
  return before === 0x2c || before === 0x7b ? { echoStart: start, echoEnd: end } : null;
}

/**
 * Whether the number literal `text[start, end)` is written as its parsed value writes back: an
 * integer of at most 15 digits (every such integer is exact in a double), not `-0`.
 */
export function isPlainInteger(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) {
    i++;
    if (text.charCodeAt(i) === 0x30) return false;
  }
  if (end - i > 15 || end === i) return false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Whether a parsed value holds a non-finite number: a literal that overflowed a double (`1e400`). For values of short texts (recursion as deep as the text is long). */
export function hasNonFiniteNumber(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasNonFiniteNumber(v[i])) return true;
    return false;
  }
  for (const key in v) if (hasNonFiniteNumber((v as Record<string, unknown>)[key])) return true;
  return false;
}
