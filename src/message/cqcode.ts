/**
 * CQ codes: the string form of a message (CQHTTP 4.15 §8.2 grammar, §8.3 escaping and
 * serialisation). The parser is a port of the original hand-written scanner, quirks included;
 * scanning UTF-16 code units gives the same segments as the original's UTF-8 byte scan (§8.2).
 */
import { setOwn, sortedKeys } from './order.js';
import type { Segment } from './segment.js';

const AMP = 0x26; // &
const HASH = 0x23; // #
const SEMI = 0x3b; // ;
const COMMA = 0x2c; // ,
const COLON = 0x3a; // :
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const UPPER_C = 0x43;
const UPPER_Q = 0x51;

/** ASCII letters and digits only: the original's `isalnum` never matches a UTF-8 byte >= 0x80. */
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** C `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Decodes the four CQ entities in one left-to-right pass: `&#44;` → `,`, `&#91;` → `[`,
 * `&#93;` → `]`, `&amp;` → `&` (equal to the original's four `replace_all` passes, amp last).
 * Nothing else is decoded (`&#38;`, `&lt;`, `&#91` stay literal). Used for text and values alike.
 */
export function unescape(s: string): string {
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    let rep = '';
    if (s.charCodeAt(amp + 1) === HASH) {
      if (s.charCodeAt(amp + 4) === SEMI) {
        const d1 = s.charCodeAt(amp + 2);
        const d2 = s.charCodeAt(amp + 3);
        if (d1 === 0x34 && d2 === 0x34) rep = ',';
        else if (d1 === 0x39 && d2 === 0x31) rep = '[';
        else if (d1 === 0x39 && d2 === 0x33) rep = ']';
      }
    } else if (s.startsWith('amp;', amp + 1)) {
      rep = '&';
    }
    if (rep === '') {
      amp = s.indexOf('&', amp + 1);
    } else {
      out += s.slice(last, amp) + rep;
      last = amp + 5; // every entity is five code units long
      amp = s.indexOf('&', last);
    }
  }
  return out + s.slice(last);
}

const TEXT_SPECIAL = /[&[\]]/;
const VALUE_SPECIAL = /[&[\],]/;

/**
 * Shared body of the two escape functions; returns `s` itself when nothing needs escaping. A
 * native regex search finds the first special character (much faster than a JS loop on long
 * plain text); from there a single loop builds the result.
 */
function escapeWith(s: string, comma: boolean): string {
  const first = s.search(comma ? VALUE_SPECIAL : TEXT_SPECIAL);
  if (first === -1) return s;
  let out = '';
  let last = 0;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c === AMP) rep = '&amp;';
    else if (c === OPEN) rep = '&#91;';
    else if (c === CLOSE) rep = '&#93;';
    else if (c === COMMA && comma) rep = '&#44;';
    else continue;
    out += s.slice(last, i) + rep;
    last = i + 1;
  }
  return out + s.slice(last);
}

/** Escapes plain text: `&` → `&amp;`, `[` → `&#91;`, `]` → `&#93;` (commas stay). */
export function escapeText(s: string): string {
  return escapeWith(s, false);
}

/** Escapes a CQ parameter value: like {@link escapeText}, and also `,` → `&#44;`. */
export function escapeValue(s: string): string {
  return escapeWith(s, true);
}

/** A `text` segment. */
function textSegment(text: string): Segment {
  return { type: 'text', data: { text } };
}

/**
 * Parses the parameter part of a code, `s[from, to)` (between the first `,` and the `]`):
 * pieces split on `,`, each split at its first `=`; keys trimmed with C `isspace` and not
 * unescaped, values unescaped and not trimmed; pieces without `=` dropped; later keys win.
 */
function parseParams(s: string, from: number, to: number): Record<string, string> {
  const data: Record<string, string> = {};
  let start = from;
  let eq = from - 1; // the first '=' at or after `start`, or -1: cached so the scan stays linear
  while (start <= to) {
    let end = s.indexOf(',', start);
    if (end === -1 || end > to) end = to;
    if (eq !== -1 && eq < start) eq = s.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      let ks = start;
      let ke = eq;
      while (ks < ke && isSpace(s.charCodeAt(ks))) ks++;
      while (ke > ks && isSpace(s.charCodeAt(ke - 1))) ke--;
      setOwn(data, s.slice(ks, ke), unescape(s.slice(eq + 1, end)));
    }
    start = end + 1;
  }
  return data;
}

/**
 * Parses a CQ-code string into segments exactly as CQHTTP 4.15 did (§8.2): text between codes
 * becomes unescaped `text` segments, `[CQ:name,k=v,…]` becomes `{type: name, data}`; malformed or
 * unterminated codes are text. No merge step is applied; `""` gives `[]`.
 */
export function parseCQ(s: string): Segment[] {
  const out: Segment[] = [];
  const n = s.length;
  let textStart = 0; // the pending text is always s[textStart, current)
  let i = s.indexOf('[');
  while (i !== -1) {
    if (
      i + 5 < n &&
      s.charCodeAt(i + 1) === UPPER_C &&
      s.charCodeAt(i + 2) === UPPER_Q &&
      s.charCodeAt(i + 3) === COLON &&
      s.charCodeAt(i + 4) !== CLOSE
    ) {
      let j = i + 4;
      while (j < n && isAlnum(s.charCodeAt(j))) j++;
      if (j === n) break; // unterminated code: the rest is text
      const c = s.charCodeAt(j);
      if (c === CLOSE || c === COMMA) {
        const end = c === CLOSE ? j : s.indexOf(']', j + 1);
        if (end === -1) break; // unterminated code: the rest is text
        if (textStart < i) out.push(textSegment(unescape(s.slice(textStart, i))));
        out.push({ type: s.slice(i + 4, j), data: c === CLOSE ? {} : parseParams(s, j + 1, end) });
        textStart = end + 1;
        i = s.indexOf('[', textStart);
      } else {
        // Aborted code: "[CQ:name" stays text and s[j] is scanned again as text.
        i = s.indexOf('[', j);
      }
    } else {
      i = s.indexOf('[', i + 1);
    }
  }
  if (textStart < n) out.push(textSegment(unescape(textStart === 0 ? s : s.slice(textStart))));
  return out;
}

/**
 * Serialises segments to a CQ-code string (§8.3): segments with an empty type are skipped,
 * `text` segments become their escaped `data.text` (nothing when the key is missing; other keys
 * are ignored), others become `[CQ:type,k=v,…]` with keys in code-point order and values
 * escaped. Types and keys are written verbatim.
 */
export function serialiseCQ(segments: readonly Segment[]): string {
  let out = '';
  for (const seg of segments) {
    const type = seg.type;
    if (type === '') continue;
    const data = seg.data;
    if (type === 'text') {
      if (Object.hasOwn(data, 'text')) out += escapeText(data.text);
      continue;
    }
    out += '[CQ:' + type;
    const keys = sortedKeys(data);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      out += ',' + key + '=' + escapeValue(data[key]);
    }
    out += ']';
  }
  return out;
}
