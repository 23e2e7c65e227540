/** The call journal: a bounded ring buffer with subscribers, shown by GET /api/calls. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallJournal } from '../../../src/transports/sandbox/index.js';
import type { CallRecord } from '../../../src/transports/sandbox/index.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { withControl } from './harness.js';

const call = (n: number): CallRecord => ({ action: `a${n}`, params: { n }, channel: 'http', retcode: n % 2 === 0 ? 0 : 100, duration: n / 10, time: 1_700_000_000_000 + n });

describe('CallJournal', () => {
  it('keeps the newest `capacity` calls, oldest first', () => {
    const j = new CallJournal(3);
    assert.deepEqual(j.list(), []);
    for (let n = 1; n <= 2; n++) j.record(call(n));
    assert.deepEqual(j.list().map((c) => c.action), ['a1', 'a2']);
    for (let n = 3; n <= 7; n++) j.record(call(n));
    assert.deepEqual(j.list().map((c) => c.action), ['a5', 'a6', 'a7']);
    assert.equal(new CallJournal().capacity, 1000);
    assert.throws(() => new CallJournal(0), RangeError);
  });

  it('tells subscribers until they unsubscribe, and survives a throwing one', () => {
    const j = new CallJournal(10);
    const seen: string[] = [];
    j.subscribe(() => {
      throw new Error('bad subscriber');
    });
    const off = j.subscribe((c) => seen.push(c.action));
    j.record(call(1));
    off();
    j.record(call(2));
    assert.deepEqual(seen, ['a1']);
    assert.equal(j.list().length, 2);
  });

  it('numbers the calls, and keeps no list answer (subscribers see it whole)', () => {
    const j = new CallJournal(10);
    const seen: [number, unknown][] = [];
    j.subscribe((c, id) => seen.push([id, c.data]));
    j.record({ ...call(1), data: [1, 2, 3] });
    j.record({ ...call(2), data: { message_id: 7 } });
    assert.deepEqual(seen, [[1, [1, 2, 3]], [2, { message_id: 7 }]]);
    assert.deepEqual(j.entries().map((e) => [e.id, e.record.data]), [[1, { omitted: 'a list of 3' }], [2, { message_id: 7 }]]);
  });
});

describe('GET /api/calls', () => {
  it('answers {calls: [...]} newest last, in wire names', () => withControl(async ({ req, calls }) => {
    assert.deepEqual((await req('GET', '/api/calls')).json, { calls: [] });
    calls.record(call(1));
    calls.record(call(2));
    assert.deepEqual((await req('GET', '/api/calls')).json, {
      calls: [
        { id: 1, action: 'a1', params: { n: 1 }, retcode: 100, duration: 0.1, channel: 'http', time: 1_700_000_000_001, data: null },
        { id: 2, action: 'a2', params: { n: 2 }, retcode: 0, duration: 0.2, channel: 'http', time: 1_700_000_000_002, data: null },
      ],
    });
    calls.record({ action: 'kick', params: {}, channel: 'ws', retcode: -39, duration: 1, time: 1, data: null, error: new ApiError('NO_PERMISSION', 'a member cannot kick the owner') });
    calls.record({ action: 'nope', params: {}, channel: 'ws', retcode: 1404, duration: 0, time: 2, data: null, unknown: true });
    const [kick, nope] = ((await req('GET', '/api/calls')).json['calls'] as Record<string, unknown>[]).slice(2);
    assert.deepEqual([kick?.['msg'], kick?.['wording'], kick?.['unknown']], ['NO_PERMISSION', 'a member cannot kick the owner', undefined]);
    assert.deepEqual([nope?.['retcode'], nope?.['unknown']], [1404, true]);
  }));
});
