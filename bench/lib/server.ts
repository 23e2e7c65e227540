/**
 * Starting the servers of a case: the real cqhttpd (`node <cli> …` with a data directory and
 * `--set` flags, as a user would run it) and the bare baselines, each in its own process pinned to
 * the server core.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './context.js';
import { freePort } from './net.js';
import { startProcess } from './proc.js';
import type { RunningProcess } from './proc.js';
import { summariseProfile } from './profile.js';

/** The `access_token` every cqhttpd under test requires. */
export const TOKEN = 'bench-token-1f3a';
export const AUTH = `Bearer ${TOKEN}`;

export interface CqhttpdOptions {
  /** Use this data directory (kept); default: a fresh one, removed on stop. */
  dataDir?: string;
  /** Turn on the forward WebSocket server (`use_ws`, `ws_port`). */
  ws?: boolean;
  /** `post_url` (HTTP POST event reporting). */
  postUrl?: string;
  /** More `--set key=value` flags. */
  set?: Record<string, string>;
  /** Profile this process with `--cpu-prof` (when the run has --profile). Default true. */
  profile?: boolean;
  /** Name for messages and the profile file. */
  label?: string;
}

export interface CqhttpdProcess {
  proc: RunningProcess;
  port: number;
  wsPort: number;
  sandboxPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Start cqhttpd from the measured build; resolves once the HTTP API accepts connections. */
export async function startCqhttpd(ctx: BenchContext, options: CqhttpdOptions = {}): Promise<CqhttpdProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(ctx.tmpDir, 'data-'));
  const [port, wsPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
  const set: Record<string, string> = {
    access_token: TOKEN,
    // One log line per message sent would measure the terminal, not cqhttpd (docs/performance.md).
    log_traffic: 'false',
    sandbox_port: String(sandboxPort),
    ...(options.ws === true ? { use_ws: 'true', ws_port: String(wsPort) } : {}),
    ...(options.postUrl !== undefined ? { post_url: options.postUrl } : {}),
    ...options.set,
  };
  const label = options.label ?? 'cqhttpd';
  let profileDir: string | undefined;
  const nodeArgs: string[] = [];
  if (ctx.profile && options.profile !== false) {
    profileDir = path.join(ctx.tmpDir, `profile-${label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}`);
    mkdirSync(profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const argv = [process.execPath, ...nodeArgs, ctx.prepared.cli, '--port', String(port), '--data-dir', dataDir];
  for (const [key, value] of Object.entries(set)) argv.push('--set', `${key}=${value}`);
  const proc = await startProcess({ name: label, argv, readyPort: port, cwd: dataDir }, ctx.pinning.server);
  return {
    proc, port, wsPort, sandboxPort, dataDir,
    async stop() {
      await proc.stop();
      if (profileDir !== undefined) {
        const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (file !== undefined) ctx.addProfile(label, summariseProfile(path.join(profileDir, file)), path.join(profileDir, file));
        else ctx.log(`  (no CPU profile was written by ${label}: it did not exit cleanly)`);
      }
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Start a baseline script (transpiled JS) with its JSON config; ready once `readyPort` listens. */
export async function startBaseline(ctx: BenchContext, name: string, script: string, config: object, readyPort: number): Promise<RunningProcess> {
  let profileDir: string | undefined;
  const nodeArgs: string[] = [];
  if (ctx.profile) {
    profileDir = path.join(ctx.tmpDir, `profile-${name.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}`);
    mkdirSync(profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const proc = await startProcess({ name, argv: [process.execPath, ...nodeArgs, script, JSON.stringify(config)], readyPort }, ctx.pinning.server);
  if (profileDir === undefined) return proc;
  const dir = profileDir;
  return {
    ...proc,
    async stop(graceMs?: number) {
      await proc.stop(graceMs);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file !== undefined) ctx.addProfile(name, summariseProfile(path.join(dir, file)), path.join(dir, file));
    },
  };
}
