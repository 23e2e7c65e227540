/**
 * The JSON of the wire (CQHTTP 4.15 §2.1, decision P5): what we emit is compact with object keys
 * in code-point order at every level, so that `JSON.stringify(JSON.parse(out)) === out` whenever
 * the keys were sorted; what we read keeps the number lexemes of segment `data` values (§5).
 */
import { LosslessNumber, parse as parseLossless } from 'lossless-json';
import type { DuplicateKeyInfo } from 'lossless-json';
import { compareCodePoints, isLosslessNumber, sortedKeys } from '../message/index.js';
import { endsWithPlainEcho, hasNonFiniteNumber, isPlainInteger, MAX_JSON_DEPTH, scanJson, trailingEchoNumber, type JsonScan } from './json-scan.js';

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
  if (Object.getPrototypeOf(o) !== Object.prototype || o.toJSON !== undefined) {
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
 * Collects into `out` every object/array below (and including) `v` whose `JSON.stringify` is not
 * the wire text (see {@link isCanonical}); returns whether `v` is canonical. Unlike
 * {@link isCanonical} it visits every node once and never stops early, so that the slow path
 * below costs one walk in all, not one walk per level (a non-canonical leaf 1000 levels down
 * under wide canonical siblings made `isCanonical` at every ancestor re-walk them: seconds of CPU).
 * Objects with `toJSON` and lossless numbers are not descended into: `write` replaces them.
 */
function collectNonCanonical(v: object, out: Set<object>): boolean {
  let ok = true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item === 'object' ? item !== null && !collectNonCanonical(item, out) : typeof item === 'bigint') ok = false;
    }
  } else {
    const o = v as Record<string, unknown>;
    if (typeof o.toJSON === 'function' || isLosslessNumber(o)) {
      out.add(v);
      return false;
    }
    if (Object.getPrototypeOf(o) !== Object.prototype || o.toJSON !== undefined) ok = false;
    let prev: string | undefined;
    for (const key of Object.keys(o)) {
      if (prev !== undefined && compareCodePoints(prev, key) > 0) ok = false;
      prev = key;
      const item = o[key];
      if (typeof item === 'object' ? item !== null && !collectNonCanonical(item, out) : typeof item === 'bigint') ok = false;
    }
  }
  if (!ok) out.add(v);
  return ok;
}

/**
 * The slow path: a serialiser with `JSON.stringify`'s semantics (`toJSON`, `undefined`/function/
 * symbol members omitted and `null` in arrays, non-finite numbers `null`) plus sorted keys,
 * bigints as integers and lossless numbers as their lexeme. `undefined` when the value has no JSON.
 * `slow`: the non-canonical objects of the tree (everything else goes to `JSON.stringify`), or
 * undefined for a value a `toJSON` just made, which is collected afresh.
 */
function write(v: unknown, key: string, slow: Set<object> | undefined): string | undefined {
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
    slow = undefined;
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
      if (isLosslessNumber(v)) return v.value;
      if (slow === undefined) {
        slow = new Set();
        if (collectNonCanonical(v, slow)) return JSON.stringify(v);
      }
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          out += writeChild(v[i], String(i), slow) ?? 'null';
        }
        return out + ']';
      }
      const o = v as Record<string, unknown>;
      const keys = sortedKeys(o);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const text = writeChild(o[keys[i]], keys[i], slow);
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

/** A member's JSON text on the slow path: `JSON.stringify` unless `slow` holds it. */
function writeChild(v: unknown, key: string, slow: Set<object>): string | undefined {
  return typeof v === 'object' && v !== null && !slow.has(v) ? JSON.stringify(v) : write(v, key, slow);
}

