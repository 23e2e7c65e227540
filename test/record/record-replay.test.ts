/**
 * Record and replay, end to end: a bridge (record = true) in front of a sandbox cqhttpd upstream, a
 * small bot process on the bridge; people of the upstream's world speak; the cassette is redacted;
 * `cqhttpd replay` plays it back against the same bot (no difference, exit 0), against a bot whose
 * answer changed (the difference named, exit 1), and in strict mode from the recorded answers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCassette } from '../../src/record/index.js';
import { BotProcess } from '../../src/testing/scenario/bot.js';
import { runReplayCommand } from '../../src/testing/replay/command.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const GROUP = 100001;
const CAROL = 20003;
const BOT_SCRIPT = path.join(import.meta.dirname, 'replay-bot.mjs');
const UPSTREAM_TOKEN = 'upstream-secret-7c1f';
const BOT_TOKEN = 'bots-secret-90ab';

let upstream: TestApp;
let cassette: string;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function say(text: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${upstream.app.sandbox.port}/api/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: CAROL, group_id: GROUP, message: text }),
  });
  assert.equal(res.status, 200, await res.text());
}

async function botMessages(): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${upstream.app.sandbox.port}/api/messages?group_id=${GROUP}`);
  const { messages } = (await res.json()) as { messages: { user_id: number; raw_message: string }[] };
  return messages.filter((m) => m.user_id === upstream.app.backend.selfId).map((m) => m.raw_message);
}

async function replayOf(file: string, flags: { bot: string; strict?: boolean }): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runReplayCommand(file, { ...flags, quiet: '300ms', reporter: [], set: {} }, (t) => (out += t), (t) => (out += t));
  return { code, out };
}

let bridgeDir: string;

before(async () => {
  upstream = await startTestApp({ config: { use_ws: true, access_token: UPSTREAM_TOKEN } });
  bridgeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-record-'));
  const bridge = await startTestApp({
    dataDir: bridgeDir,
    config: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${upstream.app.ws!.port}/`, upstream_access_token: UPSTREAM_TOKEN, use_ws: true, access_token: BOT_TOKEN, record: true },
  });
  const bot = new BotProcess(`node ${BOT_SCRIPT}`, { CQHTTPD_WS_URL: `ws://127.0.0.1:${bridge.instance.ws!.port}/`, CQHTTPD_ACCESS_TOKEN: BOT_TOKEN }, () => {});
  try {
    await until('the bot to connect', () => bridge.instance.connections.list().some((c) => c.state === 'open'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = (await botMessages()).length;
    await say('ping');
    await until('the bot\'s pong', async () => (await botMessages()).length === before + 1);
    await say('hello there');
    await say('who');
    await until('the bot\'s greeting', async () => (await botMessages()).length === before + 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await bot.stop();
    await bridge.close();
  }
  const dir = path.join(bridgeDir, 'cassettes');
  const files = fs.readdirSync(dir);
  assert.equal(files.length, 1, files.join(', '));
  cassette = path.join(dir, files[0] as string);
});

after(async () => {
  await upstream?.close();
  if (bridgeDir !== undefined) fs.rmSync(bridgeDir, { recursive: true, force: true });
});

describe('recording the bridge', () => {
  it('writes a header, the upstream frames, the events, the bot\'s calls and the link changes', () => {
    const { header, lines } = readCassette(cassette);
    assert.equal(header.upstream.kind, 'onebot');
    assert.equal(header.upstream.version?.['app_name'], 'cqhttpd');
    assert.equal(header.redacted, true);
    const types = new Set(lines.map((l) => l.type));
    for (const type of ['upstream', 'event', 'call', 'link']) assert.ok(types.has(type), `a ${type} line`);
    const ts = lines.map((l) => l.t);
    assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 't is monotonic');
    const calls = lines.filter((l) => l.type === 'call').map((l) => (l['data'] as { action: string }).action);
    assert.deepEqual(calls, ['get_login_info', 'send_group_msg', 'get_group_member_info', 'send_group_msg']);
  });

  it('is redacted: no real QQ number, nickname, group name or token; the pseudonyms agree everywhere', () => {
    const text = fs.readFileSync(cassette, 'utf8');
    for (const qq of [CAROL, GROUP, upstream.app.backend.selfId]) {
      // As a whole number (a `time` may hold the same digits).
      assert.doesNotMatch(text, new RegExp(`(?<![\\d.])${qq}(?![\\d.])`), `the cassette holds ${qq}`);
    }
    for (const secret of ['Carol', 'Sandbox Lounge', 'cqhttpd-bot', UPSTREAM_TOKEN, BOT_TOKEN]) {
      assert.ok(!text.includes(secret), `the cassette holds ${secret}`);
    }
    const { header, lines } = readCassette(cassette);
    const events = lines.filter((l) => l.type === 'event').map((l) => l['data'] as Record<string, unknown>);
    const ping = events.find((e) => e['raw_message'] === 'ping');
    assert.ok(ping);
    const carol = ping['user_id'] as number;
    const group = ping['group_id'] as number;
    assert.notEqual(carol, header.self_id);
    assert.equal((ping['sender'] as Record<string, unknown>)['nickname'], `nickname-${carol}`);
    for (const e of events) assert.equal(e['user_id'], carol);
    const frames = lines.filter((l) => l.type === 'upstream' && (l['data'] as Record<string, unknown>)['post_type'] === 'message').map((l) => l['data'] as Record<string, unknown>);
    for (const f of frames) {
      assert.equal(f['user_id'], carol);
      assert.equal(f['group_id'], group);
      assert.equal(f['self_id'], header.self_id);
    }
    const sends = lines.filter((l) => l.type === 'call' && (l['data'] as { action: string }).action === 'send_group_msg').map((l) => (l['data'] as { params: Record<string, unknown> }).params);
    for (const p of sends) assert.equal(p['group_id'], group);
    assert.match(String(sends[1]?.['message']), new RegExp(`\\[CQ:at,qq=${carol}\\]`));
  });
});

describe('cqhttpd replay', () => {
  it('world mode: the same bot makes the same calls → exit 0', async () => {
    const run = await replayOf(cassette, { bot: `node ${BOT_SCRIPT}` });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /1 passed, 0 failed/);
  });

  it('world mode: a bot whose answer changed → the difference is named, exit 1', async () => {
    const run = await replayOf(cassette, { bot: `REPLY=pang node ${BOT_SCRIPT}` });
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /turn 1 \(group message from \d+ in \d+: "ping"\): changed send_group_msg: params\.message\[1\]\.data\.text: "pong" → "pang"/);
    assert.doesNotMatch(run.out, /turn [23] \(/, 'only turn 1 differs');
  });

  it('strict mode: the bot is answered from the recorded results → exit 0; a changed answer → exit 1', async () => {
    const same = await replayOf(cassette, { bot: `node ${BOT_SCRIPT}`, strict: true });
    assert.equal(same.code, 0, same.out);
    const changed = await replayOf(cassette, { bot: `REPLY=pang node ${BOT_SCRIPT}`, strict: true });
    assert.equal(changed.code, 1, changed.out);
    assert.match(changed.out, /changed send_group_msg: params\.message\[1\]\.data\.text: "pong" → "pang"/);
    assert.match(changed.out, /no answer to the bridge's call send_group_msg/);
  });

  it('refuses a file that is not a cassette with exit 2', async () => {
    const run = await replayOf(BOT_SCRIPT, { bot: 'true' });
    assert.equal(run.code, 2);
    assert.match(run.out, /not a cqhttpd cassette/);
  });
});
