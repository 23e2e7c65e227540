/**
 * The action conformance table: for every registered action, at least one success case and one
 * failure case, run in order on a fresh default world over every API transport. The same
 * sequence yields the same results everywhere, so cases may change the world for later ones.
 */
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';

export interface ActionCase {
  action: string;
  /** Parameters, or a function that prepares the world (as its users) and returns them. */
  params: Record<string, unknown> | ((sandbox: SandboxBackend) => Record<string, unknown>);
  /** Expected retcode (0 = success). */
  retcode: number;
  /** Extra checks on `data` for successes. */
  check?: (data: unknown) => void;
  note?: string;
}
