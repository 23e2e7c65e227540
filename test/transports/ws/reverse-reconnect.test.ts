/**
 * Reverse WebSocket reconnects (§3.5): after the bot's server dies and returns, after closes with
 * and without 1000, after a stalled or oversized connection; never two sockets; no leaked handles.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { BotServer, reverseClient } from './bot-server.js';
import { CONNECT, sleep, until } from './harness.js';

test('reconnects after the server is killed and brought back on the same port', async () => {
  const first = await BotServer.start();
  const port = first.port;
  const r = reverseClient({ url: first.url(), reconnectIntervalMs: 30 });
  try {
    r.client.start();
    assert.equal(await (await first.connection(0)).peer.next(), CONNECT);
    await first.stop();
    await until(() => !r.client.connected(), 2000, 'disconnect');
    assert.equal(r.pipeline.socketCount, 0, 'the event channel is detached while disconnected');
    await sleep(150); // several refused dials
    const second = await BotServer.start(port);
    try {
      const { peer } = await second.connection(0);
      assert.equal(await peer.next(), CONNECT);
      assert.equal(await peer.call('{"action":"get_login_info","echo":2}'), '{"data":{"nickname":"bot","user_id":10001000},"echo":2,"retcode":0,"status":"ok"}');
      assert.equal(r.client.connected(), true);
      assert.equal(second.maxOpen, 1);
    } finally {
      await r.stop();
      await second.stop();
    }
  } finally {
    await r.stop();
  }
});

test('close 1000 reconnects only with reconnectOnCode1000; other codes always reconnect', async () => {
  for (const [code, reconnectOnCode1000, expected] of [[1000, false, 1], [1000, true, 2], [4000, false, 2], [1001, false, 2]] as const) {
    const bot = await BotServer.start();
    const r = reverseClient({ url: bot.url(), reconnectIntervalMs: 20, reconnectOnCode1000 });
    r.client.start();
    (await bot.connection(0)).peer.ws.close(code);
    await sleep(200); // ten intervals
    assert.equal(bot.connections.length, expected, `close ${code}, reconnectOnCode1000 ${reconnectOnCode1000}`);
    assert.equal(r.client.connected(), expected === 2);
    await r.stop();
    await bot.stop();
  }
});

test('never two live sockets: churn, repeated start(), and close() while a dial is pending', async () => {
  const bot = await BotServer.start();
  bot.wss.on('connection', (ws) => setTimeout(() => ws.close(4001), 2));
  const r = reverseClient({ url: bot.url(), reconnectIntervalMs: 1 });
  r.client.start();
  r.client.start();
  let maxChannels = 0;
  const sampler = setInterval(() => (maxChannels = Math.max(maxChannels, r.pipeline.socketCount)), 1);
  await until(() => bot.connections.length >= 30, 5000, '30 connections');
  clearInterval(sampler);
  await r.stop();
  await sleep(50); // a handshake already on the wire at close() may still land
  const count = bot.connections.length;
  await sleep(100);
  assert.equal(bot.connections.length, count, 'no dial after close()');
  assert.equal(bot.maxOpen, 1, 'at most one connection at a time');
  assert.ok(maxChannels <= 1, 'at most one attached event channel');
  assert.equal(r.pipeline.socketCount, 0);
  await bot.stop();
});

test('no leaked handles: 50 failed dials keep the active resources flat, and none remain after close()', async () => {
  // A TCP server that accepts and drops every connection: each dial fails after the TCP connect.
  const sockets = new Set<Socket>();
  let accepted = 0;
  const samples: number[] = [];
  const server = createServer((socket) => {
    accepted++;
    samples.push(process.getActiveResourcesInfo().length);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await sleep(20);
  const baseline = process.getActiveResourcesInfo().length;
  const r = reverseClient({ url: `ws://127.0.0.1:${port}/`, reconnectIntervalMs: 2 });
  r.client.start();
  await until(() => accepted >= 50, 10_000, '50 attempts');
  await r.stop();
  server.close();
  await until(() => sockets.size === 0, 2000, 'sockets closed');
  const early = Math.max(...samples.slice(0, 10));
  const late = Math.max(...samples.slice(40, 50));
  assert.ok(late <= early, `active resources grew: ${samples.join(',')}`);
  await until(() => process.getActiveResourcesInfo().length <= baseline - 1, 2000, `resources back to baseline (${baseline} incl. the server): ${process.getActiveResourcesInfo().join(',')}`);
  // Repeated failures are logged once at warn level, then at debug.
  const warns = r.lines.filter((l) => JSON.parse(l).level === 40 && l.includes('cannot connect'));
  assert.equal(warns.length, 1);
});

test('refused dials (nothing listening) retry forever at the interval until close()', async () => {
  const bot = await BotServer.start();
  const port = bot.port;
  await bot.stop();
  const r = reverseClient({ url: `ws://127.0.0.1:${port}/`, reconnectIntervalMs: 5 });
  r.client.start();
  await until(() => r.lines.filter((l) => l.includes('cannot connect')).length >= 20, 5000, '20 refused dials');
  await r.stop();
  const attempts = r.lines.filter((l) => l.includes('cannot connect')).length;
  await sleep(50);
  assert.equal(r.lines.filter((l) => l.includes('cannot connect')).length, attempts, 'no dial after close()');
});

test('a server that stops reading is cut at maxBacklogBytes and the client reconnects', async () => {
  const bot = await BotServer.start();
  const r = reverseClient({ url: bot.url(), maxBacklogBytes: 128 * 1024, reconnectIntervalMs: 20 });
  try {
    r.client.start();
    const first = (await bot.connection(0)).peer;
    assert.equal(await first.next(), CONNECT);
    (first.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'y'.repeat(128 * 1024);
    for (let i = 0; i < 2000 && bot.connections.length === 1; i++) {
      r.pipeline.publish({ post_type: 'notice', notice_type: 'x', text: big, time: 1 });
      await r.pipeline.idle();
      if (i % 10 === 0) await sleep(2);
    }
    assert.ok(r.lines.some((l) => l.includes('not reading')), 'a warning is logged');
    const second = (await bot.connection(1)).peer;
    assert.equal(await second.next(), CONNECT);
    assert.equal(r.pipeline.socketCount, 1);
  } finally {
    await r.stop();
    await bot.stop();
  }
});

test('a frame above maxFrameSize closes with 1009 and the client reconnects; close() sends 1001', async () => {
  const bot = await BotServer.start();
  const r = reverseClient({ url: bot.url(), maxFrameSize: 1024, role: 'API' });
  try {
    r.client.start();
    const first = (await bot.connection(0)).peer;
    first.ws.send(`{"action":"get_login_info","echo":"${'e'.repeat(2000)}"}`);
    assert.equal((await first.closed).code, 1009);
    assert.ok(r.lines.some((l) => l.includes('1009')));
    const second = (await bot.connection(1)).peer;
    assert.equal(await second.call('{"action":"get_login_info"}'), '{"data":{"nickname":"bot","user_id":10001000},"retcode":0,"status":"ok"}');
    await r.client.close();
    assert.equal((await second.closed).code, 1001);
    assert.equal(r.client.connected(), false);
  } finally {
    await r.stop();
    await bot.stop();
  }
});

test('a server that sends calls but stops reading the answers is cut at maxBacklogBytes; the client reconnects', async () => {
  const bot = await BotServer.start();
  const r = reverseClient({ url: bot.url(), maxBacklogBytes: 512 * 1024, reconnectIntervalMs: 20, role: 'API' });
  try {
    r.client.start();
    const first = (await bot.connection(0)).peer;
    first.ws.on('error', () => {});
    (first.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const frame = `{"action":"get_login_info","echo":"${'e'.repeat(100_000)}"}`;
    for (let i = 0; i < 2000 && bot.connections.length === 1 && first.ws.readyState === first.ws.OPEN; i++) {
      first.ws.send(frame);
      if (i % 10 === 9) await sleep(2);
    }
    await until(() => r.lines.some((l) => l.includes('not reading')), 5000, 'the cut to be logged');
    assert.match(r.lines.find((l) => l.includes('not reading')) ?? '', /server is not reading \(\d+ bytes unsent, limit 524288\); reconnecting/);
    const second = (await bot.connection(1)).peer;
    assert.equal(await second.call('{"action":"get_login_info"}'), '{"data":{"nickname":"bot","user_id":10001000},"retcode":0,"status":"ok"}');
  } finally {
    await r.stop();
    await bot.stop();
  }
});
