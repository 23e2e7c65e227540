/**
 * Wires the event side: backend events → pipeline → channels (HTTP POST receivers, forward WS,
 * reverse WS), heartbeat and lifecycle. Only the composition root calls this.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Backend } from '../backend/port.js';
import { resolveConnections, type Config } from '../config/index.js';
import type { ConnectionRegistry } from '../core/connections.js';
import type { EventFilter, OneBotEvent } from '../core/events/channel.js';
import type { loadFilterFile } from '../core/events/filter-file.js';
import { startHeartbeat, type Schedule } from '../core/events/heartbeat.js';
import { EventPipeline } from '../core/events/pipeline.js';
import type { FaultEngine } from '../core/faults/index.js';
import type { Dispatch } from '../core/result.js';
import type { HttpPostChannel } from '../transports/post/channel.js';
import type { ReverseWsClient } from '../transports/ws/reverse.js';

/** `User-Agent` of HTTP POSTs and reverse-WS handshakes (CQHTTP 4.15 §3.3, §3.5). */
export const USER_AGENT = 'CQHttp/4.15.0';

/** A filter that passes nothing: what a broken filter file means (§10.1). */
const SUPPRESS_ALL: EventFilter = () => false;

/**
 * Loads each `event_filter` path once; a broken file suppresses every event of its channels.
 * `load` is the filter file loader, `undefined` when no channel names a filter file (then `get` is
 * only ever asked for `''`).
 */
export class FilterCache {
  readonly #byPath = new Map<string, EventFilter | null>();
  constructor(private readonly logger: Logger, private readonly load: typeof loadFilterFile | undefined) {}

  get(file: string): EventFilter | null {
    if (file === '') return null;
    const resolved = path.resolve(file);
    let filter = this.#byPath.get(resolved);
    if (filter === undefined) {
      if (this.load === undefined) throw new Error(`event filter ${file}: the filter loader was not loaded`);
      const loaded = this.load(resolved);
      if ('error' in loaded) {
        this.logger.error(`event filter: ${loaded.error} — every event of the channels using it is suppressed until fixed and restarted`);
        filter = SUPPRESS_ALL;
      } else {
        this.logger.info(`event filter loaded from ${resolved}`);
        filter = loaded.filter;
      }
      this.#byPath.set(resolved, filter);
    }
    return filter;
  }
}

export interface EventSide {
  readonly pipeline: EventPipeline;
  readonly filters: FilterCache;
  /** Health of the reverse clients (`websocket_reverse` in get_status). */
  reverseHealthy(): boolean;
  /**
   * Subscribe to the meta events cqhttpd itself makes (heartbeats), as published to the bot's
   * connections — the sandbox stream shows them beside the world's events. Returns the unsubscribe.
   */
  onMeta(listener: (event: OneBotEvent) => void): () => void;
  /** Start the heartbeat (if enabled), the reverse clients, and emit lifecycle `enable`. */
  start(status: () => unknown): void;
  /** Emit `disable` (best effort), stop everything. */
  close(): Promise<void>;
}

/**
 * Build the event side. The HTTP POST client and the reverse WebSocket client (with `ws`, `https`,
 * `zlib`…) are loaded only when a connection needs them: a default configuration idles without.
 * `now` and `schedule` are the sandbox's clock and its timers (a virtual clock in tests).
 */
