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
import { openSandbox, type SandboxBackend } from '../backend/sandbox/index.js';
import type { Config } from '../config/index.js';
import { ConnectionRegistry } from '../core/connections.js';
import type { ActionContext } from '../core/context.js';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from '../core/dispatch.js';
import { ActionRegistry } from '../core/registry.js';
import { createHttpApiServer, type HttpApiServer } from '../transports/http/server.js';
import { CallJournal, createSandboxControlServer, DEFAULT_JOURNAL_CAPACITY } from '../transports/sandbox/index.js';
import type { ForwardWsServer } from '../transports/ws/forward.js';
import { readBuildInfo } from './build-info.js';
import type { VirtualClock } from './clock.js';
import { lockDataDir } from './data-lock.js';
import { createEventSide, type EventSide } from './events.js';
import { createMediaSide } from './media.js';
import { createMetrics } from './metrics.js';
import type { Recording } from './record.js';
import { logTraffic } from './traffic.js';
import { runtimeContext, type RuntimeHooks } from './runtime.js';

type Address = { host: string; port: number };

export interface Cqhttpd {
  readonly config: Readonly<Config>;
  /** The sandbox, or a bridge to real QQ (`backend`, docs/bridge.md). */
  readonly backend: Backend;
  readonly dispatcher: Dispatcher;
  readonly events: EventSide;
  /** The bot's API calls, newest last (the sandbox control API serves them). */
  readonly calls: CallJournal;
  /** Every bot connection (forward/reverse WebSocket, HTTP POST receivers); see core/connections.ts. */
  readonly connections: ConnectionRegistry;
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
  config: Readonly<Config>;
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

/** `upstream_passthrough`: unknown actions the bridge hands to its upstream as they are (docs/bridge.md). */
function passThroughOf(config: Readonly<Config>, backend: Backend): Pick<DispatcherOptions, 'fallback'> {
  const names = new Set(config.upstream_passthrough);
  const pass = backend.passThrough?.bind(backend);
  if (pass === undefined || names.size === 0) return {};
  const every = names.has('*');
  return { fallback: (name, params) => (every || names.has(name) ? pass(name, params) : undefined) };
}

/** dist/console/ beside this module's package, whether it runs from src/ (tsx) or dist/. */
const BUILT_CONSOLE = fileURLToPath(new URL('../../dist/console', import.meta.url));

export async function startCqhttpd({ config, logger, now: injectedNow, clock, runtime, consoleDir = BUILT_CONSOLE }: StartOptions): Promise<Cqhttpd> {
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
    if (config.backend === 'onebot') {
      // Loaded only when bridging: the sandbox's world is not needed, nor the bridge's socket otherwise.
      const { openOnebot } = await import('../backend/onebot/index.js');
      // Always there behind a bridge (off unless `record`), so the control API can switch it.
      const { createRecording } = await import('./record.js');
      const rec = recording = createRecording(config, dataDir, logger.child({ component: 'record' }));
      closers.push(async () => rec.close());
      backend = await openOnebot({
        dataDir, url: config.upstream_url, accessToken: config.upstream_access_token, selfId: config.self_id,
        logger: logger.child({ component: 'upstream' }), tap: rec.tap,
      });
    } else {
      if (config.record) logger.warn('record = true: only the bridge (backend = onebot) is recorded; the sandbox has traces instead (docs/testing.md)');
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

    let httpServer: HttpApiServer | undefined;
    let wsServer: ForwardWsServer | undefined;
    let events: EventSide | undefined = undefined;
    const health = () => ({
      ...dispatcher.health(),
      http: !config.use_http || httpServer?.server.listening === true,
      websocket: !config.use_ws || wsServer?.server.listening === true,
      websocket_reverse: events?.reverseHealthy() ?? true,
      restarter: runtime?.restarterGood() ?? true,
    });
    const registry = new ActionRegistry(ALL_ACTIONS);
    const context: Omit<ActionContext, 'call'> = {
      backend, config, logger, build: readBuildInfo(), dataDir, health, media: media.port,
      ...runtimeContext({ dataDir, selfId: config.self_id, logger: logger.child({ component: 'runtime' }), registry, ...(runtime ? { hooks: runtime } : {}) }),
    };
    const dispatcher = createDispatcher({
      registry,
      logger: logger.child({ component: 'dispatch' }),
      enableRateLimitedActions: config.enable_rate_limited_actions,
      rateLimitInterval: config.rate_limit_interval,
      workerPoolSize: config.thread_pool_size > 0 ? config.thread_pool_size : 4,
      maxQueueLength: config.max_queue_length,
      context,
      ...passThroughOf(config, backend),
    });
    closers.push(() => dispatcher.close());
    if (clock) closers.push(async () => clock.clear());
    const calls = new CallJournal(DEFAULT_JOURNAL_CAPACITY, config.max_journal_size);
    dispatcher.onCall((record) => calls.record(record));
    if (recording !== undefined) {
      const detach = recording.attach(backend, dispatcher);
      closers.push(async () => detach());
    }

    const connections = new ConnectionRegistry(now ? { now } : {});
    if (config.log_traffic) {
      const stop = logTraffic({ backend, dispatcher, connections, logger: logger.child({ component: 'traffic' }) });
      closers.push(async () => stop());
    }
    // On a virtual clock, heartbeats are timers of that clock: a jump ahead fires those due within it.
    const schedule = clock ? (fn: () => void, ms: number) => clock.setTimer(ms, fn) : undefined;
    const eventSide = await createEventSide(config, backend, dispatcher.dispatch, logger, connections, now, schedule);
    events = eventSide; // read lazily by health()
    closers.push(() => eventSide.close());
    const metrics = config.metrics ? createMetrics({ dispatcher, pipeline: eventSide.pipeline, connections }) : undefined;
    if (metrics !== undefined) closers.push(async () => metrics.close());

    let http: Address | undefined;
    if (config.use_http) {
      const server = createHttpApiServer({
        dispatch: dispatcher.dispatch,
        logger,
        options: {
          host: config.host,
          port: config.port,
          accessToken: config.access_token,
          enableCors: config.enable_cors,
          maxBodySize: config.max_body_size,
          maxHeaderSize: config.max_header_size,
          failureDetails: config.failure_details,
          dataFiles: media.dataFiles,
        },
      });
      httpServer = server;
      http = await server.listen();
      media.setHttpAddress(http);
      closers.push(() => server.close());
    }

    let ws: Address | undefined;
    if (config.use_ws) {
      // Loaded only when enabled: `ws` brings zlib, crypto and TLS along (several MB idle).
      const { createForwardWsServer } = await import('../transports/ws/forward.js');
      const server = createForwardWsServer({
        dispatch: dispatcher.dispatch,
        hub: eventSide.pipeline,
        connections,
        logger,
        options: {
          host: config.ws_host,
          port: config.ws_port,
          accessToken: config.access_token,
          failureDetails: config.failure_details,
          maxFrameSize: config.max_ws_frame_size,
          maxHeaderSize: config.max_header_size,
          maxBacklogBytes: config.max_ws_frame_size * 4,
          format: { messageFormat: config.post_message_format, backwardCompatibility: config.enable_backward_compatibility },
          filter: eventSide.filters.get(config.event_filter),
        },
      });
      wsServer = server;
      ws = await server.listen();
      closers.push(() => server.close());
    }

    // The control API acts on the sandbox's world: there is none behind a bridge, so no listener.
    let sandbox: Address | undefined;
    if (sandboxBackend !== undefined) {
      const control = createSandboxControlServer({
        sandbox: sandboxBackend,
        calls,
        resolveMedia: (message) => resolveOutgoingMedia({ media: media.port }, message),
        connections: () => connections.list(),
        deliveries: (observer) => eventSide.pipeline.onDelivery(observer),
        playableRecord: (name) => media.playableRecord(name),
        bot: { actions: registry.list(), version: readBuildInfo().appVersion, dispatch: dispatcher.dispatch },
        ...(clock ? { clock } : {}),
        metaEvents: (listener) => eventSide.onMeta(listener),
        ...(metrics ? { metrics: () => metrics.scrape() } : {}),
        ...(http ? { apiBase: `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${http.port}` } : {}),
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
      });
      control = await monitor.listen();
      closers.push(() => monitor.close());
    }

    eventSide.start(() => statusOf({ backend, health }));
    lock.update({ ...(http ? { http } : {}), ...(ws ? { ws } : {}), ...(sandbox ? { sandbox } : {}) });
    return { config, backend, dispatcher, events: eventSide, calls, connections, ...(recording ? { recording } : {}), ...(sandbox ? { sandbox } : {}), ...(control ? { control } : {}), ...(http ? { http } : {}), ...(ws ? { ws } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
