/**
 * The composition root: the only place that names concrete implementations (sandbox backend,
 * transports) and wires them to the core. Everything it opens, `close()` shuts in reverse order.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ALL_ACTIONS } from '../actions/index.js';
import { resolveOutgoingMedia } from '../actions/media/resolve.js';
import { statusOf } from '../actions/system/status.js';
import type { Backend } from '../backend/port.js';
import { HELD_EVENT_BYTES } from '../backend/event-gate.js';
import { openSandbox } from '../backend/sandbox/open.js';
import type { SandboxBackend } from '../backend/sandbox/sandbox.js';
import type { Config } from '../config/index.js';
import { ConnectionRegistry } from '../core/connections.js';
import type { Dispatcher } from '../core/dispatch.js';
import { FaultEngine } from '../core/faults/index.js';
import { ActionRegistry } from '../core/registry.js';
import { CallJournal, createSandboxControlServer, DEFAULT_JOURNAL_CAPACITY } from '../transports/sandbox/index.js';
import { startBot, type BotSide, type SharedSide } from './bot.js';
import { readBuildInfo } from './build-info.js';
import type { VirtualClock } from './clock.js';
import { lockDataDir } from './data-lock.js';
import type { EventSide } from './events.js';
import { createMediaSide } from './media.js';
import { createMetrics } from './metrics.js';
import type { Recording } from './record.js';
import type { RuntimeHooks } from './runtime.js';

type Address = { host: string; port: number };

export interface Cqhttpd {
  readonly config: Readonly<Config>;
  /** The sandbox, or a bridge to real QQ (`backend`, docs/bridge.md). */
  readonly backend: Backend;
  readonly dispatcher: Dispatcher;
  readonly events: EventSide;
  /**
   * Every bot account, the first one first (its `backend`, `dispatcher`, `events`, `http` and `ws`
   * are the fields above); more with `bots` (docs/config.md#several-bots).
   */
  readonly bots: readonly BotSide[];
  /** The bots' API calls, newest last, each with its bot's `self_id` (the sandbox control API serves them). */
  readonly calls: CallJournal;
  /** Every bot connection (forward/reverse WebSocket, HTTP POST receivers); see core/connections.ts. */
  readonly connections: ConnectionRegistry;
  /** Injected faults (the control API's `/api/faults`; docs/testing.md), shared by every bot. */
  readonly faults: FaultEngine;
  /** Where each listener is bound, when enabled. */
  readonly http?: Address;
  readonly ws?: Address;
  /** The sandbox control API; only with `backend = sandbox`. */
  readonly sandbox?: Address;
  /** Behind a bridge: the control listener serving only `/metrics` and `/api/status` (docs/bridge.md). */
  readonly control?: Address;
  /** Behind a bridge: its recorder (docs/recording.md), on with `record = true`, switchable at run time. */
  readonly recording?: Pick<Recording, 'set' | 'state'>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The configuration (of the first bot, with `bots`). */
  config: Readonly<Config>;
  /** Every bot account, `config` first (`LoadResult.bots`); default `[config]`. */
  bots?: readonly Readonly<Config>[];
  logger: Logger;
  /** Injectable clock for the sandbox and events (tests). */
  now?: () => number;
  /** A virtual clock (overrides `now`): the control API's `/api/clock` can move it ahead. */
  clock?: VirtualClock;
  /** The supervisor's hooks (restart, log reopen); without them `set_restart_plugin` is logged and skipped. */
  runtime?: RuntimeHooks;
  /** The built web console; default dist/console/ of this package (written by `npm run build`). */
  consoleDir?: string;
}

/** dist/console/ beside this module's package, whether it runs from src/ (tsx) or dist/. */
const BUILT_CONSOLE = fileURLToPath(new URL('../../dist/console', import.meta.url));

