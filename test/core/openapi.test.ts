/** The OpenAPI document: docs/openapi.json in sync with the registry, structurally OpenAPI 3.1, and served by the control API with POST /api/call. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ALL_ACTIONS } from '../../src/actions/index.js';
import { readBuildInfo } from '../../src/app/build-info.js';
import { openApiDocument, openApiText } from '../../src/core/openapi.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

type Operation = { operationId: string; summary: string; parameters?: { name: string; in: string; required: boolean; schema: object }[]; requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, unknown> };
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, { get: Operation; post: Operation }>; components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, object> }; security: object[] };

const doc = openApiDocument(ALL_ACTIONS, readBuildInfo().appVersion) as Doc;

describe('OpenAPI document', () => {
  it('docs/openapi.json is what npm run docs:openapi writes from the registry', () => {
    const onDisk = fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    assert.equal(onDisk, openApiText(ALL_ACTIONS, readBuildInfo().appVersion), 'docs/openapi.json is stale: run npm run docs:openapi');
  });

  it('is structurally OpenAPI 3.1: info, paths, Bearer security, unique operation ids, responses', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(doc.info.version, readBuildInfo().appVersion);
    assert.deepEqual(doc.components.securitySchemes['accessToken'], { ...doc.components.securitySchemes['accessToken'], type: 'http', scheme: 'bearer' });
    assert.ok(doc.security.some((s) => 'accessToken' in s));
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.match(path, /^\/[\w.]+$/);
      for (const op of [item.get, item.post]) {
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        assert.ok(op.summary.length > 0);
        assert.ok('200' in op.responses);
      }
      for (const p of item.get.parameters ?? []) assert.equal(p.in, 'query');
    }
  });

  it('lists every registry action, each parameter schema compiling as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: true });
    ajv.compile(doc.components.schemas['Envelope'] as object);
    assert.deepEqual(Object.keys(doc.paths).sort(), ALL_ACTIONS.map((a) => `/${a.name}`).sort());
    for (const action of ALL_ACTIONS) {
      const item = doc.paths[`/${action.name}`]!;
      const schema = item.post.requestBody!.content['application/json']!.schema;
      assert.doesNotThrow(() => ajv.compile(schema), `${action.name}: its parameter schema compiles`);
      assert.deepEqual(item.get.parameters!.map((p) => p.name), Object.keys((schema as { properties: object }).properties));
    }
    const ban = doc.paths['/set_group_ban']!.post.requestBody!.content['application/json']!.schema as { properties: Record<string, { type?: string; default?: unknown }>; required: string[] };
    assert.deepEqual(ban.required, ['group_id', 'user_id']);
    assert.deepEqual(ban.properties['duration'], { type: 'integer', default: 1800 });
    const validateBan = ajv.compile(ban);
    assert.equal(validateBan({ group_id: 1 }), false, 'user_id is required');
    assert.equal(validateBan({ group_id: 1, user_id: 2, duration: 60 }), true);
  });
});

describe('GET /openapi.json and POST /api/call on the control API', () => {
  let t: TestApp;
  let control: string;
  const auth = { authorization: 'Bearer s3cret' };
  before(async () => {
    t = await startTestApp({ config: { sandbox_token: 's3cret' } });
    control = `http://127.0.0.1:${t.app.sandbox.port}`;
  });
  after(() => t.close());

  it('serves the generated document behind sandbox_token, and lists both in GET /api/', async () => {
    assert.equal((await fetch(`${control}/openapi.json`)).status, 401);
    const res = await fetch(`${control}/openapi.json`, { headers: auth });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(doc)));
    const index = await (await fetch(`${control}/api/`, { headers: auth })).json() as { endpoints: { method: string; path: string }[] };
    assert.ok(index.endpoints.some((e) => e.method === 'GET' && e.path === '/openapi.json'));
    assert.ok(index.endpoints.some((e) => e.method === 'POST' && e.path === '/api/call'));
  });

  it('calls an action as the bot through dispatch(), answers the envelope, and journals it with channel console', async () => {
    const post = async (body: unknown) => fetch(`${control}/api/call`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ action: 'get_login_info', params: {} });
    assert.equal(ok.status, 200);
    const envelope = await ok.json() as { retcode: number; status: string; data: { user_id: number } };
    assert.equal(envelope.retcode, 0);
    assert.equal(envelope.status, 'ok');
    assert.equal(envelope.data.user_id, t.app.backend.selfId);

    const bad = await (await post({ action: 'set_group_ban', params: { group_id: 1 } })).json() as { retcode: number; status: string; msg: string };
    assert.deepEqual([bad.retcode, bad.status, bad.msg], [100, 'failed', 'BAD_PARAMS']);
    const unknown = await (await post({ action: 'no_such_action' })).json() as { retcode: number };
    assert.equal(unknown.retcode, 1404);
    assert.equal((await post({ action: 'get_login_info', params: [1] })).status, 400);

    const calls = await (await fetch(`${control}/api/calls`, { headers: auth })).json() as { calls: { action: string; channel: string }[] };
    const mine = calls.calls.filter((c) => c.action === 'get_login_info' || c.action === 'set_group_ban');
    assert.deepEqual(mine.map((c) => [c.action, c.channel]), [['get_login_info', 'console'], ['set_group_ban', 'console']]);
  });
});
