/**
 * The command line's last-resort handlers, in a real child process: an uncaught exception and an
 * unhandled rejection are each logged as one `last-resort handler:` line and the process goes on;
 * once uninstalled, the next uncaught exception ends the process as node normally does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const SCRIPT = `
import { pino } from 'pino';
import { installLastResort } from './src/app/last-resort.ts';
const logger = pino({ base: null, timestamp: false });
const uninstall = installLastResort(() => logger);
setTimeout(() => { throw new Error('boom in a timer'); }, 10);
void Promise.reject(new Error('nobody handled me'));
setTimeout(() => {
  console.log('still serving');
  uninstall();
  setTimeout(() => { throw new Error('after uninstall'); }, 10);
}, 200);
`;

test('uncaught exceptions and unhandled rejections are logged and the process keeps running until uninstalled', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  const lines = child.stdout.split('\n').filter((l) => l.includes('last-resort handler:'));
  assert.equal(lines.length, 2, child.stdout + child.stderr);
  assert.ok(lines.some((l) => l.includes('uncaught exception') && l.includes('boom in a timer')), child.stdout);
  assert.ok(lines.some((l) => l.includes('unhandled promise rejection') && l.includes('nobody handled me')), child.stdout);
  for (const line of lines) assert.equal(JSON.parse(line).level, 50); // error
  assert.match(child.stdout, /still serving/);
  assert.notEqual(child.status, 0, 'after uninstall an uncaught exception ends the process');
  assert.match(child.stderr, /after uninstall/);
});
