/**
 * Control API: `GET /api/stream?all=1`, the web console's stream — every frame of the plain stream,
 * plus `delivery` frames (where each event went and how that ended, per connection) and `world`
 * frames (an edit through the control API), with deliveries observed only while such a client is
 * attached.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import type { DeliveryObserver, EventChannel, OneBotEvent } from '../../../src/core/events/channel.js';
import { DeliveryBatch, MAX_DELIVERIES_PER_FRAME } from '../../../src/transports/sandbox/deliveries.js';
import { StreamHub } from '../../../src/transports/sandbox/stream.js';
import { callToWire, callToWireText, streamJson } from '../../../src/transports/sandbox/wire.js';
import { stringifySorted } from '../../../src/protocol/json.js';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { startTestApp } from '../../helpers/app.js';
import { captureLogger, startControl, withControl } from './harness.js';

interface Frame { event: string; id: string; data: Record<string, unknown> }

/** Open `url` as a stream and collect frames until `done` holds (or fail after `ms`); the stream is closed after. */
async function collect(url: string, act: () => Promise<unknown>, done: (frames: Frame[]) => boolean, ms = 5000): Promise<Frame[]> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  assert.equal(res.status, 200);
  assert.ok(res.body);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const frames = (): Frame[] => text.split('\n\n').filter((b) => b.startsWith('event: ')).map((b) => {
    const lines = b.split('\n');
    return { event: (lines[0] ?? '').slice(7), data: JSON.parse((lines[1] ?? '').slice(6)) as Record<string, unknown>, id: (lines[2] ?? '').slice(4) };
  });
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    await act();
    while (!done(frames())) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) assert.fail(`the stream did not bring what was expected in ${ms} ms; got:\n${text}`);
      text += decoder.decode(chunk.value, { stream: true });
    }
    return frames();
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** An HTTP POST receiver that answers every event with `status`. */
async function receiver(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(status).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('sandbox control API: GET /api/stream?all=1', () => {
  it('says which connection each event was delivered on and how that ended: forward WS sent, a failing HTTP POST failed', async () => {
    const post = await receiver(500);
    const app = await startTestApp({ config: { use_ws: true, post_url: post.url, post_timeout: 2 } });
    const ws = new WebSocket(`ws://127.0.0.1:${app.app.ws?.port}/`);
    try {
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      const base = `http://127.0.0.1:${app.app.sandbox.port}`;
      const say = (): Promise<Response> => fetch(`${base}/api/messages`, { method: 'POST', body: JSON.stringify({ from: USERS.carol, group_id: GROUPS.botOwner, message: 'where did it go' }) });
      type Run = { event: string; to: [number, string][] };
      const runs = (f: Frame[]): Run[] => f.filter((x) => x.event === 'delivery').flatMap((x) => x.data['deliveries'] as Run[]);
      const frames = await collect(`${base}/api/stream?all=1`, say, (f) => runs(f).flatMap((r) => r.to).length >= 2);
      const event = frames.find((f) => f.event === 'event' && f.data['raw_message'] === 'where did it go');
      assert.ok(event, 'the event frame comes first');
      const deliveries = frames.filter((f) => f.event === 'delivery');
      const connections = Object.assign({}, ...deliveries.map((f) => f.data['connections'] as object)) as Record<string, { transport: string; role: string; path: string }>;
      const got = runs(frames).filter((r) => r.event === event.id).flatMap((r) => r.to);
      const byTransport = Object.fromEntries(got.map(([connection, outcome]) => [connections[String(connection)]?.transport, outcome]));
      assert.deepEqual(byTransport, { ws: 'sent', http_post: 'failed' });
      const described = Object.values(connections).map((c) => [c.transport, c.role, c.path]).sort();
      assert.deepEqual(described, [['http_post', 'event', post.url], ['ws', 'universal', '/']]);
      for (const f of deliveries) assert.equal(f.data['omitted'], 0);
    } finally {
      ws.terminate();
      await app.close();
      post.server.close();
    }
  });

  it('the plain stream carries no delivery or world frames', () => withControl(async ({ base, req }) => {
    const frames = await collect(`${base}/api/stream`, async () => {
      await req('PUT', `/api/users/${USERS.dave}`, { nickname: 'David' });
      await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'after the edit' });
    }, (f) => f.some((x) => x.event === 'event'));
    assert.deepEqual(frames.map((f) => f.event), ['message', 'event']);
  }));

  it('a world frame follows each edit through the control API (not a message, which has its own frames)', () => withControl(async ({ base, req }) => {
    const frames = await collect(`${base}/api/stream?all=1`, async () => {
      await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'no world frame for me' });
      await req('PUT', `/api/groups/${GROUPS.botAdmin}`, { group_name: 'Bot Lab' });
      await req('PUT', '/api/users/39999', { nickname: 'nobody' }); // refused: nothing changed, no frame
      await req('POST', `/api/groups/${GROUPS.botOwner}/ban`, { operator: USERS.alice, user_id: USERS.eve, duration: 60 });
    }, (f) => f.filter((x) => x.event === 'world').length >= 2);
    assert.deepEqual(frames.filter((f) => f.event === 'world').map((f) => f.data), [
      { method: 'PUT', path: `/api/groups/${GROUPS.botAdmin}` },
      { method: 'POST', path: `/api/groups/${GROUPS.botOwner}/ban` },
    ]);
  }));

  it('observes deliveries only while an ?all=1 client is attached (and its resume window lasts)', async () => {
    const h = await startControl();
    let observers = 0;
    const hub = new StreamHub({
      sb: h.sb, calls: h.calls, log: captureLogger([]), backlog: 1 << 20, heartbeatMs: 0, resumeMs: 50,
      extras: { deliveries: () => { observers++; return () => { observers--; }; } },
    });
    try {
      assert.equal(observers, 0);
      const { PassThrough } = await import('node:stream');
      const sink = new PassThrough();
      sink.resume();
      const client = hub.add(sink, 'test');
      assert.equal(observers, 1);
      client.close();
      assert.equal(observers, 1, 'kept a while, so that a reconnecting client misses nothing');
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(observers, 0);
    } finally {
      hub.closeAll();
      await h.close();
    }
  });

  it('a busy stream is written in batches at most about every 16 ms; a quiet one at once; nothing lost', async () => {
    const h = await startControl();
    const hub = new StreamHub({ sb: h.sb, calls: h.calls, log: captureLogger([]), backlog: 1 << 24, heartbeatMs: 0, resumeMs: 50 });
    try {
      const { Writable } = await import('node:stream');
      const writes: { at: number; text: string }[] = [];
      const sink = new Writable({ write(chunk: Buffer, _enc, cb) { writes.push({ at: performance.now(), text: chunk.toString() }); cb(); } });
      hub.add(sink, 'test');
      // Quiet: one call is written within the turn.
      const started = performance.now();
      h.calls.record({ action: 'get_status', params: {}, channel: 'http', retcode: 0, duration: 0, time: Date.now() });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(writes.length, 1);
      assert.ok((writes[0]?.at ?? Infinity) - started < 15, 'the first frame waits for no interval');
      // Busy: 400 calls, one per turn, over about 100 ms.
      const busyStart = performance.now();
      for (let i = 0; i < 400; i++) {
        h.calls.record({ action: 'get_status', params: { i }, channel: 'http', retcode: 0, duration: 0, time: Date.now() });
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
      const busyWrites = writes.slice(1);
      const span = (busyWrites.at(-1)?.at ?? 0) - busyStart;
      assert.ok(busyWrites.length <= span / 16 + 2, `${busyWrites.length} writes in ${span.toFixed(0)} ms`);
      const frames = busyWrites.map((w) => w.text).join('').split('\n\n').filter((f) => f.startsWith('event: call'));
      assert.equal(frames.length, 400, 'every call has its frame');
    } finally {
      hub.closeAll();
      await h.close();
    }
  });

  it('bounds a turn\'s frame: past the limit deliveries are counted as omitted; events without a frame are described once', () => {
    const batch = new DeliveryBatch();
    const channel = { name: 'post http://x/', kind: 'http_post', format: { messageFormat: 'array', backwardCompatibility: false }, filter: null, deliver: () => undefined, connection: { id: 7, transport: 'http_post', role: 'event', path: 'http://x/', delivered: () => undefined } } satisfies EventChannel;
    const heartbeat: OneBotEvent = { post_type: 'meta_event', meta_event_type: 'heartbeat', time: 1700000000, status: { good: true } };
    const observe: DeliveryObserver = batch.observe;
    for (let i = 0; i < MAX_DELIVERIES_PER_FRAME + 100; i++) observe(channel, heartbeat, 'sent');
    const frame = JSON.parse(batch.take(() => undefined)) as { connections: object; deliveries: unknown[]; events: Record<string, unknown>; omitted: number };
    assert.equal(frame.omitted, 100);
    assert.deepEqual(frame.connections, { 7: { path: 'http://x/', role: 'event', transport: 'http_post' } });
    assert.deepEqual(frame.events, { m1: { post_type: 'meta_event', meta_event_type: 'heartbeat', time: 1700000000 } });
    assert.equal(frame.deliveries.length, 1, 'one run: every delivery of the one event');
    assert.deepEqual((frame.deliveries[0] as { to: unknown[] }).to.length, MAX_DELIVERIES_PER_FRAME);
    assert.deepEqual((frame.deliveries[0] as { event: string; to: unknown[] }).to[0], [7, 'sent']);
    assert.equal((frame.deliveries[0] as { event: string }).event, 'm1');
    assert.ok(batch.empty);
    observe(channel, heartbeat, 'failed');
    const next = JSON.parse(batch.take(() => undefined)) as { events: object; deliveries: unknown[]; omitted: number };
    assert.deepEqual([next.events, next.deliveries, next.omitted], [{}, [{ event: 'm1', to: [[7, 'failed']] }], 0]);
    // A channel without a registry entry is named; deliveries of two events are two runs.
    const bare = { ...channel, connection: undefined, name: 'ws / 127.0.0.1:5' };
    const other: OneBotEvent = { post_type: 'notice', notice_type: 'friend_add', time: 1 };
    observe(bare, heartbeat, 'dropped');
    observe(channel, other, 'sent');
    const two = JSON.parse(batch.take((e) => (e === other ? 'run.9' : undefined))) as { deliveries: unknown[]; events: object };
    assert.deepEqual(two.deliveries, [{ event: 'm1', to: [[null, 'dropped', 'ws / 127.0.0.1:5']] }, { event: 'run.9', to: [[7, 'sent']] }]);
    assert.deepEqual(two.events, {});
  });

  it('writes stream items with JSON.stringify, keys as built, unless a lossless number, a bigint or a toJSON needs stringifySorted', () => {
    const event = { post_type: 'message', time: 1, message: [{ type: 'face', data: { id: '14' } }], sender: { user_id: 1, nickname: 'n' } };
    assert.equal(streamJson(event), JSON.stringify(event));
    assert.equal(streamJson({ b: new LosslessNumber('12345678901234567890'), a: 1 }), '{"a":1,"b":12345678901234567890}');
    assert.equal(streamJson({ n: 10n, a: [1] }), '{"a":[1],"n":10}');
  });

  it('writes a call frame\'s duration (to the µs) and time as the sorted serialiser would, for any values', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 2 ** 45 }), fc.constantFrom('get_login_info', 'send_group_msg', 'x"y'), (duration, time, action) => {
      const record = { action, params: action === 'x"y' ? { b: 1, a: 'q' } : {}, channel: 'http' as const, retcode: 0, duration, time, data: null };
      assert.equal(callToWireText(record, 7, 10001000), stringifySorted(callToWire(record, 7, 10001000)));
    }), { numRuns: 5000 });
  });
});
