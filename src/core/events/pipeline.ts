/**
 * The event pipeline (CQHTTP 4.15 §1.2): patch (`self_id`, `time`) → global filter → per channel:
 * own filter, format, serialise (once per format) → HTTP POST channels (with their quick
 * operations) → WebSocket channels.
 *
 * Events enter in order and leave the WebSocket channels in the same order; each event's WS
 * pushes wait for its own HTTP POSTs and quick operations (bounded by `postWaitMs`). Up to
 * `maxConcurrentPosts` events may have their POSTs in flight at once (sent in event order);
 * with 1, an event's POST starts only after the previous event was pushed: 4.15's one-at-a-time
 * order, where a slow receiver holds back every later event. The API is never held back.
 */
import type { Logger } from 'pino';
import { stringifySorted } from '../../protocol/json.js';
import type { FaultEngine } from '../faults/index.js';
import type { DeliveryObserver, DeliveryOutcome, EventChannel, EventFilter, OneBotEvent } from './channel.js';
import { formatEvent } from './format.js';

export interface PipelineOptions {
  selfId: number;
  logger: Logger;
  /** The global filter (`event_filter`): a filter, none, or `suppress` when the filter file is broken (§10.1). */
  filter: EventFilter | null | 'suppress';
  /** Longest time the WS pushes of one event wait for its HTTP POSTs (ms). */
  postWaitMs: number;
  /** Events waiting for a POST slot beyond this are dropped (oldest first), with a warning. */
  maxBacklog: number;
  /** Events whose HTTP POSTs may be in flight at once (`max_concurrent_posts`; default 1 = 4.15). */
  maxConcurrentPosts?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** Injected faults (event delays, duplicates, bursts, losses; stopped heartbeats); asked only while active. */
  faults?: FaultEngine;
}

/** Per event: the formatted object and its serialised body, by format. */
type Shaped = Map<string, { object: OneBotEvent; body: string }>;

/** An event whose POSTs started and whose WS pushes have not happened yet. */
interface InFlight {
  readonly event: OneBotEvent;
  readonly bodies: Shaped;
  /** When the WS pushes go out even if the POSTs have not finished (`performance.now()` ms). */
  readonly deadline: number;
  /** The POSTs finished (or the deadline passed). */
  ready: boolean;
}

/** Routing of lifecycle events (§3.6): 1 = HTTP POST only, 2 = WebSocket only. */
const POST_ONLY = 1;
const WS_ONLY = 2;

export class EventPipeline {
  readonly #options: PipelineOptions;
  readonly #maxInFlight: number;
  readonly #posts = new Set<EventChannel>();
  readonly #sockets = new Set<EventChannel>();
  /** Events waiting for a POST slot, in order. */
  readonly #queue: OneBotEvent[] = [];
  /** Events whose POSTs run, in order; the head's WS pushes go first. */
  readonly #inFlight: InFlight[] = [];
  #dropped = 0;
  readonly #idle: (() => void)[] = [];
  /** POST-only deliveries still running (nothing waits for them but `idle()`). */
  readonly #detached = new Set<Promise<void>>();
  /** One timer for the earliest deadline in flight (deadlines only grow, so one is enough). */
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  /** Delivery observers (an array: the hot path iterates it per channel and event). */
  #observers: DeliveryObserver[] = [];

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#maxInFlight = Math.max(1, Math.floor(options.maxConcurrentPosts ?? 1));
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

