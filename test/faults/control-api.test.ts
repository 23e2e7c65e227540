/**
 * `/api/faults` on the control API: every problem of an invalid fault listed at once (400), the
 * list with hits and times left, profiles' part ids, clearing by id and all at once, the seed, the
 * index entry — over real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ControlError, startSandbox, type Sandbox } from '../../src/testing/index.js';

describe('/api/faults', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => sb.close());
  beforeEach(() => sb.clearFaults());

  /** POST a fault and answer the refusal's JSON (status 400 expected). */
  async function refused(body: Record<string, unknown>): Promise<{ error: string; problems: string[] }> {
    const res = await fetch(`${sb.connection.control}/api/faults`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 400);
    return (await res.json()) as { error: string; problems: string[] };
  }

  test('an invalid fault lists every problem at its key', async () => {
    const answer = await refused({ action: 'send_msg', effect: 'drop', retcode: 'x', colour: 1, probability: 2 });
    assert.equal(answer.error, 'BAD_PARAMS');
    assert.deepEqual(answer.problems.sort(), [
      'colour: unknown key "colour"',
      'effect: an action fault takes fail, delay, timeout, shadow_drop, not drop',
      'probability: probability is from 0 to 1',
      'retcode: Invalid type: Expected number but received "x"',
      'retcode: does not apply to drop',
    ].sort());
  });

  test('a fault needs one target, an effect its target takes, and the settings of that effect', async () => {
    assert.deepEqual((await refused({ effect: 'fail' })).problems, ['a fault needs a target: one of action, event, connection (or a profile)']);
    assert.deepEqual((await refused({ action: 'x', event: {}, effect: 'delay', duration: 5 })).problems, ['a fault has one target; this one has action, event']);
    assert.deepEqual((await refused({ action: 'x', effect: 'fail' })).problems, ['retcode: required but missing: the retcode the call answers']);
    assert.deepEqual((await refused({ event: { post_type: 'notice' }, effect: 'delay' })).problems, ['duration: required but missing: how long to delay']);
    assert.deepEqual((await refused({ connection: { transport: 'ws' }, effect: 'half_open', code: 4000 })).problems, ['code: does not apply to half_open']);
    assert.deepEqual((await refused({ connection: { transport: 'ws' }, effect: 'drop', code: 1006 })).problems, ['code: expected a WebSocket close code a server may send: 1000-1014 (not 1004-1006) or 3000-4999']);
    assert.deepEqual((await refused({ profile: 'gocq-risk-control', retcode: 1 })).problems, ['retcode: a profile takes only probability and times beside it']);
    assert.match((await refused({ profile: 'nope' })).problems[0] ?? '', /^profile: expected one of the profiles: gocq-risk-control, /);
    assert.deepEqual((await refused({ action: 'x', effect: 'delay', duration: '11m' })).problems, ['duration: expected a duration from 0 to 10m: ms, or a text like "800ms", "10s", "2m"']);
  });

  test('list, hits and times left; a profile\'s parts; clear by id; reset', async () => {
    const one = await sb.fault({ action: 'get_status', effect: 'fail', retcode: 100, times: 2 });
    const profile = await sb.fault('flaky-network');
    assert.deepEqual(profile.faults.map((f) => f['id']), [`${profile.id}.1`, `${profile.id}.2`, `${profile.id}.3`]);
    await fetch(`${sb.connection.http ?? ''}/get_status`);
    const listed = (await sb.control('GET', '/api/faults')) as { seed: number; faults: Record<string, unknown>[] };
    assert.equal(listed.seed, 1);
    assert.deepEqual(listed.faults[0], { action: 'get_status', effect: 'fail', retcode: 100, times: 2, id: one.id, hits: 1, remaining: 1 });
    assert.equal(listed.faults.length, 4);
    assert.equal(listed.faults[1]?.['profile'], 'flaky-network');
    await profile.clear();
    assert.deepEqual(((await sb.control('GET', '/api/faults'))['faults'] as unknown[]).length, 1);
    await assert.rejects(sb.control('DELETE', `/api/faults/${profile.id}`), (err: unknown) => err instanceof ControlError && err.status === 404);
    assert.deepEqual(await sb.control('POST', '/api/faults/reset'), { cleared: 1 });
    assert.deepEqual(await sb.control('POST', '/api/faults/seed', { seed: 9 }), { seed: 9 });
    assert.equal((await sb.control('GET', '/api/faults'))['seed'], 9);
  });

  test('the index lists the fault endpoints', async () => {
    const { endpoints } = (await sb.control('GET', '/api/')) as { endpoints: { method: string; path: string }[] };
    const faults = endpoints.filter((e) => e.path.startsWith('/api/faults')).map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(faults, ['GET /api/faults', 'POST /api/faults', 'POST /api/faults/seed', 'POST /api/faults/reset', 'DELETE /api/faults', 'DELETE /api/faults/:id']);
  });
});