export async function startCqhttpd({ config, bots = [config], logger, now: injectedNow, clock, runtime, consoleDir = BUILT_CONSOLE }: StartOptions): Promise<Cqhttpd> {
  const now = clock ? () => clock.now() : injectedNow;
  const dataDir = path.resolve(config.data_dir);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of closers.splice(0).reverse()) {
      await step().catch((err: unknown) => logger.error({ err }, 'error while shutting down'));
    }
  };

  try {
    // First: a second process on this data_dir must not touch the database (data-lock.ts).
    const lock = lockDataDir(dataDir, logger);
    closers.push(async () => lock.release());
    const media = createMediaSide(config, dataDir, logger.child({ component: 'media' }));
    let sandboxBackend: SandboxBackend | undefined;
    let backend: Backend;
    let recording: Recording | undefined;
    if (config.backend !== 'sandbox') {
      // Loaded only when bridging: the sandbox's world is not needed, nor the bridge's socket otherwise.
      const { openBridge } = await import('./bridge.js');
      // Always there behind a bridge (off unless `record`), so the control API can switch it.
      const { createRecording } = await import('./record.js');
      const rec = recording = createRecording(config, dataDir, logger.child({ component: 'record' }));
      closers.push(async () => rec.close());
      backend = await openBridge(config, dataDir, logger, recording?.tap);
    } else {
      if (config.record) logger.warn('record = true: only a bridge (backend = onebot or milky) is recorded; the sandbox has traces instead (docs/testing.md)');
      backend = sandboxBackend = openSandbox({
        dataDir,
        mediaUrl: media.mediaUrl,
        selfId: config.self_id,
        worldFile: config.world_file === '' ? undefined : path.resolve(config.world_file),
        logger: logger.child({ component: 'sandbox' }),
        ...(now ? { now } : {}),
      });
    }
    closers.push(() => backend.close());

    const registry = new ActionRegistry(ALL_ACTIONS);
    if (clock) closers.push(async () => clock.clear());
    const calls = new CallJournal(DEFAULT_JOURNAL_CAPACITY, config.max_journal_size);
    const connections = new ConnectionRegistry(now ? { now } : {});
    // On a virtual clock, heartbeats are timers of that clock: a jump ahead fires those due within it.
    const schedule = clock ? (fn: () => void, ms: number) => clock.setTimer(ms, fn) : undefined;
    // Faults are set through the sandbox control API only; until then every hook is one false test.
    const faults = new FaultEngine({ logger: logger.child({ component: 'faults' }), selfId: backend.selfId, ...(now ? { now } : {}) });
    const shared: SharedSide = { logger, registry, build: readBuildInfo(), dataDir, media, calls, connections, runtime, now, schedule, closers, faults };
    const first = await startBot(shared, config, backend, logger);
    if (first.http) media.setHttpAddress(first.http);
    const { dispatcher, events: eventSide, http, ws } = first;
    if (recording !== undefined) {
      const detach = recording.attach(backend, dispatcher);
      closers.push(async () => detach());
    }
    const metrics = config.metrics ? createMetrics({ dispatcher, pipeline: eventSide.pipeline, connections }) : undefined;
    if (metrics !== undefined) closers.push(async () => metrics.close());

    // More bot accounts of the same world (`bots`, docs/config.md#several-bots): each its own view of
    // the world, dispatcher, listeners and events; its calls in the same journal under its self_id.
    const sides: BotSide[] = [first];
    if (bots.length > 1) {
      if (sandboxBackend === undefined) throw new Error('several bots need backend = sandbox');
      const { SandboxAccounts } = await import('../backend/sandbox/accounts.js');
      const accounts = new SandboxAccounts(sandboxBackend);
      for (const bot of bots.slice(1)) {
        const account = accounts.open(bot.self_id ?? 0);
        closers.push(() => account.close());
        sides.push(await startBot(shared, bot, account, logger.child({ self_id: account.selfId })));
      }
    }

    // The control API acts on the sandbox's world: there is none behind a bridge, so no listener.
    let sandbox: Address | undefined;
    if (sandboxBackend !== undefined) {
      const control = createSandboxControlServer({
        sandbox: sandboxBackend,
        calls,
        resolveMedia: (message) => resolveOutgoingMedia({ media: media.port }, message),
        connections: () => connections.list(),
        deliveries: (observer) => {
          const stops = sides.map((side) => side.events.pipeline.onDelivery(observer));
          return () => stops.forEach((stop) => stop());
        },
        playableRecord: (name) => media.playableRecord(name),
        bot: { actions: registry.list(), version: shared.build.appVersion, dispatch: dispatcher.dispatch },
        ...(clock ? { clock } : {}),
        metaEvents: (listener) => {
          const stops = sides.map((side) => side.events.onMeta(listener));
          return () => stops.forEach((stop) => stop());
        },
        ...(metrics ? { metrics: () => metrics.scrape() } : {}),
        ...(http ? { apiBase: `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${http.port}` } : {}),
        ...(sides.length > 1 ? { otherBots: sides.slice(1).map((side) => side.backend) } : {}),
        faults,
        logger,
        options: { host: config.sandbox_host, port: config.sandbox_port, token: config.sandbox_token, maxBodySize: config.max_body_size, maxHeaderSize: config.max_header_size, sseBacklog: config.max_stream_backlog_size, consoleDir },
      });
      sandbox = await control.listen();
      closers.push(() => control.close());
    }

    // Behind a bridge the control listener serves only what watches cqhttpd: /metrics and /api/status.
    let control: Address | undefined;
    if (sandboxBackend === undefined) {
      const { createMonitorServer } = await import('../transports/sandbox/monitor.js');
      const monitor = createMonitorServer({
        host: config.sandbox_host, port: config.sandbox_port, token: config.sandbox_token, maxHeaderSize: config.max_header_size, logger,
        status: () => ({ backend: backend.kind, connections: connections.list(), online: backend.isOnline(), self_id: backend.selfId }),
        ...(metrics ? { metrics: () => metrics.scrape() } : {}),
        ...(recording ? { record: recording } : {}),
      });
      control = await monitor.listen();
      closers.push(() => monitor.close());
    }

    // Closed first: hanging calls are given up and held events flushed before the listeners wait for them.
    closers.push(async () => faults.close());
    for (const side of sides) side.start(() => statusOf({ backend: side.backend, health: side.health }));
    // Every listener is attached: a bridge now emits what its upstream sent during start-up.
    const dropped = backend.ready?.() ?? 0;
    if (dropped > 0) logger.warn(`${dropped} events the upstream sent during start-up were dropped (more than ${HELD_EVENT_BYTES} bytes held)`);
    lock.update({ ...(http ? { http } : {}), ...(ws ? { ws } : {}), ...(sandbox ? { sandbox } : {}) });
    return { config, backend, dispatcher, events: eventSide, calls, connections, faults, bots: sides, ...(recording ? { recording } : {}), ...(sandbox ? { sandbox } : {}), ...(control ? { control } : {}), ...(http ? { http } : {}), ...(ws ? { ws } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
