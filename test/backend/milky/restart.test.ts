/**
 * Restarts mid-stream behind `backend = milky` (the fake Milky implementation of fake-milky.ts):
 * the implementation restarting on its port (the bridge reconnects by itself, the bots hear
 * `bot_offline` then `bot_online`), then cqhttpd restarting on its data directory — message ids
 * never change, every message the implementation pushes after a reconnect reaches the bot, and a
 * message it pushes again (an implementation re-sending what it queued) never reaches it twice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ok, startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { fakeMilky, groupMessage, milkyAnswers, text, TOKEN } from './fake-milky.js';

type Frame = { post_type: string; notice_type?: string; message_id?: number; raw_message?: string; meta_event_type?: string };

/** The next frame that is not a heartbeat. */
async function next(peer: Peer, ms = 3000): Promise<Frame> {
  for (;;) {
    const frame = JSON.parse(await peer.next(ms)) as Frame;
    if (frame.meta_event_type !== 'heartbeat') return frame;
  }
}

test('restarts of the Milky implementation and of cqhttpd mid-stream: same ids, nothing lost after the reconnect, nothing twice', async (t) => {
  const upstream = await fakeMilky(t, milkyAnswers);
  const said = (seq: number) => groupMessage(seq, [text(`message ${seq}`)]);
  // What the implementation pushes each time a stream opens: the messages it has "queued" (already delivered ones).
  let replay: number[] = [];
  let replayAfterMs = 20;
  upstream.onConnect(() => setTimeout(() => { for (const seq of replay) upstream.push('message_receive', said(seq)); }, replayAfterMs));

  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, use_ws: true } });
  t.after(() => bridge.close());
  let peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => peer.close());
  assert.equal((await next(peer)).meta_event_type, 'lifecycle');

  upstream.push('message_receive', said(51));
  const first = await next(peer);
  assert.equal(first.raw_message, 'message 51');
  const before = await ok(bridge, 'get_msg', { message_id: first.message_id });

  // The implementation restarts; once back, it re-sends 51 and then a new message arrives.
  replay = [51];
  await upstream.restart();
  assert.equal((await next(peer)).notice_type, 'bot_offline');
  assert.equal((await next(peer, 5000)).notice_type, 'bot_online');
  await new Promise((resolve) => setTimeout(resolve, 100)); // the replayed 51 has come (and must not be delivered)
  upstream.push('message_receive', said(52));
  const second = await next(peer);
  assert.equal(second.raw_message, 'message 52', 'message 51 is not delivered twice');
  assert.equal(second.message_id, (first.message_id ?? 0) + 1);
  assert.deepEqual(await ok(bridge, 'get_msg', { message_id: first.message_id }), before, 'ids unchanged across the implementation\'s restart');
  await assert.rejects(peer.next(300), 'nothing delivered twice');

  // cqhttpd restarts on the same data directory; the implementation re-sends 51 and 52 to the new
  // stream, late enough for the new cqhttpd to be listening.
  replay = [51, 52];
  replayAfterMs = 300;
  peer.close();
  await bridge.restart();
  peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  assert.equal((await next(peer)).meta_event_type, 'lifecycle');
  await new Promise((resolve) => setTimeout(resolve, 400));
  upstream.push('message_receive', said(53));
  const third = await next(peer);
  assert.equal(third.raw_message, 'message 53', 'messages 51 and 52 are not delivered again after cqhttpd restarted');
  assert.equal(third.message_id, (second.message_id ?? 0) + 1);
  assert.deepEqual(await ok(bridge, 'get_msg', { message_id: first.message_id }), before, 'ids unchanged across cqhttpd\'s restart');
  // The bot's quote of a message from before both restarts still names the same Milky message.
  await ok(bridge, 'send_group_msg', { group_id: 700001, message: `[CQ:reply,id=${first.message_id}]still here` });
  assert.deepEqual(upstream.calls.findLast((c) => c.api === 'send_group_message')?.input['message'], [{ type: 'reply', data: { message_seq: 51 } }, text('still here')]);
  await assert.rejects(peer.next(300), 'nothing delivered twice');
  assert.deepEqual(upstream.answerErrors, []);
});
