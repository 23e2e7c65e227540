import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CONFIG_KEYS, defaultConfig, loadConfig } from '../../src/config/index.js';
import { tempDir } from '../config/helpers.js';

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
/** tsx by URL: the CLI runs in a temporary folder, where `--import tsx` would not be found. */
const TSX = import.meta.resolve('tsx');

/** Runs the real CLI in `cwd`; resolves with its exit code and output (a non-zero exit is not a rejection). */
async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('cqhttpd init writes config.ini with every key at its default; the loader reads it back unchanged, without a warning', async (t) => {
  const dir = tempDir(t);
  const run = await cli(dir, 'init');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /wrote config\.ini/);
  const text = readFileSync(path.join(dir, 'config.ini'), 'utf8');
  for (const key of CONFIG_KEYS) assert.match(text, new RegExp(`^(; )?${key} =`, 'm'), `${key} is in the file`);
  // Found by the search, as a user starting `cqhttpd` in that folder would.
  const loaded = loadConfig({ searchDir: dir, env: {} });
  assert.deepEqual(loaded.source, [path.join(dir, 'config.ini')]);
  assert.deepEqual(loaded.warnings, []);
  assert.deepEqual(loaded.config, defaultConfig());
  // Each key is under a comment line.
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) if (/^[a-z_]+ =/.test(line)) assert.match(lines[i - 1] ?? '', /^; /, `comment above ${line}`);
});

test('cqhttpd init refuses to overwrite without --force, and names the file it writes', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'my.ini'), '[general]\nport = 1\n');
  const refused = await cli(dir, 'init', 'my.ini');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /my\.ini already exists; not overwritten \(--force replaces it\)/);
  assert.equal(readFileSync(path.join(dir, 'my.ini'), 'utf8'), '[general]\nport = 1\n');
  const forced = await cli(dir, 'init', 'my.ini', '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /cqhttpd -c my\.ini/);
  assert.deepEqual(loadConfig({ file: path.join(dir, 'my.ini'), env: {} }).config, defaultConfig());
  const json = await cli(dir, 'init', 'config.json');
  assert.equal(json.code, 2);
  assert.match(json.stderr, /INI; name it \*\.ini or \*\.cfg/);
});

test('--help lists init and shows no "(default: {})"', async (t) => {
  const help = await cli(tempDir(t), '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /init \[options\] \[file\]/);
  assert.doesNotMatch(help.stdout, /default: \{\}/);
});

test('an invalid config: the CLI prints the problems and the warnings together and exits 2', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'config.ini'), '[general]\nws_prot = 6701\nport = 99999\n');
  const run = await cli(dir);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /- port = "99999"/);
  assert.match(run.stderr, /- warning: unknown key "ws_prot" .*did you mean "ws_port"\?/);
});
