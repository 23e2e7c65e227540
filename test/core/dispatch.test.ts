import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineAction, type Action } from '../../src/core/action.js';
import type { ActionContext } from '../../src/core/context.js';
import { createDispatcher, type CallRecord } from '../../src/core/dispatch.js';
import { encodeEnvelope } from '../../src/core/envelope.js';
import { id, params } from '../../src/core/params.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { ApiError } from '../../src/protocol/errors.js';
import { silentLogger } from '../../src/app/logger.js';

function setup(actions: Action[], opts: { rateLimited?: boolean; interval?: number; maxQueue?: number } = {}) {
  return createDispatcher({
    registry: new ActionRegistry(actions),
    logger: silentLogger(),
    enableRateLimitedActions: opts.rateLimited ?? false,
    rateLimitInterval: opts.interval ?? 50,
    workerPoolSize: 2,
    maxQueueLength: opts.maxQueue ?? 100,
    context: {} as Omit<ActionContext, 'call'>,
  });
}

function recorder() {
  const calls: { name: string; at: number; value: number }[] = [];
  const action = defineAction({
    name: 'record',
    summary: 'test',
    params: params({ value: id() }),
    handler: (p) => {
      calls.push({ name: 'record', at: performance.now(), value: p.value });
      return { value: p.value };
    },
  });
  return { calls, action };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('known actions answer ok with data; unknown answer null (404/1404)', async () => {
  const { action } = recorder();
  const d = setup([action]);
  assert.deepEqual(await d.dispatch('record', { value: '7' }, 'http'), { retcode: 0, data: { value: 7 } });
  assert.equal(await d.dispatch('nope', {}, 'http'), null);
  assert.equal(await d.dispatch('_async', {}, 'http'), null);
  await d.close();
});

test('bad params answer 100 with a message naming the parameter', async () => {
  const { action } = recorder();
  const d = setup([action]);
  const result = await d.dispatch('record', {}, 'http');
  assert.equal(result?.retcode, 100);
  assert.equal(result?.error?.code, 'BAD_PARAMS');
  assert.match(result?.error?.message ?? '', /value/);
  assert.equal(encodeEnvelope(result!, undefined, false), '{"data":null,"retcode":100,"status":"failed"}');
  assert.match(encodeEnvelope(result!, undefined, true), /^\{"data":null,"msg":"BAD_PARAMS","retcode":100,"status":"failed","wording":".*value.*"\}$/);
  await d.close();
});

test('an unexpected exception becomes 103, not a crash', async () => {
  const boom = defineAction({ name: 'boom', summary: 't', params: params({}), handler: () => { throw new TypeError('x'); } });
  const typed = defineAction({ name: 'typed', summary: 't', params: params({}), handler: () => { throw new ApiError('NOT_IN_GROUP'); } });
  const d = setup([boom, typed]);
  assert.equal((await d.dispatch('boom', {}, 'http'))?.retcode, 103);
  assert.equal((await d.dispatch('typed', {}, 'http'))?.retcode, -9);
  await d.close();
});

test('_async answers retcode 1 at once, runs later, and is not validated up front', async () => {
  const { calls, action } = recorder();
  const d = setup([action]);
  const records: CallRecord[] = [];
  d.onCall((r) => records.push(r));
  assert.deepEqual(await d.dispatch('record_async', { value: 5 }, 'http'), { retcode: 1, data: null });
  assert.deepEqual(await d.dispatch('nonexistent_async', {}, 'http'), { retcode: 1, data: null });
  assert.equal(await d.dispatch('record_async_async', { value: 1 }, 'http'), null);
  await until(() => calls.length === 1);
  assert.equal(calls[0]?.value, 5);
  await until(() => records.length === 3);
  assert.deepEqual(records.map((r) => [r.action, r.retcode, r.unknown]).sort(), [['nonexistent', 1404, true], ['record', 0, undefined], ['record_async_async', 1404, true]]);
  await d.close();
});

test('_rate_limited is unknown unless enabled', async () => {
  const { action } = recorder();
  const d = setup([action], { rateLimited: false });
  assert.equal(await d.dispatch('record_rate_limited', { value: 1 }, 'http'), null);
  await d.close();
});

test('_rate_limited runs FIFO on one worker, pausing the interval after each call', async () => {
  const { calls, action } = recorder();
  const d = setup([action], { rateLimited: true, interval: 120 });
  const t0 = performance.now();
  for (let i = 1; i <= 3; i++) assert.deepEqual(await d.dispatch('record_rate_limited', { value: i }, 'http'), { retcode: 1, data: null });
  assert.ok(performance.now() - t0 < 100, 'acknowledged at once');
  await until(() => calls.length === 3);
  assert.deepEqual(calls.map((c) => c.value), [1, 2, 3]);
  const gaps = [calls[1]!.at - calls[0]!.at, calls[2]!.at - calls[1]!.at];
  for (const gap of gaps) assert.ok(gap >= 110 && gap < 400, `gap ${gap} ms ≈ 120 ms`);
  assert.equal(await d.dispatch('record_rate_limited_rate_limited', {}, 'http'), null);
  await d.close();
});

test('suffixes combine in either order', async () => {
  const { calls, action } = recorder();
  const d = setup([action], { rateLimited: true, interval: 10 });
  assert.equal((await d.dispatch('record_async_rate_limited', { value: 1 }, 'http'))?.retcode, 1);
  assert.equal((await d.dispatch('record_rate_limited_async', { value: 2 }, 'http'))?.retcode, 1);
  await until(() => calls.length === 2);
  assert.deepEqual(calls.map((c) => c.value).sort(), [1, 2]);
  await d.close();
});

test('queues are bounded: overflow answers 201 instead of growing', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = defineAction({ name: 'slow', summary: 't', params: params({}), handler: () => gate });
  const d = setup([slow], { rateLimited: true, maxQueue: 3 });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push((await d.dispatch('slow_async', {}, 'http'))?.retcode);
  assert.deepEqual(answers, [1, 1, 1, 201, 201]);
  const limited = [];
  for (let i = 0; i < 5; i++) limited.push((await d.dispatch('slow_rate_limited', {}, 'http'))?.retcode);
  assert.deepEqual(limited.filter((r) => r === 201).length, 1, 'one running + 3 queued, the 5th refused');
  release();
  await d.close();
});

