/**
 * The test API over every transport a bot can use — forward WebSocket, HTTP POST + the HTTP API,
 * reverse WebSocket — with the same bot (examples/scenarios/bot.mjs): the scenarios of
 * fixtures/transports (every expectation kind and matcher, raw events, virtual time with
 * heartbeats) run by the engine in this process, then the calls' channel and a failing expectation
 * on each transport.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExpectationFailure, startSandbox, type Sandbox } from '../../src/testing/index.js';
import { loadScenarioFile } from '../../src/testing/scenario/load.js';
import { runScenario } from '../../src/testing/scenario/run.js';
import { freePort } from '../clients/support.js';

const BOT = path.resolve('examples/scenarios/bot.mjs');
const SCENARIOS = ['kinds.yaml', 'time.yaml'].map((f) => path.join('test/testing/fixtures/transports', f));
const HEARTBEAT = { enable_heartbeat: true, heartbeat_interval: 60_000 };

interface Transport {
  name: string;
  /** The calls' `channel`. */
  channel: string;
  setup(): Promise<{ config: Record<string, unknown>; args: string[] }>;
}

const TRANSPORTS: Transport[] = [
  { name: 'forward WebSocket', channel: 'ws', setup: async () => ({ config: {}, args: [] }) },
  {
    name: 'HTTP POST + HTTP API', channel: 'http', setup: async () => {
      const port = await freePort();
      return { config: { use_ws: false, post_url: `http://127.0.0.1:${port}/` }, args: ['--post-port', String(port)] };
    },
  },
  {
    name: 'reverse WebSocket', channel: 'ws_reverse', setup: async () => {
      const port = await freePort();
      return {
        config: { use_ws: false, use_ws_reverse: true, ws_reverse_url: `ws://127.0.0.1:${port}/`, ws_reverse_reconnect_interval: 100 },
        args: ['--reverse-port', String(port)],
      };
    },
  },
];

for (const transport of TRANSPORTS) {
  describe(`test API over ${transport.name}`, () => {
    let sb: Sandbox;
    let bot: ChildProcess;
    const output: string[] = [];
    before(async () => {
      const { config, args } = await transport.setup();
      sb = await startSandbox({ config: { ...HEARTBEAT, ...config }, timeout: 3000, quiet: 300 });
      bot = spawn(process.execPath, [BOT, ...args], { env: { ...process.env, ...sb.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [bot.stdout, bot.stderr]) stream?.on('data', (c: Buffer) => output.push(c.toString()));
      await sb.waitForBot({ timeout: 10_000 });
    });
    after(async () => {
      bot.kill();
      await sb.close();
    });

    for (const file of SCENARIOS) {
      test(`the scenarios of ${path.basename(file)} pass`, async () => {
        for (const { scenario } of loadScenarioFile(file)) {
          const outcome = await runScenario(sb, scenario);
          assert.equal(outcome.failure, undefined, `${scenario.scenario}: ${JSON.stringify(outcome.failure)}\nbot: ${output.join('')}`);
        }
      });
    }

    test(`the calls come over ${transport.channel}; a wrong expectation fails quoting the nearest`, async () => {
      sb.unconsumed();
      await sb.say('ping', { as: 'Carol', in: 'Sandbox Lounge' });
      await sb.expectCall({ action: 'send_msg', channel: transport.channel });
      const err = await sb.expectReply({ text: 'pang' }, { timeout: 300 }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ExpectationFailure);
      assert.match(err.message, /nearest: reply .*"raw_message":"pong"/);
    });

    test('heartbeats follow the virtual clock: a jump fires those due within it, in order, each at its own time', async () => {
      sb.unconsumed();
      const before = Number((await sb.control('GET', '/api/clock'))['now']);
      const answer = await sb.control('POST', '/api/clock/advance', { ms: 180_000 });
      // Three fall due within 3 minutes of 60 s beats (four if one was already due, its real timer late).
      const fired = Number(answer['fired']);
      assert.ok(fired === 3 || fired === 4, `fired ${fired}`);
      const times: number[] = [];
      for (let i = 0; i < fired; i++) times.push(Number((await sb.expectEvent({ meta_event_type: 'heartbeat' }))['time']));
      assert.deepEqual(times.map((t) => t - (times[0] as number)), [0, 60, 120, 180].slice(0, fired));
      assert.ok((times[0] as number) * 1000 > before - 1000 && (times.at(-1) as number) * 1000 <= before + 180_000);
    });
  });
}
