/**
 * The traffic log: the real app with a real logger (pretty console lines and the JSON log file),
 * a forward WebSocket bot, a reverse WebSocket bot, HTTP calls and messages in the sandbox.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { createLogger } from '../../src/app/logger.js';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { startTestApp } from '../helpers/app.js';
import { BotServer } from '../transports/ws/bot-server.js';
import { until } from '../transports/ws/harness.js';
import { shownUrl } from '../../src/transports/ws/reverse.js';

const TOKEN = 'sekrit-token-4242';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A logger as the CLI makes it: pretty lines on a stream, JSON lines in a file. */
function capture(dir: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const file = path.join(dir, 'log.jsonl');
  return { logger: createLogger({ level: 'info', format: 'pretty', stream, file }), lines, file };
}

const traffic = (lines: readonly string[]) => lines.filter((line) => line.includes('[traffic]')).map((line) => line.slice(line.indexOf('[traffic] ') + 10));

test('messages in and out, failed calls and bot connections each make one readable info line, and no token appears', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-traffic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bot = await BotServer.start();
  t.after(() => bot.stop());
  const { logger, lines, file } = capture(dir);
  const app = await startTestApp({
    logger,
    dataDir: path.join(dir, 'data'),
    config: {
      access_token: TOKEN, use_ws: true, use_ws_reverse: true, ws_reverse_reconnect_interval: 50,
      ws_reverse_url: `ws://127.0.0.1:${bot.port}/onebot/v11/ws?access_token=${TOKEN}`,
    },
  });
  try {
    await until(() => traffic(lines).some((l) => l.startsWith('bot connected: reverse')), 3000, 'the reverse connection');
    const forward = new WebSocket(`ws://127.0.0.1:${app.app.ws!.port}/onebot/v11/ws?access_token=${TOKEN}`);
    await new Promise((resolve, reject) => forward.once('open', resolve).once('error', reject));
    await until(() => traffic(lines).some((l) => l.startsWith('bot connected: forward')), 3000, 'the forward connection');
    // A refused handshake is the transport's warning, not a connection in the traffic log.
    const refused = new WebSocket(`ws://127.0.0.1:${app.app.ws!.port}/?access_token=wrong`);
    await new Promise((resolve) => refused.once('close', resolve));

    const heard = app.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: [{ type: 'text', data: { text: 'hi bot' } }] });
    const dm = app.app.backend.postMessage({ from: USERS.alice, message: [{ type: 'text', data: { text: 'psst\nsecond line' } }] });
    const long = `${'a long message '.repeat(10)}[CQ:image,file=base64://${PNG}] end`;
    const group = await app.call('send_group_msg', { group_id: GROUPS.botOwner, message: long }, AUTH);
    const privateSent = await app.call('send_private_msg', { user_id: USERS.alice, message: `[CQ:face,id=14]hello [CQ:image,file=base64://${PNG}]` }, AUTH);
    const failed = await app.call('send_group_msg', { group_id: 424242, message: 'anyone?' }, AUTH);
    const unknown = await app.call('no_such_action', {}, AUTH);
    assert.equal(unknown.status, 404);
    forward.close();
    await until(() => traffic(lines).some((l) => l.startsWith('bot disconnected: forward')), 3000, 'the forward close');

    const got = traffic(lines);
    const groupId = (group.body!.data as { message_id: number }).message_id;
    const privateId = (privateSent.body!.data as { message_id: number }).message_id;
    const expected = [
      `bot connected: reverse WebSocket Universal to ws://127.0.0.1:${bot.port}/onebot/v11/ws`,
      /^bot connected: forward WebSocket \/onebot\/v11\/ws \(Universal\) from 127\.0\.0\.1:\d+$/,
      `message from carol(${USERS.carol}) in group Sandbox Lounge(${GROUPS.botOwner}): hi bot (id ${heard.messageId})`,
      `private message from Alice(${USERS.alice}): psst second line (id ${dm.messageId})`,
      `sent to group Sandbox Lounge(${GROUPS.botOwner}): ${'a long message '.repeat(10).slice(0, 80).trimEnd()}… (id ${groupId})`,
      `sent to Alice(${USERS.alice}): [face:14]hello [image] (id ${privateId})`,
      `call send_group_msg failed (via http): retcode ${failed.body!.retcode} ${failed.body!.msg}: ${failed.body!.wording}`,
      'call no_such_action failed (via http): no such action (HTTP 404 / retcode 1404)',
      /^bot disconnected: forward WebSocket \/onebot\/v11\/ws \(Universal\) from 127\.0\.0\.1:\d+ \(code 1005\)$/,
    ];
    for (const line of expected) {
      const found = got.filter((l) => (typeof line === 'string' ? l === line : line.test(l)));
      assert.equal(found.length, 1, `exactly one ${String(line)} in\n${got.join('\n')}`);
    }
    assert.equal(got.length, expected.length, got.join('\n'));
    assert.ok(lines.every((l) => /^\[[\d:.]+\] (INFO|WARN)/.test(l)), 'info level (and the refused handshake warning)');
  } finally {
    await app.close();
  }
  const everything = `${lines.join('\n')}\n${readFileSync(file, 'utf8')}`;
  assert.ok(!everything.includes(TOKEN), 'no token in any line');
  assert.ok(!everything.includes(PNG.slice(0, 20)), 'no base64 payload in any line');
  assert.match(readFileSync(file, 'utf8'), /"component":"traffic","msg":"sent to group Sandbox Lounge/);
});

test('log_traffic = false quiets the traffic log', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-traffic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { logger, lines } = capture(dir);
  const app = await startTestApp({ logger, dataDir: path.join(dir, 'data'), config: { log_traffic: false, use_ws: true } });
  try {
    const forward = new WebSocket(`ws://127.0.0.1:${app.app.ws!.port}/`);
    await new Promise((resolve, reject) => forward.once('open', resolve).once('error', reject));
    app.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: [{ type: 'text', data: { text: 'hi bot' } }] });
    assert.equal((await app.call('send_group_msg', { group_id: GROUPS.botOwner, message: 'hello' })).body!.retcode, 0);
    assert.notEqual((await app.call('send_group_msg', { group_id: 424242, message: 'hello' })).body!.retcode, 0);
    forward.close();
    await new Promise((resolve) => forward.once('close', resolve));
  } finally {
    await app.close();
  }
  assert.deepEqual(traffic(lines), []);
  assert.ok(lines.length > 0, 'the logger did log (start-up lines)');
});

test('the reverse WebSocket client names its URL without user info, query or fragment in every log line', () => {
  assert.equal(shownUrl('ws://127.0.0.1:8080/onebot/v11/ws?access_token=abc#x'), 'ws://127.0.0.1:8080/onebot/v11/ws');
  assert.equal(shownUrl('wss://user:pa55@bot.example:443/ws'), 'wss://bot.example:443/ws');
  assert.equal(shownUrl('http://not-ws/?access_token=abc'), 'http://not-ws/');
});
