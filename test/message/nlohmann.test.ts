/**
 * nlohmann::json `dump()` of non-string segment data values (CQHTTP 4.15 §5, §15.24). The expected
 * texts come from the spec; the digits were checked against the real nlohmann 3.11 `dump()` on
 * ~880 000 doubles and 100 000 number lexemes while porting Grisu2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { dumpNlohmann, formatDouble, formatNumber, formatNumberLexeme } from '../../src/message/index.js';

const lossless = (value: string): LosslessNumber => new LosslessNumber(value);

test('integer lexemes keep their exact digits within int64 / uint64', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['14', '14'],
    ['0', '0'],
    ['-0', '0'],
    ['-1', '-1'],
    ['9007199254740993', '9007199254740993'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', '9223372036854775808'],
    ['18446744073709551615', '18446744073709551615'],
    ['18446744073709551616', '1.8446744073709552e+19'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['-9223372036854775809', '-9.223372036854776e+18'],
    ['100000000000000000000000', '9.999999999999999e+22'],
  ];
  for (const [lexeme, expected] of rows) assert.equal(formatNumberLexeme(lexeme), expected, lexeme);
});

test('double lexemes follow the fixed / exponent layout of §5', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['1.0', '1.0'],
    ['1e2', '100.0'],
    ['1E2', '100.0'],
    ['1e14', '100000000000000.0'],
    ['1e15', '1e+15'],
    ['1.5', '1.5'],
    ['123.456', '123.456'],
    ['0.0001', '0.0001'],
    ['2.5e-3', '0.0025'],
    ['1e-5', '1e-05'],
    ['1e-7', '1e-07'],
    ['1.25e25', '1.25e+25'],
    ['1e308', '1e+308'],
    ['1e100', '1e+100'],
    ['0.0', '0.0'],
    ['-0.0', '-0.0'],
    ['0e0', '0.0'],
    ['-1.5e-300', '-1.5e-300'],
    ['5e-324', '5e-324'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['123456789012345.6', '123456789012345.6'],
    ['1234567890123456.7', '1.2345678901234567e+15'],
  ];
  for (const [lexeme, expected] of rows) assert.equal(formatNumberLexeme(lexeme), expected, lexeme);
});

test('Grisu2 digits, not the shortest ones, where the two differ', () => {
  assert.equal(formatNumberLexeme('1e23'), '9.999999999999999e+22');
  assert.equal(formatNumberLexeme('7.750e21'), '7.750000000000001e+21');
  assert.equal(formatNumberLexeme('132497767079484.12'), '132497767079484.13');
  // JavaScript's shortest digits differ for these values: the port is not Number#toString.
  assert.equal(String(1e23), '1e+23');
});

test('JS numbers: integral values print as integers, others as doubles', () => {
  assert.equal(formatNumber(14), '14');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatNumber(2 ** 60), '1152921504606846976');
  assert.equal(formatNumber(2 ** 64), '1.8446744073709552e+19');
  assert.equal(formatNumber(-(2 ** 63)), '-9223372036854775808');
  assert.equal(formatNumber(0.5), '0.5');
  assert.equal(formatNumber(1e-7), '1e-07');
  assert.equal(formatNumber(Number.NaN), 'null');
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'null');
  assert.equal(formatDouble(1), '1.0');
  assert.equal(formatDouble(-0), '-0.0');
});

test('containers: compact, keys in code-point order at every level, numbers formatted inside', () => {
  assert.equal(dumpNlohmann({ b: 1, a: [1, lossless('2.0')] }), '{"a":[1,2.0],"b":1}');
  assert.equal(
    dumpNlohmann({ z: lossless('1'), y: [true, null, lossless('-0.0')] }),
    '{"y":[true,null,-0.0],"z":1}',
  );
  assert.equal(dumpNlohmann({ '😀': 1, '！': 2, '\ue000': 3, '10': 4, '2': 5 }), '{"10":4,"2":5,"\ue000":3,"！":2,"😀":1}');
  assert.equal(dumpNlohmann([]), '[]');
  assert.equal(dumpNlohmann({}), '{}');
  assert.equal(dumpNlohmann({ a: { d: 1, c: { f: 1, e: 2 } } }), '{"a":{"c":{"e":2,"f":1},"d":1}}');
});

test('scalars and string escaping: only " \\ and control characters; / and non-ASCII stay', () => {
  assert.equal(dumpNlohmann(true), 'true');
  assert.equal(dumpNlohmann(false), 'false');
  assert.equal(dumpNlohmann(null), 'null');
  assert.equal(dumpNlohmann(undefined), 'null');
  assert.equal(dumpNlohmann(12n), '12');
  assert.equal(dumpNlohmann(2n ** 64n), '1.8446744073709552e+19');
  assert.equal(dumpNlohmann(['a"b\\c/d', '\b\f\n\r\t\u0001\u001f', 'é😀\u2028']), '["a\\"b\\\\c/d","\\b\\f\\n\\r\\t\\u0001\\u001f","é😀\u2028"]');
});

test('every double dump reads back as the same double and has at most 17 significant digits', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      const text = formatDouble(d);
      assert.ok(Object.is(Number(text), d), `${d} → ${text}`);
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      assert.ok(digits.length <= 17, text);
    }),
    { numRuns: 5000 },
  );
});
