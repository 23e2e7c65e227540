/**
 * Restarts mid-stream with a real upstream (a second cqhttpd on a fixed port): the upstream
 * restarting (the bridge reconnects by itself, the bots hear `bot_offline` then `bot_online`),
 * then cqhttpd restarting — message ids never change, every message posted after a reconnect
 * reaches the bot, and nothing reaches it twice.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ok, startTestApp, type TestApp } from '../../helpers/app.js';
import { freePort } from '../../helpers/ports.js';
import { Peer } from '../../transports/ws/harness.js';

const GROUP = 100001;
const CAROL = 20003;

let upstream: TestApp | undefined;
let bridge: TestApp | undefined;

after(async () => {
  await bridge?.close();
  await upstream?.close();
});

/** Carol speaks in the upstream's world. */
async function post(app: TestApp, text: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${app.app.sandbox.port}/api/messages`, { method: 'POST', body: JSON.stringify({ from: CAROL, group_id: GROUP, message: text }) });
  assert.equal(res.status, 200);
}

type Frame = { post_type: string; notice_type?: string; message_id?: number; raw_message?: string };

/** The next frame that is not a heartbeat. */
async function next(peer: Peer, ms = 3000): Promise<Frame> {
  for (;;) {
    const frame = JSON.parse(await peer.next(ms)) as Frame & { meta_event_type?: string };
    if (frame.meta_event_type !== 'heartbeat') return frame;
  }
}

test('restarts of the upstream and of cqhttpd mid-stream: same ids, nothing lost after the reconnect, nothing twice', async () => {
  const port = await freePort();
  upstream = await startTestApp({ config: { use_ws: true, ws_port: port } });
  bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${port}/`, use_ws: true } });
  let peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await next(peer); // lifecycle connect
    await post(upstream, 'before');
    const first = await next(peer);
    assert.equal(first.raw_message, 'before');
    const before = await ok(bridge, 'get_msg', { message_id: first.message_id });

    await upstream.restart();
    assert.equal((await next(peer)).notice_type, 'bot_offline');
    assert.equal((await next(peer, 5000)).notice_type, 'bot_online');
    await post(upstream, 'after the upstream restarted');
    const second = await next(peer);
    assert.equal(second.raw_message, 'after the upstream restarted');
    assert.equal(second.message_id, (first.message_id ?? 0) + 1);
    assert.deepEqual(await ok(bridge, 'get_msg', { message_id: first.message_id }), before, 'ids unchanged across the upstream\'s restart');
    await assert.rejects(peer.next(300), 'nothing delivered twice');

    peer.close();
    await bridge.restart();
    peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
    await next(peer);
    await post(upstream, 'after cqhttpd restarted');
    const third = await next(peer);
    assert.equal(third.raw_message, 'after cqhttpd restarted');
    assert.equal(third.message_id, (second.message_id ?? 0) + 1);
    assert.deepEqual(await ok(bridge, 'get_msg', { message_id: first.message_id }), before, 'ids unchanged across cqhttpd\'s restart');
    await assert.rejects(peer.next(300), 'nothing delivered twice');
  } finally {
    peer.close();
  }
});
