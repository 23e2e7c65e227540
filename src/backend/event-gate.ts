/**
 * A bridge is connected to its upstream before cqhttpd has built the bot side (the backend itself,
 * the event pipeline, HTTP POST, reverse WebSocket, the recorder): events the upstream pushes in
 * that window would reach no listener. The upstream connection holds them in a gate, in order and
 * within a byte budget, until the composition root says every listener is attached
 * (`Backend.ready`); from then on events pass straight through. (Held, they are not converted yet:
 * a message is only marked delivered in bridge.db once it goes to the listeners.)
 */

/** Bytes (JSON characters) of events held before `ready`, at most; past it they are dropped and counted. */
export const HELD_EVENT_BYTES = 16 * 1024 * 1024;

export class EventGate<T> {
  #held: T[] | null = [];
  #heldBytes = 0;
  #dropped = 0;

  constructor(private readonly emit: (event: T) => void, private readonly maxBytes = HELD_EVENT_BYTES) {}

  /** Emit `event`, or hold it while the listeners are not attached yet. */
  push(event: T): void {
    const held = this.#held;
    if (held === null) {
      this.emit(event);
      return;
    }
    // Only in the start-up window: the cost of measuring the event does not matter there.
    const bytes = JSON.stringify(event).length;
    if (this.#heldBytes + bytes > this.maxBytes) {
      this.#dropped++;
      return;
    }
    this.#heldBytes += bytes;
    held.push(event);
  }

  /** The listeners are attached: emit what was held, in order; returns how many events the budget dropped. */
  open(): number {
    const held = this.#held;
    if (held === null) return 0;
    this.#held = null;
    this.#heldBytes = 0;
    for (const event of held) this.emit(event);
    return this.#dropped;
  }
}
