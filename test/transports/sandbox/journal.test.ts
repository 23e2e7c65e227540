/** The call journal: a bounded ring buffer with subscribers, shown by GET /api/calls. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallJournal } from '../../../src/transports/sandbox/index.js';
import type { CallRecord } from '../../../src/transports/sandbox/index.js';
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
});

describe('GET /api/calls', () => {
  it('answers {calls: [...]} newest last, in wire names', () => withControl(async ({ req, calls }) => {
    assert.deepEqual((await req('GET', '/api/calls')).json, { calls: [] });
    calls.record(call(1));
    calls.record(call(2));
    assert.deepEqual((await req('GET', '/api/calls')).json, {
      calls: [
        { action: 'a1', params: { n: 1 }, retcode: 100, duration: 0.1, channel: 'http', time: 1_700_000_000_001 },
        { action: 'a2', params: { n: 2 }, retcode: 0, duration: 0.2, channel: 'http', time: 1_700_000_000_002 },
      ],
    });
  }));
});
