/** Control API: the SSE stream, and the bounded per-client backlog. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import { SseClient, sseFrame } from '../../../src/transports/sandbox/sse.js';
import { captureLogger, withControl } from './harness.js';
import type { LogLines } from './harness.js';

/** One parsed SSE frame. */
interface Frame { event: string; data: Record<string, unknown> }

/** Read the stream until `done(frames, text)` holds (or fail after `ms`). */
async function readStream(body: ReadableStream<Uint8Array>, done: (frames: Frame[], text: string) => boolean, ms = 3000): Promise<{ frames: Frame[]; text: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  const parse = (): Frame[] => text.split('\n\n').filter((b) => b.startsWith('event: ')).map((b) => {
    const [head, data] = b.split('\n');
    return { event: (head ?? '').slice('event: '.length), data: JSON.parse((data ?? '').slice('data: '.length)) as Record<string, unknown> };
  });
  try {
    while (!done(parse(), text)) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `stream did not deliver in time; got:\n${text}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout; got:\n${text}`)), left);
      });
      const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return { frames: parse(), text };
}

describe('sandbox control API: GET /api/stream', () => {
  it('streams a posted message, its event, the bot\'s own send and call records', () => withControl(async ({ base, req, sb, calls }) => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/stream`, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.body);
    try {
      const posted = await req('POST', '/api/messages', { from: USERS.carol, group_id: GROUPS.botOwner, message: 'hello stream' });
      const own = await sb.sendPrivateMessage(USERS.bob, [{ type: 'text', data: { text: 'to Bob' } }]);
      calls.record({ action: 'send_private_msg', params: { user_id: USERS.bob }, channel: 'http', retcode: 0, duration: 1.5, time: 1700000000000 });
      const { frames } = await readStream(res.body, (f) => f.some((x) => x.event === 'call'));
      assert.deepEqual(frames.map((f) => f.event), ['message', 'event', 'message', 'call']);
      assert.deepEqual([frames[0]?.data['message_id'], frames[0]?.data['raw_message'], frames[0]?.data['group_id'], frames[0]?.data['user_id']], [posted.json['message_id'], 'hello stream', GROUPS.botOwner, USERS.carol]);
      assert.deepEqual([frames[1]?.data['post_type'], frames[1]?.data['message_type'], frames[1]?.data['message_id']], ['message', 'group', posted.json['message_id']]);
      assert.deepEqual(frames[2]?.data, {
        message_id: own.messageId, time: frames[2]?.data['time'], user_id: sb.selfId, target_id: USERS.bob,
        message: [{ type: 'text', data: { text: 'to Bob' } }], raw_message: 'to Bob', recalled: false,
      });
      assert.deepEqual(frames[3]?.data, { id: 1, action: 'send_private_msg', params: { user_id: USERS.bob }, channel: 'http', retcode: 0, duration: 1.5, time: 1700000000000, data: null });
    } finally {
      abort.abort();
    }
  }));

  it('numbers every frame, and a client that comes back with Last-Event-ID gets exactly what it missed', () => withControl(async ({ base, sb }) => {
    const say = (text: string): void => {
      sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: [{ type: 'text', data: { text } }] });
    };
    const first = new AbortController();
    const res = await fetch(`${base}/api/stream`, { signal: first.signal });
    assert.ok(res.body);
    say('one');
    const { text } = await readStream(res.body, (f) => f.length === 2);
    first.abort();
    const ids = [...text.matchAll(/^id: (.+)$/gm)].map((m) => m[1] as string);
    assert.equal(ids.length, 2, 'the message and its event are numbered');
    assert.match(ids[1] ?? '', /^\w+\.2$/);
    say('two');
    say('three');
    const again = new AbortController();
    const resumed = await fetch(`${base}/api/stream`, { signal: again.signal, headers: { 'last-event-id': ids[1] as string } });
    assert.ok(resumed.body);
    try {
      say('four');
      const { frames } = await readStream(resumed.body, (f) => f.length === 6);
      assert.deepEqual(frames.filter((f) => f.event === 'message').map((f) => f.data['raw_message']), ['two', 'three', 'four']);
      assert.deepEqual(frames.map((f) => f.event), ['message', 'event', 'message', 'event', 'message', 'event']);
    } finally {
      again.abort();
    }
    // Frames written together (one turn's batch) are kept together: resuming between them still starts right after the id.
    const middle = new AbortController();
    const fromMiddle = await fetch(`${base}/api/stream`, { signal: middle.signal, headers: { 'last-event-id': ids[0] as string } });
    assert.ok(fromMiddle.body);
    try {
      const { frames, text: resent } = await readStream(fromMiddle.body, (f) => f.length === 7);
      assert.deepEqual(frames.map((f) => f.event), ['event', 'message', 'event', 'message', 'event', 'message', 'event']);
      assert.deepEqual(frames.filter((f) => f.event === 'message').map((f) => f.data['raw_message']), ['two', 'three', 'four']);
      assert.equal([...resent.matchAll(/^id: (.+)$/gm)][0]?.[1], ids[1]);
    } finally {
      middle.abort();
    }
    const stranger = new AbortController();
    const reset = await fetch(`${base}/api/stream?last_event_id=elsewhere.5`, { signal: stranger.signal });
    assert.ok(reset.body);
    try {
      const { frames } = await readStream(reset.body, (f) => f.length === 1);
      assert.equal(frames[0]?.event, 'reset', 'an id of another run cannot resume: the client is told to reload');
    } finally {
      stranger.abort();
    }
  }, { heartbeatMs: 0 }));

  it('sends keep-alive comments', () => withControl(async ({ base }) => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/stream`, { signal: abort.signal });
    assert.ok(res.body);
    try {
      const { text } = await readStream(res.body, (_f, t) => t.includes(': ping\n\n'));
      assert.match(text, /^: cqhttpd sandbox stream\n\n/);
    } finally {
      abort.abort();
    }
  }, { heartbeatMs: 20 }));

  it('needs the token like every endpoint', () => withControl(async ({ base }) => {
    const refused = await fetch(`${base}/api/stream`);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: string }).error, 'UNAUTHORIZED');
    const abort = new AbortController();
    const res = await fetch(`${base}/api/stream?token=s3cret`, { signal: abort.signal });
    assert.equal(res.status, 200);
    abort.abort();
  }, { token: 's3cret' }));

  it('drops a client that stops reading once its backlog is full, and logs it', () => withControl(async ({ port, sb, logs }) => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.pause();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const big = [{ type: 'text', data: { text: '字'.repeat(4500) } }];
    const dropped = (): boolean => logs.some((l) => typeof l['msg'] === 'string' && l['msg'].includes('stopped reading'));
    for (let i = 0; i < 3000 && !dropped(); i++) sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: big });
    assert.ok(dropped(), 'the stalled client was dropped and logged');
    const line = logs.find((l) => String(l['msg']).includes('stopped reading'));
    assert.equal(line?.['level'], 40, 'logged as a warning');
    socket.resume();
    await closed;
    sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: big }); // nobody left to write to
  }, { sseBacklog: 64 * 1024, heartbeatMs: 0 }));

  it('bounds a stalled reader in bytes: 1 MB calls are cut off after the budget, not after a count of frames', () => withControl(async ({ port, calls, logs, req }) => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.pause();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const dropped = (): { msg?: unknown; queuedBytes?: unknown } | undefined => logs.find((l) => String(l['msg']).includes('stopped reading'));
    const image = 'A'.repeat(1_000_000);
    let sent = 0;
    for (; sent < 400 && dropped() === undefined; sent++) {
      calls.record({ action: 'send_group_msg', params: { group_id: 1, message: `[CQ:image,file=base64://${image}${sent}]` }, channel: 'http', retcode: 0, duration: 1, time: sent });
      if (sent % 8 === 7) await new Promise((resolve) => setImmediate(resolve)); // let the socket report back-pressure
    }
    const line = dropped();
    assert.ok(line !== undefined, 'the stalled reader was dropped');
    assert.ok(Number(line.queuedBytes) <= 2 * 1024 * 1024 + 1_100_000, `queued ${String(line.queuedBytes)} bytes past a 2 MiB budget`);
    assert.ok(sent < 60, `dropped after ${sent} frames of 1 MB`);
    assert.match(String(line.msg), /limit 2097152, max_stream_backlog_size/);
    socket.resume();
    await closed;
    // The journal kept each call shortened, and still answers.
    const listed = (await req('GET', '/api/calls')).json['calls'] as { params: { message: string }; truncated?: boolean }[];
    assert.equal(listed.length, sent);
    assert.equal(listed[0]?.truncated, true);
    assert.match(listed[0]?.params.message ?? '', /^\[CQ:image,file=base64:\/\/A{200,}…\(truncated, 1000\d{3} bytes\)$/);
  }, { sseBacklog: 2 * 1024 * 1024, heartbeatMs: 0 }));
});

