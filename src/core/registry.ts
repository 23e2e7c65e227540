/** The single table of actions, looked up by wire name. */
import type { Action } from './action.js';

export class ActionRegistry {
  readonly #byName = new Map<string, Action>();

  constructor(actions: readonly Action[]) {
    for (const action of actions) {
      if (this.#byName.has(action.name)) throw new Error(`action ${action.name} is defined twice`);
      this.#byName.set(action.name, action);
    }
  }

  get(name: string): Action | undefined {
    return this.#byName.get(name);
  }

  /** Every action, sorted by name. */
  list(): Action[] {
    return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
