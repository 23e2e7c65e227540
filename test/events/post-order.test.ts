/**
 * Event order with HTTP POST receivers (docs/config.md "Event order"): POSTs of up to
 * `max_concurrent_posts` events overlap, are sent in event order, and each event's WebSocket push
 * waits for its own POST and quick operation; pushes leave in event order even when later POSTs
 * are answered first. `max_concurrent_posts = 1` is 4.15's one event at a time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { like, PostReceiver, SELF_ID, textMsg, waitFor, WsClient, type Json } from './helpers.js';

const GROUP = 100001;

/** The receiver's view: how many requests were open at once, at most. */
function trackConcurrency(post: PostReceiver, answer: (body: Json) => { delayMs: number; body?: string }): () => number {
  let open = 0;
  let peak = 0;
  post.respond = (req) => {
    if (req.json.post_type !== 'message') return { status: 204 };
    open++;
    peak = Math.max(peak, open);
    const { delayMs, body } = answer(req.json);
    setTimeout(() => open--, delayMs);
    return { status: body === undefined ? 204 : 200, delayMs, ...(body === undefined ? {} : { body }) };
  };
  return () => peak;
}

/** An app POSTing to a receiver, with a forward-WS `/event` client; started before the tests of the suite it is called in. */
function appWithReceiver(config: Json): () => { t: TestApp; post: PostReceiver; ws: WsClient } {
  let env: { t: TestApp; post: PostReceiver; ws: WsClient } | undefined;
  before(async () => {
    const post = await PostReceiver.start();
    const t = await startTestApp({ config: { post_url: post.url(), use_ws: true, ...config } });
    env = { t, post, ws: await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/event`) };
  });
  after(async () => {
    env?.ws.close();
    await env?.t.close();
    await env?.post.close();
  });
  return () => env as { t: TestApp; post: PostReceiver; ws: WsClient };
}

describe('event order with HTTP POST', () => {
  describe('default (max_concurrent_posts = 16)', () => {
    const env = appWithReceiver({});

    it('overlaps POSTs, sends them in order, and pushes each event after its own POST, in event order', async () => {
      const { t, post, ws } = env();
      // The first message's POST is answered last: 200, 160, 120, 80, 40 ms.
      const texts = ['m0', 'm1', 'm2', 'm3', 'm4'];
      const peak = trackConcurrency(post, (e) => ({ delayMs: 200 - 40 * texts.indexOf(String(e.raw_message)) }));
      const [pm, wm] = [post.inbox.mark(), ws.inbox.mark()];
      for (const text of texts) t.app.backend.postMessage({ from: 20001, groupId: GROUP, message: textMsg(text) });
      const pushes = await waitFor(() => {
        const got = ws.inbox.events(like({ post_type: 'message' }), wm);
        return got.length === texts.length ? got : undefined;
      }, 5000, 'five pushes');
      assert.deepEqual(pushes.map((f) => f.json.raw_message), texts, 'pushes in event order');
      const requests = post.requests.slice(pm).filter((r) => r.json.post_type === 'message');
      assert.deepEqual(requests.map((r) => r.json.raw_message), texts, 'POSTs sent in event order');
      assert.ok(peak() >= 3, `POSTs overlapped (at most ${peak()} open at once)`);
      for (const [i, push] of pushes.entries()) {
        const answered = requests[i]?.answeredAt;
        assert.ok(answered !== undefined && push.at >= answered, `m${i} pushed at ${push.at} before its POST answer at ${answered}`);
      }
      // All five took about as long as the slowest one, not the sum (600 ms).
      const spent = (pushes.at(-1)?.at ?? 0) - (requests[0]?.at ?? 0);
      assert.ok(spent < 500, `five overlapping POSTs took ${spent.toFixed(0)} ms`);
    });

    it("runs each event's quick operation before that event's push, whatever order the answers come in", async () => {
      const { t, post, ws } = env();
      const texts = ['q0', 'q1', 'q2'];
      trackConcurrency(post, (e) => {
        const i = texts.indexOf(String(e.raw_message));
        return { delayMs: 120 - 50 * i, body: JSON.stringify({ reply: `re ${e.raw_message}`, at_sender: false }) };
      });
      const botSaid = () => t.app.backend.listMessages({ groupId: GROUP }).filter((m) => m.userId === SELF_ID).map((m) => m.rawMessage);
      const saidAtPush: string[][] = [];
      const onPush = (data: Buffer) => {
        if (String(data).includes('"raw_message":"q')) saidAtPush.push(botSaid());
      };
      ws.ws.on('message', onPush);
      const wm = ws.inbox.mark();
      for (const text of texts) t.app.backend.postMessage({ from: 20001, groupId: GROUP, message: textMsg(text) });
      await ws.inbox.waitFor(like({ raw_message: 'q2' }), wm, 5000);
      ws.ws.off('message', onPush);
      assert.deepEqual(ws.inbox.events(like({ post_type: 'message', user_id: 20001 }), wm).map((f) => f.json.raw_message), texts);
      // The replies were stored in answer order (q2 first); each push found its own reply stored.
      for (const [i, said] of saidAtPush.entries()) assert.ok(said.includes(`re q${i}`), `push of q${i} came before its quick reply`);
      assert.deepEqual(botSaid().slice(-3), ['re q2', 're q1', 're q0']);
    });
  });

  describe('max_concurrent_posts = 1 (4.15)', () => {
    const env = appWithReceiver({ max_concurrent_posts: 1 });

    it('POSTs the next event only after the previous one was answered and pushed', async () => {
      const { t, post, ws } = env();
      const peak = trackConcurrency(post, () => ({ delayMs: 40 }));
      const [pm, wm] = [post.inbox.mark(), ws.inbox.mark()];
      for (const text of ['s0', 's1', 's2', 's3']) t.app.backend.postMessage({ from: 20001, groupId: GROUP, message: textMsg(text) });
      await ws.inbox.waitFor(like({ raw_message: 's3' }), wm, 5000);
      assert.equal(peak(), 1);
      const requests = post.requests.slice(pm).filter((r) => r.json.post_type === 'message');
      const pushes = ws.inbox.events(like({ post_type: 'message' }), wm);
      assert.deepEqual(pushes.map((f) => f.json.raw_message), ['s0', 's1', 's2', 's3']);
      for (let i = 1; i < requests.length; i++) {
        assert.ok((requests[i]?.at ?? 0) >= (pushes[i - 1]?.at ?? Infinity) - 5, `s${i} was POSTed before s${i - 1} was pushed`);
      }
    });
  });
});
