/**
 * Wire JSON (CQHTTP 4.15 §2.1, decision P5) and parameter parsing with lexeme-preserving messages (§5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { decodeMessage } from '../../src/message/index.js';
import { parseJsonParams, stringifySorted } from '../../src/protocol/json.js';

test('keys are sorted at every level; already sorted input is left as it is', () => {
  assert.equal(stringifySorted({ status: 'ok', retcode: 0, data: null }), '{"data":null,"retcode":0,"status":"ok"}');
  assert.equal(
    stringifySorted({ status: 'ok', retcode: 0, data: { b: [{ z: 1, a: 2 }], a: { d: 1, c: 2 } }, echo: 123 }),
    '{"data":{"a":{"c":2,"d":1},"b":[{"a":2,"z":1}]},"echo":123,"retcode":0,"status":"ok"}',
  );
  assert.equal(stringifySorted({ data: { message_id: 42 }, retcode: 0, status: 'ok' }), '{"data":{"message_id":42},"retcode":0,"status":"ok"}');
  // Sorted inside an unsorted parent, and the other way round.
  assert.equal(stringifySorted({ b: { x: 1, y: 2 }, a: 1 }), '{"a":1,"b":{"x":1,"y":2}}');
  assert.equal(stringifySorted({ a: { y: 1, x: 2 }, b: 1 }), '{"a":{"x":2,"y":1},"b":1}');
});

test('keys are ordered by code point, not UTF-16 code unit; ASCII: digits < upper < lower', () => {
  assert.equal(stringifySorted({ '😀': 1, '！': 2 }), '{"！":2,"😀":1}');
  assert.equal(stringifySorted({ '！': 2, '😀': 1 }), '{"！":2,"😀":1}');
  assert.deepEqual(['！', '😀'].sort(), ['😀', '！'], 'the default sort disagrees, so the case above matters');
  assert.equal(stringifySorted({ a: 1, A: 2, '2': 3, '10': 4, '': 5 }), '{"":5,"10":4,"2":3,"A":2,"a":1}');
  assert.equal(stringifySorted({ '\ue000': 1, '\u{1f600}': 2, z: 3 }), '{"z":3,"\ue000":1,"😀":2}');
});

test('strings: control characters escaped in lowercase hex, non-ASCII and / left alone', () => {
  assert.equal(stringifySorted('\u0000\u001f\b\f\n\r\t"\\'), '"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\"');
  assert.equal(stringifySorted({ s: 'é中😀/\u007f\u2028' }), '{"s":"é中😀/\u007f\u2028"}');
  assert.equal(stringifySorted({ '\n': 1 }), '{"\\n":1}');
  assert.equal(stringifySorted('\ud800'), '"\\ud800"');
});

test('undefined members are dropped, undefined array items are null, non-finite numbers are null', () => {
  assert.equal(stringifySorted({ b: undefined, a: 1, c: undefined }), '{"a":1}');
  assert.equal(stringifySorted({ a: undefined }), '{}');
  assert.equal(stringifySorted({ z: [undefined, 1, () => 1], y: Number.NaN }), '{"y":null,"z":[null,1,null]}');
  assert.equal(stringifySorted([Number.POSITIVE_INFINITY, -0, 1.5]), '[null,0,1.5]');
  assert.equal(stringifySorted(undefined), 'null');
});

test('scalars, arrays, bigints, lossless numbers and toJSON', () => {
  assert.equal(stringifySorted(null), 'null');
  assert.equal(stringifySorted(true), 'true');
  assert.equal(stringifySorted(12), '12');
  assert.equal(stringifySorted([]), '[]');
  assert.equal(stringifySorted({}), '{}');
  assert.equal(stringifySorted([{ b: 1, a: 2 }, [3]]), '[{"a":2,"b":1},[3]]');
  assert.equal(stringifySorted({ id: 9007199254740993n }), '{"id":9007199254740993}');
  assert.equal(stringifySorted([1n]), '[1]');
  // Only the parser's own numbers are written raw; an object of that shape is an ordinary object.
  assert.equal(stringifySorted({ n: { isLosslessNumber: true, value: '1.0' } }), '{"n":{"isLosslessNumber":true,"value":"1.0"}}');
  assert.equal(stringifySorted({ n: new LosslessNumber('1.0') }), '{"n":1.0}');
  assert.equal(stringifySorted({ t: new Date(0) }), '{"t":"1970-01-01T00:00:00.000Z"}');
  assert.equal(stringifySorted({ t: { toJSON: () => ({ y: 1, x: 2 }) } }), '{"t":{"x":2,"y":1}}');
  assert.equal(stringifySorted(Object.assign(Object.create(null) as object, { b: 1, a: 2 })), '{"a":2,"b":1}');
});

/** Whether some object key is an array index, which JS objects always enumerate first. */
function hasIndexKey(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(hasIndexKey);
  return Object.entries(v).some(([k, item]) => /^(0|[1-9][0-9]*)$/.test(k) || hasIndexKey(item));
}

