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
