/** Valibot building blocks shared by the configuration schema (`schema.ts`) and `connections.ts`. */
import * as v from 'valibot';

/** `inner`, applied to the value as `coerce` returns it (INI and environment values are strings). */
export const coerced = <S extends v.GenericSchema>(coerce: (value: unknown) => unknown, inner: S) =>
  v.pipe(v.unknown(), v.transform(coerce), inner);

/**
 * An integer ≥ `min` (and ≤ `max` when given); every failure says `error`. A number beyond the safe
 * integer range fails that check and also the bound it passes, so it is reported twice.
 */
export function integerIn(error: string, min: number, max?: number) {
  const int = v.pipe(v.custom<number>(Number.isInteger, error), v.check((n: number) => Number.isSafeInteger(n), error), v.minValue(min, error));
  return max === undefined ? int : v.pipe(int, v.maxValue(max, error));
}

/**
 * A value's type as messages name it: `string`, `null`, `array`, `NaN`, `Infinity`, a class name…
 * (the world file's schema, in the backend, words its messages the same way).
 */
export function typeName(input: unknown): string {
  if (typeof input === 'number') return Number.isFinite(input) ? 'number' : String(input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'object' && Object.getPrototypeOf(input) !== Object.prototype && typeof input.constructor === 'function') return input.constructor.name;
  return typeof input;
}
