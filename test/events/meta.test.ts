/**
 * Meta events through the real app (§3.6, §7.8, §11.2): lifecycle `enable`/`disable` only by POST
 * with `"_post_method":1`; `connect` (`_post_method` 2) only on WebSockets, broadcast to every
 * event-capable socket (forward and reverse) whenever one of them connects; heartbeats on every
 * channel, the first at once, with `status` shaped like `get_status` data and `interval`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';
import { assertCanonical, BotServer, KEYS, like, PostReceiver, reverseUp, SELF_ID, waitFor, WsClient, type Inbox } from './helpers.js';

const INTERVAL = 250;

/** The type skeleton of a JSON value: objects → their keys' skeletons, others → typeof (null → 'null'). */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (typeof value !== 'object' || Array.isArray(value)) return typeof value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
}

describe('meta events: lifecycle, connect broadcast, heartbeat', () => {
  let t: TestApp;
  let post: PostReceiver;
  let uni: BotServer; // flat reverse WS, Universal
  let evt: BotServer; // a `connections` item with only event_url: one Event socket
  const clients: WsClient[] = [];
  const connects = (inbox: Inbox, from = 0) => inbox.events(like({ sub_type: 'connect' }), from).length;
  let closed = false;
  let syncs = 0;
  /** Publish a marker event and wait until every inbox has it: whatever was published before has arrived. */
  async function settle(inboxes: Inbox[]): Promise<void> {
    const text = `sync ${++syncs}`;
    t.app.backend.postMessage({ from: 20001, message: [{ type: 'text', data: { text } }] });
    await Promise.all(inboxes.map((inbox) => inbox.waitFor(like({ raw_message: text }))));
  }

  before(async () => {
    [post, uni, evt] = await Promise.all([PostReceiver.start(), BotServer.start(), BotServer.start()]);
    t = await startTestApp({
      config: {
        post_url: post.url(),
        use_ws: true,
        use_ws_reverse: true,
        ws_reverse_url: uni.url('/onebot'),
        ws_reverse_reconnect_interval: 50,
        connections: [{ type: 'ws_reverse', event_url: evt.url('/events') }],
        enable_heartbeat: true,
        heartbeat_interval: INTERVAL,
      },
    });
    await Promise.all([uni.connected('Universal'), evt.connected('Event')]);
    await reverseUp(t);
  });

  after(async () => {
    clients.forEach((c) => c.close());
    if (!closed) await t?.close();
    await Promise.all([post?.close(), uni?.stop(), evt?.stop()]);
  });

  it('`enable` comes first, by POST only, with "_post_method":1; the first heartbeat follows at once', async () => {
    await post.inbox.waitFor(like({ meta_event_type: 'heartbeat' }));
    const [first, second] = post.inbox.events();
    assert.equal(first!.json.sub_type, 'enable');
    assertCanonical(first!.body);
    assert.deepEqual(Object.keys(first!.json), [...KEYS.lifecycle]);
    assert.deepEqual([first!.json._post_method, first!.json.meta_event_type, first!.json.self_id], [1, 'lifecycle', SELF_ID]);
    assert.equal(second!.json.meta_event_type, 'heartbeat');
    assert.ok(second!.at - first!.at < INTERVAL, 'the first heartbeat does not wait an interval');
    for (const server of [uni, evt]) assert.equal(server.inbox.events(like({ sub_type: 'enable' })).length, 0);
  });

  it('`connect` is broadcast to every event socket when any connects, never to POST nor /api', async () => {
    const ws = `ws://127.0.0.1:${t.app.ws!.port}`;
    await settle([uni.inbox, evt.inbox]); // the start-up connects are all in
    const [u0, e0] = [uni.inbox.mark(), evt.inbox.mark()];
    const f1 = await WsClient.open(`${ws}/event`);
    clients.push(f1);
    const c = await f1.inbox.waitFor(like({ sub_type: 'connect' }));
    assertCanonical(c.body);
    assert.deepEqual(Object.keys(c.json), [...KEYS.lifecycle]);
    assert.deepEqual([c.json._post_method, c.json.meta_event_type], [2, 'lifecycle']);
    await settle([f1.inbox, uni.inbox, evt.inbox]);
    assert.deepEqual([connects(f1.inbox), connects(uni.inbox, u0), connects(evt.inbox, e0)], [1, 1, 1]);

    // An /api client is not an event socket: no broadcast. Then `/` connects: exactly one more each.
    const inboxes = [f1.inbox, uni.inbox, evt.inbox];
    const marks = inboxes.map((inbox) => inbox.mark());
    const apiClient = await WsClient.open(`${ws}/api`);
    clients.push(apiClient);
    const f2 = await WsClient.open(`${ws}/`);
    clients.push(f2);
    await settle([...inboxes, f2.inbox]);
    assert.deepEqual(inboxes.map((inbox, i) => connects(inbox, marks[i])), [1, 1, 1]);
    assert.equal(connects(f2.inbox), 1);
    assert.equal(apiClient.inbox.events().length, 0);
    assert.equal(connects(post.inbox), 0);
  });

  it('a reverse socket connecting is broadcast to the forward sockets too', async () => {
    const f = clients[0]!;
    const mark = f.inbox.mark();
    const uniMark = uni.inbox.mark();
    const before = evt.connections.length;
    evt.connections.at(-1)!.ws.close(1001); // the Event client reconnects after 50 ms
    await waitFor(() => evt.connections.length > before, 3000, 'the Event client to dial again');
    await evt.connected('Event');
    await f.inbox.waitFor(like({ sub_type: 'connect' }), mark);
    await uni.inbox.waitFor(like({ sub_type: 'connect' }), uniMark);
  });

  it('heartbeats reach every channel with the same bytes; `status` is shaped like get_status data', async () => {
    const status = await ok(t, 'get_status');
    const f = clients[2]!; // forward `/` (clients: /event, /api, /)
    const mark = post.inbox.mark();
    const hb = await post.inbox.waitFor(like({ meta_event_type: 'heartbeat' }), mark);
    assertCanonical(hb.body);
    assert.deepEqual(Object.keys(hb.json), [...KEYS.heartbeat]);
    assert.equal(hb.json.interval, INTERVAL);
    assert.equal(hb.json.self_id, SELF_ID);
    assert.equal('sub_type' in hb.json, false);
    assert.deepEqual(shape(hb.json.status), shape(status));
    assert.deepEqual(Object.keys(hb.json.status as object).sort(), Object.keys(status as object).sort());
    for (const inbox of [f.inbox, uni.inbox, evt.inbox]) await inbox.waitFor((e) => JSON.stringify(e) === hb.body, 0, 2 * INTERVAL + 500);

    const next = await post.inbox.waitFor(like({ meta_event_type: 'heartbeat' }), post.inbox.frames.indexOf(hb) + 1, 2 * INTERVAL + 500);
    const gap = next.at - hb.at;
    assert.ok(gap >= INTERVAL * 0.8 && gap < INTERVAL * 3, `heartbeats ${gap.toFixed(0)} ms apart, interval ${INTERVAL}`);
  });

  it('shutting down sends `disable` by POST only (best effort, delivered here)', async () => {
    const [u, e] = [uni.inbox.mark(), evt.inbox.mark()];
    closed = true;
    await t.close();
    const disable = await post.inbox.waitFor(like({ sub_type: 'disable' }));
    assert.deepEqual(Object.keys(disable.json), [...KEYS.lifecycle]);
    assert.equal(disable.json._post_method, 1);
    assert.equal(uni.inbox.events(like({ sub_type: 'disable' }), u).length + evt.inbox.events(like({ sub_type: 'disable' }), e).length, 0);
  });
});
