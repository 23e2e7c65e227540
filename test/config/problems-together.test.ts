import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { LoadOptions } from '../../src/config/index.js';
import { suggestKey } from '../../src/config/validate.js';
import { put, tempDir } from './helpers.js';

/** Runs `loadConfig` expecting a ConfigError. */
function failure(options: LoadOptions): ConfigError {
  try {
    loadConfig(options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('loadConfig did not throw');
}

test('an invalid configuration reports its problems and its warnings together', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\nws_prot = 6701\nuse_ws = maybe\nport = 99999\n');
  const error = failure({ searchDir: dir, env: {} });
  assert.equal(error.problems.length, 2, error.problems.join('\n'));
  assert.ok(error.problems.some((p) => p.startsWith('use_ws = "maybe"')));
  assert.ok(error.problems.some((p) => p.startsWith('port = "99999"')));
  assert.deepEqual(error.warnings.length, 1, error.warnings.join('\n'));
  assert.match(error.warnings[0] ?? '', /unknown key "ws_prot" .*is ignored: did you mean "ws_port"\?/);
  assert.match(error.message, /2 problems, 1 warning/);
  assert.match(error.message, /- warning: unknown key "ws_prot"/);
});

test('"did you mean" for unknown keys within two edits, case-insensitively; nothing for far-off names', (t) => {
  assert.equal(suggestKey('ws_prot'), 'ws_port');
  assert.equal(suggestKey('acess_token'), 'access_token');
  assert.equal(suggestKey('Port'), 'port');
  assert.equal(suggestKey('post_ulr'), 'post_url');
  assert.equal(suggestKey('completely_different'), undefined);
  assert.equal(suggestKey('xyz'), undefined);
  const dir = tempDir(t);
  const { warnings } = loadConfig({ searchDir: dir, env: { CQHTTP_LOG_LEVLE: 'debug', CQHTTP_NOTHING_LIKE_IT: '1' } });
  assert.ok(warnings.some((w) => /unknown key "log_levle" \(from environment variable CQHTTP_LOG_LEVLE\) is ignored: did you mean "log_level"\?/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^unknown key "nothing_like_it" \(from environment variable CQHTTP_NOTHING_LIKE_IT\) is ignored$/.test(w)), warnings.join('\n'));
  // The OneBot v11 hints still win over a suggestion.
  const hinted = loadConfig({ searchDir: dir, env: { 'CQHTTP_HTTP.PORT': '1' } }).warnings;
  assert.ok(hinted.some((w) => w.endsWith('OneBot v11 reference name; cqhttpd reads port')), hinted.join('\n'));
});

test('an INI value with a trailing "# comment" or "; comment" is told INI has no inline comments', (t) => {
  const dir = tempDir(t);
  // Valid despite the comment (integers read their leading digits): a warning.
  put(dir, 'config.ini', '[general]\nport = 5701 # the HTTP port\nhost = 127.0.0.1 ; loopback\n[connection.a]\ntype = http_post\nurl = http://127.0.0.1:1/ # receiver\n');
  const { config, warnings } = loadConfig({ searchDir: dir, env: {} });
  assert.equal(config.port, 5701);
  assert.equal(config.host, '127.0.0.1 ; loopback');
  assert.ok(warnings.some((w) => /^port = "5701 # the HTTP port" .*INI has no inline comments/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^host = .*INI has no inline comments/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /\[connection\.a\] url: INI has no inline comments/.test(w)), warnings.join('\n'));
  // Invalid because of the comment: the problem itself says why.
  put(dir, 'config.ini', '[general]\nuse_ws = true # enable the forward WebSocket\naccess_token = abc ; secret\n');
  const error = failure({ searchDir: dir, env: {} });
  assert.equal(error.problems.length, 1, error.problems.join('\n'));
  assert.match(error.problems[0] ?? '', /^use_ws = "true # enable the forward WebSocket" .*must be a boolean.*\(INI has no inline comments/);
  // A token's value is never echoed, even in this warning.
  assert.ok(error.warnings.some((w) => /^access_token = <hidden string> .*INI has no inline comments/.test(w)), error.warnings.join('\n'));
  assert.ok(!error.message.includes('abc'));
});

test('JSON values and whole-line INI comments get no inline-comment remark', (t) => {
  const dir = tempDir(t);
  put(dir, 'config.ini', '[general]\n# a comment\n; another\nport = 5702\naccess_token = a#b\n');
  assert.deepEqual(loadConfig({ searchDir: dir, env: {} }).warnings, []);
  const json = tempDir(t);
  put(json, 'config.json', '{"access_token": "x # y"}');
  assert.deepEqual(loadConfig({ searchDir: json, env: {} }).warnings, []);
});
