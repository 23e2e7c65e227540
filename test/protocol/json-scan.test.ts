/** The depth/overflow guard in front of client JSON, and where it finds a frame's `echo`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, scanJson } from '../../src/protocol/json-scan.js';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

test('nesting: up to MAX_JSON_DEPTH passes, one more level is refused, brackets in strings do not count', () => {
  assert.notEqual(scanJson(nested(MAX_JSON_DEPTH), false), null);
  assert.equal(scanJson(nested(MAX_JSON_DEPTH + 1), false), null);
  assert.equal(scanJson('{"a":' + '{"a":'.repeat(MAX_JSON_DEPTH) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1), false), null);
  const inString = JSON.stringify({ s: '['.repeat(5000) + '\\"' + '{'.repeat(5000) });
  assert.notEqual(scanJson(inString, false), null);
  assert.notEqual(scanJson(JSON.stringify(['\\', '"[', '\\"{{{']), false), null);
  // 200 000 levels: refused without recursion.
  assert.equal(scanJson(nested(200_000), false), null);
});

test('numbers: a literal beyond a double is refused, underflow and long exact literals are not', () => {
  for (const bad of ['1e400', '-1e400', '1E309', '[1' + '0'.repeat(400) + ']', '{"a":[0,2e308]}']) assert.equal(scanJson(bad, false), null, bad);
  for (const fine of ['1e-400', '1.7976931348623157e308', '0.' + '0'.repeat(500) + '1', '"1e400"', '[true,false,null,-0]']) {
    assert.notEqual(scanJson(fine, false), null, fine);
  }
});

test('an unterminated string is refused', () => {
  assert.equal(scanJson('{"a":"abc', false), null);
  assert.equal(scanJson('{"a":"abc\\"}', false), null);
});

test('echo: the span of the top-level echo value, last one wins, nested echo keys ignored', () => {
  const span = (text: string): string | undefined => {
    const scan = scanJson(text, true);
    assert.notEqual(scan, null);
    return scan!.echoStart < 0 ? undefined : text.slice(scan!.echoStart, scan!.echoEnd);
  };
  assert.equal(span('{"action":"x","echo":1.0}'), '1.0');
  assert.equal(span('{ "echo" :  [1, {"echo": 2}]  , "params":{"echo":3}}'), '[1, {"echo": 2}]');
  assert.equal(span('{"params":{"echo":3}}'), undefined);
  assert.equal(span('{"echo":"a,}","echo":true}'), 'true');
  assert.equal(span('{"\\u0065cho":null}'), 'null');
  assert.equal(span('{"echo":"x"}'), '"x"');
});

test('property: any JSON object nested within the limit passes, and its echo span parses to its echo', () => {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string({ unit: 'binary' }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    ),
  }));
  fc.assert(
    fc.property(fc.dictionary(fc.string(), value), value, fc.boolean(), (rest, echo, echoFirst) => {
      const frame = echoFirst ? { echo, ...rest } : { ...rest, echo };
      const text = JSON.stringify(frame, null, echoFirst ? 1 : undefined);
      const scan = scanJson(text, true);
      assert.notEqual(scan, null, text);
      assert.deepEqual(JSON.parse(text.slice(scan!.echoStart, scan!.echoEnd)), (JSON.parse(text) as { echo: unknown }).echo);
    }),
    { numRuns: 300 },
  );
});
