/**
 * A data directory belongs to one process: `<data_dir>/cqhttpd.lock` holds the owner's pid, process
 * start time, host name and (once bound) its listeners. Two processes on one database would
 * interleave their writes (message sequence numbers collide: sends fail with UNIQUE constraint
 * errors), so a second cqhttpd on a locked directory refuses to start, naming the owner.
 *
 * The file is created with `link(2)` from a complete temporary file, so it appears whole or not at
 * all (O_EXCL semantics). A lock whose process is gone (`kill -9`, a crash, a reboot) is stale and
 * is taken over, with a warning: stale means the pid is not alive, or is alive but started at
 * another time than the owner (the pid was reused; start times come from `/proc` where it exists).
 * A lock written on another host cannot be checked and is never taken over.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

export const LOCK_FILE = 'cqhttpd.lock';

/** Where the owner listens (filled in once its listeners are bound). */
export interface LockPorts {
  http?: { host: string; port: number };
  ws?: { host: string; port: number };
  sandbox?: { host: string; port: number };
}

/** What the lock file holds. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Process start from `/proc/<pid>/stat` (clock ticks after boot), when the system has `/proc`. */
  proc_start: string | null;
  /** When the lock was taken (ISO 8601). */
  since: string;
  /** One per acquisition: tells this lock from an earlier one of the same process. */
  id: string;
  ports: LockPorts;
}

/** A held lock. */
export interface DataDirLock {
  readonly file: string;
  /** Record the bound listeners in the lock file (shown to a second process). */
  update(ports: LockPorts): void;
  /** Remove the lock file if it is still this lock's. Idempotent. */
  release(): void;
}

/** The data directory is held by a live process. */
export class DataDirBusyError extends Error {
  constructor(readonly dataDir: string, readonly owner: LockOwner, readonly file: string) {
    super(busyMessage(dataDir, owner, file));
    this.name = 'DataDirBusyError';
  }
}

/** Takeover attempts before giving up (another process racing for the same stale lock). */
const ATTEMPTS = 5;
/** How long a lock file may stay unreadable (being written by a filesystem without link()) before it counts as stale. */
const UNREADABLE_GRACE_MS = 5_000;

/** Take the lock of `dataDir` (created if missing); throws {@link DataDirBusyError} when a live process holds it. */
export function lockDataDir(dataDir: string, logger: Logger): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), proc_start: procStart(process.pid), since: new Date().toISOString(), id: randomUUID(), ports: {} };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (create(file, owner)) return held(file, owner, logger);
    const text = readText(file);
    if (text === null) continue; // released meanwhile: try again
    const holder = parseOwner(text);
    if (holder === null) {
      if (ageMs(file) < UNREADABLE_GRACE_MS) {
        pause(100);
        continue;
      }
      if (takeOver(file, text)) logger.warn(`data_dir lock ${file} was unreadable; taken over`);
      continue;
    }
    const verdict = liveness(holder);
    if (verdict === 'alive') throw new DataDirBusyError(dataDir, holder, file);
    if (takeOver(file, text)) {
      const why = verdict === 'dead' ? 'is no longer running' : 'is gone (its pid now belongs to another process)';
      logger.warn(`data_dir ${dataDir}: the previous owner (pid ${holder.pid}, since ${holder.since}) ${why}; its stale lock is taken over`);
    }
  }
  throw new Error(`data_dir ${dataDir}: could not take the lock ${file} (other processes keep racing for it); try again`);
}

function held(file: string, owner: LockOwner, logger: Logger): DataDirLock {
  let released = false;
  const mine = (): boolean => {
    const current = parseOwner(readText(file) ?? '');
    return current !== null && current.id === owner.id;
  };
  return {
    file,
    update(ports) {
      if (released) return;
      owner.ports = ports;
      const tmp = `${file}.${process.pid}.${owner.id}.tmp`;
      try {
        fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`);
        if (mine()) fs.renameSync(tmp, file);
        else fs.rmSync(tmp, { force: true });
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        logger.warn(`data_dir lock ${file}: cannot record the listeners: ${(err as Error).message}`);
      }
    },
    release() {
      if (released) return;
      released = true;
      try {
        if (mine()) fs.unlinkSync(file);
      } catch (err) {
        logger.warn(`data_dir lock ${file}: cannot remove it: ${(err as Error).message}`);
      }
    },
  };
}

/** Create the lock file whole, or return false when it exists. */
function create(file: string, owner: LockOwner): boolean {
  const text = `${JSON.stringify(owner)}\n`;
  const tmp = `${file}.${process.pid}.${owner.id}.tmp`;
  fs.writeFileSync(tmp, text);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // A filesystem without hard links: exclusive create, then write (readers allow for the gap).
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Remove the stale lock whose text was `judged`. Renaming it aside first makes this safe against a
 * racing process that took the lock meanwhile: if what was moved aside is not what was judged, it
 * is put back.
 */
function takeOver(file: string, judged: string): boolean {
  const aside = `${file}.stale.${process.pid}.${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const moved = readText(aside);
  if (moved !== judged) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // someone else holds it now; theirs wins
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

/** `alive`, `dead` (no such process) or `reused` (the pid runs another process now). */
export function liveness(owner: LockOwner): 'alive' | 'dead' | 'reused' {
  if (owner.hostname !== os.hostname()) return 'alive'; // cannot be checked from here
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
    // EPERM: it exists (another user's process); fall through to the start-time check
  }
  if (owner.proc_start !== null) {
    const now = procStart(owner.pid);
    if (now !== null && now !== owner.proc_start) return 'reused';
  }
  return 'alive';
}

/** Field 22 of `/proc/<pid>/stat` (start time after boot, clock ticks), or null without `/proc`. */
export function procStart(pid: number): string | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (value === null || typeof value !== 'object' || !Number.isInteger(value.pid) || typeof value.hostname !== 'string' || typeof value.id !== 'string') return null;
    return {
      pid: value.pid as number, hostname: value.hostname, id: value.id,
      proc_start: typeof value.proc_start === 'string' ? value.proc_start : null,
      since: typeof value.since === 'string' ? value.since : '?',
      ports: typeof value.ports === 'object' && value.ports !== null ? value.ports : {},
    };
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** A short synchronous wait (start-up only). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function busyMessage(dataDir: string, owner: LockOwner, file: string): string {
  const listeners = [
    owner.ports.http && `HTTP API ${owner.ports.http.host}:${owner.ports.http.port}`,
    owner.ports.ws && `WebSocket ${owner.ports.ws.host}:${owner.ports.ws.port}`,
    owner.ports.sandbox && `control API ${owner.ports.sandbox.host}:${owner.ports.sandbox.port}`,
  ].filter(Boolean);
  const where = owner.hostname === os.hostname() ? 'on this host' : `on host ${owner.hostname}`;
  const ports = listeners.length > 0 ? `, listening on ${listeners.join(', ')}` : ' (its listeners are not bound yet)';
  const remedy = owner.hostname === os.hostname()
    ? 'stop it, or give this one another data_dir (-d <dir>)'
    : `stop it, or give this one another data_dir (-d <dir>); if that process is surely gone, delete ${file}`;
  return `data_dir ${dataDir} is in use by another cqhttpd: pid ${owner.pid} ${where}, since ${owner.since}${ports}. Two processes on one data_dir corrupt each other's messages: ${remedy}`;
}
