/**
 * What every listener of a real cqhttpd (HTTP API, forward WebSocket, sandbox control API) does
 * with hostile request heads — `max_header_size` (431) — and the warning logged when one is bound
 * beyond loopback without a token.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startCqhttpd } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { head, raw } from './http/harness.js';

const KIB = 1024;

describe('request heads on every listener', () => {
  let t: TestApp;
  let ports: { name: string; port: number; path: string; ok: number }[];
  before(async () => {
    t = await startTestApp({ config: { use_ws: true } });
    ports = [
      { name: 'HTTP API', port: t.app.http!.port, path: '/get_status', ok: 200 },
      { name: 'forward WebSocket', port: t.app.ws!.port, path: '/', ok: 426 },
      { name: 'control API', port: t.app.sandbox.port, path: '/api/world', ok: 200 },
    ];
  });
  after(() => t.close());

  test('a 60 KiB head is served; a head over 64 KiB is answered 431 and the connection closed', async () => {
    for (const { name, port, path: target, ok } of ports) {
      const fits = await raw(port, head('GET', target, [`X-Pad: ${'a'.repeat(60 * KIB)}`]));
      assert.equal(fits.responses[0]?.status, ok, `${name}: 60 KiB head`);
      const big = await raw(port, head('GET', target, [`X-Pad: ${'a'.repeat(65 * KIB)}`]));
      assert.equal(big.responses[0]?.status, 431, `${name}: 65 KiB head`);
      const query = await raw(port, head('GET', `${target}?message=${'q'.repeat(70 * KIB)}`));
      assert.equal(query.responses[0]?.status, 431, `${name}: 70 KiB query string`);
    }
  });

  test('20 sockets streaming 8 MiB heads are each cut long before the end; memory stays bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const chunk = Buffer.from(`X-Pad: ${'b'.repeat(16 * KIB)}\r\n`);
    const total = 8 * 1024 * KIB;
    const flood = (port: number): Promise<number> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let sent = 0;
        const finish = (): void => {
          socket.destroy();
          resolve(sent);
        };
        socket.on('error', finish);
        socket.on('close', finish);
        const pump = (): void => {
          while (sent < total && !socket.destroyed) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
          finish();
        };
        socket.once('connect', () => {
          socket.write('GET /get_status HTTP/1.1\r\nHost: x\r\n');
          pump();
        });
      });
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => flood(ports[i % ports.length]!.port)));
    for (const bytes of sent) assert.ok(bytes < total, `a connection was allowed to send its whole 8 MiB head (${bytes} bytes)`);
    const grown = (process.memoryUsage().rss - rssBefore) / (1024 * KIB);
    assert.ok(grown < 120, `RSS grew by ${grown.toFixed(0)} MiB`);
    // Still serving.
    assert.equal((await raw(ports[0]!.port, head('GET', '/get_status'))).responses[0]?.status, 200);
  });
});

describe('listeners bound beyond loopback without a token', () => {
  async function startWith(config: Record<string, unknown>): Promise<string[]> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-exposed-'));
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const { config: cfg } = loadConfig({ searchDir: dataDir, env: {}, overrides: { port: 0, ws_port: 0, sandbox_port: 0, data_dir: dataDir, use_ws: true, ...config } });
    const app = await startCqhttpd({ config: cfg, logger: pino({ level: 'info' }, sink) });
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string; exposed?: boolean }).filter((l) => l.exposed === true).map((l) => {
      assert.equal(l.level, 40, 'a warning');
      return l.msg;
    });
  }

  test('each listener on 0.0.0.0 without its token warns who can reach it and what they can do', async () => {
    const warnings = await startWith({ host: '0.0.0.0', ws_host: '0.0.0.0', sandbox_host: '0.0.0.0' });
    assert.equal(warnings.length, 3, warnings.join('\n'));
    const [http, ws, control] = [/^HTTP API/, /^WebSocket server/, /^sandbox control API/].map((re) => warnings.find((w) => re.test(w)));
    assert.match(http ?? '', /0\.0\.0\.0:\d+ WITHOUT a token \(`access_token` is empty\): anyone who can reach this machine on any of its networks can call every API action as the bot/);
    assert.match(ws ?? '', /`access_token` is empty.*receive every event/);
    assert.match(control ?? '', /`sandbox_token` is empty.*act as any user/);
  });

  test('no warning with the tokens set, or on loopback', async () => {
    assert.deepEqual(await startWith({ host: '0.0.0.0', ws_host: '0.0.0.0', sandbox_host: '0.0.0.0', access_token: 'secret-1', sandbox_token: 'secret-2' }), []);
    assert.deepEqual(await startWith({}), []);
    const onlyControl = await startWith({ sandbox_host: '0.0.0.0', access_token: '' });
    assert.equal(onlyControl.length, 1);
    assert.match(onlyControl[0] ?? '', /^sandbox control API/);
  });
});
