import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { tempDir } from './helpers.js';

function problemsOf(dir: string, overrides: Record<string, unknown>): string[] {
  try {
    loadConfig({ searchDir: dir, env: {}, overrides });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('loadConfig did not throw');
}

test('backend defaults to the sandbox; onebot with a ws:// upstream loads, the token is kept', (t) => {
  const dir = tempDir(t);
  assert.equal(loadConfig({ searchDir: dir, env: {} }).config.backend, 'sandbox');
  const { config } = loadConfig({ searchDir: dir, env: {}, overrides: { backend: 'OneBot', upstream_url: 'wss://qq.example:3001/', upstream_access_token: 's3cret' } });
  assert.equal(config.backend, 'onebot');
  assert.equal(config.upstream_url, 'wss://qq.example:3001/');
  assert.equal(config.upstream_access_token, 's3cret');
});

test('onebot without upstream_url, milky, and a bad upstream_url are each listed, with the other problems', (t) => {
  const dir = tempDir(t);
  const missing = problemsOf(dir, { backend: 'onebot', port: 70000 });
  assert.equal(missing.length, 2, missing.join('\n'));
  assert.ok(missing.some((p) => /backend = "onebot" needs upstream_url/.test(p)));
  assert.ok(missing.some((p) => p.startsWith('port = ')));

  const milky = problemsOf(dir, { backend: 'milky', upstream_url: 'ws://127.0.0.1:1/' });
  assert.deepEqual(milky.length, 1);
  assert.match(milky[0]!, /backend = "milky": upstream_url must be the http:\/\/ or https:\/\/ base address/);
  assert.match(problemsOf(dir, { backend: 'milky' })[0]!, /backend = "milky" needs upstream_url/);

  const bad = problemsOf(dir, { backend: 'onebot', upstream_url: 'http://127.0.0.1:3001/', upstream_access_token: 'hidden-token' });
  assert.ok(bad.some((p) => /upstream_url must be the ws:\/\/ or wss:\/\/ address/.test(p)), bad.join('\n'));
  const unparsable = problemsOf(dir, { backend: 'onebot', upstream_url: 'ftp://127.0.0.1:3001/', upstream_access_token: 'hidden-token' });
  assert.ok(unparsable.some((p) => /^upstream_url = "ftp:\/\/127\.0\.0\.1:3001\/" .*must be empty or a URL starting with ws:\/\//.test(p)), unparsable.join('\n'));
  assert.ok(unparsable.some((p) => /needs upstream_url/.test(p)));

  const { warnings } = loadConfig({ searchDir: dir, env: {}, overrides: { upstream_access_token: 424242 } });
  assert.ok(warnings.some((w) => w.startsWith('upstream_access_token = <hidden number>')), warnings.join('\n'));
  assert.ok(bad.concat(unparsable, warnings).every((p) => !p.includes('424242') && !p.includes('hidden-token')), 'the token is never echoed');
});

test('reverse mode needs no upstream_url; dialect, mode and listen keys are checked', (t) => {
  const dir = tempDir(t);
  const { config } = loadConfig({ searchDir: dir, env: {}, overrides: { backend: 'onebot', upstream_mode: 'Reverse', upstream_dialect: 'NapCat', upstream_listen_port: 0 } });
  assert.equal(config.upstream_mode, 'reverse');
  assert.equal(config.upstream_dialect, 'napcat');
  assert.equal(config.upstream_listen_host, '127.0.0.1');
  assert.equal(config.upstream_listen_path, '/');
  const problems = problemsOf(dir, { backend: 'onebot', upstream_mode: 'sideways', upstream_dialect: 'qq', upstream_listen_path: 'ws' });
  assert.ok(problems.some((p) => p.startsWith('upstream_mode = ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('upstream_dialect = ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('upstream_listen_path = ') && /starting with \//.test(p)), problems.join('\n'));
});

test('upstream_event_transport: websocket by default, sse accepted in any case, anything else an error', (t) => {
  const dir = tempDir(t);
  const base = { backend: 'milky', upstream_url: 'http://127.0.0.1:3000' };
  assert.equal(loadConfig({ searchDir: dir, env: {}, overrides: base }).config.upstream_event_transport, 'websocket');
  assert.equal(loadConfig({ searchDir: dir, env: {}, overrides: { ...base, upstream_event_transport: 'SSE' } }).config.upstream_event_transport, 'sse');
  const problems = problemsOf(dir, { ...base, upstream_event_transport: 'carrier-pigeon' });
  assert.ok(problems.some((p) => p.startsWith('upstream_event_transport = ') && /websocket, sse/.test(p)), problems.join('\n'));
});