test('output parses back to the input, and is canonical (P5) unless a key is an array index', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const out = stringifySorted(value);
      assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(value)));
      if (!hasIndexKey(value)) assert.equal(JSON.stringify(JSON.parse(out)), out);
    }),
    { numRuns: 2000 },
  );
});

test('parseJsonParams: not JSON, or not an object at the top → null', () => {
  for (const text of ['', 'x', '{', '{"a":1,}', "{'a':1}", '[1,2]', '"x"', '1', 'null', 'true', '[]']) {
    assert.equal(parseJsonParams(text), null, text);
  }
  assert.deepEqual(parseJsonParams('{}'), {});
  assert.deepEqual(parseJsonParams(' {"user_id":123,"x":[1.0]} '), { user_id: 123, x: [1] });
});

test('parseJsonParams keeps number lexemes in message data only, and only when needed', () => {
  const params = parseJsonParams('{"message":{"type":"face","data":{"a":1.0,"b":18446744073709551615}},"other":1.0}');
  assert.ok(params !== null);
  assert.equal(params.other, 1);
  assert.deepEqual(decodeMessage(params.message, false), [
    { type: 'face', data: { a: '1.0', b: '18446744073709551615' } },
  ]);
  const arrayParams = parseJsonParams('{"message":[{"type":"text","data":{"text":"x"}},{"type":"face","data":{"id":1e-7}}]}');
  assert.ok(arrayParams !== null);
  assert.deepEqual(decodeMessage(arrayParams.message, false), [
    { type: 'text', data: { text: 'x' } },
    { type: 'face', data: { id: '1e-07' } },
  ]);
  // All-string data: the plain JSON.parse result is kept.
  const plain = parseJsonParams('{"message":[{"type":"face","data":{"id":"1"}}]}');
  assert.deepEqual(plain, { message: [{ type: 'face', data: { id: '1' } }] });
  // Numbers elsewhere in message are not a reason to re-parse (and stay plain numbers).
  const elsewhere = parseJsonParams('{"message":{"type":1.0,"data":{}}}');
  assert.deepEqual(elsewhere, { message: { type: 1, data: {} } });
});

test('parseJsonParams: duplicate keys, last one wins, also on the lossless path', () => {
  assert.deepEqual(parseJsonParams('{"a":1,"a":2}'), { a: 2 });
  const params = parseJsonParams('{"message":{"type":"face","data":{"id":1,"id":2.50}}}');
  assert.ok(params !== null);
  assert.deepEqual(decodeMessage(params.message, false), [{ type: 'face', data: { id: '2.5' } }]);
});

test('stringifySorted: one non-canonical leaf 1000 levels down under wide siblings costs one walk, not one per level', () => {
  // Each ancestor of the unsorted leaf used to re-walk every canonical sibling below it: for this
  // 4.8 MB tree, ~500 times the work of JSON.stringify (seconds of CPU for one request).
  let text = '{"b":1,"a":2}';
  for (let i = 0; i < 999; i++) text = `[[${Array<string>(1000).fill('null').join(',')}],${text}]`;
  const tree: unknown = JSON.parse(text);
  const time = (f: () => unknown): number => {
    const start = performance.now();
    f();
    return performance.now() - start;
  };
  const plain = Math.max(1, Math.min(time(() => JSON.stringify(tree)), time(() => JSON.stringify(tree))));
  const sorted = time(() => stringifySorted(tree));
  assert.equal(stringifySorted(tree), text.replace('{"b":1,"a":2}', '{"a":2,"b":1}'));
  assert.ok(sorted < plain * 60, `stringifySorted took ${sorted.toFixed(0)} ms, JSON.stringify ${plain.toFixed(0)} ms`);
});
