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
 * The hot path (one call, one delivery) only adds to plain numbers (a map lookup per call, a
 * bucket search, no allocation); prom-client's metrics read them when scraped. (prom-client's own
 * label children hash and validate their labels on every update: too dear per call.)
 */
import type { Metric, Registry } from 'prom-client';
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
const LATENCY_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TRANSPORTS: readonly ConnectionTransport[] = ['ws', 'ws_reverse', 'http_post'];
const OUTCOMES: readonly DeliveryOutcome[] = ['sent', 'filtered', 'dropped', 'failed'];
const TRANSPORT_INDEX: Readonly<Record<ConnectionTransport, number>> = { ws: 0, ws_reverse: 1, http_post: 2 };
const OUTCOME_INDEX: Readonly<Record<DeliveryOutcome, number>> = { sent: 0, filtered: 1, dropped: 2, failed: 3 };

/** The `action` label of calls to actions that do not exist (HTTP 404 / retcode 1404). */
export const UNKNOWN_ACTION = '_unknown';

/** What one action's calls add up to (plain numbers: the hot path allocates nothing). */
interface ActionStats {
  readonly action: string;
  /** Calls answered with retcode 0. */
  ok: number;
  /** Calls by any other retcode. */
  readonly failed: Map<number, number>;
  /** Per latency bucket (not cumulative); the last one is above every bound. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * `cqhttpd_api_call_duration_seconds`: a histogram in prom-client's exposition, its counts kept in
 * {@link ActionStats} (prom-client's own histogram hashes and validates its labels on every observe).
 */
class CallLatency {
  readonly name = 'cqhttpd_api_call_duration_seconds';
  readonly help = 'Time from dispatch to answer, by action';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(private readonly stats: ReadonlyMap<string, ActionStats>) {}

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] }> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.stats.values()) {
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        cumulative += s.buckets[i] as number;
        values.push({ labels: { le: LATENCY_BUCKETS[i] as number, action: s.action }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { le: '+Inf', action: s.action }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { action: s.action }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { action: s.action }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {}
}

/** prom-client's registry over the plain numbers: made on the first scrape (prom-client brings https, zlib, cluster…). */
function exposition({ collectDefaultMetrics, Counter, Gauge, Registry }: typeof import('prom-client'), { dispatcher, pipeline, connections }: MetricsSources, stats: ReadonlyMap<string, ActionStats>, delivered: Float64Array): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Counter({
    name: 'cqhttpd_api_calls_total',
    help: 'API calls answered, by action and retcode (0 ok, 1 async, else failed)',
    labelNames: ['action', 'retcode'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of stats.values()) {
        if (s.ok > 0) this.inc({ action: s.action, retcode: '0' }, s.ok);
        for (const [retcode, n] of s.failed) this.inc({ action: s.action, retcode: String(retcode) }, n);
      }
    },
  });
  registry.registerMetric(new CallLatency(stats) as unknown as Metric);
  new Counter({
    name: 'cqhttpd_events_delivered_total',
    help: 'Event deliveries, by transport and outcome (sent, filtered, dropped, failed)',
    labelNames: ['transport', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const transport of TRANSPORTS) {
        for (const outcome of OUTCOMES) this.inc({ transport, outcome }, delivered[TRANSPORT_INDEX[transport] * OUTCOMES.length + OUTCOME_INDEX[outcome]] as number);
      }
    },
  });

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

  return registry;
}

/** Start collecting; nothing is exposed until {@link Metrics.scrape}. */
export function createMetrics(sources: MetricsSources): Metrics {
  const { dispatcher, pipeline } = sources;
  const stats = new Map<string, ActionStats>();
  /** Deliveries by transport × outcome ({@link TRANSPORT_INDEX} × 4 + {@link OUTCOME_INDEX}). */
  const delivered = new Float64Array(TRANSPORTS.length * OUTCOMES.length);
  let registry: Promise<Registry> | undefined;

  const stopCalls = dispatcher.onCall((record) => {
    // Unknown action names come from clients: one label for all of them keeps the series bounded.
    const action = record.unknown === true ? UNKNOWN_ACTION : record.action;
    let s = stats.get(action);
    if (s === undefined) {
      s = { action, ok: 0, failed: new Map(), buckets: new Float64Array(LATENCY_BUCKETS.length + 1), sum: 0, count: 0 };
      stats.set(action, s);
    }
    if (record.retcode === 0) s.ok++;
    else s.failed.set(record.retcode, (s.failed.get(record.retcode) ?? 0) + 1);
    const seconds = record.duration / 1000;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] as number)) bucket++;
    s.buckets[bucket]++;
    s.sum += seconds;
    s.count++;
  });

  const stopDeliveries = pipeline.onDelivery((channel: EventChannel, _event, outcome) => {
    const transport = channel.connection?.transport ?? (channel.kind === 'http_post' ? 'http_post' : 'ws');
    delivered[TRANSPORT_INDEX[transport] * OUTCOMES.length + OUTCOME_INDEX[outcome]]++;
  });

  return {
    async scrape() {
      const ready = await (registry ??= import('prom-client').then(async (prom) => {
        const made = exposition(prom, sources, stats, delivered);
        // The event-loop lag histogram starts with the registry: let it take samples (10 ms
        // apart) so that the first scrape shows lags, not an empty histogram's extremes.
        await new Promise((resolve) => setTimeout(resolve, 100));
        return made;
      }));
      return { contentType: ready.contentType, body: await ready.metrics() };
    },
    close() {
      stopCalls();
      stopDeliveries();
      void registry?.then((ready) => ready.clear());
    },
  };
}