  /**
   * Observe the outcome of every delivery to every channel (metrics, the connection registry, the
   * web console). Returns the unsubscribe function.
   */
  onDelivery(observer: DeliveryObserver): () => void {
    this.#observers = [...this.#observers, observer];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }

  /** Events waiting for a POST slot (not yet started). */
  get backlog(): number {
    return this.#queue.length;
  }

  /** How many WebSocket event channels are attached. */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** Publish an event (from the backend, or a meta event). Returns at once; delivery is ordered. */
  publish(event: OneBotEvent): void {
    const faults = this.#options.faults;
    if (faults?.active === true) faults.event(event, this.#admit);
    else this.#admit(event);
  }

  /** An event enters delivery (after the event faults, if any). */
  readonly #admit = (event: OneBotEvent): void => {
    if (this.#queue.length === 0 && this.#inFlight.length < this.#maxInFlight) {
      this.#startSafely(event);
      this.#release();
      return;
    }
    if (this.#queue.length >= this.#options.maxBacklog) {
      this.#queue.shift();
      if (this.#dropped++ % 1000 === 0) this.#options.logger.warn(`event backlog full (${this.#options.maxBacklog}); dropping the oldest events`);
    }
    this.#queue.push(event);
  };

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
    if (this.#inFlight.length > 0 || this.#queue.length > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all([...this.#detached]);
  }

  #startSafely(event: OneBotEvent): void {
    try {
      this.#start(event);
    } catch (err) {
      this.#options.logger.error({ err }, `event delivery failed: ${(err as Error).message}`);
    }
  }

  /** Filter the event, start its POSTs, and append it to the in-flight list unless it is done already. */
  #start(input: OneBotEvent): void {
    const event = this.#patch(input);
    const { filter } = this.#options;
    if (filter === 'suppress' || (filter !== null && !filter(event))) return;
    const route = event._post_method;
    const bodies: Shaped = new Map();
    let posts: Promise<unknown>[] | undefined;
    if (route !== WS_ONLY && this.#posts.size > 0) {
      for (const channel of this.#posts) {
        const delivery = this.#deliver(channel, event, bodies);
        if (delivery !== undefined) (posts ??= []).push(delivery);
      }
    }
    if (posts === undefined || route === POST_ONLY) {
      // POST-only events (lifecycle) hold nothing back, but `idle()` waits for them: shutdown
      // must not close the channels under the best-effort `disable`.
      if (posts !== undefined) this.#detach(Promise.all(posts));
      if (route !== POST_ONLY) {
        if (this.#inFlight.length === 0) this.#pushSockets(event, bodies);
        else this.#inFlight.push({ event, bodies, deadline: 0, ready: true });
      }
      return;
    }
    const entry: InFlight = { event, bodies, deadline: performance.now() + this.#options.postWaitMs, ready: false };
    this.#inFlight.push(entry);
    const done = (): void => {
      if (entry.ready) return; // already released by its deadline
      entry.ready = true;
      this.#release();
    };
    (posts.length === 1 ? (posts[0] as Promise<unknown>) : Promise.all(posts)).then(done, done);
    this.#timer ??= setTimeout(() => this.#expire(), this.#options.postWaitMs);
  }

  /** Push every ready event at the head of the in-flight list, then start queued events in the room made. */
  #release(): void {
    for (;;) {
      while (this.#inFlight.length > 0 && (this.#inFlight[0] as InFlight).ready) {
        const { event, bodies } = this.#inFlight.shift() as InFlight;
        try {
          this.#pushSockets(event, bodies);
        } catch (err) {
          // Runs from promise callbacks and the deadline timer: a throw here must not escape.
          this.#options.logger.error({ err }, `event delivery failed: ${(err as Error).message}`);
        }
      }
      if (this.#queue.length === 0 || this.#inFlight.length >= this.#maxInFlight) break;
      while (this.#queue.length > 0 && this.#inFlight.length < this.#maxInFlight) this.#startSafely(this.#queue.shift() as OneBotEvent);
    }
    if (this.#inFlight.length === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#inFlight.length === 0 && this.#queue.length === 0 && this.#idle.length > 0) this.#idle.splice(0).forEach((resolve) => resolve());
  }

  /** The deadline timer: release the events whose POSTs took longer than `postWaitMs`. */
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const entry of this.#inFlight) {
      if (entry.ready) continue;
      if (entry.deadline > now) break;
      entry.ready = true;
    }
    this.#release();
    const next = this.#inFlight.find((e) => !e.ready);
    if (next !== undefined) this.#timer = setTimeout(() => this.#expire(), Math.max(1, next.deadline - now));
  }

  #detach(work: Promise<unknown>): void {
    const done = work.then(() => undefined, () => undefined);
    this.#detached.add(done);
    void done.finally(() => this.#detached.delete(done));
  }

  #pushSockets(event: OneBotEvent, bodies: Shaped): void {
    for (const channel of this.#sockets) void this.#deliver(channel, event, bodies);
  }

  #deliver(channel: EventChannel, event: OneBotEvent, bodies: Shaped): Promise<void> | undefined {
    if (channel.filter !== null && !channel.filter(event)) {
      this.#observe(channel, event, 'filtered');
      return undefined;
    }
    const faults = this.#options.faults;
    if (faults?.active === true && faults.blocks(channel, event)) {
      this.#observe(channel, event, 'dropped');
      return undefined;
    }
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
      if (result instanceof Promise) {
        return result.then(
          (outcome) => this.#observe(channel, event, outcome ?? 'sent'),
          (err: unknown) => this.#failed(channel, event, err),
        );
      }
      this.#observe(channel, event, result ?? 'sent');
    } catch (err) {
      this.#failed(channel, event, err);
    }
    return undefined;
  }

  #failed(channel: EventChannel, event: OneBotEvent, err: unknown): void {
    this.#options.logger.warn({ err }, `delivery to ${channel.name} failed: ${(err as Error)?.message ?? String(err)}`);
    this.#observe(channel, event, 'failed');
  }

  #observe(channel: EventChannel, event: OneBotEvent, outcome: DeliveryOutcome): void {
    const observers = this.#observers;
    if (observers.length === 0) return;
    try {
      for (const observer of observers) observer(channel, event, outcome);
    } catch (err) {
      this.#options.logger.error({ err }, `delivery observer failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  /** `event_data_patcher`: `self_id` always, `time` when absent (§1.2). */
  #patch(event: OneBotEvent): OneBotEvent {
    if (event.self_id !== undefined && event.time !== undefined) return event;
    return { ...event, self_id: event.self_id ?? this.#options.selfId, time: event.time ?? Math.floor(this.#now() / 1000) };
  }
}
