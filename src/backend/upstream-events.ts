/**
 * What an upstream connection (a OneBot link, a Milky event stream) tells its backend: the
 * upstream's events — held from the start until cqhttpd's listeners are attached (event-gate.ts) —
 * and its online changes. Both connections extend it.
 */
import { EventGate } from './event-gate.js';

export abstract class UpstreamEvents<T> {
  readonly #eventListeners = new Set<(event: T) => void>();
  readonly #stateListeners = new Set<(online: boolean) => void>();
  /** Events are held until {@link release}. */
  readonly #gate = new EventGate<T>((event) => {
    for (const listener of this.#eventListeners) listener(event);
  });

  onEvent(listener: (event: T) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Let the events held since the start through, and every later one at once; returns how many the hold dropped. */
  release(): number {
    return this.#gate.open();
  }

  onState(listener: (online: boolean) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** An event from the upstream: to the listeners, or held until {@link release}. */
  protected emitEvent(event: T): void {
    this.#gate.push(event);
  }

  /** The connection went online or offline. */
  protected emitState(online: boolean): void {
    for (const listener of this.#stateListeners) listener(online);
  }
}
