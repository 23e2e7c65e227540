/**
 * Every request the console makes goes through here: the control API under /api/, with the token
 * (kept in sessionStorage, asked for once when the API answers 401/403) in the Authorization header.
 */
import { signal } from '@preact/signals';

const TOKEN_KEY = 'cqhttpd.sandbox_token';

/** The token, or "" when none was given. */
export const token = signal<string>(sessionStorage.getItem(TOKEN_KEY) ?? '');
/** Set when the API refused the token: the UI shows the token prompt. */
export const needToken = signal<false | 'missing' | 'wrong'>(false);

export function setToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
  token.value = value;
  needToken.value = false;
}

/** A failed control-API call: the HTTP status and the `{error, message, retcode?}` body. */
export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retcode: number | undefined, readonly wording: string | undefined) {
    super(message);
  }
}

export function authHeaders(): Record<string, string> {
  return token.value === '' ? {} : { authorization: `Bearer ${token.value}` };
}

/** Call the control API; resolves with the JSON answer, rejects with an {@link ApiFailure}. */
export async function api<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  const text = await res.text();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (res.ok) return parsed as T;
  const failure = (parsed ?? {}) as { error?: string; message?: string; retcode?: number; wording?: string };
  if (res.status === 401 || res.status === 403) {
    if (failure.error === 'UNAUTHORIZED' || failure.error === 'FORBIDDEN') needToken.value = failure.error === 'UNAUTHORIZED' ? 'missing' : 'wrong';
  }
  throw new ApiFailure(res.status, failure.error ?? `HTTP_${res.status}`, failure.message ?? res.statusText, failure.retcode, failure.wording);
}
