import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coerceBoolean, coerceChoice, coerceInteger } from '../../src/config/coerce.js';

test('coerceInteger reads strings like C stoll', () => {
  assert.equal(coerceInteger('5700', 1), 5700);
  assert.equal(coerceInteger('  +42', 1), 42);
  assert.equal(coerceInteger('-7', 1), -7);
  assert.equal(coerceInteger('123abc', 1), 123);
  assert.equal(coerceInteger('5700 # http port', 1), 5700);
  assert.ok(Object.is(coerceInteger('-0', 1), 0));
});

test('coerceInteger leaves non-numeric input for the schema to reject, and treats blank as unset', () => {
  assert.equal(coerceInteger('abc', 1), 'abc');
  assert.equal(coerceInteger('- 1', 1), '- 1');
  assert.equal(coerceInteger('', 9), 9);
  assert.equal(coerceInteger('   ', 9), 9);
  assert.equal(coerceInteger(12, 9), 12);
  assert.equal(coerceInteger(1.5, 9), 1.5);
  assert.equal(coerceInteger(true, 9), true);
});

test('coerceBoolean accepts yes/true/1 and no/false/0 case-insensitively', () => {
  for (const word of ['yes', 'YES', 'True', '1']) assert.equal(coerceBoolean(word, false), true, word);
  for (const word of ['no', 'No', 'FALSE', '0']) assert.equal(coerceBoolean(word, true), false, word);
  assert.equal(coerceBoolean(true, false), true);
  assert.equal(coerceBoolean('', true), true);
});

test('coerceBoolean leaves other values for the schema to reject', () => {
  assert.equal(coerceBoolean('maybe', true), 'maybe');
  assert.equal(coerceBoolean(' yes', true), ' yes');
  assert.equal(coerceBoolean(1, false), 1);
  assert.equal(coerceBoolean(null, false), null);
});

test('coerceChoice returns the canonical spelling', () => {
  assert.equal(coerceChoice('bearer', ['Bearer', 'Token']), 'Bearer');
  assert.equal(coerceChoice('WARNING', ['debug', 'warning']), 'warning');
  assert.equal(coerceChoice('basic', ['Bearer', 'Token']), 'basic');
  assert.equal(coerceChoice(3, ['Bearer']), 3);
});