test('a handler that answers without a promise is answered without one: value, parameter failure, throw, unknown action', async () => {
  const { action } = recorder();
  const thrower = defineAction({ name: 'thrower', summary: 'test', params: params({}), handler: () => { throw new ApiError('INVALID_DATA', 'nothing here'); } });
  const later = defineAction({ name: 'later', summary: 'test', params: params({}), handler: async () => ({ later: true }) });
  const d = setup([action, thrower, later]);
  const records: CallRecord[] = [];
  d.onCall((record) => records.push(record));
  const now = d.dispatch('record', { value: 5 }, 'ws');
  assert.ok(!(now instanceof Promise), 'a synchronous handler is answered synchronously');
  assert.deepEqual(now, { retcode: 0, data: { value: 5 } });
  const bad = d.dispatch('record', {}, 'ws');
  assert.ok(!(bad instanceof Promise));
  assert.equal(bad?.retcode, 100);
  const thrown = d.dispatch('thrower', {}, 'http');
  assert.ok(!(thrown instanceof Promise));
  assert.equal(thrown?.retcode, 102);
  assert.equal(d.dispatch('nope', {}, 'http'), null);
  const pending = d.dispatch('later', {}, 'http');
  assert.ok(pending instanceof Promise, 'an async handler is answered with a promise');
  assert.deepEqual(await pending, { retcode: 0, data: { later: true } });
  assert.deepEqual(records.map((r) => [r.action, r.retcode, r.channel]), [['record', 0, 'ws'], ['record', 100, 'ws'], ['thrower', 102, 'http'], ['nope', 1404, 'http'], ['later', 0, 'http']]);
  assert.deepEqual(records.map((r) => [r.data, r.error?.code, r.unknown]), [[{ value: 5 }, undefined, undefined], [null, 'BAD_PARAMS', undefined], [null, 'INVALID_DATA', undefined], [null, undefined, true], [{ later: true }, undefined, undefined]]);
  await d.close();
});

