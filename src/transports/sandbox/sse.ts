/**
 * Server-Sent Events for `GET /api/stream`: one {@link SseClient} per connection writes frames as
 * they come and queues them while the socket is backed up. A client whose queued bytes pass the
 * backlog budget has stopped reading: it is dropped (its connection destroyed) and the drop is
 * logged, so one stalled consumer never grows the server's memory; it reconnects and resumes.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';

/** Bytes of frames a client may have queued before it is dropped, by default (`max_stream_backlog_size`). */
export const DEFAULT_SSE_BACKLOG = 8 * 1024 * 1024;

/** What a stream carries: stored messages, backend events, call records, injected faults; with `?all=1` also deliveries and world edits. */
export type SseEventName = 'message' | 'event' | 'call' | 'fault' | 'delivery' | 'world';

/** One SSE frame: `event: <name>` and one `data:` line (JSON has no raw newlines). */
export function sseFrame(name: SseEventName, json: string): string {
  return `event: ${name}\ndata: ${json}\n\n`;
}

/** The sink a client writes to (a `ServerResponse` in the server, any Writable in tests). */
export type SseSink = Pick<Writable, 'write' | 'end' | 'once' | 'destroy' | 'destroyed' | 'writableEnded'>;

/** One connected stream reader. */
export class SseClient {
  readonly #sink: SseSink;
  readonly #backlog: number;
  readonly #log: Logger;
  readonly #name: string;
  readonly #onClose: () => void;
  readonly #queue: string[] = [];
  #queuedBytes = 0;
  #waiting = false;
  #closed = false;

  /**
   * @param name for log lines (the peer address)
   * @param onClose called once when the client is dropped or closed (to unsubscribe)
   */
  /** @param options.backlog bytes of frames that may wait for the socket before the client is dropped */
  constructor(sink: SseSink, options: { backlog: number; log: Logger; name: string; onClose: () => void }) {
    this.#sink = sink;
    this.#backlog = Math.max(1, options.backlog);
    this.#log = options.log;
    this.#name = options.name;
    this.#onClose = options.onClose;
  }

  /** Whether the client was dropped or closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many frames wait for the socket to drain. */
  get queued(): number {
    return this.#queue.length;
  }

  /** How many bytes (characters) of frames wait for the socket to drain. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Write a frame now, or queue it while the socket is backed up; drop the client past the backlog. */
  send(frame: string): void {
    if (this.#closed) return;
    if (this.#sink.destroyed || this.#sink.writableEnded) {
      this.close();
      return;
    }
    if (this.#waiting) {
      this.#queue.push(frame);
      this.#queuedBytes += frame.length;
      if (this.#queuedBytes > this.#backlog) this.#drop();
      return;
    }
    if (!this.#sink.write(frame)) this.#wait();
  }

  #wait(): void {
    this.#waiting = true;
    this.#sink.once('drain', () => this.#flush());
  }

  #flush(): void {
    this.#waiting = false;
    while (!this.#closed && this.#queue.length > 0) {
      const frame = this.#queue.shift() as string;
      this.#queuedBytes -= frame.length;
      if (!this.#sink.write(frame)) {
        this.#wait();
        return;
      }
    }
  }

  #drop(): void {
    this.#log.warn(
      { client: this.#name, queued: this.#queue.length, queuedBytes: this.#queuedBytes },
      `sandbox stream: dropped ${this.#name}, which stopped reading (${this.#queue.length} events, ${this.#queuedBytes} bytes queued; limit ${this.#backlog}, max_stream_backlog_size); it may reconnect and resume`,
    );
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.close();
    this.#sink.destroy();
  }

  /** Close, and end the stream gracefully (server shutdown). */
  end(): void {
    this.close();
    if (!this.#sink.destroyed && !this.#sink.writableEnded) this.#sink.end();
  }

  /** Stop sending and release the subscriptions (idempotent; the caller ends or destroys the sink). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#onClose();
  }
}
