/** Control API: `sandbox_token` — Bearer header or `?token=`, 401 without, 403 when wrong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFailure, withControl } from './harness.js';

const TOKEN = 'control-Secret-42';

describe('sandbox control API: token', () => {
  it('without a token configured, everything is open', () => withControl(async ({ req }) => {
    assert.equal((await req('GET', '/api/world')).status, 200);
  }));

  it('no token → 401 (with WWW-Authenticate), a wrong one → 403, for every path and method', () => withControl(async ({ req }) => {
    const missing = await req('GET', '/api/world');
    assertFailure(missing, 401, 'UNAUTHORIZED', /Bearer/);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
    assertFailure(await req('GET', '/api/nowhere'), 401, 'UNAUTHORIZED');
    assertFailure(await req('POST', '/api/users', { user_id: 30001, nickname: 'x' }), 401, 'UNAUTHORIZED');
    assertFailure(await req('GET', '/api/world', undefined, { authorization: 'Bearer nope' }), 403, 'FORBIDDEN');
    assertFailure(await req('GET', '/api/world?token=nope'), 403, 'FORBIDDEN');
    assertFailure(await req('GET', `/api/world?token=${TOKEN}x`), 403, 'FORBIDDEN');
  }, { token: TOKEN }));

  it('Authorization: Bearer <token> or ?token= is accepted; the header wins over the query', () => withControl(async ({ req, sb }) => {
    assert.equal((await req('GET', '/api/world', undefined, { authorization: `Bearer ${TOKEN}` })).json['self_id'], sb.selfId);
    assert.equal((await req('GET', `/api/world?token=${encodeURIComponent(TOKEN)}`)).status, 200);
    assert.equal((await req('POST', `/api/users?token=${TOKEN}`, { user_id: 30001, nickname: 'x' })).status, 200);
    assertFailure(await req('GET', `/api/world?token=${TOKEN}`, undefined, { authorization: 'Bearer wrong' }), 403, 'FORBIDDEN');
  }, { token: TOKEN }));
});
