/** The whole app with a world file built around another bot than the default one. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ok, startTestApp } from '../helpers/app.js';

const WORLD = {
  self_id: 10001,
  bot: { nickname: 'other-bot' },
  users: [{ user_id: 20001, nickname: 'Ann' }],
  friends: [{ user_id: 20001 }],
  groups: [{ group_id: 300, group_name: 'Home', members: [{ user_id: 10001, role: 'owner' }, { user_id: 20001, role: 'member' }] }],
};

test('with self_id unset, the world file\'s own self_id is the bot, and stays so across restarts', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-world-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const world = path.join(dir, 'world.json');
  writeFileSync(world, JSON.stringify(WORLD));
  const app = await startTestApp({ config: { world_file: world }, dataDir: path.join(dir, 'data') });
  try {
    assert.equal(app.app.config.self_id, undefined);
    assert.deepEqual(await ok(app, 'get_login_info'), { nickname: 'other-bot', user_id: 10001 });
    const sent = await ok<{ message_id: number }>(app, 'send_group_msg', { group_id: 300, message: 'hi' });
    assert.ok(sent.message_id > 0);
    await app.restart();
    assert.deepEqual(await ok(app, 'get_login_info'), { nickname: 'other-bot', user_id: 10001 });
  } finally {
    await app.close();
  }
});

test('a configured self_id that differs from the world\'s refuses to start, saying which to change', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-world-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const world = path.join(dir, 'world.json');
  writeFileSync(world, JSON.stringify(WORLD));
  await assert.rejects(startTestApp({ config: { world_file: world, self_id: 10001000 }, dataDir: path.join(dir, 'data') }), /built around bot 10001, but the configuration sets self_id = 10001000; unset self_id/);
});
