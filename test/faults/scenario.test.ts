/**
 * The `fault:` step in scenario files: run by `cqhttpd test` against the example bot (a fault for
 * one step, a fault until cleared, clear_faults, the seed), with `fault` lines in the trace; and an
 * invalid fault listing every problem with its line number.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseScenarios, ScenarioFileError } from '../../src/testing/scenario/load.js';
import { cqhttpdTest } from '../helpers/cqhttpd-test.js';

describe('fault steps', () => {
  it('cqhttpd test runs a scenario with faults: step-scoped, until cleared, traced', { timeout: 60_000 }, async () => {
    const traces = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-faults-'));
    const run = await cqhttpdTest(['test/faults/fixtures/faults.yaml', '--bot', 'node examples/scenarios/bot.mjs', '--trace', traces]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed');
    const [file] = fs.readdirSync(traces);
    const lines = fs.readFileSync(path.join(traces, file ?? ''), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const faults = lines.filter((l) => l['type'] === 'fault').map((l) => l['data'] as Record<string, unknown>);
    assert.deepEqual(faults.map((f) => [f['effect'], f['target'], f['profile'] ?? null]), [['fail', 'action', 'gocq-risk-control'], ['duplicate', 'event', null]]);
    const acts = lines.filter((l) => l['type'] === 'act').map((l) => `${String(l['act'])} ${String((l['request'] as { method: string }).method)}`);
    assert.deepEqual(acts.filter((a) => /fault/.test(a)), ['fault POST', 'clear_faults DELETE', 'fault POST', 'clear_faults DELETE']);
    fs.rmSync(traces, { recursive: true, force: true });
  });

  it('an invalid fault step lists every problem with its line', () => {
    const text = [
      'scenario: bad faults',
      'steps:',
      '  - fault: { action: send_msg, effect: burst }',
      '  - fault: nope',
      '  - say: hi',
      '    as: Carol',
      '    fault: [gocq-risk-control, { connection: { transport: carrier-pigeon }, effect: drop }]',
    ].join('\n');
    const err = (() => {
      try {
        parseScenarios(text, 'bad.yaml');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof ScenarioFileError);
    const problems = err.problems.join('\n');
    assert.match(problems, /^bad\.yaml:3: steps\[0\]\.fault\.effect: an action fault takes fail, delay, timeout, shadow_drop, not burst$/m);
    assert.match(problems, /^bad\.yaml:4: steps\[1\]\.fault: expected a profile \(gocq-risk-control, .*\) or a fault object$/m);
    assert.match(problems, /^bad\.yaml:7: steps\[2\]\.fault\[1\]\.connection\.transport: /m);
  });
});
