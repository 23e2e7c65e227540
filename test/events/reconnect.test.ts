/**
 * Reconnects and bounds through the real app: a reverse endpoint killed and brought back on the
 * same port is dialled again and events flow (those that happened while it was down are dropped,
 * §3.5); a dead or hanging `post_url` never delays the API, and delays each WebSocket push by at
 * most about `post_timeout` (§1.2, §3.3).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';
import { BotServer, deadPort, like, PostReceiver, reverseUp, textMsg, waitFor, WsClient } from './helpers.js';

const opened: { close(): Promise<void> }[] = [];
after(() => Promise.all(opened.splice(0).reverse().map((c) => c.close())));

async function app(config: Record<string, unknown>): Promise<TestApp> {
  const t = await startTestApp({ config });
  opened.push(t);
  return t;
}

/** How long an HTTP API call takes, ms (and that it succeeded). */
async function timedLogin(t: TestApp): Promise<number> {
  const start = performance.now();
  const info = await ok<{ user_id: number }>(t, 'get_login_info');
  assert.equal(info.user_id, 10001000);
  return performance.now() - start;
}

describe('reconnects and bounds', () => {
  it('a reverse endpoint killed and restarted on the same port gets a new connection and events again', async () => {
    let bot = await BotServer.start();
    const port = bot.port;
    opened.push({ close: () => bot.stop() });
    const t = await app({ use_ws_reverse: true, ws_reverse_url: bot.url('/ws'), ws_reverse_reconnect_interval: 100 });
    const sb = t.app.backend;
    await reverseUp(t);
    sb.postMessage({ from: 20001, message: textMsg('before') });
    await bot.inbox.waitFor(like({ raw_message: 'before' }));

    await bot.stop();
    await waitFor(() => !t.app.events.reverseHealthy(), 2000, 'the client to see the close');
    const status = await ok<{ plugins_good: Record<string, boolean>; good: boolean }>(t, 'get_status');
    assert.equal(status.plugins_good.websocket_reverse, false, 'get_status sees the reverse client down');
    assert.equal(status.good, false);
    sb.postMessage({ from: 20001, message: textMsg('while down') });

    bot = await BotServer.start(port);
    const conn = await bot.connected('Universal', 3000);
    assert.equal(conn.path, '/ws');
    await conn.inbox.waitFor(like({ sub_type: 'connect' }));
    sb.postMessage({ from: 20001, message: textMsg('after') });
    await conn.inbox.waitFor(like({ raw_message: 'after' }));
    assert.deepEqual(bot.inbox.events(like({ raw_message: 'while down' })), [], 'events while down are dropped, not queued');
    assert.equal((await ok<{ plugins_good: Record<string, boolean> }>(t, 'get_status')).plugins_good.websocket_reverse, true);
    // It is a working Universal socket again: it answers API calls.
    assert.equal((await bot.call(conn, 'get_login_info')).retcode, 0);
  });

  it('a dead post_url (nothing listening) delays neither the API nor the WS pushes', async () => {
    const t = await app({ post_url: `http://127.0.0.1:${await deadPort()}/`, post_timeout: 1, use_ws: true });
    const fwd = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/event`);
    opened.push({ close: async () => fwd.close() });
    const start = performance.now();
    t.app.backend.postMessage({ from: 20001, message: textMsg('to nowhere') });
    const frame = await fwd.inbox.waitFor(like({ raw_message: 'to nowhere' }));
    assert.ok(frame.at - start < 800, `pushed after ${(frame.at - start).toFixed(0)} ms`);
    assert.ok((await timedLogin(t)) < 500);
  });

  for (const serial of [false, true]) {
    const title = serial
      ? 'max_concurrent_posts 1: a hanging post_url holds each later push back by about post_timeout'
      : 'a hanging post_url (post_timeout 1) never blocks the API; the pushes wait about post_timeout, in order';
    it(title, async () => {
      const post = await PostReceiver.start();
      opened.push(post);
      post.respond = () => 'hang';
      const t = await app({ post_url: post.url(), post_timeout: 1, use_ws: true, ...(serial ? { max_concurrent_posts: 1 } : {}) });
      const fwd = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
      opened.push({ close: async () => fwd.close() });
      await post.inbox.waitFor(like({ sub_type: 'enable' })); // hanging too, but lifecycle holds nothing back
      const sb = t.app.backend;

      const start = performance.now();
      sb.postMessage({ from: 20001, message: textMsg('slow 1') });
      sb.postMessage({ from: 20002, message: textMsg('slow 2') });
      // While both events wait on the receiver, the API answers at once, over HTTP and WS alike.
      await post.inbox.waitFor(like({ raw_message: 'slow 1' }));
      assert.ok((await timedLogin(t)) < 500, 'HTTP API not delayed');
      const wsStart = performance.now();
      assert.equal((await fwd.call('get_login_info')).retcode, 0);
      assert.ok(performance.now() - wsStart < 500, 'WS API not delayed');
      assert.deepEqual(fwd.inbox.events(like({ post_type: 'message' })), [], 'not pushed before the POST gave up');

      const first = await fwd.inbox.waitFor(like({ raw_message: 'slow 1' }), 0, 3000);
      const second = await fwd.inbox.waitFor(like({ raw_message: 'slow 2' }), 0, 3000);
      const [d1, d2] = [first.at - start, second.at - first.at];
      assert.ok(d1 >= 900 && d1 < 2200, `first push after ${d1.toFixed(0)} ms (post_timeout 1 s)`);
      if (serial) assert.ok(d2 >= 900 && d2 < 2200, `second push ${d2.toFixed(0)} ms later: one event at a time, each bounded`);
      else assert.ok(d2 >= 0 && d2 < 500, `second push ${d2.toFixed(0)} ms later: both POSTs were in flight together`);
      assert.ok(fwd.inbox.frames.indexOf(first) < fwd.inbox.frames.indexOf(second), 'pushed in event order');
      assert.equal(post.requests.filter((r) => r.json.post_type === 'message').length, 2);
      assert.equal(post.requests.every((r) => r.answeredAt === undefined), true, 'the receiver never answered');
    });
  }
});
