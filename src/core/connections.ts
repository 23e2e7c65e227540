/**
 * The connection registry: every bot connection cqhttpd holds — forward WebSocket clients, reverse
 * WebSocket clients, HTTP POST receivers — with what a person (web console) or a scraper
 * (`/metrics`) wants to know about it. Transports report to it; nothing in it knows a transport.
 *
 * A transport calls {@link ConnectionRegistry.open} when a connection appears (a forward socket
 * was accepted, a reverse client or POST channel was created) and keeps the returned
 * {@link Connection} to report on it; `remove()` when it is gone for good. The event pipeline's
 * delivery observer feeds {@link Connection.delivered} (events counts, last heartbeat).
 *
 * Counters and timestamps change without notice (read them with {@link ConnectionRegistry.list});
 * listeners hear of state changes only: opened, authorised, connected, error, closed, removed.
 */
import type { DeliveryOutcome, OneBotEvent } from './events/channel.js';

/** Which transport holds the connection. */
export type ConnectionTransport = 'ws' | 'ws_reverse' | 'http_post';

/**
 * `connecting`: a reverse client dialling; `open`: usable (a POST receiver is always open);
 * `retrying`: a reverse client waiting to dial again; `closed`: gone (kept briefly in `recent()`).
 */
export type ConnectionState = 'connecting' | 'open' | 'retrying' | 'closed';

/**
 * The access-token check of a connection the bot opened (forward WS): `ok`, `missing` / `wrong`
 * (refused), `none` (no `access_token` configured). `null` when cqhttpd dialled (the bot checks).
 */
export type AuthResult = 'ok' | 'missing' | 'wrong' | 'none' | null;

/** What a transport says about a new connection. */
export interface ConnectionInit {
  transport: ConnectionTransport;
  /** Forward WS: `universal` / `api` / `event`; reverse WS: `Universal` / `API` / `Event`; POST: `event`. */
  role: string;
  /** Forward WS: the path the bot asked for; reverse WS and POST: the URL (no credentials). */
  path: string;
  /** Forward WS: the bot's `address:port`; reverse WS and POST: the URL's `host:port`. */
  remote: string;
  /** Initial state (default `open`). */
  state?: ConnectionState;
  auth?: AuthResult;
  /** The bot account it serves, when the transport knows (several bots share one registry). */
  selfId?: number | string | undefined;
}

/** A read-only copy of one connection, as `list()` returns it (JSON-ready; times are Unix ms). */
export interface ConnectionSnapshot {
  readonly id: number;
  /** The bot account it serves (null: not said). */
  readonly selfId: number | string | null;
  readonly transport: ConnectionTransport;
  readonly role: string;
  readonly path: string;
  readonly remote: string;
  readonly state: ConnectionState;
  readonly auth: AuthResult;
  /** When it was opened (registered). */
  readonly openedAt: number;
  /** When the current session became `open` (null while not open). */
  readonly connectedSince: number | null;
  /** Reverse WS: dials after the first. */
  readonly reconnects: number;
  /** The last heartbeat event delivered to it. */
  readonly lastHeartbeat: number | null;
  readonly lastError: { readonly time: number; readonly message: string } | null;
  /** HTTP POST: the receiver's last HTTP status (null: none yet, or the last POST got no answer). */
  readonly lastStatus: number | null;
  /** HTTP POST: duration of the last exchange, ms. */
  readonly lastLatencyMs: number | null;
  /** Events by delivery outcome. */
  readonly events: Readonly<Record<DeliveryOutcome, number>>;
  readonly closedAt: number | null;
  /** Close code of a WebSocket (null otherwise). */
  readonly closeCode: number | null;
}

/** What listeners hear: a connection appeared, changed state, or was removed. */
export type ConnectionChange = { readonly kind: 'opened' | 'updated' | 'removed'; readonly connection: ConnectionSnapshot };

/** How many closed connections `recent()` keeps. */
export const RECENT_CLOSED = 32;

/** One registered connection; the transport that opened it reports through these methods. */
export class Connection {
  readonly id: number;
  readonly selfId: number | string | null;
  readonly transport: ConnectionTransport;
  readonly role: string;
  readonly path: string;
  readonly remote: string;
  readonly openedAt: number;
  state: ConnectionState;
  auth: AuthResult;
  connectedSince: number | null = null;
  reconnects = 0;
  lastHeartbeat: number | null = null;
  lastError: { time: number; message: string } | null = null;
  lastStatus: number | null = null;
  lastLatencyMs: number | null = null;
  closedAt: number | null = null;
  closeCode: number | null = null;
  readonly events: Record<DeliveryOutcome, number> = { sent: 0, filtered: 0, dropped: 0, failed: 0 };
  readonly #registry: ConnectionRegistry;
  #dialled = false;

