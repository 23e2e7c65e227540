/**
 * A dialect: how one OneBot v11 implementation's wire differs from what cqhttpd serves, as pure
 * functions over frames. The `onebot` backend calls the upstream through a dialect (`wrap.ts`):
 * calls renamed or given a shorter deadline, answers and failures read the implementation's way,
 * events renamed to the de-facto v11 names cqhttpd emits and cleared of the implementation's extras.
 * What each one maps is listed in docs/bridge.md.
 */
import type { Frame } from '../connection.js';

export const DIALECT_NAMES = ['napcat', 'llbot', 'lagrange', 'gocq', 'generic'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export interface Dialect {
  readonly name: DialectName;
  /** A deadline for `action` shorter than the link's, for calls this implementation may never answer. */
  timeoutOf(action: string): number | undefined;
  /** The call as this implementation takes it. */
  request(action: string, params: Record<string, unknown>): { action: string; params: Record<string, unknown> };
  /** A successful answer's `data` in the generic v11 shape. */
  result(action: string, data: unknown): unknown;
  /** A failed answer with the generic retcodes and `msg`/`wording`. */
  failure(frame: Frame): Frame;
  /** An event in the shape cqhttpd emits it (before ids are mapped); `undefined` drops it. */
  event(frame: Frame): Frame | undefined;
}

/** The dialect an upstream's `get_version_info` `app_name` names (`generic` for unknown ones). */
export function dialectNameOf(appName: unknown): DialectName {
  const name = typeof appName === 'string' ? appName.toLowerCase() : '';
  if (name.includes('napcat')) return 'napcat';
  if (name.includes('llonebot') || name.includes('llbot') || name.includes('luckylillia')) return 'llbot';
  if (name.includes('lagrange')) return 'lagrange';
  if (name.includes('go-cqhttp') || name.includes('gocq')) return 'gocq';
  return 'generic';
}
