/** The bots' event listeners of a bridge backend: what the OneBot and the Milky backend share of `Backend.onEvent`. */
import type { BackendEvent, EventListener } from './port.js';

export abstract class BridgeListeners {
  readonly #listeners = new Set<EventListener>();

  onEvent(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  protected emit(event: BackendEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
