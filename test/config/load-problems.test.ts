import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { LoadOptions } from '../../src/config/index.js';
import { put, tempDir } from './helpers.js';

/** Runs `loadConfig` expecting a ConfigError; returns its problems. */
function problemsOf(options: LoadOptions): string[] {
  try {
    loadConfig(options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, /invalid configuration/);
    return error.problems;
  }
  assert.fail('loadConfig did not throw');
}

test('several invalid values: one ConfigError naming each key, value and origin', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config.ini', '[general]\nport = 70000\nheartbeat_interval = -5\n[10001000]\nws_port = http\n');
  const problems = problemsOf({
    searchDir: dir,
    env: { CQHTTP_USE_WS: 'maybe' },
    overrides: { log_level: 'verbose', max_queue_length: 2.5 },
  });
  assert.equal(problems.length, 6, problems.join('\n'));
  const expect = [
    /^port = "70000" .*config\.ini \[general\].*0 to 65535/,
    /^heartbeat_interval = "-5" .*config\.ini \[general\].*≥ 1/,
    /^ws_port = "http" .*config\.ini \[10001000\]/,
    /^use_ws = "maybe" \(from environment variable CQHTTP_USE_WS\): must be a boolean/,
    /^log_level = "verbose" \(from command-line override\): must be one of: debug, info, warning, error, fatal/,
    /^max_queue_length = 2\.5 \(from command-line override\)/,
  ];
  for (const pattern of expect) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`);
  assert.ok(problems.slice(0, 3).every((p) => p.includes(file)));
});

test('JSON values of the wrong type for ints and bools are errors', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', '{"port": true, "use_http": 1, "self_id": null}');
  const problems = problemsOf({ searchDir: dir, env: {} });
  assert.deepEqual(problems.map((p) => p.split(' ')[0]), ['port', 'use_http', 'self_id']);
});

test('a missing explicit file or an unsupported extension is an error naming it', (t) => {
  const dir = tempDir(t);
  const missing = path.join(dir, 'nope.ini');
  assert.match(problemsOf({ file: missing, env: {} })[0] ?? '', new RegExp(`${missing.replace(/[.\\]/g, '\\$&')}: config file not found`));
  const yaml = put(dir, 'config.yaml', 'port: 1\n');
  assert.match(problemsOf({ file: yaml, env: {} })[0] ?? '', /config\.yaml: unsupported config file format/);
});

test('syntax errors are reported with the file name (and line for INI), alongside value problems', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nport = 1\nthis line has no equals sign\n');
  const ini = problemsOf({ searchDir: dir, env: { CQHTTP_PORT: '-1' } });
  assert.equal(ini.length, 2, ini.join('\n'));
  assert.match(ini[0] ?? '', /config\.ini: INI syntax error at line 3/);
  assert.match(ini[1] ?? '', /^port = "-1" \(from environment variable CQHTTP_PORT\)/);
  const json = put(dir, 'broken.json', '{"port": 1,}');
  assert.match(problemsOf({ file: json, env: {} })[0] ?? '', /broken\.json: JSON syntax error/);
  const array = put(dir, 'array.json', '[1, 2]');
  assert.match(problemsOf({ file: array, env: {} })[0] ?? '', /array\.json: the JSON root must be an object/);
});

test('unknown keys are warnings; hints for 3.x and v11 names; $schema and <ext>.enable are silent', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', JSON.stringify({
    $schema: 'x', 'long_polling.enable': true, colour: 'blue', use_filter: true, 'http.port': 5800,
  }));
  const { config, warnings } = loadConfig({ searchDir: dir, env: { CQHTTP_FROBNICATE: '1' } });
  assert.equal(config.port, 5700);
  assert.equal(warnings.length, 4, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /unknown key "colour" \(from .*config\.json\) is ignored$/);
  assert.match(warnings[1] ?? '', /unknown key "use_filter" .*use event_filter/);
  assert.match(warnings[2] ?? '', /unknown key "http\.port" .*reads port/);
  assert.match(warnings[3] ?? '', /unknown key "frobnicate" \(from environment variable CQHTTP_FROBNICATE\)/);
});

test('invalid post_message_format: warning and "string", as the original', (t) => {
  const { config, warnings } = loadConfig({ searchDir: tempDir(t), env: { CQHTTP_POST_MESSAGE_FORMAT: 'xml' } });
  assert.equal(config.post_message_format, 'string');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^post_message_format = "xml" \(from environment variable CQHTTP_POST_MESSAGE_FORMAT\): must be one of: string, array; ignored, using "string"$/);
});

test('bad URLs are ignored with a warning and treated as empty', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\npost_url = ftp://x/\nws_reverse_url = http://x/\nws_reverse_api_url = WSS://ok/\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.post_url, '');
  assert.equal(config.ws_reverse_url, '');
  assert.equal(config.ws_reverse_api_url, 'WSS://ok/');
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^post_url = "ftp:\/\/x\/" .*http:\/\/ or https:\/\//);
  assert.match(warnings[1] ?? '', /^ws_reverse_url = "http:\/\/x\/" .*ws:\/\/ or wss:\/\//);
});

test('a non-string access_token is ignored (strict string read) with a warning that hides the value', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', '{"access_token": 123456, "data_dir": 5}');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.access_token, '');
  assert.equal(config.data_dir, './data');
  assert.equal(warnings.length, 2);
  assert.ok(!warnings.some((w) => w.includes('123456')), warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^access_token = <hidden number> .*must be a string/);
});

test('ignored parts of files are warnings: keys outside sections, unknown sections, stray top-level JSON keys', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', 'port = 1\n[general]\nws_port = 2\n[extras]\nx = 1\n');
  const ini = loadConfig({ searchDir: dir, env: {} });
  assert.equal(ini.config.port, 5700);
  assert.equal(ini.config.ws_port, 2);
  assert.equal(ini.warnings.length, 2, ini.warnings.join('\n'));
  assert.match(ini.warnings[0] ?? '', /key "port" outside any section is ignored/);
  assert.match(ini.warnings[1] ?? '', /section \[extras\] is ignored/);
  const json = put(dir, 'sectioned.json', '{"$schema": "x", "port": 1, "general": {"ws_port": 3}}');
  const result = loadConfig({ file: json, env: {} });
  assert.deepEqual([result.config.port, result.config.ws_port], [5700, 3]);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /top-level key "port" is ignored/);
});

test('inert keys of the original are accepted; a bad inert value only warns', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nthread_pool_size = 0\nuse_extension = yes\nshow_log_console = perhaps\nupdate_channel = beta\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.thread_pool_size, 0);
  assert.equal(config.use_extension, true);
  assert.equal(config.show_log_console, true);
  assert.equal(config.update_channel, 'beta');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^show_log_console = "perhaps" .*ignored, using true$/);
});

test('a list item of the wrong type is worded as the world file does', () => {
  const problems = problemsOf({ env: {}, overrides: { allowed_file_dirs: ['/srv/ok', 7] } });
  assert.ok(problems.some((p) => p.startsWith('allowed_file_dirs[1] = 7 (from command-line override): Invalid input: expected string, received number')), problems.join('\n'));
});
