/**
 * An event channel: one destination of events (an HTTP POST receiver, one forward-WebSocket
 * connection, one reverse-WebSocket client). Transports implement it and attach it to the
 * `EventPipeline`; the pipeline decides what each channel receives and in which shape.
 */

/** An event payload (OneBot shape). */
export type OneBotEvent = { post_type: string } & Record<string, unknown>;

/** A compiled event filter (§10): true = pass. */
export type EventFilter = (event: OneBotEvent) => boolean;

/** How a channel wants events shaped. */
export interface EventFormat {
  /** `post_message_format`: `message` as a CQ string or a segment array. */
  readonly messageFormat: 'string' | 'array';
  /** `enable_backward_compatibility`: the 3.x shapes of §7.7. */
  readonly backwardCompatibility: boolean;
}

/**
 * How one event's delivery to one channel ended: `sent` (written to the socket / the receiver
 * answered 2xx), `filtered` (the channel's own filter refused it), `dropped` (not sent: the socket
 * was not open or its backlog full, too many POSTs in flight, shutting down), `failed` (the POST
 * failed or the receiver answered non-2xx, or the channel threw).
 */
export type DeliveryOutcome = 'sent' | 'filtered' | 'dropped' | 'failed';

/**
 * Told of every delivery's outcome (after it ended: for HTTP POST when the receiver answered).
 * `event` is the pipeline's event before formatting, shared by every channel; read-only.
 * Called on the hot path: keep it cheap and never throw.
 */
export type DeliveryObserver = (channel: EventChannel, event: Readonly<OneBotEvent>, outcome: DeliveryOutcome) => void;

/** The registry entry of a channel's connection, as the delivery observer needs it. */
export interface ChannelConnection {
  readonly id: number;
  readonly transport: 'ws' | 'ws_reverse' | 'http_post';
  /** Forward WS: universal / api / event; reverse WS: Universal / API / Event; POST: event. */
  readonly role: string;
  /** Forward WS: the path the bot asked for; reverse WS and POST: the URL. */
  readonly path: string;
  delivered(event: Readonly<OneBotEvent>, outcome: DeliveryOutcome): void;
}

export interface EventChannel {
  /** For logs, e.g. `post http://127.0.0.1:8080/` or `ws / 127.0.0.1:53122`. */
  readonly name: string;
  /**
   * `http_post` channels receive lifecycle enable/disable but not connect, and are delivered
   * (with their quick operations) before the `ws` channels (§1.2, §3.6).
   */
  readonly kind: 'http_post' | 'ws';
  readonly format: EventFormat;
  /** A per-connection filter on top of the global one; `null` = none. */
  readonly filter: EventFilter | null;
  /**
   * Deliver one event. `body` is the serialised payload (shared between channels with the same
   * format); `event` is the same payload as an object (read-only). HTTP POST channels resolve when
   * the receiver answered and its quick operation ran (or timed out); WS channels resolve at once.
   * The outcome (nothing = `sent`) goes to the pipeline's delivery observers.
   */
  deliver(body: string, event: Readonly<OneBotEvent>): Promise<DeliveryOutcome | void> | DeliveryOutcome | void;
  /** Its entry in the connection registry (`core/connections.ts`), when it has one. */
  readonly connection?: ChannelConnection;
}
