/**
 * Child processes for the benchmark: servers started pinned to their own core (`taskset -c`), their
 * resident memory and CPU time read from /proc, readiness by TCP connect, and a bounded stop.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { waitForPort } from './net.js';

/** Which cores the benchmark uses: servers on `server`, the load generator on `load`. */
export interface Pinning {
  /** Whether `taskset` exists and at least two cores are allowed. */
  enabled: boolean;
  server?: number;
  load?: number;
  /** Why pinning is off, when it is. */
  note: string;
}

function allowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1];
    if (line === undefined) return [];
    const out: number[] = [];
    for (const part of line.trim().split(',')) {
      const [a, b] = part.split('-').map(Number);
      if (b === undefined) out.push(a);
      else for (let c = a; c <= b; c++) out.push(c);
    }
    return out;
  } catch {
    return [];
  }
}

/** Whether the `taskset` program (util-linux) is on the PATH. */
export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * Decide the cores and pin this process (the load generator, all of its threads) to its core.
 * Servers then get the first allowed core, the load generator the last.
 */
export function setUpPinning(wanted: boolean): Pinning {
  if (!wanted) return { enabled: false, note: 'pinning disabled (--no-pin)' };
  const allowed = allowedCpus();
  if (!hasTaskset()) return { enabled: false, note: 'taskset not found (install util-linux); processes are not pinned' };
  if (allowed.length < 2) return { enabled: false, note: `only ${allowed.length} core allowed; processes are not pinned` };
  const server = allowed[0];
  const load = allowed[allowed.length - 1];
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(load), String(process.pid)], { stdio: 'ignore' });
  if (r.status !== 0) return { enabled: false, note: 'taskset could not pin the load generator; processes are not pinned' };
  return { enabled: true, server, load, note: `servers on core ${server}, load generator on core ${load}` };
}

/** Clock ticks per second of /proc/<pid>/stat (virtually always 100 on Linux). */
const CLK_TCK = 100;

/** User + system CPU seconds of a process (all threads), or NaN when unreadable. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process in bytes (VmRSS), or NaN when unreadable. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s*(\d+)\s*kB$/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** This machine, for the report. */
export function machineInfo(): { nproc: number; cpu: string; node: string; platform: string } {
  const list = cpus();
  return { nproc: list.length, cpu: list[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` };
}

/** What to start. */
export interface ProcessSpec {
  /** Short name for messages ("cqhttpd", "baseline http"). */
  name: string;
  /** Program and arguments (`node …`); `taskset -c <core>` is put in front when pinning. */
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Ready once this port on 127.0.0.1 accepts a connection. */
  readyPort: number;
  /** Give up waiting after this long (ms). */
  readyTimeoutMs?: number;
}

/** A started process. */
export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  /** performance.now() when spawn was called and when the port first accepted a connection. */
  readonly spawnedAt: number;
  readonly readyAt: number;
  rss(): number;
  cpu(): number;
  /** The last lines it wrote to stdout/stderr. */
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** SIGTERM, wait up to `graceMs` for the exit, then SIGKILL. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_KEEP = 64 * 1024;

/** Every child still running: killed if the benchmark exits early (watchdog, Ctrl-C, a crash). */
const live = new Set<ChildProcess>();
let reaperInstalled = false;

function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** Spawn `spec` (pinned to `core` when given) and wait until its port accepts connections. */
export async function startProcess(spec: ProcessSpec, core: number | undefined): Promise<RunningProcess> {
  const [program, ...args] = core === undefined ? spec.argv : ['taskset', '-c', String(core), ...spec.argv];
  const spawnedAt = performance.now();
  installReaper();
  const child: ChildProcess = spawn(program, args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_KEEP * 2) output = output.slice(-OUTPUT_KEEP);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exitCode = code ?? (signal === null ? null : -1);
      resolve();
    });
    child.once('error', (err) => {
      output += `\nspawn error: ${err.message}`;
      exitCode = -1;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  const stop = async (graceMs = 5000): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const ready = await waitForPort(spec.readyPort, spec.readyTimeoutMs ?? 20_000, () => exitCode !== undefined);
  if (!ready) {
    await stop(1000);
    const tail = output.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${spec.name} did not start listening on port ${spec.readyPort}${exitCode !== undefined ? ` (exited with ${String(exitCode)})` : ''}:\n${tail}`);
  }
  const readyAt = performance.now();
  return {
    name: spec.name,
    pid,
    spawnedAt,
    readyAt,
    rss: () => rssBytes(pid),
    cpu: () => cpuSeconds(pid),
    output: () => output,
    exited: () => exitCode !== undefined,
    stop,
  };
}

/** Run a command to completion (for builds); resolves with its exit code and output. */
export function runCommand(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', (err) => resolve({ code: -1, output: `${output}\n${err.message}` }));
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Whether a file exists (tiny wrapper so callers need not import node:fs). */
export function fileExists(file: string): boolean {
  return existsSync(file);
}
