/**
 * Typed reads of the control API's inputs (a JSON body, the query string, path segments). Ids may be
 * numbers or decimal strings (query strings and path segments are text); anything else is a
 * BAD_PARAMS error naming the field, which the server answers with 400.
 */
import { ApiError } from '../../protocol/errors.js';

const INTEGER = /^-?\d+$/;

function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && INTEGER.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** A positive integer id from a path segment. */
export function pathId(segment: string | undefined, name: string): number {
  const n = integer(segment);
  if (n === undefined || n <= 0) throw new ApiError('BAD_PARAMS', `${name} in the path must be a positive integer, got ${JSON.stringify(segment ?? '')}`);
  return n;
}

/** Named values (a JSON object or the query string) with typed getters. */
export class Fields {
  readonly #values: Record<string, unknown>;

  constructor(values: Record<string, unknown>) {
    this.#values = values;
  }

  /** Whether the field is present (and not null). */
  has(name: string): boolean {
    return this.#values[name] !== undefined && this.#values[name] !== null;
  }

  /** Every field, as given. */
  all(): Readonly<Record<string, unknown>> {
    return this.#values;
  }

  /** The raw value. */
  raw(name: string): unknown {
    return this.#values[name];
  }

  #missing(name: string, what: string): never {
    throw new ApiError('BAD_PARAMS', `${name} is required (${what})`);
  }

  /** A required positive integer (a QQ number, a group number, a message id). */
  id(name: string): number {
    if (!this.has(name)) this.#missing(name, 'a positive integer');
    const n = integer(this.#values[name]);
    if (n === undefined || n <= 0) throw new ApiError('BAD_PARAMS', `${name} must be a positive integer, got ${JSON.stringify(this.#values[name])}`);
    return n;
  }

  /** An optional positive integer. */
  optId(name: string): number | undefined {
    return this.has(name) ? this.id(name) : undefined;
  }

  /** An integer (negative allowed: the sandbox's rules judge the range), `fallback` when absent. */
  int(name: string, fallback?: number): number {
    if (!this.has(name)) return fallback ?? this.#missing(name, 'an integer');
    const n = integer(this.#values[name]);
    if (n === undefined) throw new ApiError('BAD_PARAMS', `${name} must be an integer, got ${JSON.stringify(this.#values[name])}`);
    return n;
  }

  /** A string, `fallback` when absent. */
  str(name: string, fallback?: string): string {
    if (!this.has(name)) return fallback ?? this.#missing(name, 'a string');
    const v = this.#values[name];
    if (typeof v !== 'string') throw new ApiError('BAD_PARAMS', `${name} must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** An optional string. */
  optStr(name: string): string | undefined {
    return this.has(name) ? this.str(name) : undefined;
  }

  /** A boolean (`true`/`false`, or `"true"`/`"false"`/`1`/`0` from a query), `fallback` when absent. */
  bool(name: string, fallback: boolean): boolean {
    if (!this.has(name)) return fallback;
    const v = this.#values[name];
    if (v === true || v === 'true' || v === 1 || v === '1') return true;
    if (v === false || v === 'false' || v === 0 || v === '0') return false;
    throw new ApiError('BAD_PARAMS', `${name} must be true or false, got ${JSON.stringify(v)}`);
  }

  /** One of `values`, `fallback` when absent. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback?: T): T {
    const v = this.str(name, fallback);
    if (!(values as readonly string[]).includes(v)) throw new ApiError('BAD_PARAMS', `${name} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
}
