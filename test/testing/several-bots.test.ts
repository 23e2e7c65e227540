/**
 * `cqhttpd test` with two bot accounts in one world (`bots:` in the scenario, `bot:` on its
 * expectations): one bot process drives both over their own forward WebSockets; a reply, a call
 * and an event are each checked for the bot they name, and an expectation about the wrong bot fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { cqhttpdTest } from '../helpers/cqhttpd-test.js';

it('two bots in one group: each expectation about its own bot; one about the wrong bot fails', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-bots-'));
  try {
    const report = path.join(dir, 'report.json');
    const run = await cqhttpdTest(['test/testing/fixtures/two-bots.yaml', '--bot', 'node test/testing/fixtures/two-bots.mjs', '--reporter', `json:${report}`, '--reporter', 'spec']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').at(-1), '1 passed, 1 failed');
    const results = (JSON.parse(fs.readFileSync(report, 'utf8')) as { scenarios: { name: string; status: string; failure?: { messages: string[] } }[] }).scenarios;
    assert.deepEqual(results.map((r) => [r.name, r.status]), [['two bots in one group see each other', 'passed'], ['the second bot never says pong', 'failed']]);
    // The first bot did say pong: the nearest reply is the first bot's, and the expectation names the second.
    assert.match(results[1]?.failure?.messages[0] ?? '', /expected reply \{.*"bot":10002000.*\} within 600 ms; nearest: reply .*"user_id":10001000/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
