import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { GENERATED_DEFAULT_JSON, put, tempDir } from './helpers.js';

test('no file, no environment: the defaults (loopback listeners), nothing generated', (t) => {
  const dir = tempDir(t);
  const { config, warnings, source } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.ws_host, '127.0.0.1');
  assert.equal(config.sandbox_host, '127.0.0.1');
  assert.equal(config.port, 5700);
  assert.equal(config.ws_port, 6700);
  assert.equal(config.use_http, true);
  assert.equal(config.use_ws, false);
  assert.equal(config.post_message_format, 'string');
  assert.equal(config.log_level, 'info');
  assert.equal(config.heartbeat_interval, 15000);
  assert.equal(config.self_id, undefined); // unset: the database, then the world file decide
  assert.equal(config.data_dir, './data');
  assert.equal(config.sandbox_port, 5800);
  assert.equal(config.failure_details, true);
  assert.equal(config.ws_reverse_authorization_scheme, 'Bearer');
  assert.equal(config.max_body_size, 10485760);
  assert.equal(config.max_queue_length, 10000);
  assert.equal(config.log_format, 'pretty');
  assert.deepEqual(config, defaultConfig());
  assert.deepEqual(warnings, []);
  assert.deepEqual(source, []);
  assert.deepEqual(readdirSync(dir), []);
});

test('the returned config is deep-frozen', (t) => {
  const { config } = loadConfig({ searchDir: tempDir(t), env: {} });
  assert.ok(Object.isFrozen(config));
  assert.throws(() => { (config as { port: number }).port = 1; }, TypeError);
  assert.equal(config.port, 5700);
});

test('the original\'s generated config/<QQ>.json loads unchanged, without warnings', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config/10001000.json', GENERATED_DEFAULT_JSON);
  const { config, warnings, source } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(warnings, []);
  assert.deepEqual(source, [file]);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.ws_host, '0.0.0.0');
  assert.equal(config.show_log_console, true);
  assert.deepEqual({ ...config, host: '127.0.0.1', ws_host: '127.0.0.1' }, defaultConfig());
});

test('the generated file also loads as a flat config.json or an explicit file', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config.json', GENERATED_DEFAULT_JSON);
  for (const options of [{ searchDir: dir }, { file }]) {
    const { config, warnings } = loadConfig({ ...options, env: {} });
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(warnings, []);
  }
});

test('INI: [general] then [<self_id>] overriding; yes/no, numeric strings, inline # kept', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', [
    '; a comment',
    '# another comment',
    '[general]',
    'port = 5701',
    'ws_port = 6701',
    'use_ws = yes',
    'serve_data_files = YES',
    'enable_cors = 1',
    'access_token = abc # not a comment',
    'heartbeat_interval = 30000ms',
    '[10001000]',
    'port = 5800',
    'use_ws = no',
    '[12345]',
    'port = 1',
  ].join('\n'));
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.port, 5800);
  assert.equal(config.ws_port, 6701);
  assert.equal(config.use_ws, false);
  assert.equal(config.serve_data_files, true);
  assert.equal(config.enable_cors, true);
  assert.equal(config.access_token, 'abc # not a comment');
  assert.equal(config.heartbeat_interval, 30000);
  // The value is kept as the original did, and the user is told why (without echoing the token).
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^access_token = <hidden string> .*INI has no inline comments/);
});

test('INI: self_id in [general] selects the account section', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.cfg', '[general]\nself_id = 12345\nport = 1000\n[10001000]\nport = 2000\n[12345]\nport = 3000\n');
  const { config } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.self_id, 12345);
  assert.equal(config.port, 3000);
});

test('JSON: "general" and "<QQ>" objects, QQ overriding; strings coerced', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', JSON.stringify({
    $schema: 'https://cqhttp.cc/config-schema.json',
    general: { port: '5710', ws_port: '6710abc', use_ws: 'true', post_message_format: 'array', secret: 's' },
    10001000: { port: 5711, enable_heartbeat: 'Yes' },
    999: { port: 1 },
  }));
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.port, 5711);
  assert.equal(config.ws_port, 6710);
  assert.equal(config.use_ws, true);
  assert.equal(config.enable_heartbeat, true);
  assert.equal(config.post_message_format, 'array');
  assert.equal(config.secret, 's');
  assert.deepEqual(warnings, []);
});

