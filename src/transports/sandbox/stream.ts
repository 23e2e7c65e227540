/**
 * The fan-out behind `GET /api/stream`: while at least one client is connected it listens to the
 * sandbox (stored messages, events) and the call journal, serialises each item once, numbers it
 * (`id:`), and hands the frame to every client; it also sends a comment line every `heartbeatMs` so
 * idle proxies keep the connection and stalled clients reach their backlog limit.
 *
 * Resuming: the last frames are kept in a bounded ring (count and bytes), and the hub keeps
 * listening for `resumeMs` after its last client left. A client that reconnects with
 * `Last-Event-ID` gets what it missed, in order, before anything new; when that is no longer
 * kept (or the id is from another run) it gets one `reset` frame and reloads what it shows.
 *
 * Batching: each item is serialised, numbered and kept as it happens, but written to the clients
 * at the end of the event-loop turn (`setImmediate`), all the frames waiting in one write — and no
 * sooner than {@link FLUSH_INTERVAL_MS} after the previous write: a quiet stream is written at
 * once, while under an API load of thousands of calls a second it is about 60 writes a second per
 * client, not one per call or per turn (what a reader shows cannot change faster anyway). A batch
 * is written at once when it reaches {@link BATCH_BYTES}, or when its deliveries fill a frame.
 *
 * A hub made with `extras` (the server's `?all=1` stream, which the web console reads) also
 * carries `delivery` frames (see deliveries.ts: one per turn, written with that turn's other frames)
 * and `world` frames ({@link StreamHub.world}: the world was edited through the control API).
 */
import type { Logger } from 'pino';
import type { FaultEngine } from '../../core/faults/index.js';
import type { CallJournal } from './journal.js';
import { SseClient } from './sse.js';
import type { SseEventName, SseSink } from './sse.js';
import type { SandboxBackend } from './surface.js';
import { callToWireText, streamedMessageToWire, streamJson } from './wire.js';
import { DeliveryBatch, type SubscribeDeliveries } from './deliveries.js';

const HEARTBEAT = ': ping\n\n';
/** Frames kept for resuming, at most (count, and bytes of frame text); whole batches go. */
const RING_FRAMES = 2000;
const RING_BYTES = 4 * 1024 * 1024;
/** Frames waiting for the end of the turn are written at once past this many bytes (characters). */
const BATCH_BYTES = 64 * 1024;
/** Writes to the clients come at least this many milliseconds apart (a busy stream's frames wait and go together). */
const FLUSH_INTERVAL_MS = 16;

/** Subscribe to the meta events cqhttpd itself makes (heartbeats); returns the unsubscribe function. */
export type MetaEvents = (listener: (event: Record<string, unknown>) => void) => () => void;

/** The events of another bot account of the world (`bots`): they carry its `self_id`. */
export interface BotEvents {
  onEvent(listener: (event: Record<string, unknown>) => void): () => void;
}

/** Every connected stream reader of one control server. */
export class StreamHub {
  readonly #sb: SandboxBackend;
  readonly #otherBots: readonly BotEvents[];
  readonly #calls: CallJournal;
  readonly #meta: MetaEvents | undefined;
  readonly #faults: FaultEngine | undefined;
  readonly #log: Logger;
  readonly #backlog: number;
  readonly #heartbeatMs: number;
  readonly #resumeMs: number;
  readonly #clients = new Set<SseClient>();
  /** This run's prefix of every id: an id from another run (or the other stream) cannot be mistaken for one of ours. */
  readonly #run: string;
  #seq = 0;
  /**
   * Kept frames, oldest first, as the batches written (one flat string each, so that thousands of
   * kept frames are not thousands of long-lived strings for the collector): `first`..`last` are
   * the numbers of the frames in `text`.
   */
  #ring: { text: string; first: number; last: number }[] = [];
  #ringBytes = 0;
  #ringFrames = 0;
  /** Frames numbered and kept but not yet written to the clients (this turn's batch). */
  #batch: string[] = [];
  #batchBytes = 0;
  #flushScheduled = false;
  /** The pending write's timer, when it waits for {@link FLUSH_INTERVAL_MS} (else a setImmediate is pending). */
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last write to the clients happened (performance.now()). */
  #lastFlush = -Infinity;
  #unsubscribe: (() => void)[] = [];
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #linger: ReturnType<typeof setTimeout> | undefined;
  /** Whether this hub carries `delivery` and `world` frames. */
  readonly #extras: boolean;
  readonly #subscribeDeliveries: SubscribeDeliveries | undefined;
  /** This turn's deliveries (while listening, with extras and a pipeline). */
  #deliveries: DeliveryBatch | undefined;
  /** The frame id that carried each event the sandbox emitted (while listening, with extras). */
  #eventFrames = new WeakMap<object, string>();

