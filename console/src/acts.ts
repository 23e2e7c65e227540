/**
 * Every gesture of the console is one control-API call made through {@link act}: on success the
 * world is reloaded; on a refusal the rule, retcode and wording are shown (see refusal.tsx).
 */
import { signal } from '@preact/signals';
import { api, ApiFailure } from './api';
import { refreshWorld } from './store';

export interface Refusal { act: string; status: number; code: string; message: string; retcode: number | undefined; wording: string | undefined }

export const refusal = signal<Refusal | null>(null);

export async function act<T = Record<string, unknown>>(label: string, method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | undefined> {
  try {
    const answer = await api<T>(method, path, body);
    refusal.value = null;
    refreshWorld(50);
    return answer;
  } catch (err) {
    if (err instanceof ApiFailure) refusal.value = { act: label, status: err.status, code: err.code, message: err.message, retcode: err.retcode, wording: err.wording };
    else refusal.value = { act: label, status: 0, code: 'NETWORK', message: String(err), retcode: undefined, wording: undefined };
    return undefined;
  }
}
