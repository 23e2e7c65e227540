import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeValue, overlay, parseQuery } from '../../../src/transports/http/params.js';
import { matchActionPath, pathEnd } from '../../../src/transports/http/routes.js';

const match = (url: string) => matchActionPath(url, pathEnd(url));

test('action route: ^/([^/\\s]+)/?$ on the raw path, query excluded', () => {
  assert.equal(match('/send_msg'), 'send_msg');
  assert.equal(match('/send_msg/'), 'send_msg');
  assert.equal(match('/send_msg?user_id=1'), 'send_msg');
  assert.equal(match('/send_msg/?a=/b/c'), 'send_msg');
  assert.equal(match('/.handle_quick_operation'), '.handle_quick_operation');
  assert.equal(match('/send%5Fmsg'), 'send%5Fmsg', 'not percent-decoded');
  assert.equal(match('/a'), 'a');
  for (const url of ['/', '//', '/a/b', '/a//', '//a', '', '*', 'send_msg', 'http://h/send_msg', '/a\tb', '/a\x0bb', '/?x=1', '/data/image/x.cqimg']) {
    assert.equal(match(url), null, url);
  }
});

test('values: + is a space, percent-decoded, UTF-8 runs kept together', () => {
  assert.equal(decodeValue('hello+world'), 'hello world');
  assert.equal(decodeValue('a%2Bb'), 'a+b');
  assert.equal(decodeValue('%E4%B8%AD%E6%96%87'), '中文');
  assert.equal(decodeValue('%5BCQ%3Aface%2Cid%3D14%5D'), '[CQ:face,id=14]');
  assert.equal(decodeValue('plain'), 'plain');
  assert.equal(decodeValue(''), '');
});

test('values: malformed percent sequences never throw and stay raw', () => {
  assert.equal(decodeValue('100%'), '100%');
  assert.equal(decodeValue('100%+off'), '100% off');
  assert.equal(decodeValue('%zz%41'), '%zzA', 'the well-formed part is still decoded');
  assert.equal(decodeValue('%E4%B8'), '%E4%B8', 'a truncated UTF-8 sequence stays raw');
  assert.equal(decodeValue('%FF+%41'), '%FF A');
  assert.equal(decodeValue('%'), '%');
});

test('query parsing: first-= split, empty names skipped, bare names, last wins, names raw', () => {
  assert.deepEqual(parseQuery('a=1&b=2'), { a: '1', b: '2' });
  assert.deepEqual(parseQuery('a=b=c'), { a: 'b=c' });
  assert.deepEqual(parseQuery('=x&&a=1&'), { a: '1' });
  assert.deepEqual(parseQuery('flag&x='), { flag: '', x: '' });
  assert.deepEqual(parseQuery('e=1&e=2&e=3'), { e: '3' });
  assert.deepEqual(parseQuery('n%61me=v%61l'), { 'n%61me': 'val' });
  assert.deepEqual(parseQuery('a+b=c+d'), { 'a+b': 'c d' });
  assert.deepEqual(parseQuery(''), {});
  assert.deepEqual(parseQuery('&'), {});
});

test('query parsing: __proto__ is an ordinary parameter, not a prototype change', () => {
  const q = parseQuery('__proto__=x&a=1');
  assert.equal(Object.getPrototypeOf(q), Object.prototype);
  assert.deepEqual(Object.keys(q), ['__proto__', 'a']);
  assert.equal(Object.getOwnPropertyDescriptor(q, '__proto__')?.value, 'x');
});

test('overlay: the top object wins, the base keeps the rest', () => {
  const base: Record<string, unknown> = { a: 1, b: 2, nested: { x: 1 } };
  const out = overlay(base, { a: 'q', c: 'q' });
  assert.equal(out, base);
  assert.deepEqual(out, { a: 'q', b: 2, c: 'q', nested: { x: 1 } });
});
