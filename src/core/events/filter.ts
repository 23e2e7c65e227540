/**
 * The event filter (CQHTTP 4.15 §10): a JSON rule compiled once into a tree of closures.
 *
 * Grammar (§10.3): the rule is an *AndObject* — every entry must pass (empty → pass). An entry is
 * an operator (`.not`, `.and`, `.or`, `.eq`, `.neq`, `.in`, `.contains`, `.regex`) applied to the
 * current subject, or a field `key: value` that switches the subject to `subject[key]` and
 * evaluates `value` there: an object as an AndObject, anything else as an implicit `.eq`. The key
 * `""` is ignored. A field whose subject is not an object or lacks the key fails; so does an
 * operator meeting a subject of the wrong type at run time.
 *
 * Evaluation allocates nothing: every argument is checked, copied and pre-processed (regexes
 * compiled, `.in` arrays of scalars turned into sets) at compile time.
 */
import { compareCodePoints } from '../../message/index.js';
import type { EventFilter, OneBotEvent } from './channel.js';
import { isJsonObject } from '../../protocol/json.js';

/** A rule that is not valid §10.3 grammar. `path` locates the offending object inside the rule. */
export class FilterSyntaxError extends Error {
  /** Where in the rule, e.g. `.or[1].group_id`; `""` for the top level. */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${path === '' ? 'top level' : path}: ${detail}`);
    this.name = 'FilterSyntaxError';
    this.path = path;
  }
}

/** A compiled entry or AndObject, applied to the current subject. */
type Predicate = (subject: unknown) => boolean;

type JsonObject = Record<string, unknown>;

const hasOwn = Object.hasOwn;

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const PASS: Predicate = () => true;
const FAIL: Predicate = () => false;

/** JSON type names for messages. */
function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The path of field `key` below `path`: `.group_id`, or `["odd key"]`. */
const fieldPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** A deep copy of a JSON value, or a syntax error if it is not one (undefined, NaN, a function…). */
function jsonCopy(value: unknown, path: string): unknown {
  if (isScalar(value)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new FilterSyntaxError(path, `${value} is not a JSON value`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => jsonCopy(item, `${path}[${i}]`));
  if (isJsonObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: jsonCopy(item, fieldPath(path, key)), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  throw new FilterSyntaxError(path, `${typeof value} is not a JSON value`);
}

/**
 * Deep JSON equality (§10.3): numbers compare numerically (`1` equals `1.0`), `"1"` differs from
 * `1`, objects compare by key set regardless of order. A member holding `undefined` counts as
 * absent, as it would once serialised.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as JsonObject;
  const y = b as JsonObject;
  let count = 0;
  for (const key in x) {
    if (!hasOwn(x, key) || x[key] === undefined) continue;
    if (!hasOwn(y, key) || !jsonEqual(x[key], y[key])) return false;
    count++;
  }
  for (const key in y) if (hasOwn(y, key) && y[key] !== undefined) count--;
  return count === 0;
}

/** `subject == value`, specialised for scalars. */
function compileEq(value: unknown): Predicate {
  if (isScalar(value)) return (subject) => subject === value;
  return (subject) => jsonEqual(subject, value);
}

/** `.in`: substring of a string argument, or deep membership in an array argument. */
function compileIn(arg: unknown, path: string): Predicate {
  if (typeof arg === 'string') return (subject) => typeof subject === 'string' && arg.includes(subject);
  if (!Array.isArray(arg)) throw new FilterSyntaxError(path, `.in needs a string or an array, not ${typeName(arg)}`);
  const items = jsonCopy(arg, `${path}.in`) as unknown[];
  const scalars = new Set<unknown>(items.filter(isScalar));
  const compounds = items.filter((item) => !isScalar(item));
  return (subject) => {
    if (isScalar(subject)) return scalars.has(subject);
    for (let i = 0; i < compounds.length; i++) if (jsonEqual(subject, compounds[i])) return true;
    return false;
  };
}

/** `.or`: an array of AndObjects, any of which passes; an empty array fails. */
function compileOr(arg: unknown, path: string): Predicate {
  if (!Array.isArray(arg)) throw new FilterSyntaxError(path, `.or needs an array of objects, not ${typeName(arg)}`);
  const branches = arg.map((item: unknown, i) => {
    const at = `${path}.or[${i}]`;
    if (!isJsonObject(item)) throw new FilterSyntaxError(at, `each element of .or must be an object, not ${typeName(item)}`);
    return compileAnd(item, at);
  });
  if (branches.length === 0) return FAIL;
  if (branches.length === 1) return branches[0];
  return (subject) => {
    for (let i = 0; i < branches.length; i++) if (branches[i](subject)) return true;
    return false;
  };
}

/** A string-only operator's argument. */
function stringArg(op: string, arg: unknown, path: string): string {
  if (typeof arg !== 'string') throw new FilterSyntaxError(path, `${op} needs a string, not ${typeName(arg)}`);
  return arg;
}

/** An AndObject-only operator's argument. */
function objectArg(op: string, arg: unknown, path: string): JsonObject {
  if (!isJsonObject(arg)) throw new FilterSyntaxError(path, `${op} needs an object, not ${typeName(arg)}`);
  return arg;
}

/** One operator entry (`op` starts with `.`) of the AndObject at `path`. */
function compileOperator(op: string, arg: unknown, path: string): Predicate {
  switch (op) {
    case '.not': {
      const inner = compileAnd(objectArg(op, arg, path), `${path}.not`);
      return (subject) => !inner(subject);
    }
    case '.and':
      return compileAnd(objectArg(op, arg, path), `${path}.and`);
    case '.or':
      return compileOr(arg, path);
    case '.eq':
      return compileEq(jsonCopy(arg, `${path}.eq`));
    case '.neq': {
      const eq = compileEq(jsonCopy(arg, `${path}.neq`));
      return (subject) => !eq(subject);
    }
    case '.in':
      return compileIn(arg, path);
    case '.contains': {
      const needle = stringArg(op, arg, path);
      return (subject) => typeof subject === 'string' && subject.includes(needle);
    }
    case '.regex': {
      let regex: RegExp;
      try {
        regex = new RegExp(stringArg(op, arg, path));
      } catch (error) {
        if (error instanceof FilterSyntaxError) throw error;
        throw new FilterSyntaxError(path, `.regex ${JSON.stringify(arg)} is not a valid regular expression (${(error as Error).message})`);
      }
      return (subject) => typeof subject === 'string' && regex.test(subject);
    }
    default:
      throw new FilterSyntaxError(path, `unknown operator ${JSON.stringify(op)}`);
  }
}

/** A field entry: switch the subject to `subject[key]` and evaluate `value` there. */
function compileField(key: string, value: unknown, path: string): Predicate {
  const at = fieldPath(path, key);
  const inner = isJsonObject(value) ? compileAnd(value, at) : compileEq(jsonCopy(value, at));
  return (subject) => {
    if (!isJsonObject(subject) || !hasOwn(subject, key)) return false;
    const child = subject[key];
    return child !== undefined && inner(child);
  };
}

/** An AndObject: every entry passes, evaluated in key order with short-circuit. */
function compileAnd(rule: JsonObject, path: string): Predicate {
  const entries: Predicate[] = [];
  for (const key of Object.keys(rule).sort(compareCodePoints)) {
    if (key === '') continue;
    const value = rule[key];
    entries.push(key.startsWith('.') ? compileOperator(key, value, path) : compileField(key, value, path));
  }
  if (entries.length === 0) return PASS;
  if (entries.length === 1) return entries[0];
  return (subject) => {
    for (let i = 0; i < entries.length; i++) if (!entries[i](subject)) return false;
    return true;
  };
}

/**
 * Compiles a filter rule (the parsed JSON of the filter file, §10.3) into an {@link EventFilter}.
 * The rule is copied: later changes to it do not affect the filter.
 * @throws {FilterSyntaxError} the top level is not an object, an operator is unknown, an
 * argument has the wrong type, a value is not JSON, or a `.regex` does not compile.
 */
export function compileFilter(rule: unknown): EventFilter {
  if (!isJsonObject(rule)) throw new FilterSyntaxError('', `the rule must be a JSON object, not ${typeName(rule)}`);
  const root = compileAnd(rule, '');
  return (event: OneBotEvent) => root(event);
}
