/**
 * The system / runtime actions: restart, logs, update check, credentials, discovery, rcnb.
 * The conformance apps run without a supervisor, so restarts here are accepted (retcode 1) and
 * skipped with a log line; the real restart is tested end to end in `system-restart.test.ts`.
 */
import assert from 'node:assert/strict';
import { ALL_ACTIONS } from '../../../src/actions/index.js';
import type { ActionCase } from './types.js';

const BOT = 10001000;

/** Cookie string parsed into its pairs. */
function cookiePairs(data: unknown): Record<string, string> {
  const cookies = (data as { cookies: string }).cookies;
  assert.equal(typeof cookies, 'string');
  return Object.fromEntries(cookies.split('; ').map((pair) => pair.split('=', 2) as [string, string]));
}

/** The system area's cases, in order on one fresh world. */
export const SYSTEM_CASES: ActionCase[] = [
  // restarts (accepted at once)
  { action: 'set_restart_plugin', params: { delay: 0 }, retcode: 1 },
  { action: 'set_restart_plugin', params: { delay: -1 }, retcode: 100, note: 'a negative delay' },
  { action: 'set_restart_plugin', params: { delay: 2 ** 31 }, retcode: 100, note: 'longer than a timer can wait' },
  { action: 'set_restart', params: { delay: '2000' }, retcode: 1, note: 'v11 name; delay decoded by get_integer' },
  { action: 'set_restart', params: { delay: -5 }, retcode: 100 },
  { action: '_set_restart', params: { clean_log: true, clean_event: 'yes' }, retcode: 0 },
  // logs and updates
  { action: 'clean_plugin_log', params: {}, retcode: 0 },
  { action: '.check_update', params: { automatic: false }, retcode: 1 },
  // credentials (sandbox-only fake session)
  { action: 'get_cookies', params: {}, retcode: 0, check: (d) => {
    const pairs = cookiePairs(d);
    assert.deepEqual(Object.keys(pairs), ['uin', 'skey']);
    assert.equal(pairs.uin, `o00${BOT}`);
    assert.match(pairs.skey ?? '', /^@[A-Za-z0-9]{9}$/);
  } },
  { action: 'get_cookies', params: { domain: 'qun.qq.com' }, retcode: 0, check: (d) => {
    assert.deepEqual(Object.keys(cookiePairs(d)), ['uin', 'skey', 'p_uin', 'p_skey']);
  } },
  { action: 'get_cookies', params: { domain: 'not a domain' }, retcode: 100 },
  { action: 'get_csrf_token', params: {}, retcode: 0, check: (d) => {
    const token = (d as { token: number }).token;
    assert.ok(Number.isInteger(token) && token >= 0 && token <= 0x7fffffff, String(token));
  } },
  { action: 'get_credentials', params: { domain: 'qzone.qq.com' }, retcode: 0, check: (d) => {
    assert.deepEqual(Object.keys(d as object).sort(), ['cookies', 'csrf_token']);
    assert.equal(typeof (d as { csrf_token: unknown }).csrf_token, 'number');
  } },
  { action: 'get_credentials', params: { domain: 'qq.com/x' }, retcode: 100 },
  // discovery
  { action: 'get_supported_actions', params: {}, retcode: 0, check: (d) => {
    assert.deepEqual(d, ALL_ACTIONS.map((a) => a.name).sort());
  } },
  { action: 'get_guild_service_profile', params: {}, retcode: 0, check: (d) => {
    assert.deepEqual(d, { avatar_url: '', nickname: 'cqhttpd-bot', tiny_id: '0' });
  } },
  // the easter egg
  { action: 'rcnb', params: { text: 'Who NB?' }, retcode: 0, check: (d) => assert.equal(d, 'ȐȼŃƅȓčƞÞƦȻƝƃŖć') },
  { action: 'rcnb', params: { text: 'ȐĉņþƦȻƝƃŔć', action: 'decode' }, retcode: 0, check: (d) => assert.equal(d, 'RCNB!') },
  { action: 'rcnb', params: { text: 'plain', action: 'decode' }, retcode: 100, note: 'not RCNB' },
  { action: 'rcnb', params: { text: 'x', action: 'explode' }, retcode: 100 },
];
