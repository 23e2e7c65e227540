/**
 * The example Koishi bot tested with cqhttpd's test API: a sandbox in this process, the bot dialling
 * its forward WebSocket, people of the sandbox talking to it. The same bot is also driven by the
 * YAML scenarios in ../scenarios through `cqhttpd test`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'cqhttpd/testing';
import { startBot, type RunningBot } from '../src/start.js';

describe('the example Koishi bot', () => {
  let sb: Sandbox;
  let bot: RunningBot;
  const quiet = () => {
    // Koishi prints its log to stdout: keep the test output clean.
  };

  before(async () => {
    sb = await startSandbox({ timeout: 5000, quiet: 500 });
    const { koishi } = await import('../src/koishi.js');
    for (const target of koishi.Logger.targets) target.print = quiet;
    bot = await startBot({ endpoint: sb.connection.ws ?? '', selfId: String(sb.connection.selfId) });
    await bot.online();
    await sb.waitForBot();
  });

  after(async () => {
    await bot.stop(); // the bot first, or it schedules a reconnect to a closed sandbox
    await sb.close();
  });

  it('answers ping with pong in the same group', async () => {
    await sb.say('ping', { as: 'Carol', in: 'Sandbox Lounge' });
    const reply = await sb.expectReply({ text: 'pong', group_id: 100001 });
    assert.equal(reply['raw_message'], 'pong');
    await sb.expectCall({ action: 'send_group_msg', params: { group_id: 100001 }, status: 'ok' });
  });

  it('answers in private chats too', async () => {
    await sb.say('ping', { as: 'Alice', private: true });
    await sb.expectReply({ text: 'pong', user_id: 20001 });
  });

  it('rolls a die', async () => {
    await sb.say('roll', { as: 'Carol', in: 100001 });
    await sb.expectReply({ text: '/^you rolled [1-6]$/' });
  });

  it('stays quiet on small talk', async () => {
    await sb.say('nice weather', { as: 'Carol', in: 100001 });
    await sb.expectNone({ reply: {} });
  });

  it('welcomes a new member, @-mentioning them', async () => {
    await sb.act({ join: 'Sandbox Lounge', as: 'Heidi' });
    await sb.expectEvent({ notice_type: 'group_increase', user_id: 20008 });
    await sb.expectReply({ group_id: 100001, at: 20008, text: { $contains: 'welcome' } });
  });

  it('passes its YAML scenarios under cqhttpd test', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'test', 'examples/koishi-bot/scenarios', '--bot', 'node --import tsx examples/koishi-bot/src/main.ts', '--connect-timeout', '20s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    assert.match(out, /1 passed, 0 failed\n$/);
  });
});
