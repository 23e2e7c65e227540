/**
 * Values that may or may not be promises. The backend's hot reads answer synchronously when they
 * can (the sandbox always does), so that a cached read costs no promise and no microtask from the
 * backend to the socket; code in between maps such values without forcing them into a promise.
 */
import type { Awaitable } from '../backend/port.js';

/** `fn(value)` now for a plain value, `value.then(fn)` for a promise. */
export function mapAwaitable<T, U>(value: Awaitable<T>, fn: (value: T) => U): Awaitable<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