test('a frozen result is serialised once: the same text every time, and each frozen value its own', () => {
  const first = Object.freeze({ user_id: 1, nickname: 'a' });
  const second = Object.freeze({ user_id: 2, nickname: 'b' });
  const text = encodeEnvelope({ retcode: 0, data: first }, undefined, false);
  assert.equal(text, '{"data":{"nickname":"a","user_id":1},"retcode":0,"status":"ok"}');
  assert.equal(encodeEnvelope({ retcode: 0, data: first }, undefined, false), text);
  assert.equal(encodeEnvelope({ retcode: 0, data: first }, 'e1', false), '{"data":{"nickname":"a","user_id":1},"echo":"e1","retcode":0,"status":"ok"}');
  assert.equal(encodeEnvelope({ retcode: 0, data: second }, undefined, false), '{"data":{"nickname":"b","user_id":2},"retcode":0,"status":"ok"}');
  const open = { user_id: 3 };
  assert.equal(encodeEnvelope({ retcode: 0, data: open }, undefined, false), '{"data":{"user_id":3},"retcode":0,"status":"ok"}');
  open.user_id = 4; // a value that is not frozen is serialised anew
  assert.equal(encodeEnvelope({ retcode: 0, data: open }, undefined, false), '{"data":{"user_id":4},"retcode":0,"status":"ok"}');
});

test('the fallback answers only names the registry does not know, after the suffixes, and is observed like any call', async () => {
  const { action } = recorder();
  const asked: string[] = [];
  const d = createDispatcher({
    registry: new ActionRegistry([action]),
    logger: silentLogger(),
    enableRateLimitedActions: false,
    rateLimitInterval: 50,
    workerPoolSize: 2,
    maxQueueLength: 100,
    context: {} as Omit<ActionContext, 'call'>,
    fallback: (name, p) => {
      asked.push(name);
      if (name === 'upstream_echo') return Promise.resolve({ echoed: p });
      if (name === 'upstream_fails') return Promise.reject(new ApiError('UPSTREAM_FAILED', 'upstream_fails: the upstream answered retcode 200'));
      return undefined;
    },
  });
  const records: CallRecord[] = [];
  d.onCall((r) => records.push(r));
  assert.deepEqual(await d.dispatch('record', { value: 1 }, 'http'), { retcode: 0, data: { value: 1 } });
  assert.deepEqual(await d.dispatch('upstream_echo', { a: 1 }, 'ws'), { retcode: 0, data: { echoed: { a: 1 } } });
  const failed = await d.dispatch('upstream_fails', {}, 'http');
  assert.equal(failed?.retcode, 103);
  assert.equal(await d.dispatch('not_anywhere', {}, 'http'), null, 'declined: unknown as always');
  assert.deepEqual(await d.dispatch('upstream_echo_async', { b: 2 }, 'http'), { retcode: 1, data: null });
  await until(() => asked.filter((n) => n === 'upstream_echo').length === 2);
  assert.deepEqual(asked, ['upstream_echo', 'upstream_fails', 'not_anywhere', 'upstream_echo'], 'never asked for a known action, nor for a suffixed name');
  await until(() => records.length === 5);
  assert.deepEqual(records.map((r) => [r.action, r.retcode, r.unknown ?? false]), [
    ['record', 0, false], ['upstream_echo', 0, false], ['upstream_fails', 103, false], ['not_anywhere', 1404, true], ['upstream_echo', 0, false],
  ]);
  await d.close();
});
