/**
 * The `delivery` frames of the stream (`GET /api/stream?all=1`): which bot connection each event
 * went to and how that ended, from the event pipeline's delivery observer. The deliveries of one
 * event-loop turn become one frame; a turn's frame holds at most {@link MAX_DELIVERIES_PER_FRAME}
 * deliveries and counts the rest as `omitted`, so a fan-out storm cannot grow a frame without bound.
 *
 * An event is named by the id of the stream frame that carried it (`event` frames), or, for an
 * event the sandbox did not emit (lifecycle, heartbeat), by a key of its own (`m<n>`) with a short
 * description in the frame's `events`. Nothing here runs unless a stream client asked for these
 * frames: the hub subscribes to the pipeline only then.
 */
import type { ChannelConnection, DeliveryObserver, DeliveryOutcome, EventChannel, OneBotEvent } from '../../core/events/channel.js';

/** How the stream subscribes to the pipeline's deliveries (`EventPipeline.onDelivery`); returns the unsubscribe function. */
export type SubscribeDeliveries = (observer: DeliveryObserver) => () => void;

/** Deliveries one frame lists at most; the turn's others are counted in `omitted`. */
export const MAX_DELIVERIES_PER_FRAME = 500;

/** The fields of an event without a frame that its description keeps. */
const DESCRIBED = ['post_type', 'meta_event_type', 'notice_type', 'request_type', 'message_type', 'sub_type', 'time'] as const;

/** One turn's deliveries, kept as they come (no text is built before the turn ends). */
export class DeliveryBatch {
  #channels: EventChannel[] = [];
  #events: OneBotEvent[] = [];
  #outcomes: DeliveryOutcome[] = [];
  #omitted = 0;
  #metaSeq = 0;
  /** Keys of the events without a frame, so that each keeps one key across its deliveries. */
  readonly #metaKeys = new WeakMap<object, string>();
  readonly #connectionTexts = new WeakMap<ChannelConnection, string>();

  /** The observer to hand the pipeline. */
  readonly observe: DeliveryObserver = (channel, event, outcome) => {
    if (this.#channels.length >= MAX_DELIVERIES_PER_FRAME) {
      this.#omitted++;
      return;
    }
    this.#channels.push(channel);
    this.#events.push(event as OneBotEvent);
    this.#outcomes.push(outcome);
  };

  /** Whether the frame is full: further deliveries would only be counted as omitted. */
  get full(): boolean {
    return this.#channels.length >= MAX_DELIVERIES_PER_FRAME;
  }

  get empty(): boolean {
    return this.#channels.length === 0 && this.#omitted === 0;
  }

  /**
   * The turn's frame data (JSON text) and a fresh batch:
   * `{connections, deliveries: [{event, to: [[connection, outcome, channel?]…]}…], events, omitted}`
   * — a run of deliveries of one event is one entry. `frameOf` answers the id of the `event` frame
   * that carried an event, if any.
   */
  take(frameOf: (event: object) => string | undefined): string {
    let connections = '';
    const named = new Set<number>();
    let described = '';
    let out = '';
    let last: OneBotEvent | undefined;
    for (let i = 0; i < this.#channels.length; i++) {
      const channel = this.#channels[i] as EventChannel;
      const event = this.#events[i] as OneBotEvent;
      if (event !== last) {
        let key = frameOf(event);
        if (key === undefined) {
          key = this.#metaKeys.get(event);
          if (key === undefined) {
            key = `m${++this.#metaSeq}`;
            this.#metaKeys.set(event, key);
            described += `${described === '' ? '' : ','}"${key}":${describe(event)}`;
          }
        }
        // Keys are `<run>.<n>` or `m<n>`: nothing in them needs escaping.
        out += `${last === undefined ? '' : ']},'}{"event":"${key}","to":[`;
        last = event;
      } else {
        out += ',';
      }
      const c = channel.connection;
      if (c === undefined) {
        out += `[null,"${this.#outcomes[i] as DeliveryOutcome}",${JSON.stringify(channel.name)}]`;
        continue;
      }
      if (!named.has(c.id)) {
        named.add(c.id);
        connections += `${connections === '' ? '' : ','}"${c.id}":${this.#describeConnection(c)}`;
      }
      out += `[${c.id},"${this.#outcomes[i] as DeliveryOutcome}"]`;
    }
    const text = `{"connections":{${connections}},"deliveries":[${out}${last === undefined ? '' : ']}'}],"events":{${described}},"omitted":${this.#omitted}}`;
    this.#channels = [];
    this.#events = [];
    this.#outcomes = [];
    this.#omitted = 0;
    return text;
  }

  /** `{"path","role","transport"}` of a connection, made once per connection. */
  #describeConnection(c: ChannelConnection): string {
    let text = this.#connectionTexts.get(c);
    if (text === undefined) {
      text = `{"path":${JSON.stringify(c.path)},"role":${JSON.stringify(c.role)},"transport":"${c.transport}"}`;
      this.#connectionTexts.set(c, text);
    }
    return text;
  }
}

/** `{post_type, meta_event_type?, …, time}`: what the console shows of an event it has no frame of. */
function describe(event: OneBotEvent): string {
  const parts: string[] = [];
  for (const key of DESCRIBED) {
    const value = event[key];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`"${key}":${JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}