/** A sink that accepts `capacity` writes, then reports back-pressure until `drain()` is called. */
class StallingSink extends Writable {
  written: string[] = [];
  #pending: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: string, _enc: BufferEncoding, cb: () => void): void {
    this.written.push(chunk);
    this.#pending.push(cb);
  }
  release(): void {
    for (const cb of this.#pending.splice(0)) cb();
  }
}

describe('SseClient backlog', () => {
  function client(sink: Writable, backlog: number, logs: LogLines, closes: number[]): SseClient {
    return new SseClient(sink, { backlog, log: captureLogger(logs), name: 'peer:1', onClose: () => closes.push(1) });
  }

  it('queues while the sink is backed up and flushes in order on drain', async () => {
    const sink = new StallingSink();
    const logs: LogLines = [];
    const closes: number[] = [];
    const c = client(sink, 3 * sseFrame('call', '1').length, logs, closes);
    for (const n of [1, 2, 3, 4]) c.send(sseFrame('call', String(n)));
    assert.equal(c.queued, 3);
    assert.equal(sink.written.length, 1);
    const flushed = (): boolean => c.queued === 0 && sink.written.length === 4;
    for (let round = 0; round < 100 && !flushed(); round++) {
      sink.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(flushed(), 'every queued frame reached the sink');
    sink.release();
    assert.deepEqual(sink.written.map((f) => f.split('data: ')[1]?.trim()), ['1', '2', '3', '4']);
    assert.equal(c.closed, false);
    assert.deepEqual([logs.length, closes.length], [0, 0]);
  });

  it('drops the client past the backlog (bytes): destroys the sink, closes once, logs a warning', () => {
    const sink = new StallingSink();
    const logs: LogLines = [];
    const closes: number[] = [];
    const frame = sseFrame('event', '{}');
    const c = client(sink, 2 * frame.length, logs, closes);
    for (let n = 0; n < 4; n++) c.send(sseFrame('event', '{}'));
    assert.equal(c.closed, true);
    assert.equal(sink.destroyed, true);
    assert.deepEqual(closes, [1]);
    assert.equal(logs.length, 1);
    assert.equal(logs[0]?.['level'], 40);
    assert.match(String(logs[0]?.['msg']), new RegExp(`peer:1, which stopped reading \\(3 events, ${3 * frame.length} bytes queued; limit ${2 * frame.length}`));
    c.send(sseFrame('event', '{}'));
    c.close();
    assert.deepEqual(closes, [1], 'close is idempotent');
  });
});
