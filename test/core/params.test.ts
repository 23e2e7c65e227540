import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBool, getInteger, getString } from '../../src/core/params.js';

test('get_integer follows §5: integers, stoll prefix parse of strings, default otherwise', () => {
  const cases: [unknown, number][] = [
    [42, 42], [-7, -7], ['123', 123], ['123abc', 123], ['  -5x', -5], ['+9', 9], ['\t12', 12],
    ['abc', 0], ['', 0], [' ', 0], [1.5, 0], [true, 0], [null, 0], [undefined, 0], [{}, 0], [[1], 0],
    ['9007199254740993', 9007199254740992], ['99999999999999999999', 0],
  ];
  for (const [input, expected] of cases) assert.equal(getInteger(input, 0), expected, `getInteger(${JSON.stringify(input)})`);
  assert.equal(getInteger('x', 1800), 1800);
});

test('get_bool accepts booleans and yes/true/1/no/false/0 strings case-insensitively', () => {
  const cases: [unknown, boolean][] = [
    [true, true], [false, false], ['yes', true], ['TRUE', true], ['1', true], ['No', false], ['false', false], ['0', false],
    ['y', true], [1, true], [0, true], [null, true], ['', true],
  ];
  for (const [input, expected] of cases) assert.equal(getBool(input, true), expected, `getBool(${JSON.stringify(input)})`);
});

test('get_string reads strings only', () => {
  assert.equal(getString('x', 'd'), 'x');
  assert.equal(getString('', 'd'), '');
  assert.equal(getString(123, 'd'), 'd');
  assert.equal(getString(null, 'd'), 'd');
});
