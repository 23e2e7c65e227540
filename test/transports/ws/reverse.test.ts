/**
 * Reverse WebSocket client (§3.5, Appendix C.3): handshake headers per role and scheme, what each
 * role does, the `connect` broadcast, the URL plan of decision P3.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createReverseWsClient } from '../../../src/transports/ws/reverse.js';
import { BotServer, reverseClient } from './bot-server.js';
import { CONNECT, Peer, startForward, TOKEN, until } from './harness.js';

const LOGIN = '{"nickname":"bot","user_id":10001000}';

test('handshake headers for every role and both schemes (C.3; decision P2)', async () => {
  const bot = await BotServer.start();
  try {
    let n = 0;
    for (const role of ['Universal', 'API', 'Event'] as const) {
      for (const [scheme, token] of [['Bearer', TOKEN], ['Token', TOKEN], ['Bearer', '']] as const) {
        const r = reverseClient({ url: bot.url('/ws/?x=1'), role, authorizationScheme: scheme, accessToken: token });
        r.client.start();
        const { req } = await bot.connection(n++);
        const what = `${role} ${scheme} ${token === '' ? 'no token' : 'token'}`;
        assert.equal(req.url, '/ws/?x=1', what);
        assert.equal(req.headers['user-agent'], 'CQHttp/4.15.0', what);
        assert.equal(req.headers['x-self-id'], '10001000', what);
        assert.equal(req.headers['x-client-role'], role, what);
        assert.equal(req.headers.authorization, token === '' ? undefined : `${scheme} ${TOKEN}`, what);
        await r.stop();
      }
    }
  } finally {
    await bot.stop();
  }
});

test('Universal: connect first, then answers API frames (echo) and pushes events', async () => {
  const bot = await BotServer.start();
  const r = reverseClient({ url: bot.url() });
  try {
    r.client.start();
    const { peer } = await bot.connection(0);
    assert.equal(await peer.next(), CONNECT);
    await until(() => r.client.connected(), 1000, 'connected()');
    assert.equal(await peer.call('{"action":"get_login_info","echo":{"z":1,"a":2}}'), `{"data":${LOGIN},"echo":{"a":2,"z":1},"retcode":0,"status":"ok"}`);
    assert.equal(await peer.call('{"action":1,"echo":"x"}'), '{"data":null,"retcode":1400,"status":"failed"}');
    assert.equal(await peer.call('{"action":"nope","echo":"x"}'), '{"data":null,"echo":"x","retcode":1404,"status":"failed"}');
    assert.equal(r.calls.at(-1)?.channel, 'ws_reverse');
    r.pipeline.publish({ post_type: 'notice', notice_type: 'friend_add', user_id: 20002, time: 5 });
    assert.equal(await peer.next(), '{"notice_type":"friend_add","post_type":"notice","self_id":10001000,"time":5,"user_id":20002}');
    // Concurrency: answers in finish order.
    peer.ws.send('{"action":"slow","params":{"ms":300},"echo":"slow"}');
    peer.ws.send('{"action":"slow","params":{"ms":10},"echo":"fast"}');
    assert.equal(await peer.next(), '{"data":10,"echo":"fast","retcode":0,"status":"ok"}');
    assert.equal(await peer.next(), '{"data":300,"echo":"slow","retcode":0,"status":"ok"}');
  } finally {
    await r.stop();
    await bot.stop();
  }
});

test('API role: answers frames, no connect, no events; Event role: connect and events, frames ignored', async () => {
  const bot = await BotServer.start();
  const api = reverseClient({ url: bot.url('/api/'), role: 'API' });
  const event = reverseClient({ url: bot.url('/event/'), role: 'Event' });
  try {
    api.client.start();
    const a = (await bot.connection(0)).peer;
    assert.equal(await a.call('{"action":"get_login_info"}'), `{"data":${LOGIN},"retcode":0,"status":"ok"}`);
    assert.equal(api.pipeline.socketCount, 0, 'the API role attaches no event channel');
    api.pipeline.publish({ post_type: 'notice', notice_type: 'x', time: 1 });
    assert.deepEqual(await a.quiet(), [], 'no connect and no events on the API connection');

    event.client.start();
    const e = (await bot.connection(1)).peer;
    assert.equal(await e.next(), CONNECT);
    e.ws.send('{"action":"get_login_info","echo":1}');
    event.pipeline.publish({ post_type: 'notice', notice_type: 'x', time: 1 });
    assert.equal(await e.next(), '{"notice_type":"x","post_type":"notice","self_id":10001000,"time":1}');
    assert.deepEqual(await e.quiet(), [], 'the Event role answers no frame');
    assert.equal(event.calls.length, 0);
  } finally {
    await api.stop();
    await event.stop();
    await bot.stop();
  }
});

test('a reverse connect is broadcast to forward /event clients too, and vice versa (§3.6)', async () => {
  const f = await startForward();
  const bot = await BotServer.start();
  // A reverse client sharing the forward server's pipeline.
  const client = createReverseWsClient({
    dispatch: () => Promise.resolve(null),
    hub: f.pipeline,
    logger: pino({ level: 'silent' }),
    options: {
      role: 'Event', url: bot.url(), selfId: 1, accessToken: '', authorizationScheme: 'Bearer', reconnectIntervalMs: 20,
      reconnectOnCode1000: true, failureDetails: false, maxFrameSize: 1024, maxBacklogBytes: 1 << 20, userAgent: 'CQHttp/4.15.0',
      format: { messageFormat: 'array', backwardCompatibility: false },
    },
  });
  try {
    const forward = await Peer.open(f.url('/event'));
    assert.equal(await forward.next(), CONNECT);
    client.start();
    const reverse = (await bot.connection(0)).peer;
    assert.equal(await reverse.next(), CONNECT);
    assert.equal(await forward.next(), CONNECT);
    const other = await Peer.open(f.url('/'));
    assert.equal(await other.next(), CONNECT);
    assert.equal(await reverse.next(), CONNECT);
    forward.close();
    other.close();
  } finally {
    await client.close();
    await bot.stop();
    await f.stop();
  }
});

test('an unusable URL gives a client that never connects and logs once', async () => {
  for (const url of ['http://127.0.0.1/', 'ftp://x', 'ws//x', '127.0.0.1:8080', 'ws://', '']) {
    const r = reverseClient({ url });
    r.client.start();
    r.client.start();
    assert.equal(r.client.connected(), false);
    await r.stop();
    const errors = r.lines.filter((l) => JSON.parse(l).level === 50);
    assert.equal(errors.length, 1, url);
    assert.match(errors[0] ?? '', /not a ws:\/\/ or wss:\/\/ URL/);
  }
  // Case-insensitive scheme (§3.5): WS:// is accepted.
  const bot = await BotServer.start();
  const r = reverseClient({ url: `WS://127.0.0.1:${bot.port}/` });
  r.client.start();
  await bot.connection(0);
  await r.stop();
  await bot.stop();
});
