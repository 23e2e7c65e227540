import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, head, raw, start, TOKEN, type Started } from './harness.js';

describe('access token (§3.1.1)', () => {
  let s: Started;
  before(async () => (s = await start({ accessToken: TOKEN })));
  after(() => s.stop());

  const status = async (path: string, authorization?: string) =>
    (await call(s.port, 'GET', path, authorization === undefined ? {} : { Authorization: authorization })).status;

  test('no token → 401, wrong → 403, right → 200', async () => {
    assert.equal(await status('/echo_params'), 401);
    assert.equal(await status('/echo_params', 'Bearer wrong'), 403);
    assert.equal(await status('/echo_params', `Bearer ${TOKEN}x`), 403);
    assert.equal(await status('/echo_params', `Bearer ${TOKEN.toUpperCase()}`), 403, 'case-sensitive');
    assert.equal(await status('/echo_params', `Bearer ${TOKEN}`), 200);
  });

  test('accepted schemes: Bearer, Token, token; bearer and others → 401', async () => {
    assert.equal(await status('/echo_params', `Token ${TOKEN}`), 200);
    assert.equal(await status('/echo_params', `token ${TOKEN}`), 200);
    assert.equal(await status('/echo_params', `Bearer  ${TOKEN}`), 200, 'several spaces after the scheme');
    assert.equal(await status('/echo_params', `bearer ${TOKEN}`), 401);
    assert.equal(await status('/echo_params', `BEARER ${TOKEN}`), 401);
    assert.equal(await status('/echo_params', `Basic ${TOKEN}`), 401);
    assert.equal(await status('/echo_params', TOKEN), 401);
    assert.equal(await status('/echo_params', 'Bearer '), 401);
  });

  test('an empty Authorization header is still "present"', async () => {
    const r = (await raw(s.port, head('GET', `/echo_params?access_token=${TOKEN}`, ['Authorization: ']))).responses[0]!;
    assert.equal(r.status, 401);
  });

  test('a present header disables the query fallback', async () => {
    assert.equal(await status(`/echo_params?access_token=${TOKEN}`, `bearer ${TOKEN}`), 401);
    assert.equal(await status(`/echo_params?access_token=${TOKEN}`, 'Bearer wrong'), 403);
  });

  test('query token: works, is percent-decoded, and stays in params', async () => {
    const r = await call(s.port, 'GET', `/echo_params?user_id=1&access_token=${TOKEN}`);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body).data, { user_id: '1', access_token: TOKEN });
    assert.equal(await status('/echo_params?access_token=wrong'), 403);
    assert.equal(await status('/echo_params?access_token='), 401);
    assert.equal(await status('/echo_params?access_token'), 401);
  });

  test('the token is checked before Content-Type, body parsing and the action lookup', async () => {
    const before = s.calls.length;
    const plain = (await raw(s.port, head('POST', '/echo_params', ['Content-Type: text/plain', 'Content-Length: 1']) + 'x')).responses[0]!;
    assert.equal(plain.status, 401, 'not 406');
    const badJson = (await raw(s.port, head('POST', '/echo_params', ['Authorization: Bearer nope', 'Content-Type: application/json', 'Content-Length: 4']) + '{bad')).responses[0]!;
    assert.equal(badJson.status, 403, 'not 400');
    assert.equal(await status('/no_such_action'), 401, 'not 404');
    assert.equal(s.calls.length, before, 'dispatch never called');
    const pipelined = await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 7']) + '{"a":1}' + head('GET', `/echo_params?access_token=${TOKEN}`), 2);
    assert.deepEqual(pipelined.responses.map((r) => r.status), [401, 200], 'the unread body of a rejected request is discarded, keep-alive goes on');
    assert.equal(await status('/a/b'), 404, 'the route is matched before the token');
  });

  test('a form or JSON body cannot carry the token', async () => {
    const form = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/x-www-form-urlencoded' }, `access_token=${TOKEN}`);
    assert.equal(form.status, 401);
    const json = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/json' }, JSON.stringify({ access_token: TOKEN }));
    assert.equal(json.status, 401);
  });

  test('POST with the query token', async () => {
    const r = await call(s.port, 'POST', `/echo_params?access_token=${TOKEN}`, { 'Content-Type': 'application/json' }, '{"a":1}');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body).data, { a: 1, access_token: TOKEN });
  });
});

test('special characters in the token: percent-encoded in the query', async () => {
  const token = 'a b+c&d=é';
  const s = await start({ accessToken: token });
  try {
    assert.equal((await call(s.port, 'GET', `/echo_params?access_token=${encodeURIComponent(token)}`)).status, 200);
    assert.equal((await call(s.port, 'GET', '/echo_params?access_token=a+b%2Bc%26d%3D%C3%A9')).status, 200, '+ is a space');
    assert.equal((await call(s.port, 'GET', '/echo_params?access_token=a+b%2Bc&d=%C3%A9')).status, 403, 'an unencoded & ends the value');
  } finally {
    await s.stop();
  }
});

test('no token configured: everything is allowed, even a garbage Authorization header', async () => {
  const s = await start({ accessToken: '' });
  try {
    assert.equal((await call(s.port, 'GET', '/echo_params', { Authorization: 'bearer whatever' })).status, 200);
    assert.equal((await call(s.port, 'GET', '/echo_params?access_token=x')).status, 200);
  } finally {
    await s.stop();
  }
});
