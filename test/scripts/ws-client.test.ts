/**
 * scripts/ws-client.mjs, the WebSocket client the README's "by hand" example uses instead of a tool
 * npm install does not bring: against a real forward WebSocket with a token it prints the
 * `connect` lifecycle event, sends a typed API call and prints its answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestApp } from '../helpers/app.js';

const script = fileURLToPath(new URL('../../scripts/ws-client.mjs', import.meta.url));

test('prints events and the answers to the frames typed on stdin', async () => {
  const t = await startTestApp({ config: { use_ws: true, access_token: 'secret-token' } });
  try {
    const port = t.app.ws?.port;
    assert.ok(port !== undefined);
    const child = spawn(process.execPath, [script, `ws://127.0.0.1:${port}/`, 'secret-token'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    const until = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(out)) {
        assert.ok(Date.now() < deadline, `no ${pattern} in: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(/"sub_type":"connect"/);
    child.stdin.write('{"action":"get_login_info","echo":"e1"}\n');
    await until(/"echo":"e1"/);
    const answer = out.split('\n').find((l) => l.includes('"echo":"e1"')) ?? '';
    assert.deepEqual(JSON.parse(answer), { data: { nickname: 'cqhttpd-bot', user_id: 10001000 }, echo: 'e1', retcode: 0, status: 'ok' });
    child.stdin.end();
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    await t.close();
  }
});

test('a wrong token: the server says so and the client exits', async () => {
  const t = await startTestApp({ config: { use_ws: true, access_token: 'secret-token' } });
  try {
    const child = spawn(process.execPath, [script, `ws://127.0.0.1:${t.app.ws?.port}/`, 'wrong'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(out, /authorization failed/);
  } finally {
    await t.close();
  }
});
