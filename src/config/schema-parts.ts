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

