/**
 * Recording through the Milky bridge (`record = true`) and replaying it: a small bot process
 * (test/record/replay-bot.mjs) on a bridge in front of the fake Milky implementation; Frank speaks;
 * the cassette names the implementation (kind `milky`, its `get_impl_info`), holds its calls,
 * answers, events and connection changes, and is redacted; `cqhttpd replay` (world mode) plays it
 * back against the same bot (no difference) and against a bot whose answer changed (named).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCassette } from '../../../src/record/index.js';
import { BotProcess } from '../../../src/testing/scenario/bot.js';
import { runReplayCommand } from '../../../src/testing/replay/command.js';
import { startTestApp } from '../../helpers/app.js';
import { fakeMilky, FRANK, GROUP, groupMessage, milkyAnswers, SELF, text, TOKEN, type Call, type FakeMilky } from './fake-milky.js';

const BOT_SCRIPT = path.join(import.meta.dirname, '../../record/replay-bot.mjs');
const BOT_TOKEN = 'bots-secret-5e1d';

let cassette: string;
let dir: string;
let upstream: FakeMilky;
const closers: (() => Promise<void> | void)[] = [];

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function replayOf(file: string, flags: { bot: string; strict?: boolean }): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runReplayCommand(file, { ...flags, quiet: '300ms', reporter: [], set: {} }, (t) => (out += t), (t) => (out += t));
  return { code, out };
}

before(async () => {
  let seq = 70;
  const answers = (call: Call) => (call.api === 'send_group_message' ? { message_seq: ++seq, time: 1765000401 } : milkyAnswers(call));
  upstream = await fakeMilky({ after: (fn) => closers.push(fn) }, answers);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-milky-record-'));
  const bridge = await startTestApp({
    dataDir: dir,
    config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, use_ws: true, access_token: BOT_TOKEN, record: true },
  });
  const bot = new BotProcess(`node ${BOT_SCRIPT}`, { CQHTTPD_WS_URL: `ws://127.0.0.1:${bridge.instance.ws!.port}/`, CQHTTPD_ACCESS_TOKEN: BOT_TOKEN }, () => {});
  const sends = () => upstream.calls.filter((c) => c.api === 'send_group_message').length;
  try {
    await until('the bot to connect', () => bridge.instance.connections.list().some((c) => c.state === 'open'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    upstream.push('message_receive', groupMessage(61, [text('ping')]));
    await until('the bot\'s pong', () => sends() === 1);
    upstream.push('message_receive', groupMessage(62, [text('hello there')]));
    upstream.push('message_receive', groupMessage(63, [text('who')]));
    await until('the bot\'s greeting', () => sends() === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await bot.stop();
    await bridge.close();
  }
  const files = fs.readdirSync(path.join(dir, 'cassettes'));
  assert.equal(files.length, 1, files.join(', '));
  cassette = path.join(dir, 'cassettes', files[0] as string);
});

after(async () => {
  for (const close of closers.reverse()) await close();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

describe('recording the Milky bridge', () => {
  it('names the implementation and holds its calls, answers, events, the bot\'s calls and the link changes', () => {
    const { header, lines } = readCassette(cassette);
    assert.equal(header.upstream.kind, 'milky');
    assert.equal(header.upstream.url, upstream.url + '/');
    assert.equal(header.upstream.version?.['impl_name'], 'fake-milky');
    assert.equal(header.upstream.version?.['milky_version'], '1.2');
    assert.equal(header.redacted, true);
    const types = new Set(lines.map((l) => l.type));
    for (const type of ['upstream', 'event', 'call', 'link']) assert.ok(types.has(type), `a ${type} line`);
    const calls = lines.filter((l) => l.type === 'call').map((l) => (l['data'] as { action: string }).action);
    assert.deepEqual(calls, ['get_login_info', 'send_group_msg', 'get_group_member_info', 'send_group_msg']);
    const frames = lines.filter((l) => l.type === 'upstream').map((l) => ({ dir: l['dir'], data: l['data'] as Record<string, unknown> }));
    const out = frames.find((f) => f.dir === 'out' && f.data['action'] === 'send_group_message');
    assert.ok(out, 'the call to the implementation');
    const answer = frames.find((f) => f.dir === 'in' && f.data['echo'] === out.data['echo']);
    assert.deepEqual({ ...answer?.data, echo: 'x' }, { status: 'ok', retcode: 0, data: { message_seq: 71, time: 1765000401 }, echo: 'x' });
    assert.ok(frames.some((f) => f.dir === 'in' && f.data['event_type'] === 'message_receive'), 'the implementation\'s events');
  });

  it('is redacted: no real QQ number, name or token; the pseudonyms agree between Milky frames and OneBot events', () => {
    const raw = fs.readFileSync(cassette, 'utf8');
    for (const qq of [SELF, GROUP, FRANK]) assert.doesNotMatch(raw, new RegExp(`(?<![\\d.])${qq}(?![\\d.])`), `the cassette holds ${qq}`);
    for (const secret of ['frank', 'Frank', 'milky group', 'milky bot', 'elder', TOKEN, BOT_TOKEN]) assert.ok(!raw.includes(secret), `the cassette holds ${secret}`);
    const { header, lines } = readCassette(cassette);
    const ping = lines.find((l) => l.type === 'event' && (l['data'] as Record<string, unknown>)['raw_message'] === 'ping')?.['data'] as Record<string, unknown>;
    const frame = lines.find((l) => l.type === 'upstream' && (l['data'] as { event_type?: string }).event_type === 'message_receive')?.['data'] as { self_id: number; data: Record<string, unknown> };
    assert.equal(frame.self_id, header.self_id);
    assert.equal(frame.data['peer_id'], ping['group_id'], 'a group\'s peer_id is the group\'s pseudonym');
    assert.equal(frame.data['sender_id'], ping['user_id']);
    assert.equal((frame.data['group_member'] as Record<string, unknown>)['nickname'], `nickname-${String(ping['user_id'])}`);
  });
});

describe('cqhttpd replay of a Milky cassette', () => {
  it('world mode: the same bot makes the same calls → exit 0', async () => {
    const run = await replayOf(cassette, { bot: `node ${BOT_SCRIPT}` });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /1 passed, 0 failed/);
  });

  it('world mode: a bot whose answer changed → the difference is named, exit 1', async () => {
    const run = await replayOf(cassette, { bot: `REPLY=pang node ${BOT_SCRIPT}` });
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /turn 1 \(group message from \d+ in \d+: "ping"\): changed send_group_msg: params\.message\[1\]\.data\.text: "pong" → "pang"/);
  });

  it('strict mode is refused with exit 2: it plays a OneBot upstream, not a Milky implementation', async () => {
    const run = await replayOf(cassette, { bot: 'true', strict: true });
    assert.equal(run.code, 2, run.out);
    assert.match(run.out, /Milky/);
  });
});
