/**
 * The connection registry and the pipeline's delivery observer, over a whole running cqhttpd:
 * forward WS (authorised and refused), a reverse Universal client that reconnects, an HTTP POST
 * receiver that answers 204 then 500 — each shows up with its transport, role, auth, state,
 * delivery counts, last heartbeat, last status and latency, last error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionChange, ConnectionSnapshot } from '../../src/core/connections.js';
import type { DeliveryOutcome } from '../../src/core/events/channel.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BotServer, PostReceiver, reverseUp, textMsg, waitFor, WsClient } from './helpers.js';

const TOKEN = 'registry-token';

describe('connection registry', () => {
  let t: TestApp;
  let post: PostReceiver;
  let bot: BotServer;
  const changes: ConnectionChange[] = [];
  const deliveries: { channel: string; outcome: DeliveryOutcome; type: string }[] = [];

  before(async () => {
    post = await PostReceiver.start();
    bot = await BotServer.start();
    t = await startTestApp({
      config: {
        access_token: TOKEN,
        post_url: post.url('/hook?secret=x'),
        use_ws: true,
        use_ws_reverse: true,
        ws_reverse_url: bot.url('/onebot'),
        ws_reverse_reconnect_interval: 50,
        enable_heartbeat: true,
        heartbeat_interval: 100,
      },
    });
    t.app.connections.onChange((change) => changes.push(change));
    t.app.events.pipeline.onDelivery((channel, event, outcome) => deliveries.push({ channel: channel.connection?.transport ?? channel.kind, outcome, type: String(event.post_type) }));
    await reverseUp(t);
  });

  after(async () => {
    await t?.close();
    await Promise.all([post?.close(), bot?.stop()]);
  });

  const byTransport = (transport: string): ConnectionSnapshot[] => t.app.connections.list().filter((c) => c.transport === transport);

  it('lists the POST receiver and the reverse client from the start, without credentials in the path', () => {
    const [receiver] = byTransport('http_post');
    assert.ok(receiver);
    assert.equal(receiver.role, 'event');
    assert.equal(receiver.path, post.url('/hook'), 'no query string (it may hold secrets)');
    assert.equal(receiver.remote, `127.0.0.1:${post.port}`);
    assert.equal(receiver.state, 'open');
    const [reverse] = byTransport('ws_reverse');
    assert.ok(reverse);
    assert.equal(reverse.role, 'Universal');
    assert.equal(reverse.state, 'open');
    assert.equal(reverse.auth, null, 'cqhttpd dialled: the bot checks the token');
    assert.equal(typeof reverse.connectedSince, 'number');
    assert.equal(reverse.reconnects, 0);
  });

  it('registers forward sockets with their path and auth result; a refused one is removed at once', async () => {
    const ws = `ws://127.0.0.1:${t.app.ws!.port}`;
    const refused = await WsClient.open(`${ws}/event`);
    await waitFor(() => changes.some((c) => c.kind === 'removed' && c.connection.auth === 'missing'), 3000, 'the refused socket to be removed');
    refused.close();
    const removed = t.app.connections.recent().find((c) => c.auth === 'missing');
    assert.ok(removed);
    assert.equal(removed.transport, 'ws');
    assert.equal(removed.role, 'event');
    assert.equal(removed.closeCode, 1000);

    const client = await WsClient.open(`${ws}/onebot/v11/ws?access_token=${TOKEN}`);
    const entry = await waitFor(() => byTransport('ws').find((c) => c.auth === 'ok'), 3000, 'the authorised socket');
    assert.equal(entry.role, 'universal', 'any other path is Universal');
    assert.equal(entry.path, '/onebot/v11/ws', 'the path asked for, without the query (it holds the token)');
    assert.match(entry.remote, /^127\.0\.0\.1:\d+$/);
    assert.equal(entry.state, 'open');
    assert.ok(changes.some((c) => c.kind === 'opened' && c.connection.id === entry.id));

    // Events reach every connection; the observer sees each delivery and the registry counts them.
    t.app.backend.postMessage({ from: 20001, message: textMsg('counted') });
    await client.inbox.waitFor((f) => f.raw_message === 'counted');
    await post.inbox.waitFor((f) => f.raw_message === 'counted');
    await waitFor(() => deliveries.filter((d) => d.type === 'message').length >= 3, 3000, 'three message deliveries');
    const kinds = deliveries.filter((d) => d.type === 'message').map((d) => `${d.channel} ${d.outcome}`).sort();
    assert.deepEqual(kinds, ['http_post sent', 'ws sent', 'ws_reverse sent']);
    const after = byTransport('ws').find((c) => c.id === entry.id)!;
    assert.ok(after.events.sent >= 2, 'connect + message at least');
    await waitFor(() => byTransport('ws').find((c) => c.id === entry.id)?.lastHeartbeat !== null, 3000, 'a heartbeat delivered to the socket');

    client.close();
    await waitFor(() => !byTransport('ws').some((c) => c.id === entry.id), 3000, 'the socket to leave list()');
    assert.ok(t.app.connections.recent().some((c) => c.id === entry.id && c.state === 'closed'));
  });

  it('counts the reverse client\'s reconnects', async () => {
    const [before] = byTransport('ws_reverse');
    for (const c of bot.connections) c.ws.terminate();
    await waitFor(() => byTransport('ws_reverse')[0]?.reconnects === (before!.reconnects + 1) && byTransport('ws_reverse')[0]?.state === 'open', 3000, 'a reconnect');
    assert.ok(changes.some((c) => c.kind === 'updated' && c.connection.transport === 'ws_reverse' && c.connection.state === 'retrying'));
  });

  it('keeps the POST receiver\'s last status, latency and error; a failed POST is a failed delivery', async () => {
    const receiver = () => byTransport('http_post')[0]!;
    await waitFor(() => receiver().lastStatus === 204, 3000, 'a POST answered 204');
    assert.equal(typeof receiver().lastLatencyMs, 'number');
    post.respond = () => ({ status: 500 });
    t.app.backend.postMessage({ from: 20001, message: textMsg('refused') });
    await waitFor(() => receiver().lastStatus === 500, 3000, 'a POST answered 500');
    assert.equal(receiver().lastError?.message, 'HTTP 500');
    await waitFor(() => deliveries.some((d) => d.channel === 'http_post' && d.outcome === 'failed'), 3000, 'a failed delivery');
    assert.ok(receiver().events.failed >= 1);
    post.respond = () => ({ status: 204 });
  });
});
