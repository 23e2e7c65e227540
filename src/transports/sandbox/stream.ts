/**
 * The fan-out behind `GET /api/stream`: while at least one client is connected it listens to the
 * sandbox (stored messages, events) and the call journal, serialises each item once, and hands the
 * frame to every client; it also sends a comment line every `heartbeatMs` so idle proxies keep the
 * connection and stalled clients reach their backlog limit.
 */
import type { Logger } from 'pino';
import { stringifySorted } from '../../protocol/json.js';
import type { CallJournal } from './journal.js';
import { SseClient, sseFrame } from './sse.js';
import type { SseSink } from './sse.js';
import type { SandboxBackend } from './surface.js';
import { callToWire, streamedMessageToWire } from './wire.js';

const HEARTBEAT = ': ping\n\n';

/** Every connected stream reader of one control server. */
export class StreamHub {
  readonly #sb: SandboxBackend;
  readonly #calls: CallJournal;
  readonly #log: Logger;
  readonly #backlog: number;
  readonly #heartbeatMs: number;
  readonly #clients = new Set<SseClient>();
  #unsubscribe: (() => void)[] = [];
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(init: { sb: SandboxBackend; calls: CallJournal; log: Logger; backlog: number; heartbeatMs: number }) {
    this.#sb = init.sb;
    this.#calls = init.calls;
    this.#log = init.log;
    this.#backlog = init.backlog;
    this.#heartbeatMs = init.heartbeatMs;
  }

  /** How many clients are connected. */
  get size(): number {
    return this.#clients.size;
  }

  /** Add a client writing to `sink` (whose headers are sent); returns it. */
  add(sink: SseSink, name: string): SseClient {
    const client = new SseClient(sink, { backlog: this.#backlog, log: this.#log, name, onClose: () => this.#remove(client) });
    this.#clients.add(client);
    if (this.#clients.size === 1) this.#start();
    this.#log.debug({ client: name, clients: this.#clients.size }, 'sandbox stream: client connected');
    return client;
  }

  /** End every client's stream (on server close). */
  closeAll(): void {
    for (const client of [...this.#clients]) client.end();
  }

  #broadcast(frame: string): void {
    for (const client of [...this.#clients]) client.send(frame);
  }

  #start(): void {
    const selfId = this.#sb.selfId;
    this.#unsubscribe = [
      this.#sb.onMessage((m) => this.#broadcast(sseFrame('message', stringifySorted(streamedMessageToWire(m, selfId))))),
      this.#sb.onEvent((e) => this.#broadcast(sseFrame('event', stringifySorted(e)))),
      this.#calls.subscribe((r) => this.#broadcast(sseFrame('call', stringifySorted(callToWire(r))))),
    ];
    if (this.#heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => this.#broadcast(HEARTBEAT), this.#heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  #remove(client: SseClient): void {
    if (!this.#clients.delete(client) || this.#clients.size > 0) return;
    for (const off of this.#unsubscribe.splice(0)) off();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
