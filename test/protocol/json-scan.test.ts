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

test('a frame\'s echo is answered exactly as written, last or not, short or long, whatever the spacing', async () => {
  const { parseJsonFrame, stringifySorted } = await import('../../src/protocol/json.js');
  const lexemes = ['0', '7', '-5', '123456789012345', '1234567890123456', '12345678901234567890', '-0', '1.0', '1.50', '1e2', '-2.5E-3', '0.1'];
  for (const lexeme of lexemes) {
    for (const pad of [0, 2000]) {
      const filler = `"x":"${'y'.repeat(pad)}"`;
      for (const text of [
        `{"action":"a",${filler},"echo":${lexeme}}`,
        `{ "action" : "a" , ${filler} , "echo" : ${lexeme} }\n`,
        `{"echo":${lexeme},"action":"a",${filler}}`,
        `{"action":"a","params":{"echo":9},${filler},"echo":${lexeme}}`,
        `{"action":"a","ech\\u006f":${lexeme},${filler}}`,
        `{"action":"a",${filler},"ech\\u006f":${lexeme}}`,
      ]) {
        const frame = parseJsonFrame(text);
        assert.ok(frame !== null, text.slice(0, 80));
        assert.equal(stringifySorted(frame.echo), lexeme, text.slice(0, 80));
      }
    }
  }
  // A key that only ends like "echo" is another member; the echo stays absent.
  assert.equal(parseJsonFrame('{"action":"a","x\\"echo":1.0}')?.echo, undefined);
  // The last echo wins, as JSON.parse has it.
  assert.equal(stringifySorted(parseJsonFrame('{"echo":1.0,"action":"a","echo":2.0}')?.echo), '2.0');
});

test('short texts skip the pass but refuse the same: an overflowing number anywhere, in params or echo', async () => {
  const { parseJsonFrame, parseJsonParams } = await import('../../src/protocol/json.js');
  for (const bad of ['{"action":"a","echo":1e400}', '{"action":"a","params":{"n":[1,-1E309]}}', '{"action":"a","params":{"n":1' + '0'.repeat(400) + '}}']) {
    assert.equal(parseJsonFrame(bad), null, bad);
  }
  assert.equal(parseJsonParams('{"n":{"m":2e308}}'), null);
  assert.deepEqual(parseJsonParams('{"n":1e-400,"s":"1e400"}'), { n: 0, s: '1e400' });
});

test('property: the echo of any frame is its source text, as the full scan finds it', async () => {
  const { parseJsonFrame, stringifySorted } = await import('../../src/protocol/json.js');
  const lexeme = fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? '-0' : String(n))), fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String), fc.constantFrom('1.0', '1e2', '-0.0', '100.00'));
  fc.assert(fc.property(lexeme, fc.boolean(), fc.string(), (n, last, s) => {
    const other = `"s":${JSON.stringify(s)}`;
    const text = last ? `{"action":"a",${other},"echo":${n}}` : `{"echo":${n},"action":"a",${other}}`;
    const frame = parseJsonFrame(text);
    assert.ok(frame !== null);
    assert.equal(stringifySorted(frame.echo), n);
  }));
});
