/**
 * Event faults, seen by a bot on HTTP POST, the forward WebSocket and the reverse WebSocket at
 * once: duplicate, delay, shadow_drop (lost), burst (held, then flushed together), the
 * stall-then-burst and flaky-network profiles, and probabilities that reproduce from a seed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CAROL, faultLines, LOUNGE, sleep, startWorld, until, type World } from './harness.js';

const said = (text: string) => (e: Record<string, unknown>): boolean => e['post_type'] === 'message' && e['raw_message'] === text;

describe('event faults', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ quiet: 300 });
  });
  after(() => w.close());
  beforeEach(() => w.sb.clearFaults());

  /** How many times each transport received the message `text`. */
  const counts = (text: string): number[] => [w.posted.filter(said(text)).length, w.forward.seen(said(text)).length, w.reverse().seen(said(text)).length];
  const allSaw = (text: string, n = 1) => () => counts(text).every((c) => c >= n);

  test('duplicate delivers a matching event twice on every transport', async () => {
    await w.sb.fault({ event: { post_type: 'message', group_id: LOUNGE }, effect: 'duplicate', times: 1 });
    await w.sb.say('twice', { as: CAROL, in: LOUNGE });
    await until(allSaw('twice', 2), 3000, 'two deliveries everywhere');
    await w.sb.say('once', { as: CAROL, in: LOUNGE });
    await until(allSaw('once'), 3000, 'one delivery');
    await sleep(100);
    assert.deepEqual(counts('twice'), [2, 2, 2]);
    assert.deepEqual(counts('once'), [1, 1, 1]);
    const line = faultLines(w).at(-1)?.['data'] as Record<string, unknown>;
    assert.deepEqual({ effect: line['effect'], target: line['target'], event: line['event'] }, { effect: 'duplicate', target: 'event', event: { post_type: 'message', message_type: 'group', sub_type: 'normal' } });
  });

  test('shadow_drop loses the event: no transport gets it', async () => {
    await w.sb.fault({ event: { post_type: 'message', raw_message: 'lost' }, effect: 'shadow_drop' });
    await w.sb.say('lost', { as: CAROL, in: LOUNGE });
    await w.sb.say('found', { as: CAROL, in: LOUNGE });
    await until(allSaw('found'), 3000, 'the next message');
    await sleep(100);
    assert.deepEqual(counts('lost'), [0, 0, 0]);
  });

  test('delay holds the event and lets later ones pass', async () => {
    await w.sb.fault({ event: { raw_message: 'late' }, effect: 'delay', duration: '600ms' });
    const started = Date.now();
    await w.sb.say('late', { as: CAROL, in: LOUNGE });
    await w.sb.say('early', { as: CAROL, in: LOUNGE });
    await until(allSaw('early'), 3000, 'the later message');
    assert.deepEqual(counts('late'), [0, 0, 0]);
    await until(allSaw('late'), 3000, 'the delayed message');
    assert.ok(Date.now() - started >= 580);
    assert.ok(w.forward.events.findIndex(said('early')) < w.forward.events.findIndex(said('late')));
  });

  test('burst holds matching events for its window, then flushes them together in order', async () => {
    await w.sb.fault({ event: { post_type: 'message', message_type: 'group' }, effect: 'burst', duration: '700ms' });
    for (const text of ['b1', 'b2', 'b3']) await w.sb.say(text, { as: CAROL, in: LOUNGE });
    await sleep(300);
    assert.deepEqual(counts('b1'), [0, 0, 0]);
    await until(allSaw('b3'), 3000, 'the flush');
    const order = w.forward.events.filter((e) => ['b1', 'b2', 'b3'].includes(String(e['raw_message']))).map((e) => e['raw_message']);
    assert.deepEqual(order, ['b1', 'b2', 'b3']);
  });

  test('burst with count flushes as soon as that many are held; a reset flushes what is held', async () => {
    await w.sb.fault({ event: { post_type: 'message', message_type: 'group' }, effect: 'burst', duration: '5m', count: 2 });
    await w.sb.say('c1', { as: CAROL, in: LOUNGE });
    await w.sb.say('c2', { as: CAROL, in: LOUNGE });
    await until(allSaw('c2'), 3000, 'the flush at the count');
    await w.sb.say('c3', { as: CAROL, in: LOUNGE });
    await sleep(200);
    assert.deepEqual(counts('c3'), [0, 0, 0]);
    await w.sb.clearFaults();
    await until(allSaw('c3'), 3000, 'the flush at reset');
  });

  test('stall-then-burst: messages held 5 s then delivered at once', { timeout: 20_000 }, async () => {
    await w.sb.fault('stall-then-burst');
    const started = Date.now();
    await w.sb.say('s1', { as: CAROL, in: LOUNGE });
    await w.sb.say('s2', { as: CAROL, in: LOUNGE });
    await until(allSaw('s2'), 8000, 'the burst');
    assert.ok(Date.now() - started >= 4900, `flushed after ${Date.now() - started} ms`);
    assert.deepEqual(counts('s1'), [1, 1, 1]);
  });
});

describe('probabilities reproduce from the seed', () => {
  /** Which of 30 messages a 50 % duplicate fault hit, with this seed. */
  async function pattern(seed: number): Promise<string> {
    const w = await startWorld({ seed, quiet: 100 });
    try {
      await w.sb.fault({ event: { post_type: 'message' }, effect: 'duplicate', probability: 0.5 });
      for (let i = 0; i < 30; i++) await w.sb.say(`p${i}`, { as: CAROL, in: LOUNGE });
      await until(() => w.forward.seen(said('p29')).length > 0, 5000, 'the last message');
      await sleep(100);
      const bits = Array.from({ length: 30 }, (_, i) => String(w.forward.seen(said(`p${i}`)).length - 1)).join('');
      const traced = faultLines(w).length;
      assert.equal(traced, [...bits].filter((b) => b === '1').length, 'one trace line per injection');
      return bits;
    } finally {
      await w.close();
    }
  }

  test('the same seed hits the same events; another seed others', { timeout: 30_000 }, async () => {
    const a = await pattern(42);
    const b = await pattern(42);
    const c = await pattern(7);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.match(a, /1/);
    assert.match(a, /0/);
  });

  test('flaky-network: the injections of a seeded run repeat exactly', { timeout: 60_000 }, async () => {
    async function run(): Promise<string> {
      const w = await startWorld({ seed: 3, quiet: 100 });
      try {
        await w.sb.fault('flaky-network');
        for (let i = 0; i < 12; i++) await w.forward.call('get_login_info', {}, 1500);
        return faultLines(w).map((l) => (l['data'] as Record<string, unknown>)['effect']).join(',');
      } finally {
        await w.close();
      }
    }
    const first = await run();
    assert.match(first, /delay/);
    assert.equal(await run(), first);
  });
});
