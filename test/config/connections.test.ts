import assert from 'node:assert/strict';
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
    return error.problems;
  }
  assert.fail('loadConfig did not throw');
}

test('no connections by default; a 4.15 config has none', (t) => {
  const dir = tempDir(t);
  assert.deepEqual(loadConfig({ searchDir: dir, env: {} }).config.connections, []);
  put(dir, 'config.ini', '[general]\npost_url = http://127.0.0.1:8080/\nuse_ws_reverse = yes\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(config.connections, []);
  assert.deepEqual(warnings, []);
});

test('JSON: an array of items; strings coerced like the flat keys; unset fields stay unset', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', JSON.stringify({
    general: {
      connections: [
        { type: 'http_post', url: 'HTTPS://logger.example/events', timeout: '5', enable_backward_compatibility: 'yes' },
        { type: 'ws_reverse', name: 'second', url: 'ws://127.0.0.1:9000/', reconnect_interval: 100, reconnect_on_code_1000: 'no', authorization_scheme: 'token', secret_unused: undefined },
      ],
    },
  }));
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.connections, [
    { type: 'http_post', url: 'HTTPS://logger.example/events', timeout: 5, enable_backward_compatibility: true },
    { type: 'ws_reverse', name: 'second', url: 'ws://127.0.0.1:9000/', reconnect_interval: 100, reconnect_on_code_1000: false, authorization_scheme: 'Token' },
  ]);
  assert.ok(Object.isFrozen(config.connections) && Object.isFrozen(config.connections[0]), 'deep-frozen');
});

test('INI: [connection.<name>] sections, in file order, named by the section', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', [
    '[general]', 'access_token = shared',
    '[connection.second_bot]', 'type = ws_reverse', 'api_url = ws://127.0.0.1:9000/api', 'event_url = ws://127.0.0.1:9000/event',
    'use_universal_client = no', 'reconnect_interval = 1000', 'access_token = other', 'name = ignored',
    '[connection.logger]', 'type = http_post', 'url = http://127.0.0.1:9100/', 'timeout =', 'event_filter =', 'post_message_format = array',
  ].join('\n'));
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(warnings, []);
  assert.equal(config.access_token, 'shared');
  assert.deepEqual(config.connections, [
    {
      type: 'ws_reverse', name: 'second_bot', api_url: 'ws://127.0.0.1:9000/api', event_url: 'ws://127.0.0.1:9000/event',
      use_universal_client: false, reconnect_interval: 1000, access_token: 'other',
    },
    { type: 'http_post', name: 'logger', url: 'http://127.0.0.1:9100/', event_filter: '', post_message_format: 'array' },
  ]);
});

test('INI: "connections" in [general] is a JSON string; sections win over it with a warning', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nconnections = [{"type": "http_post", "url": "http://a/"}]\n');
  assert.deepEqual(loadConfig({ searchDir: dir, env: {} }).config.connections, [{ type: 'http_post', url: 'http://a/' }]);
  put(dir, 'config.ini', '[general]\nconnections = [{"type": "http_post", "url": "http://a/"}]\n[connection.b]\ntype = http_post\nurl = http://b/\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(config.connections, [{ type: 'http_post', name: 'b', url: 'http://b/' }]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /"connections" in \[general\] is ignored: the file has \[connection\.<name>\] sections/);
});

test('INI: unknown sections still warn, naming [connection.<name>] as readable', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\n[connections.x]\ntype = http_post\n[connection.]\nx = 1\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(config.connections, []);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /section \[connections\.x\] is ignored \(only \[general\], \[<QQ number>\] and \[connection\.<name>\] are read\)/);
});

test('the list is one value: the environment, then overrides, replace it whole; an account section replaces general', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', JSON.stringify({
    general: { connections: [{ type: 'http_post', url: 'http://general/' }] },
    10001000: { connections: [{ type: 'http_post', url: 'http://account/' }, { type: 'http_post', url: 'http://account2/' }] },
  }));
  assert.deepEqual(loadConfig({ searchDir: dir, env: {} }).config.connections.map((c) => c.url), ['http://account/', 'http://account2/']);
  const env = { CQHTTP_CONNECTIONS: '[{"type": "ws_reverse", "url": "wss://env/"}]' };
  assert.deepEqual(loadConfig({ searchDir: dir, env }).config.connections, [{ type: 'ws_reverse', url: 'wss://env/' }]);
  assert.deepEqual(loadConfig({ searchDir: dir, env: { CQHTTP_CONNECTIONS: ' ' } }).config.connections, []);
  const overrides = { connections: [{ type: 'http_post', url: 'http://override/' }] };
  assert.deepEqual(loadConfig({ searchDir: dir, env, overrides }).config.connections, [{ type: 'http_post', url: 'http://override/' }]);
});

