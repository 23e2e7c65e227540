/**
 * A data directory belongs to one process: real cqhttpd child processes on one data_dir. The
 * second refuses (exit ≠ 0, naming the first's pid and ports), so two processes can no longer
 * alternate sends on one database; after `kill -9` of the first, the next start takes the stale
 * lock over; a clean exit removes the lock.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino, type Logger } from 'pino';
import { DataDirBusyError, LOCK_FILE, lockDataDir, procStart, type LockOwner } from '../../src/app/data-lock.js';

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
/** tsx by URL: the CLI runs in a temporary folder, where `--import tsx` would not be found. */
const TSX = import.meta.resolve('tsx');

interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Start the real CLI on `dataDir`, every listener on a free port, in an empty working folder. */
function start(cwd: string, dataDir: string): Child {
  const proc = spawn(process.execPath, ['--import', TSX, CLI, '-d', dataDir, '--port', '0', '--set', 'sandbox_port=0', '--set', 'use_ws=true', '--set', 'ws_port=0', '--log-level', 'info'], {
    cwd, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => text, exited };
}

/** The lock's owner once it has recorded its listeners (the sign that it is up). */
async function ready(dataDir: string, child: Child, ms = 30_000): Promise<LockOwner> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const owner = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
      if (owner.pid === child.proc.pid && owner.ports.sandbox !== undefined) return owner;
    } catch {
      // not there yet
    }
    if (child.proc.exitCode !== null) throw new Error(`exited with ${child.proc.exitCode}:\n${child.output()}`);
    if (Date.now() > end) throw new Error(`not up within ${ms} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(owner: LockOwner, text: string): Promise<{ retcode: number; wording?: string }> {
  const res = await fetch(`http://127.0.0.1:${owner.ports.http!.port}/send_private_msg`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 20001, message: text }),
  });
  return (await res.json()) as { retcode: number; wording?: string };
}

test('one process per data_dir: a second refuses naming the first; after kill -9 the next start takes over; a clean exit releases', { timeout: 120_000 }, async (t) => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-lock-cwd-'));
  const dataDir = path.join(cwd, 'data');
  const children: Child[] = [];
  t.after(() => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  const first = start(cwd, dataDir);
  children.push(first);
  const owner = await ready(dataDir, first);
  assert.equal((await send(owner, 'one')).retcode, 0);

  // The repro: a second process on the same data_dir, other ports. It must not serve.
  const second = start(cwd, dataDir);
  children.push(second);
  const code = await within(second.exited, 30_000, 'the second process to exit');
  assert.notEqual(code, 0, 'a refusal is a failure exit');
  const said = second.output();
  assert.match(said, new RegExp(`in use by another cqhttpd: pid ${first.proc.pid} on this host`));
  assert.match(said, new RegExp(`HTTP API 127\\.0\\.0\\.1:${owner.ports.http!.port}`), 'names the first one\'s ports');
  assert.match(said, new RegExp(`control API 127\\.0\\.0\\.1:${owner.ports.sandbox!.port}`));
  assert.match(said, /another data_dir/, 'says what to do');
  // The first keeps serving and keeps its lock; sends go on without sequence clashes.
  for (const text of ['two', 'three', 'four']) assert.equal((await send(owner, text)).retcode, 0, text);
  const still = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
  assert.equal(still.pid, first.proc.pid);

  // kill -9: the lock stays behind, stale; the next start takes it over and says so.
  first.proc.kill('SIGKILL');
  await first.exited;
  assert.ok(fs.existsSync(path.join(dataDir, LOCK_FILE)), 'a killed process leaves its lock');
  const third = start(cwd, dataDir);
  children.push(third);
  const next = await ready(dataDir, third);
  assert.match(third.output(), new RegExp(`previous owner \\(pid ${first.proc.pid}, .*\\) is no longer running; its stale lock is taken over`));
  assert.equal((await send(next, 'five')).retcode, 0, 'the database is whole');

  // A clean exit removes the lock.
  third.proc.kill('SIGTERM');
  assert.equal(await within(third.exited, 30_000, 'the clean exit'), 0);
  assert.equal(fs.existsSync(path.join(dataDir, LOCK_FILE)), false, 'released on a clean exit');
});

/** A logger keeping its lines. */
function captured(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString('utf8')), cb()) });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

function writeLock(dataDir: string, owner: Partial<LockOwner>): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const full: LockOwner = { pid: process.pid, hostname: os.hostname(), proc_start: procStart(process.pid), since: '2026-01-01T00:00:00.000Z', id: 'x', ports: {}, ...owner };
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify(full));
}

test('in one process: a second lock on the same data_dir is refused until the first is released (what a restart does)', (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-lock-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { logger } = captured();
  const lock = lockDataDir(dataDir, logger);
  lock.update({ http: { host: '127.0.0.1', port: 5700 } });
  assert.throws(() => lockDataDir(dataDir, logger), (err: unknown) => err instanceof DataDirBusyError && err.owner.pid === process.pid && /HTTP API 127\.0\.0\.1:5700/.test(err.message));
  lock.release();
  assert.equal(fs.existsSync(path.join(dataDir, LOCK_FILE)), false);
  const again = lockDataDir(dataDir, logger);
  lock.release(); // a stale handle does not remove the lock of another acquisition
  assert.ok(fs.existsSync(path.join(dataDir, LOCK_FILE)));
  again.release();
});

test('a reused pid (alive, started at another time) is stale; an unreadable old lock is taken over; another host is never taken over', (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-lock-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { logger, lines } = captured();
  // process.ppid is alive; its recorded start time is wrong, as when the owner died and the pid was reused.
  if (procStart(process.ppid) !== null) {
    writeLock(dataDir, { pid: process.ppid, proc_start: '1' });
    lockDataDir(dataDir, logger).release();
    assert.ok(lines.some((l) => l.includes(`(pid ${process.ppid}, since 2026-01-01T00:00:00.000Z) is gone (its pid now belongs to another process)`)), lines.join(''));
  }
  // Alive with the right start time: busy.
  writeLock(dataDir, { pid: process.ppid, proc_start: procStart(process.ppid) });
  assert.throws(() => lockDataDir(dataDir, logger), DataDirBusyError);
  // Garbage written long ago.
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), 'not json');
  fs.utimesSync(path.join(dataDir, LOCK_FILE), new Date(0), new Date(0));
  lockDataDir(dataDir, logger).release();
  assert.ok(lines.some((l) => l.includes('was unreadable; taken over')));
  // A lock from another host cannot be checked: refused, with how to clear it.
  writeLock(dataDir, { pid: 999_999_999, hostname: `${os.hostname()}-elsewhere` });
  assert.throws(() => lockDataDir(dataDir, logger), (err: unknown) => err instanceof DataDirBusyError && /on host .*-elsewhere/.test(err.message) && /delete .*cqhttpd\.lock/.test(err.message));
});
