/** The call journal: a bounded ring buffer with subscribers, shown by GET /api/calls. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallJournal } from '../../../src/transports/sandbox/index.js';
import type { CallRecord } from '../../../src/transports/sandbox/index.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { withControl } from './harness.js';
import type { KeptCall } from '../../../src/transports/sandbox/journal.js';
import { callToWire, callToWireText } from '../../../src/transports/sandbox/wire.js';
import { stringifySorted } from '../../../src/protocol/json.js';

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

describe('CallJournal byte budget', () => {
  const big = (n: number, bytes: number): CallRecord => ({ ...call(n), params: { message: `${n}:`.padEnd(bytes, 'x') } });

  it('keeps a call over 64 KiB shortened: long strings cut and marked, truncated: true; small calls as they are', () => {
    const j = new CallJournal(10);
    const small = call(1);
    j.record(small);
    j.record({ ...big(2, 1_048_576), data: { echo: 'y'.repeat(200_000), message_id: 5 } });
    const [kept1, kept2] = j.list();
    assert.equal(kept1, small, 'a small call is kept by reference, untouched');
    assert.equal(kept2?.truncated, true);
    const message = kept2?.params['message'] as string;
    assert.ok(message.startsWith('2:xxx'));
    assert.ok(message.endsWith('…(truncated, 1048576 bytes)'), message.slice(-40));
    assert.ok(message.length < 400);
    assert.deepEqual(kept2?.data, { echo: `${'y'.repeat(256)}…(truncated, 200000 bytes)`, message_id: 5 });
    assert.ok(j.bytes < 4096, `${j.bytes} bytes kept`);
  });

  it('many small strings over the limit are replaced by one marker; __proto__ keys and deep nesting are safe', () => {
    const j = new CallJournal(10);
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v'.repeat(20)]));
    j.record({ ...call(1), params: many });
    const kept = j.list()[0];
    assert.equal(kept?.truncated, true);
    assert.match(String(kept?.params['…']), /^…\(truncated, \d+ bytes\)$/);
    const hostile = JSON.parse(`{"__proto__":{"polluted":"${'p'.repeat(70_000)}"},"deep":${'['.repeat(500)}${']'.repeat(500)}}`) as Record<string, unknown>;
    j.record({ ...call(2), params: hostile });
    const kept2 = j.list()[1];
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(kept2?.params), Object.prototype);
    assert.match(String((Object.getOwnPropertyDescriptor(kept2?.params, '__proto__')?.value as Record<string, unknown>)['polluted']), /truncated, 70000 bytes/);
  });

  it('drops the oldest calls once the kept bytes pass the budget', () => {
    const j = new CallJournal(1000, 200_000);
    for (let n = 1; n <= 20; n++) j.record(big(n, 60_000)); // under the per-call limit: kept whole
    assert.ok(j.bytes <= 200_000, `${j.bytes} bytes kept`);
    const kept = j.list();
    assert.equal(kept.length, 3);
    assert.deepEqual(kept.map((c) => c.action), ['a18', 'a19', 'a20']);
    assert.throws(() => new CallJournal(10, 0), RangeError);
  });

  it('subscribers see calls up to 1 MiB whole, and larger ones shortened', () => {
    const j = new CallJournal(10);
    const seen: CallRecord[] = [];
    j.subscribe((c) => seen.push(c));
    const whole = big(1, 500_000);
    j.record(whole);
    j.record(big(2, 3_000_000));
    assert.equal(seen[0], whole);
    assert.match(String(seen[1]?.params['message']), /…\(truncated, 3000000 bytes\)$/);
  });
});

describe('GET /api/calls', () => {
  it('600 calls with a 1 MB parameter: answered, within the journal budget', () => withControl(async ({ req, calls }) => {
    const rss = process.memoryUsage().rss;
    for (let n = 0; n < 600; n++) calls.record({ ...call(n), params: { message: `[CQ:image,file=base64://${String(n).padEnd(1_000_000, 'A')}]` } });
    const res = await req('GET', '/api/calls');
    assert.equal(res.status, 200);
    assert.ok(res.text.length < 1024 * 1024, `${res.text.length} bytes answered`);
    assert.ok(calls.bytes <= 16 * 1024 * 1024);
    const grown = (process.memoryUsage().rss - rss) / 1024 / 1024;
    assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB`);
  }));

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

describe('call frames', () => {
  it('write the text of stringifySorted(callToWire(...)) for every shape of call', () => {
    const frozen = Object.freeze({ nickname: 'bot', user_id: 10001 });
    const records: KeptCall[] = [
      call(1),
      { ...call(2), data: frozen },
      { ...call(3), data: { z: 1, a: [{ y: 2, b: '\u{1F600}\uE000' }] }, params: { z: '"', a: null, m: undefined } },
      { ...call(4), retcode: 100, error: new ApiError('BAD_PARAMS', 'bad "x"') },
      { ...call(5), retcode: 1404, unknown: true, params: {} },
      { ...call(6), truncated: true, data: [1, 'two', null] },
      { ...call(7), action: 'odd\u2028"action"\ud800', duration: Number.NaN },
    ];
    for (const [i, r] of records.entries()) for (const self of [0, 10001000]) assert.equal(callToWireText(r, i + 1, self), stringifySorted(callToWire(r, i + 1, self)));
    // The frozen answer's text comes from the envelope's cache, and is the same each time.
    assert.equal(callToWireText(records[1], 9, 0), callToWireText(records[1], 9, 0));
  });
});