/** A value's JSON text: `JSON.stringify` for a canonical tree, {@link write} otherwise. */
function writeValue(v: unknown, key: string): string | undefined {
  return typeof v === 'object' && v !== null && isCanonical(v) ? JSON.stringify(v) : write(v, key, undefined);
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
 * Parses action parameters (an HTTP body, the sandbox control API's body). `null` when the text is
 * refused by the depth/overflow guard (json-scan.ts), is not JSON, or is not an object (→ HTTP 400).
 * Uses `JSON.parse`; only when `message` (or `.handle_quick_operation`'s `operation.reply`) holds
 * a segment with a non-string `data` value is the text parsed again with lossless-json and that
 * value replaced by its lossless version, so its numbers keep their lexemes for nlohmann-style
 * stringification.
 */
export function parseJsonParams(text: string): Record<string, unknown> | null {
  return parseJsonObject(text, false, PARAMS_MESSAGES);
}

/**
 * Parses a WebSocket API frame `{action, params, echo}` like {@link parseJsonParams}, keeping the
 * number lexemes of `params.message` (the same §5 rule, one level down) and of `echo`: a number
 * echo becomes the `LosslessNumber` of its source text, an object or array echo its lossless
 * parse, so the answer carries the numbers exactly as sent. `null` → 1400.
 */
export function parseJsonFrame(text: string): Record<string, unknown> | null {
  const short = text.length <= MAX_JSON_DEPTH;
  let scan: JsonScan | null | undefined;
  if (!short) {
    scan = scanJson(text, true);
    if (scan === null) return null;
  }
  const root = parseJsonObject(text, true, PARAMS_MESSAGES, true);
  if (root === null) return null;
  const echo = root.echo;
  if (typeof echo === 'number') {
    // The usual frame ends with a plain integer echo: exact as parsed, no pass over the text.
    if (short && endsWithPlainEcho(text)) return root;
    const trailing = short ? trailingEchoNumber(text) : null;
    if (trailing !== null) {
      if (!isPlainInteger(text, trailing.echoStart, trailing.echoEnd)) root.echo = new LosslessNumber(text.slice(trailing.echoStart, trailing.echoEnd));
      return root;
    }
  } else if (typeof echo !== 'object' || echo === null) {
    return root;
  }
  scan ??= scanJson(text, true);
  if (scan === null || scan.echoStart < 0) return root;
  try {
    if (typeof echo === 'number') {
      root.echo = new LosslessNumber(text.slice(scan.echoStart, scan.echoEnd));
    } else {
      root.echo = parseLossless(text.slice(scan.echoStart, scan.echoEnd), null, LOSSLESS_OPTIONS);
    }
  } catch {
    // Cannot happen for a frame JSON.parse accepted; the plain echo is answered if it does.
  }
  return root;
}

/**
 * Parses a quick operation (an event POST's response, §3.3) like {@link parseJsonParams}: its
 * `reply` is a message, whose number lexemes are kept the same way. `null` when not an object.
 */
export function parseQuickOperation(text: string): Record<string, unknown> | null {
  return parseJsonObject(text, false, QUICK_OPERATION_MESSAGES);
}

/** Where messages sit in action parameters: `message`, and `operation.reply` of `.handle_quick_operation`. */
const PARAMS_MESSAGES: readonly (readonly string[])[] = [['message'], ['operation', 'reply']];
/** Where the message sits in a quick operation. */
const QUICK_OPERATION_MESSAGES: readonly (readonly string[])[] = [['reply']];

/** The value at `path` below `holder`, or undefined. */
function valueAt(holder: Record<string, unknown>, path: readonly string[]): unknown {
  let v: unknown = holder;
  for (const key of path) {
    if (!isJsonObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** Set the value at `path` below `holder` (whose parents {@link valueAt} found to be objects). */
function setValueAt(holder: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = holder;
  for (let i = 0; i < path.length - 1; i++) o = o[path[i]] as Record<string, unknown>;
  o[path[path.length - 1]] = value;
}

/**
 * The JSON object of `text` (null if refused, not JSON or not an object), the messages at
 * `[params.]<path>` kept lossless. `scanned`: the caller already ran the guard.
 */
function parseJsonObject(text: string, inParams: boolean, paths: readonly (readonly string[])[], scanned = false): Record<string, unknown> | null {
  // A short text cannot nest too deeply, and an overflowing number shows once parsed (below).
  const short = text.length <= MAX_JSON_DEPTH;
  if (!scanned && !short && scanJson(text, false) === null) return null;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(root) || (short && hasNonFiniteNumber(root))) return null;
  const holder = inParams ? root.params : root;
  if (!isJsonObject(holder)) return root;
  let lossless: Record<string, unknown> | undefined;
  for (const path of paths) {
    const message = valueAt(holder, path);
    if (typeof message !== 'object' || message === null || !hasNonStringData(message)) continue;
    try {
      lossless ??= parseLossless(text, null, LOSSLESS_OPTIONS) as Record<string, unknown>;
    } catch {
      return root; // Cannot happen for text JSON.parse accepted; keep the plain numbers if it does.
    }
    const losslessHolder = inParams ? lossless.params : lossless;
    setValueAt(holder, path, isJsonObject(losslessHolder) ? valueAt(losslessHolder, path) : undefined);
  }
  return root;
}
