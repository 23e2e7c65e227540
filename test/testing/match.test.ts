/** The expectation matchers: exact, /regex/, subset objects, arrays, $contains, $exact, $any, $absent, closeness. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeness, matches, regexOf } from '../../src/testing/match.js';

test('exact values; a number equals its decimal text, not the other way round for other text', () => {
  assert.ok(matches('pong', 'pong'));
  assert.ok(!matches('pong', 'pong!'));
  assert.ok(matches(20003, '20003'));
  assert.ok(matches('20003', 20003));
  assert.ok(!matches(20003, '020003'));
  assert.ok(matches(true, true) && !matches(true, 'true'));
  assert.ok(matches(null, null) && !matches(null, 0));
});

test('/regex/ strings, with flags; an invalid pattern is plain text', () => {
  assert.ok(matches('/^po/', 'pong'));
  assert.ok(matches('/PONG/i', 'pong'));
  assert.ok(matches('/^\\d+$/', 123));
  assert.ok(!matches('/^po/', { text: 'pong' }));
  assert.equal(regexOf('/(/'), null);
  assert.ok(matches('/(/', '/(/'));
});

test('objects match as subsets; arrays element by element with the same length', () => {
  assert.ok(matches({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!matches({ a: 1, c: 3 }, { a: 1, b: 2 }));
  assert.ok(matches({ p: { user_id: 1 } }, { p: { user_id: 1, group_id: 2 } }));
  assert.ok(!matches({ a: 1 }, [1]));
  assert.ok(matches([{ type: 'text' }], [{ type: 'text', data: {} }]));
  assert.ok(!matches([{ type: 'text' }], [{ type: 'text' }, { type: 'at' }]));
});

test('$contains on text and arrays, $exact, $any, $absent', () => {
  assert.ok(matches({ $contains: 'ell' }, 'hello'));
  assert.ok(!matches({ $contains: 'xyz' }, 'hello'));
  assert.ok(matches({ $contains: { type: 'at' } }, [{ type: 'text' }, { type: 'at', data: { qq: '1' } }]));
  assert.ok(!matches({ $contains: { type: 'face' } }, [{ type: 'text' }]));
  assert.ok(matches({ $exact: { a: 1 } }, { a: 1 }));
  assert.ok(!matches({ $exact: { a: 1 } }, { a: 1, b: 2 }));
  assert.ok(!matches({ $exact: '/a/' }, 'a'));
  assert.ok(matches({ k: '$any' }, { k: 0 }) && !matches({ k: '$any' }, {}));
  assert.ok(matches({ k: { $any: true } }, { k: 'x' }));
  assert.ok(matches({ k: '$absent' }, { j: 1 }) && !matches({ k: '$absent' }, { k: 1 }));
  assert.ok(matches({ k: { $absent: true } }, {}));
});

test('closeness ranks partial matches', () => {
  assert.equal(closeness({ a: 1, b: 2 }, { a: 1, b: 2 }), 1);
  assert.equal(closeness({ a: 1, b: 2 }, { a: 1, b: 3 }), 0.5);
  assert.equal(closeness({ a: 1 }, 'x'), 0);
  assert.ok(closeness({ p: { x: 1, y: 2 } }, { p: { x: 1, y: 0 } }) > 0);
});
