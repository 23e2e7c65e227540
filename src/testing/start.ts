/**
 * `startSandbox()`: cqhttpd in-process on ephemeral ports with a fresh world (a temporary data
 * directory, free ports, a virtual clock by default), handed to the engine of sandbox.ts. Reference:
 * docs/testing.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { VirtualClock } from '../app/clock.js';
import { silentLogger } from '../app/logger.js';
import { startCqhttpd, type Cqhttpd } from '../app/start.js';
import { DEFAULT_SELF_ID, loadConfig } from '../config/index.js';
import { ControlClient } from './control-client.js';
import { Sandbox } from './sandbox.js';
import { Trace, type TraceSink } from './trace.js';

export interface SandboxOptions {
  /** The world: an object shaped like a world file, or the path of one. Default: the built-in world. */
  world?: Record<string, unknown> | string;
  /** A config file (JSON or INI) as `cqhttpd --config` takes; its ports are kept. */
  configFile?: string;
  /** Keep the configured ports (default 5700 / 6700) instead of free ones: for a bot that is already running. */
  fixedPorts?: boolean;
  /** Config keys over everything (e.g. `{ post_url: 'http://127.0.0.1:8080/' }`). */
  config?: Record<string, unknown>;
  /**
   * More bot accounts in the world besides its own bot (QQ numbers; docs/testing.md#several-bots):
   * each gets its own HTTP API and forward WebSocket on free ports. Users of the world, or created.
   * Default: the world's `bots`.
   */
  bots?: readonly number[];
  /** Default time an expectation waits, ms (default 3000). */
  timeout?: number;
  /** Default quiet window of `expectNone`, ms (default 800). */
  quiet?: number;
  /** Write the trace (NDJSON) to this file, and/or hand each line to a function. */
  trace?: string | TraceSink;
  /** `virtual` (default): real time until `advance()` jumps ahead; `real`: the real clock, which cannot be moved. */
  clock?: 'virtual' | 'real';
  /** cqhttpd's logger (default: silent). */
  logger?: Logger;
  /** The seed of fault probabilities' dice (default 1): the same seed and traffic inject the same faults. */
  seed?: number;
}

/** Start cqhttpd on a fresh temporary sandbox and the engine on top of it. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-sandbox-'));
  const trace = new Trace();
  let app: Cqhttpd | undefined;
  let stream: { close(): void } | undefined;
  const cleanup = async () => {
    stream?.close();
    await app?.close();
    trace.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (typeof options.trace === 'string') trace.toFile(options.trace);
    else if (options.trace !== undefined) trace.to(options.trace);
    let worldFile: string | undefined;
    if (typeof options.world === 'string') worldFile = path.resolve(options.world);
    else if (options.world !== undefined) {
      worldFile = path.join(dataDir, 'world.json');
      fs.writeFileSync(worldFile, JSON.stringify(options.world));
    }
    const ports = options.configFile !== undefined ? {} : options.fixedPorts === true ? { use_ws: true } : { port: 0, ws_port: 0, use_ws: true };
    const world = await worldOf(options);
    const extra = options.bots ?? world.bots;
    const moreBots = extra.length > 0 ? { bots: [{ self_id: world.selfId }, ...extra.map((selfId) => ({ self_id: selfId, port: 0, ws_port: 0, use_ws: true }))] } : {};
    const { config, bots } = loadConfig({
      ...(options.configFile !== undefined ? { file: options.configFile } : { searchDir: dataDir }),
      env: {},
      overrides: { ...ports, sandbox_port: 0, ...moreBots, ...options.config, data_dir: dataDir, ...(worldFile !== undefined ? { world_file: worldFile } : {}) },
    });
    app = await startCqhttpd({ config, bots, logger: options.logger ?? silentLogger(), ...(options.clock === 'real' ? {} : { clock: new VirtualClock() }) });
    if (app.sandbox === undefined) throw new Error(`the test kit drives the sandbox, but this configuration runs backend = ${config.backend}`);
    const control = new ControlClient(`http://127.0.0.1:${app.sandbox.port}`, config.sandbox_token);
    const selfId = Number((await control.request('GET', '/api/world'))['self_id']);
    const sandbox = new Sandbox({ app, selfId, control, trace, chats: new Map(), timeout: options.timeout ?? 3000, quiet: options.quiet ?? 800, cleanup });
    if (options.seed !== undefined) await sandbox.seedFaults(options.seed);
    stream = await control.openStream(
      (frame) => sandbox.receive(frame.kind, frame.data),
      (err) => err && trace.write('error', { error: `the sandbox stream ended: ${err.message}` }),
    );
    return sandbox;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The world's own bot (the configured `self_id`, else the world's, else cqhttpd's default) and its other bot accounts (`bots`). */
async function worldOf(options: SandboxOptions): Promise<{ selfId: number; bots: readonly number[] }> {
  let world = options.world;
  if (typeof world === 'string') world = (await import('yaml')).parse(fs.readFileSync(world, 'utf8')) as Record<string, unknown>;
  const id = (value: unknown): number | undefined => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined);
  const bots = Array.isArray(world?.['bots']) ? (world['bots'] as unknown[]).map(id).filter((bot) => bot !== undefined) : [];
  return { selfId: id(Number(options.config?.['self_id'])) ?? id(world?.['self_id']) ?? DEFAULT_SELF_ID, bots };
}