  constructor(registry: ConnectionRegistry, id: number, init: ConnectionInit, now: number) {
    this.#registry = registry;
    this.id = id;
    this.selfId = init.selfId ?? null;
    this.transport = init.transport;
    this.role = init.role;
    this.path = init.path;
    this.remote = init.remote;
    this.openedAt = now;
    this.state = init.state ?? 'open';
    this.auth = init.auth ?? null;
    if (this.state === 'open') this.connectedSince = now;
  }

  /** The access-token check ran (forward WS). */
  authorized(result: AuthResult): void {
    this.auth = result;
    this.#registry.changed(this);
  }

  /** A (re)dial started (reverse WS); every dial after the first counts as a reconnect. */
  connecting(): void {
    if (this.#dialled) this.reconnects++;
    this.#dialled = true;
    this.state = 'connecting';
    this.connectedSince = null;
    this.#registry.changed(this);
  }

  /** The connection is usable now. */
  connected(): void {
    this.state = 'open';
    this.connectedSince = this.#registry.now();
    this.closedAt = null;
    this.closeCode = null;
    this.#registry.changed(this);
  }

  /** Something went wrong (kept as `lastError`; the state is unchanged). */
  error(message: string): void {
    this.lastError = { time: this.#registry.now(), message };
    this.#registry.changed(this);
  }

  /**
   * The session ended: `retrying` when the transport will dial again, else `closed`. A forward
   * socket is removed from `list()` at once (see {@link remove}).
   */
  closed(code: number | null, retrying = false): void {
    this.state = retrying ? 'retrying' : 'closed';
    this.connectedSince = null;
    this.closedAt = this.#registry.now();
    this.closeCode = code;
    this.#registry.changed(this);
  }

  /** Gone for good: out of `list()`, into `recent()`. Idempotent. */
  remove(): void {
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.connectedSince = null;
      this.closedAt ??= this.#registry.now();
    }
    this.#registry.removed(this);
  }

  /** An HTTP POST exchange ended: the receiver's status (null: no answer) and its duration. */
  posted(status: number | null, latencyMs: number, error?: string): void {
    this.lastStatus = status;
    this.lastLatencyMs = latencyMs;
    if (error !== undefined) this.error(error);
  }

  /** One event's delivery to this connection ended (the pipeline's delivery observer calls this). */
  delivered(event: Readonly<OneBotEvent>, outcome: DeliveryOutcome): void {
    this.events[outcome]++;
    if (outcome === 'sent' && event.meta_event_type === 'heartbeat') this.lastHeartbeat = this.#registry.now();
  }

  snapshot(): ConnectionSnapshot {
    return {
      id: this.id, selfId: this.selfId, transport: this.transport, role: this.role, path: this.path, remote: this.remote,
      state: this.state, auth: this.auth, openedAt: this.openedAt, connectedSince: this.connectedSince,
      reconnects: this.reconnects, lastHeartbeat: this.lastHeartbeat, lastError: this.lastError ? { ...this.lastError } : null,
      lastStatus: this.lastStatus, lastLatencyMs: this.lastLatencyMs, events: { ...this.events },
      closedAt: this.closedAt, closeCode: this.closeCode,
    };
  }
}

/** The registry of one running instance (the composition root makes one and hands it to transports). */
export class ConnectionRegistry {
  readonly #live = new Map<number, Connection>();
  readonly #recent: Connection[] = [];
  readonly #listeners = new Set<(change: ConnectionChange) => void>();
  #nextId = 1;
  readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Register a connection; the transport keeps the result to report on it. */
  open(init: ConnectionInit): Connection {
    const connection = new Connection(this, this.#nextId++, init, this.now());
    this.#live.set(connection.id, connection);
    this.#emit('opened', connection);
    return connection;
  }

  /** The live connections (every state but removed), oldest first. */
  list(): ConnectionSnapshot[] {
    return [...this.#live.values()].map((c) => c.snapshot());
  }

  /** The last {@link RECENT_CLOSED} removed connections, oldest first. */
  recent(): ConnectionSnapshot[] {
    return this.#recent.map((c) => c.snapshot());
  }

  /** Visit the live connections without copying (metrics). */
  forEach(visit: (connection: Readonly<Connection>) => void): void {
    for (const connection of this.#live.values()) visit(connection);
  }

  /** Hear of connections opened, changing state and removed; returns the unsubscribe function. */
  onChange(listener: (change: ConnectionChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal A connection changed state. */
  changed(connection: Connection): void {
    if (this.#live.has(connection.id)) this.#emit('updated', connection);
  }

  /** @internal A connection is gone. */
  removed(connection: Connection): void {
    if (!this.#live.delete(connection.id)) return;
    this.#recent.push(connection);
    if (this.#recent.length > RECENT_CLOSED) this.#recent.shift();
    this.#emit('removed', connection);
  }

  #emit(kind: ConnectionChange['kind'], connection: Connection): void {
    if (this.#listeners.size === 0) return;
    const change: ConnectionChange = { kind, connection: connection.snapshot() };
    for (const listener of this.#listeners) listener(change);
  }
}
