/**
 * Recording switched at run time: a bridge started without `record` writes nothing, records into a
 * new cassette once switched on (header first, with the upstream's version), and closes it when
 * switched off; each switch-on is a cassette of its own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readCassette } from '../../src/record/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let upstream: TestApp;
let bridge: TestApp;
let dir: string;

before(async () => {
  upstream = await startTestApp({ config: { use_ws: true } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-record-'));
  bridge = await startTestApp({ dataDir: dir, config: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${upstream.app.ws!.port}/` } });
});

after(async () => {
  await bridge?.close();
  await upstream?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('off by default, on and off at run time, a new cassette each time', async () => {
  const recording = bridge.instance.recording;
  assert.ok(recording !== undefined);
  assert.deepEqual(recording.state(), { recording: false, redacted: true });
  await bridge.call('get_login_info');
  assert.equal(fs.existsSync(path.join(dir, 'cassettes')), false, 'nothing written while off');

  const on = recording.set(true);
  assert.equal(on.recording, true);
  assert.ok(on.file !== undefined && fs.existsSync(on.file));
  await bridge.call('get_group_list');
  recording.set(false);
  const first = readCassette(on.file);
  assert.equal(first.header.upstream.kind, 'onebot');
  const calls = first.lines.filter((l) => l.type === 'call').map((l) => (l['data'] as { action: string }).action);
  assert.deepEqual(calls, ['get_group_list']);
  assert.ok(first.lines.some((l) => l.type === 'upstream' && (l['data'] as { action?: string }).action === 'get_group_list'));

  await bridge.call('get_friend_list'); // off again: not recorded anywhere
  const again = recording.set(true);
  assert.notEqual(again.file, on.file);
  recording.set(false);
  assert.deepEqual(readCassette(on.file).lines.filter((l) => l.type === 'call').length, 1);
  assert.equal(fs.readdirSync(path.join(dir, 'cassettes')).length, 2);
});

test('the control API switches it: GET and PUT /api/record', async () => {
  const control = bridge.instance.control;
  assert.ok(control !== undefined);
  const base = `http://127.0.0.1:${control.port}/api/record`;
  const put = (body: string) => fetch(base, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  assert.deepEqual(await (await fetch(base)).json(), { recording: false, redacted: true });
  const on = await put('{"recording": true}');
  assert.equal(on.status, 200);
  const state = (await on.json()) as { recording: boolean; file: string };
  assert.equal(state.recording, true);
  assert.ok(fs.existsSync(state.file));
  assert.equal((await put('{"recording": "yes"}')).status, 400);
  assert.equal((await fetch(base, { method: 'DELETE' })).status, 405);
  assert.deepEqual(await (await put('{"recording": false}')).json(), { recording: false, redacted: true });
  assert.equal(readCassette(state.file).header.type, 'header');
});
