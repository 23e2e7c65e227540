/**
 * `bots`: several bot accounts in one process (docs/config.md#several-bots) — INI `[<self_id>]`
 * sections and JSON items over `[general]`, every problem listed together, and single-bot files
 * unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { put, tempDir } from './helpers.js';

/** The ConfigError's problems of a load that must fail. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('the configuration loaded');
}

test('INI: bots in [general], each account\'s [<self_id>] section over [general]', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', [
    '[general]',
    'use_ws = yes',
    'access_token = shared',
    'post_message_format = array',
    'bots = 10001000, 10002000',
    '[10001000]',
    'ws_port = 6701',
    'port = 5701',
    '[10002000]',
    'ws_port = 6702',
    'port = 5702',
    'access_token = second',
    '[30003000]',
    'port = 1',
  ].join('\n'));
  const { config, bots, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(warnings, []);
  assert.equal(bots.length, 2);
  assert.equal(bots[0], config);
  assert.deepEqual(bots.map((b) => [b.self_id, b.port, b.ws_port, b.access_token, b.post_message_format, b.use_ws]), [
    [10001000, 5701, 6701, 'shared', 'array', true],
    [10002000, 5702, 6702, 'second', 'array', true],
  ]);
  assert.ok(Object.isFrozen(bots) && Object.isFrozen(bots[1]));
});

test('JSON: a bots list of numbers and objects; an object item\'s keys beat its "<self_id>" section', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.json', JSON.stringify({
    general: { use_ws: true, bots: [10001000, { self_id: 10002000, ws_port: 6712, ws_reverse_url: 'ws://127.0.0.1:9000/', use_ws_reverse: true }] },
    10001000: { ws_port: 6711, port: 5711 },
    10002000: { ws_port: 1, port: 5712 },
  }));
  const { bots } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(bots.map((b) => [b.self_id, b.port, b.ws_port, b.use_ws_reverse, b.ws_reverse_url]), [
    [10001000, 5711, 6711, false, ''],
    [10002000, 5712, 6712, true, 'ws://127.0.0.1:9000/'],
  ]);
  // A flat file, and CQHTTP_BOTS, work too; the environment and flags apply to every bot.
  const flat = tempDir(t);
  put(flat, 'config.json', JSON.stringify({ bots: [{ self_id: 1, port: 0 }, { self_id: 2, port: 0 }], log_traffic: false }));
  const loaded = loadConfig({ searchDir: flat, env: { CQHTTP_USE_WS: 'false' }, overrides: { ws_port: 0 } });
  assert.deepEqual(loaded.bots.map((b) => [b.self_id, b.log_traffic, b.use_ws]), [[1, false, false], [2, false, false]]);
  assert.deepEqual(loadConfig({ searchDir: tempDir(t), env: { CQHTTP_BOTS: '7, 8', CQHTTP_PORT: '0' } }).bots.map((b) => b.self_id), [7, 8]);
  // Split files: config/general.json, then each account's config/<QQ>.json.
  const split = tempDir(t);
  const files = [
    put(split, 'config/general.json', JSON.stringify({ bots: [1, 2], port: 0, use_ws: true })),
    put(split, 'config/1.json', JSON.stringify({ ws_port: 6721 })),
    put(split, 'config/2.json', JSON.stringify({ ws_port: 6722 })),
  ];
  const splitLoaded = loadConfig({ searchDir: split, env: {} });
  assert.deepEqual(splitLoaded.bots.map((b) => [b.self_id, b.ws_port]), [[1, 6721], [2, 6722]]);
  assert.deepEqual([...splitLoaded.source].sort(), [...files].sort());
});

test('every problem between bots is listed together: shared port, repeated self_id, bad items, process keys that differ', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', [
    '[general]',
    'use_ws = yes',
    'bots = 10001000, 10002000, 10001000, abc',
    'port = 5700x',
    '[10002000]',
    'ws_port = 5700',
    'data_dir = ./elsewhere',
    'port = 5800',
  ].join('\n'));
  const problems = problemsOf(() => loadConfig({ searchDir: dir, env: {} }));
  const expected = [
    /bots\[2\].*self_id 10001000 is already bots\[0\]/,
    /bots\[3\].*"abc" is not a bot account/,
    /data_dir is "\.\/data" for bot 10001000 but "\.\/elsewhere" for bot 10002000/,
    /port 5700 is used twice: bot 10001000's HTTP API \(port\) and bot 10002000's forward WebSocket \(ws_port\)/,
    /port 5800 is used twice: the control listener \(sandbox_port\) and bot 10002000's HTTP API \(port\)/,
  ];
  for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} among:\n${problems.join('\n')}`);
  assert.equal(problems.length, expected.length, problems.join('\n'));

  const bridge = tempDir(t);
  put(bridge, 'config.json', JSON.stringify({ bots: [1, 2], backend: 'onebot', upstream_url: 'ws://127.0.0.1:1/', port: 0, ws_port: 0 }));
  assert.match(problemsOf(() => loadConfig({ searchDir: bridge, env: {} })).join('\n'), /several bots need backend = sandbox/);
  const notList = tempDir(t);
  put(notList, 'config.json', JSON.stringify({ bots: { self_id: 1 } }));
  assert.match(problemsOf(() => loadConfig({ searchDir: notList, env: {} })).join('\n'), /bots \(from .*\): must be a list/);
});

test('self_id on the command line or in the environment runs that one account of a bots file', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nbots = 10001000, 10002000\n[10001000]\nport = 1\n[10002000]\nport = 2\n');
  const { config, bots, warnings } = loadConfig({ searchDir: dir, env: { CQHTTP_SELF_ID: '10002000' } });
  assert.equal(bots.length, 1);
  assert.deepEqual([config.self_id, config.port], [10002000, 2]);
  assert.match(warnings.join('\n'), /bots .* is ignored: self_id 10002000 is set/);
});

test('without bots a file with several account sections still runs one bot, as before', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nport = 1\n[10001000]\nport = 2\n[424242]\nport = 3\n');
  const { config, bots } = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(bots, [config]);
  assert.equal(config.port, 2);
  assert.equal(config.self_id, undefined);
});