test('every problem of every item is listed, each naming connections[i].field and the origin', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config.json', JSON.stringify({
    connections: [
      { type: 'http_post', url: 'ftp://x/', timeout: -1, secret: 42 },
      { type: 'ws_reverse', url: 'http://x/', reconnect_on_code_1000: 'maybe' },
      { type: 'websocket', url: 'ws://x/' },
      { url: 'http://x/' },
      { type: 'http_post', url: 'http://x/', access_token: 't', colour: 'blue' },
      { type: 'ws_reverse', access_token: 'hunter2' },
      { type: 'ws_reverse', use_universal_client: true, api_url: 'ws://a/', post_message_format: 'xml' },
      'http://x/',
      { type: 'http_post', name: 'dup', url: 'http://a/' },
      { type: 'http_post', name: 'dup', url: 'http://b/' },
      { type: 'http_post', name: '' },
    ],
  }));
  const problems = problemsOf({ searchDir: dir, env: { CQHTTP_PORT: 'x' } });
  const from = `(from ${file})`;
  assert.deepEqual(problems, [
    `connections[0].url = "ftp://x/" ${from}: must be a URL starting with http:// or https://`,
    `connections[0].secret = <hidden number> ${from}: must be a string`,
    `connections[0].timeout = -1 ${from}: must be an integer ≥ 0`,
    `connections[1].url = "http://x/" ${from}: must be a URL starting with ws:// or wss://`,
    `connections[1].reconnect_on_code_1000 = "maybe" ${from}: must be a boolean (true/false, yes/no or 1/0)`,
    `connections[2].type = "websocket" ${from}: must be "http_post" or "ws_reverse"`,
    `connections[3].type ${from}: must be "http_post" or "ws_reverse"`,
    `connections[4] ${from}: unknown fields "access_token", "colour" for a http_post connection`,
    `connections[5] ${from}: a ws_reverse connection needs url, api_url or event_url`,
    `connections[6].post_message_format = "xml" ${from}: must be one of: string, array`,
    `connections[6].url ${from}: is required when use_universal_client is true`,
    `connections[7] = "http://x/" ${from}: must be an object`,
    `connections[10].url ${from}: is required`,
    `connections[10].name = "" ${from}: must not be empty`,
    `connections[9].name = "dup" ${from}: duplicate connection name "dup"`,
    'port = "x" (from environment variable CQHTTP_PORT): must be an integer from 0 to 65535',
  ]);
});

test('CQHTTP_CONNECTIONS: bad JSON or a non-array is one problem that never echoes the value', (t) => {
  const dir = tempDir(t);
  const broken = problemsOf({ searchDir: dir, env: { CQHTTP_CONNECTIONS: '[{"type": "ws_reverse", "access_token": "hunter2"' } });
  assert.equal(broken.length, 1);
  assert.match(broken[0] ?? '', /^connections = <hidden string> \(from environment variable CQHTTP_CONNECTIONS\): must be a JSON array of connections: /);
  const object = problemsOf({ searchDir: dir, env: { CQHTTP_CONNECTIONS: '{"type": "http_post", "url": "http://a/"}' } });
  assert.deepEqual(object, ['connections = <hidden string> (from environment variable CQHTTP_CONNECTIONS): must be a list (JSON array) of connections']);
  const token = problemsOf({ searchDir: dir, env: { CQHTTP_CONNECTIONS: '[{"type": "ws_reverse", "url": "ws://x/", "access_token": ["hunter2"], "secret": "s3cret"}]' } });
  assert.deepEqual(token, [
    'connections[0].access_token (from environment variable CQHTTP_CONNECTIONS): must be a string',
    'connections[0] (from environment variable CQHTTP_CONNECTIONS): unknown field "secret" for a ws_reverse connection',
  ]);
  assert.ok(![...broken, ...object, ...token].some((p) => p.includes('hunter2') || p.includes('s3cret')));
});

test('INI problems name the item by its place among the [connection.<name>] sections', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'config.ini', '[connection.a]\ntype = http_post\nurl = http://a/\n[connection.b]\ntype = ws_reverse\nurl = ws://b/\nreconnect_interval = soon\n');
  assert.deepEqual(problemsOf({ searchDir: dir, env: {} }), [
    `connections[1].reconnect_interval = "soon" (from ${file} [connection.<name>] sections, in file order): must be an integer ≥ 0`,
  ]);
});
