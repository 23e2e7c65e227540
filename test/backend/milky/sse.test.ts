/**
 * Milky's event stream as Server-Sent Events (`upstream_event_transport = sse`): events reach the
 * bot as over the WebSocket, losing the stream is `bot_offline` and getting it back `bot_online`
 * (same backoff), and a hostile implementation — a line that never ends — is cut at the configured
 * bound with a log line, then reconnected, without memory growing. The decoder on its own: LF and
 * CRLF, several `data:` lines, comments, messages and UTF-8 characters split across chunks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MilkyEventStream, type MilkyFrame } from '../../../src/backend/milky/stream.js';
import { SseDecoder } from '../../../src/backend/milky/sse.js';
import { stringifySorted } from '../../../src/protocol/json.js';
import { ok, startTestApp } from '../../helpers/app.js';
import { captureLogger, Peer, until } from '../../transports/ws/harness.js';
import { fakeMilky, FRANK, GROUP, groupMessage, milkyAnswers, SELF, text, TOKEN } from './fake-milky.js';

test('backend = milky with upstream_event_transport = sse: events over SSE, bot_offline/bot_online when the stream is lost and back', async (t) => {
  const upstream = await fakeMilky(t, milkyAnswers);
  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, upstream_event_transport: 'SSE', use_ws: true } });
  t.after(() => bridge.close());
  assert.equal(bridge.instance.config.upstream_event_transport, 'sse');
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  assert.deepEqual(upstream.accepts, ['text/event-stream'], 'one SSE request, no WebSocket');
  assert.equal(upstream.auth[0], `Bearer ${TOKEN}`);
  assert.equal((await ok<{ online: boolean }>(bridge, 'get_status')).online, true);

  upstream.push('message_receive', groupMessage(51, [text('over SSE')]));
  assert.equal(await bot.next(), stringifySorted({
    anonymous: null, font: 0, group_id: GROUP, message: 'over SSE', message_id: 1, message_type: 'group', post_type: 'message', raw_message: 'over SSE', self_id: SELF,
    sender: { age: 0, area: '', card: 'Frank', level: '7', nickname: 'frank', role: 'member', sex: 'male', title: 'elder', user_id: FRANK },
    sub_type: 'normal', time: 1765000400, user_id: FRANK,
  }));

  upstream.drop();
  assert.equal((JSON.parse(await bot.next()) as { notice_type: string }).notice_type, 'bot_offline');
  assert.equal((JSON.parse(await bot.next(5000)) as { notice_type: string }).notice_type, 'bot_online');
  upstream.push('message_receive', groupMessage(52, [text('again')]));
  assert.equal((JSON.parse(await bot.next()) as { raw_message: string }).raw_message, 'again');
  assert.equal(upstream.accepts.length, 2);
});

test('a line that never ends is cut at the bound, logged, and the stream reconnected', async (t) => {
  const upstream = await fakeMilky(t, milkyAnswers);
  const { logger, lines } = captureLogger('info');
  const stream = new MilkyEventStream({ url: `${upstream.url}/event`, accessToken: TOKEN, logger, transport: 'sse', maxFrameSize: 64 * 1024, minBackoffMs: 10, maxBackoffMs: 20 });
  t.after(() => stream.close());
  const events: MilkyFrame[] = [];
  stream.onEvent((e) => events.push(e));
  stream.release(); // listeners attached (as cqhttpd's start does once its bot side is built)
  stream.start();
  await until(() => stream.isOnline(), 3000, 'the stream');

  // 1 MiB of one data line, in 16 KiB chunks, never ended: cut once past 64 KiB.
  const chunk = 'x'.repeat(16 * 1024);
  upstream.sseRaw('event: milky_event\ndata: ');
  for (let i = 0; i < 64 && upstream.opened() === 1; i++) {
    upstream.sseRaw(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => lines.some((l) => l.includes('larger than 65536 bytes')), 3000, 'the log line');
  await until(() => upstream.opened() === 2 && stream.isOnline(), 3000, 'the reconnection');
  upstream.push('message_receive', groupMessage(60, [text('after the cut')]));
  await until(() => events.length === 1, 3000, 'the next event');
  assert.equal(events[0]?.event_type, 'message_receive');
  assert.equal(events[0]?.data['message_seq'], 60);
});

test('the SSE decoder: LF and CRLF, several data lines, comments, splits anywhere, the bound', () => {
  const got: [string, string][] = [];
  const decoder = new SseDecoder(1024, (event, data) => got.push([event, data]));
  const stream = Buffer.from(': hello\r\nevent: milky_event\r\ndata: {"a":\r\ndata:  "é"}\r\n\r\nid: 7\nretry: 10\ndata:plain\n\nevent: other\n\n');
  // Every split point, including inside the two bytes of é.
  for (let cut = 0; cut <= stream.length; cut++) {
    got.length = 0;
    assert.equal(decoder.feed(stream.subarray(0, cut)), true);
    assert.equal(decoder.feed(stream.subarray(cut)), true);
    assert.deepEqual(got, [['milky_event', '{"a":\n "é"}'], ['message', 'plain']], `split at ${cut}`);
  }
  const bounded = new SseDecoder(100, () => assert.fail('no message'));
  assert.equal(bounded.feed(Buffer.from(`data: ${'y'.repeat(60)}\n`)), true);
  assert.equal(bounded.feed(Buffer.from(`data: ${'y'.repeat(60)}\n`)), false, 'a message past the bound');
  const keepAlive = new SseDecoder(100, () => undefined);
  for (let i = 0; i < 100; i++) assert.equal(keepAlive.feed(Buffer.from(': keep-alive\n')), true, 'comments between messages do not add up');
});