  constructor(init: { sb: SandboxBackend; otherBots?: readonly BotEvents[] | undefined; calls: CallJournal; meta?: MetaEvents | undefined; faults?: FaultEngine | undefined; log: Logger; backlog: number; heartbeatMs: number; resumeMs?: number; extras?: { deliveries?: SubscribeDeliveries | undefined } }) {
    this.#sb = init.sb;
    this.#otherBots = init.otherBots ?? [];
    this.#calls = init.calls;
    this.#meta = init.meta;
    this.#faults = init.faults;
    this.#log = init.log;
    this.#backlog = init.backlog;
    this.#heartbeatMs = init.heartbeatMs;
    this.#resumeMs = init.resumeMs ?? 60_000;
    this.#extras = init.extras !== undefined;
    this.#run = `${Date.now().toString(36)}${this.#extras ? '-all' : ''}`;
    this.#subscribeDeliveries = init.extras?.deliveries;
  }

  /** The world was edited through the control API (`method path`): a `world` frame, when this hub carries them and listens. */
  world(method: string, path: string): void {
    if (!this.#extras || this.#unsubscribe.length === 0) return;
    this.#broadcast('world', `{"method":${JSON.stringify(method)},"path":${JSON.stringify(path)}}`);
  }

  /** How many clients are connected. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * Add a client writing to `sink` (whose headers are sent); returns it. With `lastEventId`, first
   * send it every kept frame after that one, or a `reset` frame when they are not all kept.
   */
  add(sink: SseSink, name: string, lastEventId?: string): SseClient {
    // The frames numbered before this client came go to the others first: it resumes after them or not at all.
    this.#flush();
    const client = new SseClient(sink, { backlog: this.#backlog, log: this.#log, name, onClose: () => this.#remove(client) });
    if (lastEventId !== undefined && lastEventId !== '') {
      const missed = this.#since(lastEventId);
      // One write for the whole replay: the backlog counts frames, and a replay is one burst.
      client.send(missed ?? `event: reset\ndata: {}\nid: ${this.#run}.${this.#seq}\n\n`);
    }
    this.#clients.add(client);
    clearTimeout(this.#linger);
    this.#linger = undefined;
    if (this.#unsubscribe.length === 0) this.#start();
    this.#log.debug({ client: name, clients: this.#clients.size }, 'sandbox stream: client connected');
    return client;
  }

  /** End every client's stream and stop listening (on server close). */
  closeAll(): void {
    this.#flush();
    for (const client of [...this.#clients]) client.end();
    this.#stop();
  }

  /** The kept frames after `lastEventId`, joined; "" when none was missed; undefined when some are no longer kept. */
  #since(lastEventId: string): string | undefined {
    const dot = lastEventId.lastIndexOf('.');
    const seq = Number(lastEventId.slice(dot + 1));
    if (lastEventId.slice(0, dot) !== this.#run || !Number.isSafeInteger(seq) || seq > this.#seq) return undefined;
    const missed = this.#seq - seq;
    if (missed === 0) return '';
    let i = this.#ring.length - 1;
    while (i >= 0 && (this.#ring[i]?.first ?? 0) > seq + 1) i--;
    const batch = this.#ring[i];
    if (batch === undefined) return undefined;
    // Inside a batch, start after the frame numbered `seq` (an `id:` line: JSON has no raw newline).
    let head = batch.text;
    if (batch.first <= seq) {
      const idLine = `\nid: ${this.#run}.${seq}\n\n`;
      head = head.slice(head.indexOf(idLine) + idLine.length);
    }
    return head + this.#ring.slice(i + 1).map((b) => b.text).join('');
  }

  /** Number and keep a frame; it is written at the end of the turn (or at once past {@link BATCH_BYTES}). Returns its id. */
  #broadcast(name: SseEventName, json: string): string {
    const id = this.#push(name, json);
    // Early, the turn's deliveries stay: their events may not have their frames yet.
    if (this.#batchBytes >= BATCH_BYTES) this.#flush(false);
    else this.#schedule();
    return id;
  }

  #push(name: SseEventName, json: string): string {
    const id = `${this.#run}.${++this.#seq}`;
    const frame = `event: ${name}\ndata: ${json}\nid: ${id}\n\n`;
    this.#batch.push(frame);
    this.#batchBytes += frame.length;
    return id;
  }

  /** A delivery was observed: kept for the end of the turn. */
  readonly #delivered = (...args: Parameters<DeliveryBatch['observe']>): void => {
    const batch = this.#deliveries;
    if (batch === undefined) return;
    batch.observe(...args);
    // A full frame of deliveries is written at the end of this turn rather than counting the rest as omitted.
    if (batch.full && this.#flushTimer !== undefined) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
      setImmediate(this.#flushSoon);
    } else {
      this.#schedule();
    }
  };

  /** Write the waiting frames at the end of this turn, or, when the last write was under {@link FLUSH_INTERVAL_MS} ago, when that much time has passed. */
  #schedule(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const wait = this.#lastFlush + FLUSH_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(this.#flushSoon);
    else this.#flushTimer = setTimeout(this.#flushSoon, wait);
  }

  readonly #frameOf = (event: object): string | undefined => this.#eventFrames.get(event);

  readonly #flushSoon = (): void => {
    this.#flushScheduled = false;
    this.#flushTimer = undefined;
    this.#flush();
  };

  /** Write the waiting frames (and, but for an early flush, the turn's `delivery` frame) to every client, in one write each. */
  #flush(withDeliveries = true): void {
    const deliveries = this.#deliveries;
    if (withDeliveries && deliveries !== undefined && !deliveries.empty) this.#push('delivery', deliveries.take(this.#frameOf));
    if (this.#batch.length === 0) return;
    const text = this.#batch.length === 1 ? (this.#batch[0] as string) : this.#batch.join('');
    this.#ring.push({ text, first: this.#seq - this.#batch.length + 1, last: this.#seq });
    this.#ringBytes += text.length;
    this.#ringFrames += this.#batch.length;
    while (this.#ring.length > 1 && (this.#ringFrames > RING_FRAMES || this.#ringBytes > RING_BYTES)) {
      const oldest = this.#ring.shift() as { text: string; first: number; last: number };
      this.#ringBytes -= oldest.text.length;
      this.#ringFrames -= oldest.last - oldest.first + 1;
    }
    this.#batch = [];
    this.#batchBytes = 0;
    this.#lastFlush = performance.now();
    for (const client of this.#clients) client.send(text);
  }

  #start(): void {
    const selfId = this.#sb.selfId;
    const extras = this.#extras;
    this.#unsubscribe = [
      this.#sb.onMessage((m) => this.#broadcast('message', streamJson(streamedMessageToWire(m, selfId)))),
      this.#sb.onEvent(extras
        ? (e) => { this.#eventFrames.set(e, this.#broadcast('event', streamJson(e))); }
        : (e) => { this.#broadcast('event', streamJson(e)); }),
      this.#calls.subscribe((r, id, self) => this.#broadcast('call', callToWireText(r, id, self))),
      ...this.#otherBots.map((bot) => bot.onEvent((e) => { this.#broadcast('event', streamJson(e)); })),
      ...(this.#faults ? [this.#faults.onInjected((f) => this.#broadcast('fault', streamJson(f)))] : []),
    ];
    if (extras && this.#subscribeDeliveries !== undefined) {
      this.#deliveries = new DeliveryBatch();
      this.#unsubscribe.push(this.#subscribeDeliveries(this.#delivered));
    }
    if (this.#meta !== undefined) {
      this.#unsubscribe.push(this.#meta(extras
        ? (e) => { this.#eventFrames.set(e, this.#broadcast('event', streamJson(e))); }
        : (e) => { this.#broadcast('event', streamJson(e)); }));
    }
    if (this.#heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => {
        this.#flush();
        for (const client of [...this.#clients]) client.send(HEARTBEAT);
      }, this.#heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  #stop(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#deliveries = undefined;
    this.#eventFrames = new WeakMap();
    clearInterval(this.#heartbeat);
    clearTimeout(this.#linger);
    if (this.#flushTimer !== undefined) {
      // A pending setImmediate resets the flag itself; a cleared timer never will.
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
      this.#flushScheduled = false;
    }
    this.#heartbeat = undefined;
    this.#linger = undefined;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#ring = [];
    this.#ringBytes = 0;
    this.#ringFrames = 0;
    // Items come unnumbered until the next client: skip a number so no earlier id can resume across the gap.
    this.#seq++;
  }

  #remove(client: SseClient): void {
    if (!this.#clients.delete(client) || this.#clients.size > 0) return;
    // Keep listening a while, so that a client that reconnects misses nothing.
    this.#linger = setTimeout(() => this.#stop(), this.#resumeMs);
    this.#linger.unref();
  }
}