test('split files: config/general.json + config/<QQ>.json, the latter overriding', (t) => {
  const dir = tempDir(t);
  const general = put(dir, 'config/general.json', '{"port": 5720, "use_ws": true, "self_id": 777}');
  const account = put(dir, 'config/777.json', '{"port": 5721}');
  put(dir, 'config/10001000.json', '{"port": 1}');
  const { config, source } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.port, 5721);
  assert.equal(config.use_ws, true);
  assert.deepEqual(source, [general, account]);
});

test('split INI files: config/general.ini ([general]) + config/<QQ>.cfg ([general], [<QQ>])', (t) => {
  const dir = tempDir(t);
  put(dir, 'config/general.ini', '[general]\nport = 5730\nws_port = 6730\nuse_ws = true\n');
  put(dir, 'config/10001000.cfg', '[general]\nws_port = 6731\n[10001000]\nuse_ws = false\n');
  const { config } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual([config.port, config.ws_port, config.use_ws], [5730, 6731, false]);
});

test('search order: config.cfg > config.ini > config/*.ini > config.json > config/*.json', (t) => {
  const dir = tempDir(t);
  const files = [
    put(dir, 'config.cfg', '[general]\nport = 1\n'),
    put(dir, 'config.ini', '[general]\nport = 2\n'),
    put(dir, 'config/general.ini', '[general]\nport = 3\n'),
    put(dir, 'config.json', '{"general": {"port": 4}}'),
    put(dir, 'config/general.json', '{"port": 5}'),
  ];
  for (const [index, file] of files.entries()) {
    const { config, source } = loadConfig({ searchDir: dir, env: {} });
    assert.equal(config.port, index + 1);
    assert.deepEqual(source, [file]);
    rmSync(file);
  }
  assert.equal(loadConfig({ searchDir: dir, env: {} }).config.port, 5700);
});

test('CQHTTP_<KEY> environment variables override the file', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config.ini', '[general]\nport = 5701\npost_url = http://a/\nserve_data_files = no\n');
  const env = { CQHTTP_PORT: '6000', CQHTTP_SERVE_DATA_FILES: 'yes', CQHTTP_POST_URL: 'https://b/', PATH: '/bin' };
  const { config, source, warnings } = loadConfig({ searchDir: dir, env });
  assert.equal(config.port, 6000);
  assert.equal(config.serve_data_files, true);
  assert.equal(config.post_url, 'https://b/');
  assert.deepEqual(source, [file, 'environment']);
  assert.deepEqual(warnings, []);
});

test('CQHTTP_SELF_ID selects the account section and file', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nport = 1\n[10001000]\nport = 2\n[424242]\nport = 3\n');
  assert.equal(loadConfig({ searchDir: dir, env: { CQHTTP_SELF_ID: '424242' } }).config.port, 3);
  rmSync(path.join(dir, 'config.ini'));
  put(dir, 'config/424242.json', '{"port": 4}');
  assert.equal(loadConfig({ searchDir: dir, env: { CQHTTP_SELF_ID: '424242' } }).config.port, 4);
});

test('overrides beat the environment; undefined overrides are skipped', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', '{"port": 5701, "use_ws": false}');
  const { config, source } = loadConfig({
    searchDir: dir,
    env: { CQHTTP_PORT: '6000', CQHTTP_USE_WS: 'true' },
    overrides: { port: '7000', use_ws: undefined, self_id: 31337 },
  });
  assert.equal(config.port, 7000);
  assert.equal(config.use_ws, true);
  assert.equal(config.self_id, 31337);
  assert.deepEqual(source.slice(1), ['environment', 'overrides']);
});

test('case-insensitive enums are normalised; port 0 is allowed', (t) => {
  const { config } = loadConfig({
    searchDir: tempDir(t),
    env: { CQHTTP_LOG_LEVEL: 'WARNING', CQHTTP_WS_REVERSE_AUTHORIZATION_SCHEME: 'token', CQHTTP_LOG_FORMAT: 'JSON' },
    overrides: { port: 0, ws_port: '0' },
  });
  assert.equal(config.log_level, 'warning');
  assert.equal(config.ws_reverse_authorization_scheme, 'Token');
  assert.equal(config.log_format, 'json');
  assert.deepEqual([config.port, config.ws_port], [0, 0]);
});
