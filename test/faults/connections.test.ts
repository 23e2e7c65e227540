/**
 * Connection faults on real sockets: drop (a close code, or a TCP reset) on the forward and the
 * reverse WebSocket, half_open (nothing sent, the socket kept; released when cleared),
 * heartbeat_stop per transport, refuse (forward handshakes, HTTP API connections, reverse dials),
 * and the kicked-offline profile (a bot_offline notice, then the close).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import WebSocket from 'ws';
import { BotSocket, CAROL, faultLines, LOUNGE, sleep, startWorld, until, type World } from './harness.js';

/** A GET on a new TCP connection (no pooled keep-alive socket): its status, or a rejection. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('connection faults', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ quiet: 300, config: { enable_heartbeat: true, heartbeat_interval: 100 } });
  });
  after(() => w.close());
  beforeEach(() => w.sb.clearFaults());

  const beats = (events: Record<string, unknown>[]): number => events.filter((e) => e['meta_event_type'] === 'heartbeat').length;

  test('drop closes the matching forward socket with the code; another transport is untouched', async () => {
    const victim = await w.connect('/event');
    await w.sb.fault({ connection: { transport: 'ws', role: 'event' }, effect: 'drop', code: 4001, reason: 'go away' });
    await until(() => victim.closed !== undefined, 3000, 'the close');
    assert.deepEqual(victim.closed, { code: 4001, reason: 'go away' });
    assert.equal(w.forward.closed, undefined);
    assert.equal(w.reverse().closed, undefined);
    const line = faultLines(w).at(-1)?.['data'] as Record<string, unknown>;
    assert.deepEqual({ ...line, id: '' }, { id: '', effect: 'drop', target: 'connection', code: 4001, connection: { id: (line['connection'] as { id: number }).id, transport: 'ws', role: 'event' } });
  });

  test('drop without a code resets the TCP connection (the peer sees 1006)', async () => {
    const victim = await w.connect('/api');
    await w.sb.fault({ connection: { transport: 'ws', role: 'api' }, effect: 'drop' });
    await until(() => victim.closed !== undefined, 3000, 'the reset');
    assert.equal(victim.closed?.code, 1006);
  });

  test('drop on the reverse WebSocket: closed, then cqhttpd dials again', async () => {
    const before = w.reverseCount();
    const old = w.reverse();
    await w.sb.fault({ connection: { transport: 'ws_reverse' }, effect: 'drop', code: 1011 });
    await until(() => old.closed !== undefined, 3000, 'the close');
    assert.equal(old.closed?.code, 1011);
    await until(() => w.reverseCount() > before && w.reverse().ws.readyState === WebSocket.OPEN, 5000, 'the new dial');
  });

  test('half_open: nothing more is sent on the socket, which stays open; clearing releases what was held', async () => {
    const held = await w.connect('/');
    const fault = await w.sb.fault({ connection: { transport: 'ws' }, effect: 'half_open' });
    let pong = false;
    held.ws.on('pong', () => (pong = true));
    held.ws.ping();
    await w.sb.say('unheard', { as: CAROL, in: LOUNGE });
    const answer = await held.call('get_login_info', {}, 600);
    assert.equal(answer, 'no answer');
    assert.equal(pong, false);
    assert.equal(held.ws.readyState, WebSocket.OPEN);
    assert.equal(held.seen((e) => e['raw_message'] === 'unheard').length, 0);
    // The reverse socket is another transport: it still gets events.
    await until(() => w.reverse().seen((e) => e['raw_message'] === 'unheard').length > 0, 3000, 'the reverse delivery');
    await fault.clear();
    await until(() => pong && held.seen((e) => e['raw_message'] === 'unheard').length > 0, 3000, 'the release');
    held.ws.terminate();
  });

  test('half_open on the reverse WebSocket: its answers and events wait until the fault is cleared', async () => {
    const reverse = w.reverse();
    const fault = await w.sb.fault({ connection: { transport: 'ws_reverse' }, effect: 'half_open' });
    await w.sb.say('held back', { as: CAROL, in: LOUNGE });
    assert.equal(await reverse.call('get_login_info', {}, 600), 'no answer');
    await until(() => w.forward.seen((e) => e['raw_message'] === 'held back').length > 0, 3000, 'the forward delivery');
    assert.equal(reverse.seen((e) => e['raw_message'] === 'held back').length, 0);
    assert.equal(reverse.ws.readyState, WebSocket.OPEN);
    await fault.clear();
    await until(() => reverse.seen((e) => e['raw_message'] === 'held back').length > 0, 3000, 'the release');
  });

  test('heartbeat_stop suppresses heartbeats on the matching transport only', async () => {
    await until(() => beats(w.posted) > 0 && beats(w.forward.events) > 0, 3000, 'heartbeats');
    await w.sb.fault({ connection: { transport: 'http_post' }, effect: 'heartbeat_stop' });
    const posted = beats(w.posted);
    const pushed = beats(w.forward.events);
    await sleep(500);
    assert.ok(beats(w.posted) <= posted + 1, 'at most one heartbeat already on its way');
    assert.ok(beats(w.forward.events) >= pushed + 3, 'the WebSocket still beats');
    await w.sb.fault({ connection: {}, effect: 'heartbeat_stop' });
    await sleep(150);
    const reverse = beats(w.reverse().events);
    await sleep(400);
    assert.equal(beats(w.reverse().events), reverse);
    await w.sb.clearFaults();
    await until(() => beats(w.reverse().events) > reverse && beats(w.posted) > posted + 1, 3000, 'the heartbeats back');
  });

  test('refuse: forward handshakes answered 503, HTTP API connections dropped, for the duration', async () => {
    await w.sb.fault({ connection: { transport: 'ws' }, effect: 'refuse', duration: '600ms' });
    await assert.rejects(w.connect('/'), /handshake answered 503/);
    const ok = await w.http('get_status', {});
    assert.equal(ok.status, 200);
    await w.sb.fault({ connection: { transport: 'http' }, effect: 'refuse', duration: '600ms' });
    await assert.rejects(freshGet(`${w.sb.connection.http ?? ''}/get_status`));
    await sleep(700);
    (await w.connect('/')).ws.terminate();
    assert.equal((await w.http('get_status', {})).status, 200);
    assert.deepEqual((await w.sb.control('GET', '/api/faults'))['faults'], []);
  });

  test('refuse on the reverse WebSocket: no dial for the duration', async () => {
    const count = w.reverseCount();
    await w.sb.fault({ connection: { transport: 'ws_reverse' }, effect: 'refuse', duration: '800ms' });
    await w.sb.fault({ connection: { transport: 'ws_reverse' }, effect: 'drop', code: 1001 });
    await sleep(500);
    assert.equal(w.reverseCount(), count);
    await until(() => w.reverseCount() > count, 4000, 'the dial after the refusal');
  });

  test('kicked-offline: a bot_offline notice on every event connection, then the close', async () => {
    const forward = await w.connect('/');
    const reverse = w.reverse();
    await w.sb.fault('kicked-offline');
    for (const socket of [forward, reverse] as BotSocket[]) {
      await until(() => socket.closed !== undefined, 3000, 'the close');
      const notice = socket.seen((e) => e['notice_type'] === 'bot_offline')[0];
      assert.ok(notice !== undefined, 'the notice came before the close');
      assert.deepEqual({ ...notice, time: 0 }, {
        post_type: 'notice', notice_type: 'bot_offline', self_id: w.sb.connection.selfId, user_id: w.sb.connection.selfId, time: 0,
        tag: '下线通知', message: '你的帐号在另一台设备登录，当前设备已下线。',
      });
      assert.equal(socket.closed?.code, 1000);
    }
    // Once: the bot's next connection is not kicked.
    const next = await w.connect('/');
    await sleep(200);
    assert.equal(next.closed, undefined);
    next.ws.terminate();
  });
});
