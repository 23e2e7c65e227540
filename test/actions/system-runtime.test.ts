/**
 * The runtime actions beyond the conformance table: the sandbox credentials and QQ's g_tk hash,
 * `get_supported_actions` against the registry, `clean_plugin_log` on the real file, `rcnb`
 * round trips, the embedded (supervisor-less) restart, and `cqhttpd actions --json`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ALL_ACTIONS } from '../../src/actions/index.js';
import { csrfTokenOf, sandboxCookies } from '../../src/actions/system/credentials.js';
import { rcnbDecode, rcnbEncode } from '../../src/actions/system/rcnb.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { self_id: 2233445566 } });
});
after(() => t.close());

/** QQ web pages' own g_tk, as JavaScript computes it (no int32 wrapping inside the loop). */
function referenceGtk(skey: string): number {
  let hash = 5381;
  for (let i = 0; i < skey.length; i++) hash += (hash << 5) + skey.charCodeAt(i);
  return hash & 0x7fffffff;
}

test('get_cookies / get_csrf_token / get_credentials agree: the token is the g_tk of the cookie skey', async () => {
  const { cookies } = await ok<{ cookies: string }>(t, 'get_cookies');
  assert.match(cookies, /^uin=o2233445566; skey=@[A-Za-z0-9]{9}$/);
  const skey = /skey=([^;]+)/.exec(cookies)![1]!;
  const { token } = await ok<{ token: number }>(t, 'get_csrf_token');
  assert.equal(token, referenceGtk(skey));
  const creds = await ok<{ cookies: string; csrf_token: number }>(t, 'get_credentials', { domain: 'qun.qq.com' });
  assert.equal(creds.csrf_token, token);
  assert.match(creds.cookies, /^uin=o2233445566; skey=@[A-Za-z0-9]{9}; p_uin=o2233445566; p_skey=[A-Za-z0-9]{44}$/);
  assert.notEqual(sandboxCookies(2233445566, 'qun.qq.com'), sandboxCookies(2233445566, 'qzone.qq.com'), 'p_skey depends on the domain');
  assert.equal((await ok<{ cookies: string }>(t, 'get_cookies', { domain: 123 })).cookies, cookies, 'a non-string domain counts as absent');
});

test('the credentials are stable across restarts and differ per account', async () => {
  const before = await ok<{ token: number }>(t, 'get_csrf_token');
  await t.restart();
  assert.deepEqual(await ok(t, 'get_csrf_token'), before);
  assert.notEqual(sandboxCookies(10001000, ''), sandboxCookies(2233445566, ''));
  for (const skey of ['@AbCdEfGhI', '@zzzzzzzzz', '@0123456789abcdefghijklmnopqrstuvwxyz']) assert.equal(csrfTokenOf(skey), referenceGtk(skey));
});

test('get_supported_actions is the registry: every name, sorted, no suffix forms', async () => {
  const names = await ok<string[]>(t, 'get_supported_actions');
  assert.deepEqual(names, ALL_ACTIONS.map((a) => a.name).sort());
  assert.ok(names.includes('get_supported_actions') && names.includes('.handle_quick_operation'));
  assert.ok(!names.some((n) => n.endsWith('_async') || n.endsWith('_rate_limited')));
});

test('get_guild_service_profile: ok, tiny_id "0", the bot nickname', async () => {
  const login = await ok<{ nickname: string }>(t, 'get_login_info');
  assert.deepEqual(await ok(t, 'get_guild_service_profile'), { avatar_url: '', nickname: login.nickname, tiny_id: '0' });
});

test('clean_plugin_log truncates <data_dir>/logs/<self_id>.log (also without a supervisor)', async () => {
  const file = path.join(t.dataDir, 'logs', '2233445566.log');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'an old line\n'.repeat(100));
  const other = path.join(t.dataDir, 'logs', '10001000.log');
  fs.writeFileSync(other, 'another account\n');
  await ok(t, 'clean_plugin_log');
  assert.equal(fs.statSync(file).size, 0);
  assert.equal(fs.readFileSync(other, 'utf8'), 'another account\n', "other accounts' logs are kept");
  fs.rmSync(file);
  assert.equal((await t.call('clean_plugin_log')).body?.retcode, 0, 'no log file yet: nothing to clean');
});

test('without a supervisor a restart is accepted and skipped: the same instance keeps serving', async () => {
  const app = t.app;
  assert.equal((await t.call('set_restart_plugin', { delay: 0 })).text, '{"data":null,"retcode":1,"status":"async"}');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(t.app, app);
  const status = await ok<{ plugins_good: Record<string, boolean> }>(t, 'get_status');
  assert.equal(status.plugins_good.restarter, true);
});

test('rcnb round-trips any UTF-8 text, and rejects what is not RCNB', async () => {
  for (const text of ['', 'a', 'ab', 'abc', 'Who NB?', '我爱你', '🀄 mahjong', '\u0000\u00ff']) {
    const encoded = await ok<string>(t, 'rcnb', { text });
    assert.equal(await ok(t, 'rcnb', { text: encoded, action: 'decode' }), text);
  }
  for (let b = 0; b < 256; b++) assert.deepEqual(rcnbDecode(rcnbEncode(Uint8Array.of(b, 255 - b, b))), Uint8Array.of(b, 255 - b, b));
  assert.equal(rcnbDecode('rcn'), null, 'odd length');
  assert.equal(rcnbDecode('ɍȼȵþ'), null, 'above 0x7FFF');
});

test('`cqhttpd actions --json` lists the registry', async () => {
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'actions', '--json'], { cwd: new URL('../..', import.meta.url).pathname });
  const list = JSON.parse(stdout) as { name: string; origin: string; params: string[]; summary: string }[];
  assert.deepEqual(list.map((a) => a.name), ALL_ACTIONS.map((a) => a.name).sort());
  const restart = list.find((a) => a.name === 'set_restart_plugin');
  assert.deepEqual(restart?.params, ['delay']);
  assert.equal(restart?.origin, 'cqhttp-4.15');
  assert.deepEqual(Object.keys(list[0]!), ['name', 'origin', 'params', 'summary']);
});
