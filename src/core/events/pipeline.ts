/**
 * The event pipeline (CQHTTP 4.15 §1.2): patch (`self_id`, `time`) → global filter → per channel:
 * own filter, format, serialise (once per format) → HTTP POST channels (with their quick
 * operations) → WebSocket channels. Events are processed one at a time, in order; a slow POST
 * delays the WS pushes of later events by at most `postWaitMs`, never the API.
 */
import type { Logger } from 'pino';
import { stringifySorted } from '../../protocol/json.js';
import type { EventChannel, EventFilter, OneBotEvent } from './channel.js';
import { formatEvent } from './format.js';

export interface PipelineOptions {
  selfId: number;
  logger: Logger;
  /** The global filter (`event_filter`): a filter, none, or `suppress` when the filter file is broken (§10.1). */
  filter: EventFilter | null | 'suppress';
  /** Longest time the WS pushes of one event wait for its HTTP POSTs (ms). */
  postWaitMs: number;
  /** Events waiting behind a slow POST beyond this are dropped (oldest first), with a warning. */
  maxBacklog: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** Per event: the formatted object and its serialised body, by format. */
type Shaped = Map<string, { object: OneBotEvent; body: string }>;

/** Routing of lifecycle events (§3.6): 1 = HTTP POST only, 2 = WebSocket only. */
const POST_ONLY = 1;
const WS_ONLY = 2;

export class EventPipeline {
  readonly #options: PipelineOptions;
  readonly #posts = new Set<EventChannel>();
  readonly #sockets = new Set<EventChannel>();
  readonly #queue: OneBotEvent[] = [];
  #busy = false;
  #dropped = 0;
  readonly #idle: (() => void)[] = [];
  /** POST-only deliveries still running (the pump does not wait for them). */
  readonly #detached = new Set<Promise<void>>();
  readonly #now: () => number;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Attach a channel; returns its detach function. */
  attach(channel: EventChannel): () => void {
    const set = channel.kind === 'http_post' ? this.#posts : this.#sockets;
    set.add(channel);
    return () => {
      set.delete(channel);
    };
  }

  /** How many WebSocket event channels are attached. */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** Publish an event (from the backend, or a meta event). Returns at once; delivery is ordered. */
  publish(event: OneBotEvent): void {
    if (this.#queue.length >= this.#options.maxBacklog) {
      this.#queue.shift();
      if (this.#dropped++ % 1000 === 0) this.#options.logger.warn(`event backlog full (${this.#options.maxBacklog}); dropping the oldest events`);
    }
    this.#queue.push(event);
    if (!this.#busy) void this.#pump();
  }

  /** `meta_event`/`lifecycle` with 4.15's leaked `_post_method` routing flag (§3.6, §7.8). */
  emitLifecycle(subType: 'enable' | 'disable' | 'connect'): void {
    this.publish({
      _post_method: subType === 'connect' ? WS_ONLY : POST_ONLY,
      meta_event_type: 'lifecycle',
      post_type: 'meta_event',
      self_id: this.#options.selfId,
      sub_type: subType,
      time: Math.floor(this.#now() / 1000),
    });
  }

  /** Resolves when every published event has been delivered (POST-only ones included). */
  async idle(): Promise<void> {
    if (this.#busy || this.#queue.length > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all([...this.#detached]);
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#queue.length > 0) {
        const event = this.#queue.shift() as OneBotEvent;
        try {
          const pending = this.#process(event);
          if (pending !== undefined) await pending;
        } catch (err) {
          this.#options.logger.error({ err }, `event delivery failed: ${(err as Error).message}`);
        }
      }
    } finally {
      this.#busy = false;
      this.#idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Deliver one event; returns a promise only when HTTP POSTs must finish before the WS pushes. */
  #process(input: OneBotEvent): Promise<void> | undefined {
    const event = this.#patch(input);
    const { filter } = this.#options;
    if (filter === 'suppress' || (filter !== null && !filter(event))) return undefined;
    const route = event._post_method;
    const bodies: Shaped = new Map();
    if (route !== WS_ONLY && this.#posts.size > 0) {
      const posts: Promise<void>[] = [];
      for (const channel of this.#posts) {
        const delivery = this.#deliver(channel, event, bodies);
        if (delivery !== undefined) posts.push(delivery);
      }
      if (posts.length > 0) {
        const done = this.#bounded(Promise.all(posts));
        if (route !== POST_ONLY) return done.then(() => this.#pushSockets(event, bodies));
        // POST-only events (lifecycle) hold nothing back, but `idle()` waits for them: shutdown
        // must not close the channels under the best-effort `disable`.
        this.#detached.add(done);
        void done.finally(() => this.#detached.delete(done));
      }
    }
    if (route !== POST_ONLY) this.#pushSockets(event, bodies);
    return undefined;
  }

  #pushSockets(event: OneBotEvent, bodies: Shaped): void {
    for (const channel of this.#sockets) void this.#deliver(channel, event, bodies);
  }

  #deliver(channel: EventChannel, event: OneBotEvent, bodies: Shaped): Promise<void> | undefined {
    if (channel.filter !== null && !channel.filter(event)) return undefined;
    const { messageFormat, backwardCompatibility } = channel.format;
    const key = messageFormat + (backwardCompatibility ? '+compat' : '');
    let shaped = bodies.get(key);
    if (shaped === undefined) {
      const object = formatEvent(event, channel.format);
      shaped = { object, body: stringifySorted(object) };
      bodies.set(key, shaped);
    }
    try {
      const result = channel.deliver(shaped.body, shaped.object);
      return result instanceof Promise ? result.catch((err: unknown) => this.#failed(channel, err)) : undefined;
    } catch (err) {
      this.#failed(channel, err);
      return undefined;
    }
  }

  #failed(channel: EventChannel, err: unknown): void {
    this.#options.logger.warn({ err }, `delivery to ${channel.name} failed: ${(err as Error)?.message ?? String(err)}`);
  }

  #bounded(work: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#options.postWaitMs);
    });
    return Promise.race([work.then(() => undefined), limit]).finally(() => clearTimeout(timer));
  }

  /** `event_data_patcher`: `self_id` always, `time` when absent (§1.2). */
  #patch(event: OneBotEvent): OneBotEvent {
    if (event.self_id !== undefined && event.time !== undefined) return event;
    return { ...event, self_id: event.self_id ?? this.#options.selfId, time: event.time ?? Math.floor(this.#now() / 1000) };
  }
}
