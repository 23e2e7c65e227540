import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PLUGIN_NAMES } from '../../src/actions/system/status.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { enable_rate_limited_actions: true } });
});
after(() => t.close());

test('get_status: the 4.15 field set, 20 plugins_good keys, good = app_good && online', async () => {
  const s = await ok<Record<string, unknown>>(t, 'get_status');
  assert.deepEqual(Object.keys(s), ['app_enabled', 'app_good', 'app_initialized', 'good', 'online', 'plugins_good']);
  const plugins = s.plugins_good as Record<string, boolean>;
  assert.deepEqual(Object.keys(plugins), [...PLUGIN_NAMES]);
  assert.equal(Object.keys(plugins).length, 20);
  assert.ok(Object.values(plugins).every((v) => v === true));
  assert.equal(s.online, true);
  assert.equal(s.good, (s.app_good as boolean) && s.online === true);
  assert.equal(s.good, true);
});

test('get_version_info: 4.15 fields and the v11 required ones', async () => {
  const v = await ok<Record<string, unknown>>(t, 'get_version_info');
  for (const key of ['coolq_directory', 'coolq_edition', 'plugin_build_configuration', 'plugin_build_number', 'plugin_version', 'app_name', 'app_version', 'protocol_version']) {
    assert.ok(key in v, key);
  }
  assert.equal(v.plugin_version, '4.15.0');
  assert.equal(v.plugin_build_number, 441);
  assert.equal(v.protocol_version, 'v11');
  assert.equal(v.app_name, 'cqhttpd');
  assert.match(String(v.coolq_directory), /[\\/]$/);
});

test('can_send_image / can_send_record answer {yes: boolean}', async () => {
  for (const action of ['can_send_image', 'can_send_record']) {
    const data = await ok<Record<string, unknown>>(t, action);
    assert.deepEqual(Object.keys(data), ['yes']);
    assert.equal(typeof data.yes, 'boolean');
  }
});
