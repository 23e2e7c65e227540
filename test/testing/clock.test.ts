/**
 * The virtual clock's timers: a jump fires what falls due within it, in order of due time, with the
 * clock standing at each timer's own time; timers set while firing are fired too when due within
 * the jump; cancelling works; real time still fires them; a jump fires at most
 * MAX_FIRED_PER_ADVANCE. And a heartbeat scheduled on it beats at each interval of virtual time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_FIRED_PER_ADVANCE, VirtualClock } from '../../src/app/clock.js';
import { startHeartbeat } from '../../src/core/events/heartbeat.js';

describe('VirtualClock timers', () => {
  test('a jump fires the timers due within it, in order, each at its own time', () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const seen: [string, number][] = [];
    const at = (name: string) => () => seen.push([name, clock.now() - start]);
    clock.setTimer(30_000, at('c'));
    clock.setTimer(10_000, at('a'));
    clock.setTimer(20_000, at('b1'));
    clock.setTimer(20_000, at('b2'));
    clock.setTimer(90_000, at('late'));
    const cancelled = clock.setTimer(15_000, at('cancelled'));
    cancelled();
    assert.equal(clock.advance(60_000), 4);
    assert.deepEqual(seen.map(([name]) => name), ['a', 'b1', 'b2', 'c']);
    // Each ran at its due time (real time moves a little while the test runs).
    const dues = [10_000, 20_000, 20_000, 30_000];
    seen.forEach(([, t], i) => {
      const due = dues[i] as number;
      assert.ok(t >= due && t < due + 1000, `${t} vs ${due}`);
    });
    assert.equal(clock.offset, 60_000);
    assert.equal(clock.pending, 1);
    assert.equal(clock.advance(30_000), 1);
    assert.deepEqual(seen.at(-1)?.[0], 'late');
    clock.clear();
  });

  test('a timer set while firing fires in the same jump when due within it; the cap bounds a jump', () => {
    const clock = new VirtualClock();
    let beats = 0;
    const beat = () => {
      beats++;
      clock.setTimer(1000, beat);
    };
    clock.setTimer(1000, beat);
    assert.equal(clock.advance(10_500), 10);
    assert.equal(beats, 10);
    assert.equal(clock.advance(MAX_FIRED_PER_ADVANCE * 1000 * 3), MAX_FIRED_PER_ADVANCE);
    assert.equal(clock.offset, 10_500 + MAX_FIRED_PER_ADVANCE * 1000 * 3);
    assert.equal(clock.pending, 1);
    clock.clear();
    assert.equal(clock.pending, 0);
    assert.throws(() => clock.advance(-1), RangeError);
  });

  test('real time fires them too', async () => {
    const clock = new VirtualClock();
    clock.advance(5000);
    // The clock's real timer is unref'd (it must not keep a process alive): hold the event loop
    // open with a timer of the test's own while waiting, or the run may end before it fires.
    const keepAlive = setTimeout(() => {}, 10_000);
    const fired = await new Promise<number>((resolve) => {
      const started = Date.now();
      clock.setTimer(30, () => resolve(Date.now() - started));
    }).finally(() => clearTimeout(keepAlive));
    assert.ok(fired >= 25);
  });

  test('a heartbeat on the virtual clock beats at each interval of virtual time', () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const stop = startHeartbeat({
      selfId: 1, intervalMs: 15_000, status: () => ({ online: true }), now: () => clock.now(),
      schedule: (fn, ms) => clock.setTimer(ms, fn), publish: (e) => times.push(Number(e['time'])),
    });
    assert.equal(clock.advance(60_000), 4);
    assert.deepEqual(times.map((t) => t - (times[0] as number)), [0, 15, 30, 45, 60]);
    stop();
    assert.equal(clock.pending, 0);
    assert.equal(clock.advance(60_000), 0);
  });
});
