/**
 * The JSON of the wire (CQHTTP 4.15 §2.1, decision P5): what we emit is compact with object keys
 * in code-point order at every level, so that `JSON.stringify(JSON.parse(out)) === out` whenever
 * the keys were sorted; what we read keeps the number lexemes of segment `data` values (§5).
 */
import { parse as parseLossless } from 'lossless-json';
import type { DuplicateKeyInfo } from 'lossless-json';
import { compareCodePoints, isLosslessNumberLike, sortedKeys } from '../message/index.js';

/**
 * Whether `JSON.stringify(v)` already is the wire text: every object is a plain object (so no
 * `toJSON`) whose keys are in code-point order, and no bigint or lossless number occurs.
 * `for…in` is used because it does not allocate; on a plain object it yields `Object.keys` order.
 */
function isCanonical(v: object): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item === 'object' ? item !== null && !isCanonical(item) : typeof item === 'bigint') return false;
    }
    return true;
  }
  const o = v as Record<string, unknown>;
  if (Object.getPrototypeOf(o) !== Object.prototype || o.isLosslessNumber === true || o.toJSON !== undefined) {
    return false;
  }
  let prev: string | undefined;
  for (const key in o) {
    if (prev !== undefined && compareCodePoints(prev, key) > 0) return false;
    prev = key;
    const item = o[key];
    if (typeof item === 'object' ? item !== null && !isCanonical(item) : typeof item === 'bigint') return false;
  }
  return true;
}

/**
 * The slow path: a serialiser with `JSON.stringify`'s semantics (`toJSON`, `undefined`/function/
 * symbol members omitted and `null` in arrays, non-finite numbers `null`) plus sorted keys,
 * bigints as integers and lossless numbers as their lexeme. `undefined` when the value has no JSON.
 */
function write(v: unknown, key: string): string | undefined {
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          out += writeValue(v[i], String(i)) ?? 'null';
        }
        return out + ']';
      }
      if (isLosslessNumberLike(v)) return v.value;
      const o = v as Record<string, unknown>;
      const keys = sortedKeys(o);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const text = writeValue(o[keys[i]], keys[i]);
        if (text === undefined) continue;
        if (out.length > 1) out += ',';
        out += JSON.stringify(keys[i]) + ':' + text;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/** A value's JSON text: `JSON.stringify` for a canonical subtree, {@link write} otherwise. */
function writeValue(v: unknown, key: string): string | undefined {
  return typeof v === 'object' && v !== null && isCanonical(v) ? JSON.stringify(v) : write(v, key);
}

/**
 * The wire text of a value: compact JSON, object keys in code-point order at every level,
 * `undefined` members omitted (as `JSON.stringify` does), bigints as integers, lossless numbers
 * as their lexeme. Subtrees whose objects are already in key order go to `JSON.stringify` after
 * one read-only walk, so building objects with sorted keys keeps this nearly as fast as
 * `JSON.stringify`. A value with no JSON text (`undefined`, a function) gives `null`.
 */
export function stringifySorted(value: unknown): string {
  return writeValue(value, '') ?? 'null';
}

/** lossless-json rejects duplicate keys; like `JSON.parse` and nlohmann, the last one wins. */
function lastKeyWins(info: DuplicateKeyInfo): unknown {
  return info.newValue;
}

const LOSSLESS_OPTIONS = { onDuplicateKey: lastKeyWins };

/** Whether a JSON value is an object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `v` is a segment (or array of them) with a `data` value that is not a string. */
function hasNonStringData(v: unknown): boolean {
  if (Array.isArray(v)) {
    for (const item of v) if (hasNonStringData(item)) return true;
    return false;
  }
  if (!isJsonObject(v) || !isJsonObject(v.data)) return false;
  for (const key in v.data) {
    if (typeof v.data[key] !== 'string') return true;
  }
  return false;
}

/**
 * Parses action parameters (an HTTP body or a WS `params`). `null` when the text is not JSON or
 * not an object (→ HTTP 400 / WS 1400). Uses `JSON.parse`; only when `message` holds a segment
 * with a non-string `data` value is the text parsed again with lossless-json and `message`
 * replaced by that version, so its numbers keep their lexemes for nlohmann-style stringification.
 */
export function parseJsonParams(text: string): Record<string, unknown> | null {
  return parseJsonObject(text, false, 'message');
}

/**
 * Parses a WebSocket API frame `{action, params, echo}` like {@link parseJsonParams}, keeping the
 * number lexemes of `params.message` (the same §5 rule, one level down). `null` → 1400.
 */
export function parseJsonFrame(text: string): Record<string, unknown> | null {
  return parseJsonObject(text, true, 'message');
}

/**
 * Parses a quick operation (an event POST's response, §3.3) like {@link parseJsonParams}: its
 * `reply` is a message, whose number lexemes are kept the same way. `null` when not an object.
 */
export function parseQuickOperation(text: string): Record<string, unknown> | null {
  return parseJsonObject(text, false, 'reply');
}

/** The JSON object of `text` (null if none), its message at `[params.]<messageKey>` kept lossless. */
function parseJsonObject(text: string, inParams: boolean, messageKey: string): Record<string, unknown> | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(root)) return null;
  const holder = inParams ? root.params : root;
  if (!isJsonObject(holder)) return root;
  const message = holder[messageKey];
  if (typeof message === 'object' && message !== null && hasNonStringData(message)) {
    try {
      const lossless = parseLossless(text, null, LOSSLESS_OPTIONS) as Record<string, unknown>;
      const losslessHolder = inParams ? lossless.params : lossless;
      holder[messageKey] = isJsonObject(losslessHolder) ? losslessHolder[messageKey] : undefined;
    } catch {
      // Cannot happen for text JSON.parse accepted; keep the plain numbers if it does.
    }
  }
  return root;
}
