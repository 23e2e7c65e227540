/**
 * Prometheus metrics (`GET /metrics` on the control listener; docs/metrics.md), built with
 * prom-client on a registry of this instance (no global state):
 *
 * - `cqhttpd_api_calls_total{action, retcode}` and `cqhttpd_api_call_duration_seconds{action}`,
 *   from the dispatcher's call observer (every unknown action counts as `_unknown`);
 * - `cqhttpd_events_delivered_total{transport, outcome}`, from the pipeline's delivery observer,
 *   and `cqhttpd_connection_events_total{connection, transport, role, path, outcome}` per live
 *   connection, read from the connection registry at scrape time;
 * - `cqhttpd_queue_length{queue}` (`async`, `rate_limited`, `events`) and
 *   `cqhttpd_connections{transport, role}` (open ones), read at scrape time;
 * - prom-client's default process metrics (`process_resident_memory_bytes`, CPU, heap, event loop
 *   lag, …).
 *
 * The hot path (one call, one delivery) does a map lookup and two increments: the label children
 * are made once per action (and per retcode) or once per transport and outcome, never per call.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectionRegistry, ConnectionTransport } from '../core/connections.js';
import type { Dispatcher } from '../core/dispatch.js';
import type { DeliveryOutcome, EventChannel } from '../core/events/channel.js';
import type { EventPipeline } from '../core/events/pipeline.js';

export interface MetricsSources {
  dispatcher: Dispatcher;
  pipeline: EventPipeline;
  connections: ConnectionRegistry;
}

export interface Metrics {
  /** The exposition text and its `Content-Type`. */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** Stop observing. */
  close(): void;
}

/** Call latency buckets, seconds: cached reads answer in tens of µs, sends in ms, downloads in s. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TRANSPORTS: readonly ConnectionTransport[] = ['ws', 'ws_reverse', 'http_post'];
const OUTCOMES: readonly DeliveryOutcome[] = ['sent', 'filtered', 'dropped', 'failed'];

/** The `action` label of calls to actions that do not exist (HTTP 404 / retcode 1404). */
export const UNKNOWN_ACTION = '_unknown';

type Increment = { inc(): void };
type Observe = { observe(value: number): void };

/** Start collecting; nothing is exposed until {@link Metrics.scrape}. */
export function createMetrics({ dispatcher, pipeline, connections }: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const calls = new Counter({ name: 'cqhttpd_api_calls_total', help: 'API calls answered, by action and retcode (0 ok, 1 async, else failed)', labelNames: ['action', 'retcode'] as const, registers: [registry] });
  const latency = new Histogram({ name: 'cqhttpd_api_call_duration_seconds', help: 'Time from dispatch to answer, by action', labelNames: ['action'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const delivered = new Counter({ name: 'cqhttpd_events_delivered_total', help: 'Event deliveries, by transport and outcome (sent, filtered, dropped, failed)', labelNames: ['transport', 'outcome'] as const, registers: [registry] });

  new Counter({
    name: 'cqhttpd_connection_events_total',
    help: 'Event deliveries to each live connection, by outcome (the series ends with the connection)',
    labelNames: ['connection', 'transport', 'role', 'path', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      connections.forEach((c) => {
        for (const outcome of OUTCOMES) this.inc({ connection: String(c.id), transport: c.transport, role: c.role, path: c.path, outcome }, c.events[outcome]);
      });
    },
  });
  new Gauge({
    name: 'cqhttpd_connections',
    help: 'Open bot connections, by transport and role',
    labelNames: ['transport', 'role'] as const,
    registers: [registry],
    collect() {
      this.reset();
      connections.forEach((c) => {
        if (c.state === 'open') this.inc({ transport: c.transport, role: c.role });
      });
    },
  });
  new Gauge({
    name: 'cqhttpd_queue_length',
    help: 'Work waiting: _async calls (queued or running), _rate_limited calls, events waiting for a POST slot',
    labelNames: ['queue'] as const,
    registers: [registry],
    collect() {
      const queues = dispatcher.queues();
      this.set({ queue: 'async' }, queues.async);
      this.set({ queue: 'rate_limited' }, queues.rate_limited);
      this.set({ queue: 'events' }, pipeline.backlog);
    },
  });

  /** Per action: its histogram child and its counter children by retcode. */
  const perAction = new Map<string, { latency: Observe; retcodes: Map<number, Increment> }>();
  const stopCalls = dispatcher.onCall((record) => {
    // Unknown action names come from clients: one label for all of them keeps the series bounded.
    const action = record.unknown === true ? UNKNOWN_ACTION : record.action;
    let entry = perAction.get(action);
    if (entry === undefined) {
      entry = { latency: latency.labels(action), retcodes: new Map() };
      perAction.set(action, entry);
    }
    let counter = entry.retcodes.get(record.retcode);
    if (counter === undefined) {
      counter = calls.labels(action, String(record.retcode));
      entry.retcodes.set(record.retcode, counter);
    }
    counter.inc();
    entry.latency.observe(record.duration / 1000);
  });

  // Every transport × outcome child, made up front: a delivery is two property reads and an inc.
  const byTransport = {} as Record<ConnectionTransport, Record<DeliveryOutcome, Increment>>;
  for (const transport of TRANSPORTS) {
    byTransport[transport] = {} as Record<DeliveryOutcome, Increment>;
    for (const outcome of OUTCOMES) {
      const child = delivered.labels(transport, outcome);
      child.inc(0); // shown at 0 from the start
      byTransport[transport][outcome] = child;
    }
  }
  const stopDeliveries = pipeline.onDelivery((channel: EventChannel, _event, outcome) => {
    byTransport[channel.connection?.transport ?? (channel.kind === 'http_post' ? 'http_post' : 'ws')][outcome].inc();
  });

  return {
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    close() {
      stopCalls();
      stopDeliveries();
      registry.clear();
    },
  };
}
