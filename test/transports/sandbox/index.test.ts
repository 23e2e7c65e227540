/** Control API: `GET /api/` answers the index of its endpoints, generated from the route table. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFailure, withControl } from './harness.js';

interface Entry { method: string; path: string; summary: string }

describe('sandbox control API: index', () => {
  it('GET /api/ (and /api) lists every endpoint: method, path, one line each', () => withControl(async ({ req }) => {
    const index = await req('GET', '/api/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /application\/json/);
    const endpoints = index.json['endpoints'] as Entry[];
    assert.ok(Array.isArray(endpoints) && endpoints.length > 30, `${endpoints.length} endpoints`);
    for (const e of endpoints) {
      assert.match(e.method, /^(GET|POST|PUT|DELETE)$/);
      assert.match(e.path, /^\/api\/|^\/metrics$|^\/openapi\.json$/);
      assert.ok(e.summary.length > 5 && !e.summary.includes('\n'), `${e.method} ${e.path} has a one-line summary`);
    }
    const keys = endpoints.map((e) => `${e.method} ${e.path}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicates');
    for (const key of ['GET /api/', 'GET /api/stream', 'GET /api/world', 'POST /api/messages', 'DELETE /api/groups/:gid/members/:uid', 'GET /api/calls']) {
      assert.ok(keys.includes(key), key);
    }
    assert.deepEqual((await req('GET', '/api')).json, index.json);
  }));

  it('every listed GET endpoint without parameters exists (the index is the route table, not a copy)', () => withControl(async ({ req }) => {
    const endpoints = (await req('GET', '/api/')).json['endpoints'] as Entry[];
    for (const e of endpoints.filter((x) => x.method === 'GET' && !x.path.includes(':') && x.path !== '/api/stream' && x.path !== '/api/messages' && x.path !== '/metrics' && x.path !== '/openapi.json')) {
      // /openapi.json needs the bot's actions, which this bare control server has none of (test/core/openapi.test.ts covers it).
      assert.equal((await req('GET', e.path)).status, 200, e.path);
    }
    for (const e of endpoints.filter((x) => x.method !== 'GET')) {
      const path = e.path.replace(/:\w+/g, '1');
      const res = await req(e.method, path, {});
      assert.ok(!(res.status === 404 && /no endpoint/.test(String(res.json.message))) && res.status !== 405, `${e.method} ${path} is routed: ${res.text}`);
    }
  }));

  it('the index needs the token like every endpoint; a 404 points to it', () => withControl(async ({ req }) => {
    assertFailure(await req('GET', '/api/'), 401, 'UNAUTHORIZED');
    assertFailure(await req('GET', '/api/nowhere?token=t0k'), 404, 'NOT_FOUND', /GET \/api\//);
  }, { token: 't0k' }));
});
