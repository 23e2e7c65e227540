/**
 * The event pipeline's order and bounds (core/events/pipeline.ts), with in-test channels standing
 * in for the transports (which have their own end-to-end tests in test/events): POSTs of up to
 * `maxConcurrentPosts` events overlap; each event's WS push waits for its own POSTs; pushes keep
 * event order; a POST that never answers holds its push back by `postWaitMs` at most; the backlog
 * is bounded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import type { EventChannel, OneBotEvent } from '../../../src/core/events/channel.js';
import { EventPipeline } from '../../../src/core/events/pipeline.js';

const FORMAT = { messageFormat: 'array', backwardCompatibility: false } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A POST channel whose deliveries stay open until the test answers them. */
function postChannel() {
  const open = new Map<number, () => void>();
  const started: number[] = [];
  const channel: EventChannel = {
    name: 'post test', kind: 'http_post', format: FORMAT, filter: null,
    deliver(_body, event) {
      const n = event.n as number;
      started.push(n);
      return new Promise<void>((resolve) => open.set(n, resolve));
    },
  };
  return { channel, started, answer: (n: number) => open.get(n)?.() };
}

function wsChannel() {
  const pushed: number[] = [];
  const channel: EventChannel = { name: 'ws test', kind: 'ws', format: FORMAT, filter: null, deliver: (_body, event) => void pushed.push(event.n as number) };
  return { channel, pushed };
}

function pipeline(options: { maxConcurrentPosts?: number; postWaitMs?: number; maxBacklog?: number } = {}) {
  return new EventPipeline({ selfId: 1, logger: pino({ level: 'silent' }), filter: null, postWaitMs: options.postWaitMs ?? 5000, maxBacklog: options.maxBacklog ?? 1000, maxConcurrentPosts: options.maxConcurrentPosts ?? 4, now: () => 1_000_000 });
}

const ev = (n: number): OneBotEvent => ({ post_type: 'message', n, self_id: 1, time: 1 });

/** A pipeline with one POST channel and one WS channel attached. */
function setup(options: Parameters<typeof pipeline>[0] = {}) {
  const p = pipeline(options);
  const post = postChannel();
  const ws = wsChannel();
  p.attach(post.channel);
  p.attach(ws.channel);
  return { p, post, ws };
}

describe('event pipeline', () => {
  test('POSTs overlap up to the limit, in event order; pushes follow their own POST, in event order', async () => {
    const { p, post, ws } = setup({ maxConcurrentPosts: 3 });
    for (let n = 1; n <= 5; n++) p.publish(ev(n));
    assert.deepEqual(post.started, [1, 2, 3], 'three in flight, the rest wait');
    post.answer(3);
    post.answer(2);
    await sleep(5);
    assert.deepEqual(ws.pushed, [], 'nothing is pushed before event 1');
    post.answer(1);
    await sleep(5);
    assert.deepEqual(ws.pushed, [1, 2, 3], 'released in order once the head is answered');
    assert.deepEqual(post.started, [1, 2, 3, 4, 5]);
    post.answer(5);
    post.answer(4);
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 2, 3, 4, 5]);
  });

  test('maxConcurrentPosts 1 is one event at a time', async () => {
    const { p, post, ws } = setup({ maxConcurrentPosts: 1 });
    p.publish(ev(1));
    p.publish(ev(2));
    assert.deepEqual(post.started, [1]);
    post.answer(1);
    await sleep(5);
    assert.deepEqual(ws.pushed, [1]);
    assert.deepEqual(post.started, [1, 2], 'the next POST starts after the previous push');
    post.answer(2);
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 2]);
  });

  test('a POST that never answers holds its push back by postWaitMs, and later events follow in order', async () => {
    const { p, post, ws } = setup({ postWaitMs: 80 });
    const started = performance.now();
    p.publish(ev(1));
    p.publish(ev(2));
    post.answer(2);
    await sleep(30);
    assert.deepEqual(ws.pushed, []);
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 2]);
    const waited = performance.now() - started;
    assert.ok(waited >= 70 && waited < 1000, `released after ${waited.toFixed(0)} ms`);
  });

  test('events with no POST to wait for still queue behind one that has', async () => {
    const { p, post, ws } = setup();
    p.publish(ev(1));
    p.publish({ ...ev(2), _post_method: 2 }); // WebSocket only
    await sleep(5);
    assert.deepEqual(ws.pushed, []);
    post.answer(1);
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 2]);
  });

  test('the backlog waiting for a POST slot is bounded: the oldest are dropped', async () => {
    const { p, post, ws } = setup({ maxConcurrentPosts: 1, maxBacklog: 2 });
    for (let n = 1; n <= 5; n++) p.publish(ev(n));
    for (let n = 1; n <= 5; n++) {
      post.answer(n);
      await sleep(2);
    }
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 4, 5], 'event 1 in flight, 2 and 3 dropped, 4 and 5 kept');
  });

  test('a channel that throws does not stop the others or later events', async () => {
    const p = pipeline();
    const ws = wsChannel();
    p.attach({ name: 'broken', kind: 'ws', format: FORMAT, filter: null, deliver: () => { throw new Error('boom'); } });
    p.attach(ws.channel);
    p.publish(ev(1));
    p.publish(ev(2));
    await p.idle();
    assert.deepEqual(ws.pushed, [1, 2]);
  });
});
