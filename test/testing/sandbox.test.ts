/**
 * The test API (`cqhttpd/testing`) against a real bot process — examples/scenarios/bot.mjs — over
 * the forward WebSocket and over HTTP POST + the HTTP API: every expectation kind, consumption,
 * the quiet window, failures quoting the nearest actual item, names from the world, the trace.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExpectationFailure, startSandbox, type Sandbox } from '../../src/testing/index.js';
import { freePort } from '../clients/support.js';

const BOT = path.resolve('examples/scenarios/bot.mjs');
const LOUNGE = 100001;
const CAROL = 20003;

function startBot(sb: Sandbox, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [BOT, ...args], { env: { ...process.env, ...sb.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

describe('forward WebSocket bot', () => {
  let sb: Sandbox;
  let bot: ChildProcess;
  const traceLines: Record<string, unknown>[] = [];
  before(async () => {
    sb = await startSandbox({ trace: (line) => traceLines.push(line), timeout: 3000, quiet: 300 });
    bot = startBot(sb);
    await sb.waitForBot({ timeout: 10_000 });
  });
  after(async () => {
    bot.kill();
    await sb.close();
  });

  test('GET /api/connections reports the bot\'s socket', async () => {
    const { connections } = (await sb.control('GET', '/api/connections')) as { connections: Record<string, unknown>[] };
    assert.equal(connections.length, 1);
    assert.deepEqual({ ...connections[0], id: 0, remote: '', opened_at: 0, connected_since: 0 }, {
      id: 0, transport: 'ws', role: 'universal', path: '/', remote: '', state: 'open', auth: 'none', opened_at: 0, connected_since: 0,
      reconnects: 0, last_heartbeat: null, last_error: null, last_status: null, last_latency_ms: null,
      events: (connections[0] as { events: unknown }).events, closed_at: null, close_code: null, self_id: sb.connection.selfId,
    });
  });

  test('reply, call and event expectations, armed before the act', async () => {
    const reply = sb.expectReply({ text: 'pong', group_id: LOUNGE });
    const call = sb.expectCall({ action: 'send_msg', params: { group_id: LOUNGE, message: 'pong' }, status: 'ok' });
    const event = sb.expectEvent({ post_type: 'message', message_type: 'group', raw_message: 'ping', user_id: CAROL });
    await sb.say('ping', { as: CAROL, in: LOUNGE });
    const got = await reply;
    assert.equal(got['group_id'], LOUNGE);
    assert.equal((await call)['action'], 'send_msg');
    assert.equal((await event)['group_id'], LOUNGE);
  });

  test('expectations after the act still see what came (nothing is missed), names resolve through the world', async () => {
    await sb.say('ping', { as: 'Carol', in: 'Sandbox Lounge' });
    await sb.expectReply('/^po/');
  });

  test('a matched item is consumed: two equal expectations need two replies', async () => {
    await sb.say('ping', { as: CAROL, in: LOUNGE });
    await sb.expectReply('pong');
    await assert.rejects(sb.expectReply('pong', { timeout: 300 }), ExpectationFailure);
  });

  test('a failed expectation names itself and quotes the nearest actual', async () => {
    await sb.say('ping', { as: CAROL, in: LOUNGE });
    const err = await sb.expectReply({ text: 'pang', group_id: LOUNGE }, { timeout: 400 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ExpectationFailure);
    assert.match(err.message, /expected reply \{"text":"pang","group_id":100001\} within 400 ms; nearest: reply .*"pong"/);
    sb.unconsumed();
  });

  test('$contains, at, params subset with a number against the call', async () => {
    const mark = sb.mark();
    await sb.say('whoami', { as: CAROL, in: LOUNGE });
    await sb.expectCall({ action: 'get_group_member_info', params: { user_id: CAROL, group_id: LOUNGE } }, { after: mark });
    const reply = await sb.expectReply({ at: CAROL, text: { $contains: 'you are' }, segments: { $contains: { type: 'at', data: { qq: String(CAROL) } } } });
    assert.match(String(reply['raw_message']), /^\[CQ:at,qq=20003\]/);
  });

  test('quote and $any / $absent', async () => {
    const { message_id } = await sb.say('echo hi', { as: CAROL, in: LOUNGE });
    await sb.expectReply({ quote: message_id, text: '/hi$/', raw: '$any' });
    await sb.say('ping', { as: CAROL, in: LOUNGE });
    await sb.expectCall({ action: 'send_msg', params: { message: 'pong', user_id: '$absent' } });
    sb.unconsumed();
  });

  test('expectNone passes on silence and fails on a late answer within the window', async () => {
    await sb.say('hello', { as: CAROL, in: LOUNGE });
    await sb.expectNone({ reply: {}, call: 'send_msg' });
    await sb.say('ping', { as: CAROL, in: LOUNGE });
    await assert.rejects(sb.expectNone({ call: { action: 'send_msg' } }, { quiet: 2000 }), /expected no call .* but got call .*send_msg/);
    sb.unconsumed();
  });

  test('world expectations and other acts: mute, join with a welcome, private chat, poke', async () => {
    await sb.act({ mute: 'Dave', in: 'Sandbox Lounge', as: 'Alice', duration: '10m' });
    await sb.expectEvent({ notice_type: 'group_ban', sub_type: 'ban', user_id: 20004, duration: 600 });
    await sb.expectWorld({ member: { group: LOUNGE, user: 'Dave', muted: true } });
    await assert.rejects(sb.expectWorld({ member: { group: LOUNGE, user: 'Dave', muted: false } }, { timeout: 200 }), /expected world .*actual: .*"muted":true/);
    await sb.act({ join: LOUNGE, as: 'Heidi' });
    await sb.expectReply({ group_id: LOUNGE, at: 20008, text: ' welcome' });
    await sb.expectWorld({ member: { group: LOUNGE, user: 20008 } });
    await sb.say('ping', { as: 'Alice', private: true });
    await sb.expectReply({ user_id: 20001, text: 'pong' });
    await sb.act({ poke: 'self', as: 'Carol', in: LOUNGE });
    await sb.expectReply({ group_id: LOUNGE, text: 'ouch' });
    const { message_id } = await sb.say('to be recalled', { as: CAROL, in: LOUNGE });
    await sb.act({ recall: message_id, as: CAROL });
    await sb.expectWorld({ message: { id: message_id, recalled: true } });
    await sb.expectEvent({ notice_type: 'group_recall', message_id });
  });

  test('the trace has acts, events, calls and messages with times', () => {
    const types = new Set(traceLines.map((l) => l['type']));
    for (const type of ['act', 'event', 'call', 'message']) assert.ok(types.has(type), `no ${type} line`);
    for (const line of traceLines) assert.equal(typeof line['t'], 'number');
  });
});

describe('virtual time', () => {
  test('advance: mutes run out, the recall window closes, events carry the later time; the real clock cannot move', async () => {
    const sb = await startSandbox();
    try {
      await sb.act({ mute: 'Dave', in: LOUNGE, as: 'Alice', duration: '10m' });
      await sb.expectWorld({ member: { group: LOUNGE, user: 'Dave', muted: true } });
      const { message_id } = await sb.say('mine', { as: CAROL, in: LOUNGE });
      const before = Date.now();
      const now = await sb.advance('11m');
      assert.ok(now >= before + 660_000 && now < Date.now() + 660_000 + 1000);
      await sb.expectWorld({ member: { group: LOUNGE, user: 'Dave', muted: false } }, { timeout: 200 });
      // A plain member recalls their own message within 2 minutes only.
      await assert.rejects(sb.act({ recall: message_id, as: CAROL }), /only within 120 s/);
      await sb.say('later', { as: CAROL, in: LOUNGE });
      const event = await sb.expectEvent({ post_type: 'message', raw_message: 'later' });
      assert.ok(Number(event['time']) * 1000 >= before + 660_000 - 1000); // seconds, floored
      assert.deepEqual(await sb.control('GET', '/api/clock').then((c) => [c['virtual'], c['offset']]), [true, 660_000]);
      await assert.rejects(sb.advance('soon'), /not a duration/);
    } finally {
      await sb.close();
    }
    const real = await startSandbox({ clock: 'real' });
    try {
      await assert.rejects(real.advance('1m'), /real clock/);
      assert.equal((await real.control('GET', '/api/clock'))['virtual'], false);
    } finally {
      await real.close();
    }
  });
});

describe('HTTP POST bot', () => {
  test('events by POST, answers through the HTTP API', async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-trace-'));
    const sb = await startSandbox({ config: { post_url: `http://127.0.0.1:${port}/` }, trace: path.join(dir, 'trace.ndjson') });
    const bot = startBot(sb, ['--post-port', String(port)]);
    try {
      await sb.waitForBot({ timeout: 10_000 });
      await sb.say('ping', { as: CAROL, in: LOUNGE });
      await sb.expectReply({ text: 'pong', group_id: LOUNGE });
      await sb.expectCall({ action: 'send_msg', channel: 'http' });
    } finally {
      bot.kill();
      await sb.close();
    }
    const lines = fs.readFileSync(path.join(dir, 'trace.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l['type'] === 'act'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a bot that never connects is a clear error', async () => {
    const port = await freePort();
    const sb = await startSandbox({ config: { post_url: `http://127.0.0.1:${port}/` } });
    try {
      await assert.rejects(sb.waitForBot({ timeout: 300 }), /the bot did not connect within 300 ms \(waiting for: .*http_post http:\/\/127\.0\.0\.1:\d+\/; connections: http_post event/);
    } finally {
      await sb.close();
    }
  });
});
