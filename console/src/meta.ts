/** What the console learns about the server once: the bot API's address (for "copy as curl") and every action's parameters (from /openapi.json). */
import { signal } from '@preact/signals';
import { api } from './api';

export const apiBase = signal('http://127.0.0.1:5700');
/** Parameter names per action; empty until /openapi.json is loaded. */
export const actionParams = signal<ReadonlyMap<string, ReadonlySet<string>>>(new Map());

/** Parameters of a call its action does not take (and so ignored). */
export function ignoredParams(action: string, params: Record<string, unknown>): string[] {
  const known = actionParams.value.get(action);
  if (known === undefined) return [];
  return Object.keys(params).filter((k) => !known.has(k));
}

export async function loadMeta(): Promise<void> {
  const info = await api<{ api_base?: string }>('GET', '/api/info').catch(() => ({ api_base: undefined }));
  if (typeof info.api_base === 'string') apiBase.value = info.api_base;
}
