/**
 * One bot account's side of the composition root: its dispatcher (the action context as that
 * account), its event side, its HTTP API and forward WebSocket listeners, its calls in the shared
 * journal (tagged with its `self_id`). `start.ts` builds one per account of `bots` (one without it),
 * all over one backend world, media store, connection registry and control listener.
 */
import type { Logger } from 'pino';
import type { Backend } from '../backend/port.js';
import type { Config } from '../config/index.js';
import type { ConnectionRegistry } from '../core/connections.js';
import type { ActionContext, BuildInfo } from '../core/context.js';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from '../core/dispatch.js';
import type { FaultEngine } from '../core/faults/index.js';
import type { Schedule } from '../core/events/heartbeat.js';
import type { ActionRegistry } from '../core/registry.js';
import { createHttpApiServer, type HttpApiServer } from '../transports/http/server.js';
import type { CallJournal } from '../transports/sandbox/index.js';
import type { ForwardWsServer } from '../transports/ws/forward.js';
import { createEventSide, type EventSide } from './events.js';
import type { MediaSide } from './media.js';
import { runtimeContext, type RuntimeHooks } from './runtime.js';
import { logTraffic } from './traffic.js';

type Address = { host: string; port: number };

/** A running bot account. */
export interface BotSide {
  readonly selfId: number;
  readonly config: Readonly<Config>;
  readonly backend: Backend;
  readonly dispatcher: Dispatcher;
  readonly events: EventSide;
  readonly http?: Address;
  readonly ws?: Address;
  /** `get_status`'s component health of this account (`http`, `websocket`, …). */
  health(): Readonly<Record<string, boolean>>;
  /** Start the heartbeat and reverse clients, emit lifecycle `enable` (once every listener is up). */
  start(status: () => unknown): void;
}

/** What every bot of the process shares. */
export interface SharedSide {
  readonly logger: Logger;
  readonly registry: ActionRegistry;
  readonly build: BuildInfo;
  readonly dataDir: string;
  readonly media: MediaSide;
  readonly calls: CallJournal;
  readonly connections: ConnectionRegistry;
  readonly runtime?: RuntimeHooks | undefined;
  readonly now?: (() => number) | undefined;
  /** The clock's timers for heartbeats (a virtual clock's in tests). */
  readonly schedule?: Schedule | undefined;
  /** Everything opened is registered here; the composition root closes it in reverse. */
  readonly closers: (() => Promise<void>)[];
  /** Injected faults (docs/testing.md), one engine for every bot; asked only while active. */
  readonly faults: FaultEngine;
}

/** `upstream_passthrough`: unknown actions the bridge hands to its upstream as they are (docs/bridge.md). */
function passThroughOf(config: Readonly<Config>, backend: Backend): Pick<DispatcherOptions, 'fallback'> {
  const names = new Set(config.upstream_passthrough);
  const pass = backend.passThrough?.bind(backend);
  if (pass === undefined || names.size === 0) return {};
  const every = names.has('*');
  return { fallback: (name, params) => (every || names.has(name) ? pass(name, params) : undefined) };
}

/** Start `backend`'s bot account on its configuration. `logger` is already the account's. */
export async function startBot(shared: SharedSide, config: Readonly<Config>, backend: Backend, logger: Logger): Promise<BotSide> {
  const { registry, media, closers, now, runtime, faults } = shared;
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
  const context: Omit<ActionContext, 'call'> = {
    backend, config, logger, build: shared.build, dataDir: shared.dataDir, health, media: media.port,
    ...runtimeContext({ dataDir: shared.dataDir, selfId: config.self_id, logger: logger.child({ component: 'runtime' }), registry, ...(runtime ? { hooks: runtime } : {}) }),
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
    faults,
  });
  closers.push(() => dispatcher.close());
  const { calls } = shared;
  const selfId = backend.selfId;
  dispatcher.onCall((record) => calls.record(record, selfId));

  const { connections } = shared;
  if (config.log_traffic) {
    const stop = logTraffic({ backend, dispatcher, connections, logger: logger.child({ component: 'traffic' }) });
    closers.push(async () => stop());
  }
  const eventSide = await createEventSide(config, backend, dispatcher.dispatch, logger, connections, now, shared.schedule, faults);
  events = eventSide; // read lazily by health()
  closers.push(() => eventSide.close());

  let http: Address | undefined;
  if (config.use_http) {
    const server = createHttpApiServer({
      dispatch: dispatcher.dispatch,
      logger,
      faults,
      options: {
        host: config.host,
        port: config.port,
        accessToken: config.access_token,
        enableCors: config.enable_cors,
        maxBodySize: config.max_body_size,
        maxHeaderSize: config.max_header_size,
        failureDetails: config.failure_details,
        dataFiles: config.serve_data_files === media.dataFiles.serve ? media.dataFiles : { ...media.dataFiles, serve: config.serve_data_files },
      },
    });
    httpServer = server;
    http = await server.listen();
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
      faults,
      selfId,
      logger,
      options: {
        selfId,
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

  const side: BotSide = {
    selfId, config, backend, dispatcher, events: eventSide, ...(http ? { http } : {}), ...(ws ? { ws } : {}),
    health, start: (status) => eventSide.start(status),
  };
  return side;
}
