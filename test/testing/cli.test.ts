/**
 * `cqhttpd test`, the command, as CI runs it: the example scenarios against the example bot over
 * the forward WebSocket and over HTTP POST, a failing and an invalid file, a bot that never
 * connects — exit codes, the closing line, the JUnit file's shape, the traces.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../clients/support.js';
import { cqhttpdTest } from '../helpers/cqhttpd-test.js';

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';
const BOT = 'node examples/scenarios/bot.mjs';

/** A light well-formedness check: every tag closes in order, one root. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z-]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `</${m[2] ?? ''}> closes the wrong element`);
    else stack.push(m[2] as string);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(body.replace(/<[^>]*>/g, ''), /<|&(?!amp;|lt;|gt;|quot;|#\d+;)/);
}

describe('cqhttpd test', () => {
  it('passes the example scenarios over the forward WebSocket: exit 0, closing line, JUnit, traces', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-cli-'));
    const junit = path.join(dir, 'junit.xml');
    const traces = path.join(dir, 'traces');
    const run = await cqhttpdTest(['examples/scenarios', '--bot', BOT, '--reporter', `junit:${junit}`, '--reporter', 'spec', '--trace', traces]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(lastLine(run.stdout), '3 passed, 0 failed');
    assert.match(run.stdout, /✓ ping answers pong/);
    const xml = fs.readFileSync(junit, 'utf8');
    assertWellFormed(xml);
    assert.match(xml, /<testsuites name="cqhttpd test" tests="3" failures="0" errors="0" time="[\d.]+">/);
    assert.equal([...xml.matchAll(/<testcase name="[^"]+" classname="examples\/scenarios\/\w+\.yaml"[^>]* time="[\d.]+">/g)].length, 3);
    assert.match(xml, /<system-out><!\[CDATA\[[\s\S]*call send_msg/);
    const files = fs.readdirSync(traces).sort();
    assert.equal(files.length, 3);
    for (const file of files) {
      const lines = fs.readFileSync(path.join(traces, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const types = new Set(lines.map((l) => l['type']));
      for (const type of ['step', 'act', 'message', 'event', 'call', 'expect', 'bot']) assert.ok(types.has(type), `${file} has no ${type} line`);
      for (const l of lines) assert.ok(typeof l['t'] === 'number' && typeof l['time'] === 'number');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes the example scenarios over HTTP POST and the HTTP API (--set, json reporter)', async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-cli-'));
    const run = await cqhttpdTest(['examples/scenarios', '--bot', `${BOT} --post-port ${port}`, '--set', 'use_ws=false', '--set', `post_url=http://127.0.0.1:${port}/`, '--reporter', `json:${dir}/r.json`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '3 passed, 0 failed\n');
    const report = JSON.parse(fs.readFileSync(`${dir}/r.json`, 'utf8')) as { summary: unknown; scenarios: { status: string; transcript: string[] }[] };
    assert.deepEqual(report.summary, { passed: 3, failed: 0, skipped: 0 });
    assert.ok(report.scenarios.every((s) => s.transcript.some((l) => / call send_msg /.test(l))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a failing, a skipped and an invalid scenario: exit 1, every problem, the failure names step and expectation and quotes the nearest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-cli-'));
    const junit = path.join(dir, 'junit.xml');
    const run = await cqhttpdTest(['test/testing/fixtures/failing.yaml', 'test/testing/fixtures/invalid.yaml', '--bot', BOT, '--reporter', `junit:${junit}`, '--reporter', 'tap']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(lastLine(run.stdout), '0 passed, 2 failed, 1 skipped');
    assert.match(run.stdout, /^TAP version 13\nnot ok 1 - expects the wrong answer\n/);
    assert.match(run.stdout, /ok 2 - not ready yet # SKIP waiting for the feature/);
    assert.match(run.stdout, /1\.\.3\n0 passed/);
    for (const line of [2, 7, 8, 10]) assert.match(run.stderr, new RegExp(`test/testing/fixtures/invalid\\.yaml:${line}: `));
    const xml = fs.readFileSync(junit, 'utf8');
    assertWellFormed(xml);
    assert.match(xml, /tests="3" failures="2" errors="0" skipped="1"/);
    assert.match(xml, /<failure message="step 1 \(say &quot;ping&quot; as Carol in Sandbox Lounge\): expected reply \{&quot;text&quot;:&quot;pang&quot;,&quot;group_id&quot;:100001\} within 400 ms; nearest: reply \{[^"]*&quot;raw_message&quot;:&quot;pong&quot;/);
    assert.match(xml, /<skipped message="waiting for the feature"\/>/);
    assert.match(xml, /<failure message="step 0 \(the scenario file is invalid\): test\/testing\/fixtures\/invalid\.yaml:2: options\.timeout/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a bot that never connects fails its scenario with a clear message; a usage error exits 2', async () => {
    const run = await cqhttpdTest(['examples/scenarios/ping.yaml', '--bot', 'node -e "setTimeout(() => {}, 5000)"', '--connect-timeout', '500ms']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /step 0 \(setup\):\n\s+the bot did not connect within 500 ms \(waiting for: a forward WebSocket on ws:\/\/127\.0\.0\.1:\d+\/; connections: none\)/);
    assert.equal(lastLine(run.stdout), '0 passed, 1 failed');
    const crashed = await cqhttpdTest(['examples/scenarios/ping.yaml', '--bot', 'node -e "console.log(\'boom\'); process.exit(3)"']);
    assert.match(crashed.stdout, /the bot exited \(code 3\) before it connected; its output:\n\s*boom/);
    const usage = await cqhttpdTest(['no/such/dir']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /no\/such\/dir: no such file or directory/);
  });
});
