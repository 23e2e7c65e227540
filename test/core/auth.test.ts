/** The access-token check (CQHTTP 4.15 §3.1.1) as one checker reused across requests. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authStatus, checkAccessToken, createTokenCheck } from '../../src/core/auth.js';

test('one checker answers many requests: right, wrong of the same length, right again, other lengths', () => {
  const check = createTokenCheck('s3cret-令牌');
  assert.equal(check('Bearer s3cret-令牌', undefined), 'ok');
  assert.equal(check('Bearer s3cret-令X', undefined), 'wrong', 'same character count, other bytes');
  assert.equal(check('Token s3cret-令牌', undefined), 'ok', 'the scratch buffer holds no leftover');
  assert.equal(check('Bearer s3cret-令', undefined), 'wrong');
  assert.equal(check('Bearer s3cret-令牌令', undefined), 'wrong');
  assert.equal(check('bearer s3cret-令牌', undefined), 'missing', 'an unknown scheme (Bearer is case-sensitive) gives no token: 401');
  assert.equal(check('token s3cret-令牌', undefined), 'ok');
  assert.equal(check('Bearer \uD800', undefined), 'wrong', 'a lone surrogate');
});

test('the scheme is followed by any run of whitespace, which is not part of the token', () => {
  const check = createTokenCheck('abc');
  assert.equal(check('Bearer abc', undefined), 'ok');
  assert.equal(check('Bearer   abc', undefined), 'ok');
  assert.equal(check('Bearer\tabc', undefined), 'ok');
  assert.equal(check('Bearer \u3000abc', undefined), 'ok', 'Unicode whitespace, as the original regex');
  assert.equal(check('Bearerabc', undefined), 'missing');
  assert.equal(check('Bearer abc ', undefined), 'wrong', 'trailing characters belong to the token');
  assert.equal(check('Bearer  ', undefined), 'missing');
});

test('header first, then the query; nothing given is missing', () => {
  const check = createTokenCheck('abc');
  assert.equal(check(undefined, 'abc'), 'ok');
  assert.equal(check('Bearer wrong', 'abc'), 'wrong', 'a header, even wrong, wins over the query');
  assert.equal(check(undefined, undefined), 'missing');
  assert.equal(check('Bearer ', undefined), 'missing');
  assert.equal(check(undefined, ''), 'missing');
  assert.equal(authStatus('missing'), 401);
  assert.equal(authStatus('wrong'), 403);
});

test('an empty configured token lets everything through', () => {
  assert.equal(createTokenCheck('')(undefined, undefined), 'ok');
  assert.equal(checkAccessToken('', 'Bearer anything', undefined), 'ok');
  assert.equal(checkAccessToken('x', undefined, 'x'), 'ok');
});
