/**
 * `cqhttpd test` over every transport a bot can use: the same bot script
 * (examples/scenarios/bot.mjs) on the forward WebSocket, on HTTP POST + the HTTP API, and serving a
 * reverse WebSocket, each running fixtures/transports (every expectation kind and matcher, raw
 * events, virtual time with heartbeats) — exit 0, the closing line, the JSON report. The example
 * scenarios run over the reverse WebSocket too (cli.test.ts runs them over the other two).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../clients/support.js';
import { cqhttpdTest, type CqhttpdTestRun as Run } from '../helpers/cqhttpd-test.js';

const BOT = 'node examples/scenarios/bot.mjs';
const FIXTURES = 'test/testing/fixtures/transports';
const HEARTBEAT = ['--set', 'enable_heartbeat=true', '--set', 'heartbeat_interval=60000'];

async function runOver(paths: string[], botArgs: string, set: string[]): Promise<{ run: Run; report: { summary: unknown; scenarios: { name: string; status: string; transcript: string[] }[] } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-transports-'));
  try {
    const run = await cqhttpdTest([...paths, '--bot', `${BOT}${botArgs}`, ...HEARTBEAT, ...set, '--reporter', 'spec', '--reporter', `json:${dir}/r.json`]);
    const report = JSON.parse(fs.readFileSync(`${dir}/r.json`, 'utf8')) as { summary: unknown; scenarios: { name: string; status: string; transcript: string[] }[] };
    return { run, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertAllPassed(run: Run, report: { summary: unknown; scenarios: { name: string }[] }, count: number): void {
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.stdout.trimEnd().split('\n').at(-1), `${count} passed, 0 failed`);
  assert.deepEqual(report.summary, { passed: count, failed: 0, skipped: 0 });
  assert.ok(report.scenarios.some((s) => s.name === 'every expectation kind and matcher'));
  assert.ok(report.scenarios.some((s) => s.name === 'virtual time, heartbeats and a mute running out'));
}

describe('cqhttpd test over every transport', () => {
  it('forward WebSocket', async () => {
    const { run, report } = await runOver([FIXTURES], '', []);
    assertAllPassed(run, report, 2);
  });

  it('HTTP POST + the HTTP API', async () => {
    const port = await freePort();
    const { run, report } = await runOver([FIXTURES], ` --post-port ${port}`, ['--set', 'use_ws=false', '--set', `post_url=http://127.0.0.1:${port}/`]);
    assertAllPassed(run, report, 2);
  });

  it('reverse WebSocket', async () => {
    const port = await freePort();
    const { run, report } = await runOver(['examples/scenarios', FIXTURES], ` --reverse-port ${port}`, [
      '--set', 'use_ws=false', '--set', 'use_ws_reverse=true', '--set', `ws_reverse_url=ws://127.0.0.1:${port}/`, '--set', 'ws_reverse_reconnect_interval=100',
    ]);
    assertAllPassed(run, report, 5);
    // The bot saw cqhttpd dial in, as a Universal client.
    assert.ok(report.scenarios.every((s) => s.transcript.some((l) => /bot\| bot: cqhttpd connected \(Universal, self 10001000\)/.test(l))));
  });
});