export async function createEventSide(
  config: Readonly<Config>, backend: Backend, dispatch: Dispatch, logger: Logger, registry: ConnectionRegistry, now?: () => number, schedule?: Schedule, faults?: FaultEngine,
): Promise<EventSide> {
  const connections = resolveConnections(config);
  // The filter compiler is loaded only when a channel names a filter file (most configurations name none).
  const filterFiles = config.event_filter !== '' || connections.some((c) => c.eventFilter !== '');
  const filterModule = filterFiles ? await import('../core/events/filter-file.js') : undefined;
  const filters = new FilterCache(logger.child({ component: 'filter' }), filterModule?.loadFilterFile);
  const postModule = connections.some((c) => c.type === 'http_post') ? await import('../transports/post/channel.js') : undefined;
  const reverseModule = connections.some((c) => c.type !== 'http_post') ? await import('../transports/ws/reverse.js') : undefined;
  // WS pushes wait for the POSTs of the same event (§1.2), never longer than the slowest post timeout.
  const postTimeouts = connections.map((c) => (c.type === 'http_post' ? c.timeout || (postModule?.NO_TIMEOUT_CAP_SECONDS ?? 0) : 0));
  const pipeline = new EventPipeline({
    selfId: backend.selfId,
    logger: logger.child({ component: 'events' }),
    filter: null, // each channel carries its effective filter (the flat `event_filter` or its own)
    postWaitMs: (Math.max(0, ...postTimeouts) + 1) * 1000,
    maxBacklog: config.max_queue_length,
    maxConcurrentPosts: config.max_concurrent_posts,
    ...(now ? { now } : {}),
    ...(faults ? { faults } : {}),
  });
  // Each connection counts its deliveries and heartbeats (web console, metrics).
  pipeline.onDelivery((channel, event, outcome) => channel.connection?.delivered(event, outcome));
  const posts: HttpPostChannel[] = [];
  const reverse: ReverseWsClient[] = [];
  for (const connection of connections) {
    const filter = filters.get(connection.eventFilter);
    if (connection.type === 'http_post') {
      if (postModule === undefined) continue;
      const channel = postModule.createHttpPostChannel({
        url: connection.url,
        secret: connection.secret,
        timeoutSeconds: connection.timeout,
        selfId: backend.selfId,
        userAgent: USER_AGENT,
        format: connection.format,
        filter,
        dispatch,
        logger: logger.child({ component: `post ${connection.name}` }),
        connections: registry,
      });
      pipeline.attach(channel);
      posts.push(channel);
    } else {
      for (const client of connection.clients) {
        if (reverseModule === undefined) continue;
        reverse.push(
          reverseModule.createReverseWsClient({
            dispatch,
            hub: pipeline,
            connections: registry,
            ...(faults ? { faults } : {}),
            logger: logger.child({ component: `ws-reverse ${client.role}` }),
            options: {
              role: client.role,
              url: client.url,
              selfId: backend.selfId,
              accessToken: connection.accessToken,
              authorizationScheme: connection.authorizationScheme,
              reconnectIntervalMs: connection.reconnectInterval,
              reconnectOnCode1000: connection.reconnectOnCode1000,
              failureDetails: config.failure_details,
              maxFrameSize: config.max_ws_frame_size,
              maxBacklogBytes: config.max_ws_frame_size * 4,
              userAgent: USER_AGENT,
              format: connection.format,
              filter,
            },
          }),
        );
      }
    }
  }
  const unsubscribe = backend.onEvent((event) => pipeline.publish(event));
  let stopHeartbeat: (() => void) | undefined;
  const metaListeners = new Set<(event: OneBotEvent) => void>();
  const publishMeta = (event: OneBotEvent): void => {
    pipeline.publish(event);
    for (const listener of metaListeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error({ err }, 'a meta event listener threw');
      }
    }
  };

  return {
    pipeline,
    filters,
    reverseHealthy: () => reverse.every((client) => client.connected()),
    onMeta(listener) {
      const entry = (event: OneBotEvent): void => listener(event);
      metaListeners.add(entry);
      return () => {
        metaListeners.delete(entry);
      };
    },
    start(status) {
      for (const client of reverse) client.start();
      pipeline.emitLifecycle('enable');
      if (config.enable_heartbeat) {
        stopHeartbeat = startHeartbeat({
          selfId: backend.selfId, intervalMs: config.heartbeat_interval, status, publish: publishMeta, ...(now ? { now } : {}), ...(schedule ? { schedule } : {}),
        });
      }
    },
    async close() {
      stopHeartbeat?.();
      metaListeners.clear();
      unsubscribe();
      pipeline.emitLifecycle('disable');
      await Promise.race([pipeline.idle(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await Promise.all([...reverse.map((client) => client.close()), ...posts.map((channel) => channel.close())]);
    },
  };
}
