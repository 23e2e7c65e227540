/**
 * Reverse mode (`upstream_mode = reverse`): the upstream dials cqhttpd. A fake upstream connects
 * one Universal socket, or an API + Event pair; its token is checked; calls and events flow as in
 * forward mode; when it goes away calls fail at once, and it may come back.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { stringifySorted } from '../../../src/protocol/json.js';
import { ok as okCall, startTestApp, type TestApp } from '../../helpers/app.js';
import { freePort } from '../../helpers/ports.js';
import { Peer, until } from '../../transports/ws/harness.js';
import { dialFakeUpstream, type Call } from './fake-upstream.js';

const SELF = 3000001;
const TOKEN = 'upstream-secret';

function answer(call: Call): unknown {
  if (call.action === 'get_version_info') return { app_name: 'NapCat.Onebot', protocol_version: 'v11', app_version: '4.8.0' };
  if (call.action === 'get_login_info') return { user_id: SELF, nickname: 'reverse bot' };
  if (call.action === 'get_friend_list') return [{ user_id: 7, nickname: 'seven', remark: '' }];
  return undefined;
}

/** Dial until the bridge listens (it starts while we dial). */
async function dial(t: TestContext, url: string, headers: Record<string, string>) {
  const end = Date.now() + 5000;
  for (;;) {
    try {
      return await dialFakeUpstream(url, headers, answer, { t });
    } catch (err) {
      if (Date.now() > end || /HTTP/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function reverseBridge(t: TestContext, path: string): Promise<{ port: number; start: Promise<TestApp> }> {
  const port = await freePort();
  const start = startTestApp({
    config: { backend: 'onebot', upstream_mode: 'reverse', upstream_listen_port: port, upstream_listen_path: path, upstream_access_token: TOKEN, use_ws: true },
  });
  t.after(async () => (await start).close());
  return { port, start };
}

test('a Universal upstream dials in: calls, events, a wrong token refused, loss and return', async (t) => {
  const { port, start } = await reverseBridge(t, '/onebot');
  const url = `ws://127.0.0.1:${port}/onebot`;
  const upstream = await dial(t, url, { authorization: `Bearer ${TOKEN}` });
  const bridge = await start;
  assert.equal(bridge.instance.backend.selfId, SELF);
  assert.deepEqual((await okCall(bridge, 'get_friend_list')), [{ nickname: 'seven', remark: '', user_id: 7 }]);

  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  const event = { time: 1765000300, self_id: SELF, post_type: 'notice', notice_type: 'friend_add', user_id: 7 };
  upstream.push(event);
  assert.equal(await bot.next(), stringifySorted(event));

  await assert.rejects(dial(t, url, { authorization: 'Bearer wrong' }), /HTTP 403/);
  await assert.rejects(dial(t, url, {}), /HTTP 401/);
  await assert.rejects(dial(t, `ws://127.0.0.1:${port}/elsewhere`, { authorization: `Bearer ${TOKEN}` }), /HTTP 404/);

  upstream.drop();
  await until(() => !bridge.instance.backend.isOnline());
  const started = Date.now();
  const offline = await bridge.call('get_friend_list');
  assert.equal(offline.body?.msg, 'BACKEND_OFFLINE');
  assert.ok(Date.now() - started < 1000);

  await dial(t, `${url}?access_token=${TOKEN}`, {});
  await until(() => bridge.instance.backend.isOnline());
  assert.equal((await okCall<unknown[]>(bridge, 'get_friend_list')).length, 1);
});

test('an API + Event pair: calls on the API socket, events from the Event socket (by path or X-Client-Role)', async (t) => {
  const { port, start } = await reverseBridge(t, '/');
  const auth = { authorization: `Token ${TOKEN}` };
  const api = await dial(t, `ws://127.0.0.1:${port}/api`, auth);
  const events = await dial(t, `ws://127.0.0.1:${port}/`, { ...auth, 'x-client-role': 'Event' });
  const bridge = await start;
  assert.equal((await okCall<unknown[]>(bridge, 'get_friend_list')).length, 1);
  assert.ok(api.calls.some((c) => c.action === 'get_friend_list'));
  assert.equal(events.calls.length, 0, 'no call goes to the Event socket');

  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  const event = { time: 1765000301, self_id: SELF, post_type: 'notice', notice_type: 'friend_add', user_id: 8 };
  api.socket.send(JSON.stringify({ ...event, user_id: 9 })); // an API socket carries no events
  events.push(event);
  assert.equal(await bot.next(), stringifySorted(event));
  assert.deepEqual(await bot.quiet(100), []);

  // The Event socket going away leaves calls working; the API socket going away stops them.
  events.socket.close();
  assert.equal((await okCall<unknown[]>(bridge, 'get_friend_list')).length, 1);
  api.drop();
  await until(() => !bridge.instance.backend.isOnline());
  assert.equal((await bridge.call('get_friend_list')).body?.msg, 'BACKEND_OFFLINE');
});

test('an Event socket alone takes no calls: it does not bring the upstream back (no bot_online) until an API socket does', async (t) => {
  const { port, start } = await reverseBridge(t, '/onebot');
  const auth = { authorization: `Bearer ${TOKEN}` };
  const api = await dial(t, `ws://127.0.0.1:${port}/onebot/api`, auth);
  const bridge = await start;
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();
  api.drop();
  assert.equal(JSON.parse(await bot.next())['notice_type'], 'bot_offline');

  await dial(t, `ws://127.0.0.1:${port}/onebot/event`, auth);
  assert.deepEqual(await bot.quiet(200), [], 'no bot_online while no socket takes calls');
  assert.equal(bridge.instance.backend.isOnline(), false);
  assert.equal((await bridge.call('get_friend_list')).body?.msg, 'BACKEND_OFFLINE');

  await dial(t, `ws://127.0.0.1:${port}/onebot/api`, auth);
  assert.equal(JSON.parse(await bot.next())['notice_type'], 'bot_online');
  assert.deepEqual(await bot.quiet(100), [], 'once');
});
