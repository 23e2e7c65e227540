/**
 * Property tests of CQ-code parsing and serialisation (CQHTTP 4.15 §8.2, §8.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeText, escapeValue, parseCQ, serialiseCQ, unescape, type Segment } from '../../src/message/index.js';

const RUNS = { numRuns: 3000 };

/** Pieces that make the scanner's interesting states likely. */
const fragment = fc.constantFrom(
  '[', ']', ',', '=', '&', '#', ';', ':', 'C', 'Q', '[CQ:', '[CQ:face', '[CQ:text', 'text=', 'id=1',
  'a', '1', ' ', '\t', '&amp;', '&#44;', '&#91;', '&#93;', '&#9', '😀', '！', '\ue000', 'é', '\0',
);
const cqLike = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
const anyString = fc.oneof(cqLike, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

/**
 * What a parsed message becomes after one serialise → parse round: segments with an empty type
 * vanish, `text` segments keep only their `text` (none if missing), adjacent text merges and
 * empty text disappears. Code segments (alphanumeric, non-empty type other than `text`) are kept.
 */
function canonical(segs: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segs) {
    if (seg.type === '') continue;
    if (seg.type !== 'text') {
      out.push(seg);
      continue;
    }
    const t = Object.hasOwn(seg.data, 'text') ? seg.data.text : '';
    if (t === '') continue;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.data.text += t;
    else out.push({ type: 'text', data: { text: t } });
  }
  return out;
}

test('parse → serialise → parse yields the canonical form of the first parse, and is stable from then on', () => {
  // Precisely: for every string s, with p1 = parseCQ(s) and s2 = serialiseCQ(p1),
  //   parseCQ(s2) deep-equals canonical(p1), serialiseCQ(parseCQ(s2)) === s2,
  //   and parseCQ(s2) is its own canonical form (a fixed point of the round trip).
  fc.assert(
    fc.property(anyString, (s) => {
      const p1 = parseCQ(s);
      const s2 = serialiseCQ(p1);
      const p2 = parseCQ(s2);
      assert.deepEqual(p2, canonical(p1));
      assert.equal(serialiseCQ(p2), s2);
      assert.deepEqual(canonical(p2), p2);
    }),
    RUNS,
  );
});

test('strings without codes, empty-type codes or [CQ:text] codes round-trip to the same segments', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      const p1 = parseCQ(s);
      fc.pre(p1.every((seg) => seg.type !== '' && (seg.type !== 'text' || Object.keys(seg.data).join() === 'text')));
      fc.pre(p1.every((seg, i) => i === 0 || seg.type !== 'text' || p1[i - 1]?.type !== 'text'));
      assert.deepEqual(parseCQ(serialiseCQ(p1)), p1);
    }),
    RUNS,
  );
});

const isCSpace = (c: string | undefined): boolean => c !== undefined && /^[ \t\n\v\f\r]$/.test(c);
const keyUnit = fc.oneof(fc.constantFrom('[', '&', '#', ';', ':', ' ', '\t', 'k', 'é', '😀', '！'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const key = fc
  .string({ unit: keyUnit, minLength: 1, maxLength: 6 })
  .filter((k) => !/[,=\]]/.test(k) && !isCSpace(k[0]) && !isCSpace(k[k.length - 1]));
const value = fc.oneof(cqLike, fc.string({ unit: 'binary', maxLength: 20 }));
const code: fc.Arbitrary<Segment> = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9]{1,6}$/).filter((t) => t !== 'text'),
    fc.uniqueArray(fc.tuple(key, value), { selector: (entry) => entry[0], maxLength: 5 }),
  )
  .map(([type, entries]) => ({ type, data: Object.fromEntries(entries) as Record<string, string> }));
const textSeg: fc.Arbitrary<Segment> = fc
  .oneof(cqLike, fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
  .filter((t) => t !== '')
  .map((t) => ({ type: 'text', data: { text: t } }));
/** Well-formed messages: no empty text, no two adjacent text segments (adjacent ones are joined). */
const message = fc.array(fc.oneof(code, textSeg), { maxLength: 8 }).map((segs) => {
  const out: Segment[] = [];
  for (const seg of segs) {
    const last = out[out.length - 1];
    if (seg.type === 'text' && last?.type === 'text') last.data.text += seg.data.text;
    else out.push(seg);
  }
  return out;
});

test('well-formed segment lists survive serialise → parse unchanged', () => {
  fc.assert(
    fc.property(message, (segs) => {
      assert.deepEqual(parseCQ(serialiseCQ(segs)), segs);
    }),
    RUNS,
  );
});

test('unescape inverts both escapes', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      assert.equal(unescape(escapeText(s)), s);
      assert.equal(unescape(escapeValue(s)), s);
    }),
    RUNS,
  );
});

test('escaped text never contains [ or ]; escaped values also never contain ,', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      assert.ok(!/[[\]]/.test(escapeText(s)));
      assert.ok(!/[[\],]/.test(escapeValue(s)));
    }),
    RUNS,
  );
});
