/**
 * Forward WebSocket server (§3.4, §3.6): handshake auth, endpoints, event push and the `connect`
 * broadcast, the backlog bound, frame size limit, listen errors and shutdown.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { CONNECT, Peer, sleep, startForward, TOKEN, until } from './harness.js';

const LOGIN_OK = '{"data":{"nickname":"bot","user_id":10001000},"retcode":0,"status":"ok"}';
const CALL = '{"action":"get_login_info"}';
const MESSAGE_EVENT = { post_type: 'message', message_type: 'private', sub_type: 'friend', user_id: 20001, message: 'hi', raw_message: 'hi', message_id: 1, font: 0 };

test('handshake auth: no token / wrong token → "authorization failed" then close 1000, nothing else', async () => {
  const f = await startForward({ accessToken: TOKEN });
  try {
    const refused: [string, Record<string, string>][] = [
      ['/', {}],
      ['/event', {}],
      ['/api', { Authorization: 'Bearer wrong' }],
      ['/?access_token=wrong', {}],
      // A header that is present but unparsable wins over a right query token (§3.1.1).
      [`/api?access_token=${TOKEN}`, { Authorization: `bearer ${TOKEN}` }],
      [`/?access_token=${TOKEN}`, { Authorization: 'Basic abc' }],
    ];
    for (const [path, headers] of refused) {
      const peer = await Peer.open(f.url(path), { headers });
      peer.ws.send(CALL); // ignored: the connection is not authorised
      const closed = await peer.closed;
      assert.deepEqual(peer.frames, ['authorization failed'], path);
      assert.equal(closed.code, 1000, path);
    }
    assert.equal(f.calls.length, 0);
    assert.equal(f.pipeline.socketCount, 0);
    assert.ok(f.lines.some((l) => l.includes('authorization failed')));

    const accepted: [string, Record<string, string>][] = [
      ['/api', { Authorization: `Bearer ${TOKEN}` }],
      ['/api/', { Authorization: `Token ${TOKEN}` }],
      ['/api/', { Authorization: `token ${TOKEN}` }],
      [`/api/?access_token=${TOKEN}`, {}],
      [`/api?x=1&access_token=${encodeURIComponent(TOKEN)}`, {}],
    ];
    for (const [path, headers] of accepted) {
      const peer = await Peer.open(f.url(path), { headers });
      assert.equal(await peer.call(CALL), LOGIN_OK, path);
      peer.close();
    }
  } finally {
    await f.stop();
  }
});

test('endpoints: /api and /api/ answer calls without events; /event and /event/ push events and ignore frames', async () => {
  const f = await startForward();
  try {
    const api = await Peer.open(f.url('/api'));
    const apiSlash = await Peer.open(f.url('/api/'));
    const event = await Peer.open(f.url('/event'));
    assert.equal(await event.next(), CONNECT);
    const eventSlash = await Peer.open(f.url('/event/?x=1'));
    assert.equal(await eventSlash.next(), CONNECT);
    assert.equal(await event.next(), CONNECT, 'the connect of /event/ is broadcast to /event too');
    assert.equal(await api.call(CALL), LOGIN_OK);
    assert.equal(await apiSlash.call(CALL), LOGIN_OK);

    const before = f.calls.length;
    event.ws.send(CALL);
    f.pipeline.publish({ ...MESSAGE_EVENT, time: 1 });
    const expected = '{"font":0,"message":"hi","message_id":1,"message_type":"private","post_type":"message","raw_message":"hi","self_id":10001000,"sub_type":"friend","time":1,"user_id":20001}';
    assert.equal(await event.next(), expected);
    assert.equal(await eventSlash.next(), expected);
    assert.deepEqual(await event.quiet(), [], '/event answers no API frame');
    assert.equal(f.calls.length, before, '/event dispatches nothing');
    assert.deepEqual(await api.quiet(0), [], '/api receives no events and no connect');
    assert.deepEqual(await apiSlash.quiet(0), []);
    for (const p of [api, apiSlash, event, eventSlash]) p.close();
  } finally {
    await f.stop();
  }
});

test('/ answers calls and pushes events; every event-capable open broadcasts one connect to all', async () => {
  const f = await startForward();
  try {
    const a = await Peer.open(f.url('/'));
    assert.equal(await a.next(), CONNECT);
    const b = await Peer.open(f.url('/event'));
    assert.equal(await b.next(), CONNECT);
    assert.equal(await a.next(), CONNECT);
    const c = await Peer.open(f.url('/api'));
    assert.equal(await a.call(CALL), LOGIN_OK);
    assert.deepEqual(await b.quiet(), [], 'an /api connection broadcasts no connect');
    assert.deepEqual(await c.quiet(0), []);
    for (const p of [a, b, c]) p.close();
    await until(() => f.server.connections() === 0 && f.pipeline.socketCount === 0, 3000, 'detach on close');
  } finally {
    await f.stop();
  }
});

test('any other path (/ws, /onebot/v11/ws, …) is served as / (Universal), as go-cqhttp does; the path is logged at debug', async () => {
  const f = await startForward();
  try {
    for (const path of ['/ws', '/onebot/v11/ws', '/onebot/v11/ws/?x=1', '/foo', '/api/x', '/apis', '/events', '//', '/API', '/%61pi']) {
      const peer = await Peer.open(f.url(path));
      assert.equal(await peer.next(), CONNECT, `${path}: connect pushed`);
      assert.equal(await peer.call(CALL), LOGIN_OK, `${path}: API frames answered`);
      f.pipeline.publish({ ...MESSAGE_EVENT, time: 1 });
      assert.match(await peer.next(), /"post_type":"message"/, `${path}: events pushed`);
      peer.close();
      await until(() => f.server.connections() === 0, 3000, 'the close');
    }
    assert.ok(f.lines.some((l) => l.includes('WebSocket path /onebot/v11/ws is served as / (Universal') && l.includes('"level":20')), 'logged at debug');
    assert.ok(!f.lines.some((l) => l.includes('WebSocket path /api ')), '/api is not Universal');
    // Plain HTTP (no upgrade): every path wants an upgrade.
    assert.equal(await statusOf(f.port, '/api'), 426);
    assert.equal(await statusOf(f.port, '/foo'), 426);
  } finally {
    await f.stop();
  }
});

test('a client that stops reading is cut off at maxBacklogBytes; the server keeps working', async () => {
  const f = await startForward({ maxBacklogBytes: 256 * 1024 });
  try {
    const stalled = await Peer.open(f.url('/event'));
    assert.equal(await stalled.next(), CONNECT);
    const healthy = await Peer.open(f.url('/event'));
    assert.equal(await healthy.next(), CONNECT);
    assert.equal(await stalled.next(), CONNECT, 'the connect of `healthy` is broadcast to `stalled` too');
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(256 * 1024);
    let published = 0;
    while (f.pipeline.socketCount === 2 && published < 2000) {
      f.pipeline.publish({ ...MESSAGE_EVENT, message: big, raw_message: big, time: 1 });
      published++;
      await f.pipeline.idle();
      await sleep(published % 10 === 0 ? 5 : 0);
    }
    assert.equal(f.pipeline.socketCount, 1, 'the stalled connection was detached');
    assert.ok(published < 2000, `cut off after ${published} events`);
    assert.ok(f.lines.some((l) => l.includes('not reading')), 'a warning is logged');
    await until(() => healthy.frames.length === 1 + published, 5000, 'the healthy client to get every event');
    await until(() => f.server.connections() === 1, 3000, 'the stalled connection to be gone');
    const api = await Peer.open(f.url('/api'));
    assert.equal(await api.call(CALL), LOGIN_OK);
    api.close();
    healthy.close();
    stalled.close();
  } finally {
    await f.stop();
  }
});

test('a frame above maxFrameSize closes the connection with 1009 (logged); smaller ones are answered', async () => {
  const f = await startForward({ maxFrameSize: 1024 });
  try {
    const peer = await Peer.open(f.url('/api'));
    const echo = 'e'.repeat(900);
    assert.equal(await peer.call(`{"action":"get_login_info","echo":"${echo}"}`), `{"data":{"nickname":"bot","user_id":10001000},"echo":"${echo}","retcode":0,"status":"ok"}`);
    peer.ws.send(`{"action":"get_login_info","echo":"${'e'.repeat(2000)}"}`);
    assert.equal((await peer.closed).code, 1009);
    assert.ok(f.lines.some((l) => l.includes('1009')));
  } finally {
    await f.stop();
  }
});

test('EADDRINUSE names ws_port; close() sends 1001 to every client and stops listening', async () => {
  const f = await startForward();
  const second = await startForward({ port: f.port }).catch((err: NodeJS.ErrnoException) => err);
  assert.ok(second instanceof Error);
  assert.equal((second as NodeJS.ErrnoException).code, 'EADDRINUSE');
  assert.match(second.message, /ws_port/);
  const peers = [await Peer.open(f.url('/')), await Peer.open(f.url('/api'))];
  await f.stop();
  for (const p of peers) assert.equal((await p.closed).code, 1001);
  assert.equal(f.server.connections(), 0);
  assert.equal(f.pipeline.socketCount, 0);
  await assert.rejects(Peer.open(f.url('/api')));
  await f.server.close(); // idempotent
});

function statusOf(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a client that sends calls but stops reading the answers is cut once its unsent answers pass the backlog', async () => {
  const f = await startForward({ maxBacklogBytes: 1024 * 1024 });
  try {
    const peer = await Peer.open(f.url('/api'));
    peer.ws.on('error', () => {}); // the cut resets the connection under the client's sends
    (peer.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const frame = `{"action":"get_login_info","echo":"${'e'.repeat(100_000)}"}`;
    const rss = process.memoryUsage().rss;
    let sent = 0;
    for (; sent < 2000 && f.server.connections() === 1; sent++) {
      if (peer.ws.readyState !== peer.ws.OPEN) break;
      peer.ws.send(frame);
      if (sent % 10 === 9) await sleep(2);
    }
    await until(() => f.server.connections() === 0, 5000, 'the stalled connection to be cut');
    assert.ok(sent < 2000, `cut after ${sent} calls`);
    const line = f.lines.find((l) => l.includes('not reading'));
    assert.match(line ?? '', /client is not reading \(\d+ bytes unsent, limit 1048576\); connection cut/);
    const grown = (process.memoryUsage().rss - rss) / 1024 / 1024;
    assert.ok(grown < 150, `RSS grew by ${grown.toFixed(0)} MiB`);
    const api = await Peer.open(f.url('/api'));
    assert.equal(await api.call('{"action":"get_login_info"}'), '{"data":{"nickname":"bot","user_id":10001000},"retcode":0,"status":"ok"}');
    api.close();
    peer.close();
  } finally {
    await f.stop();
  }
});
