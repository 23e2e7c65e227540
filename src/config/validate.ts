/**
 * Validates the merged entries key by key against {@link configSchema}, so that every message
 * can name the key, the value and its origin. Lenient fields (`lenient()` in the schema) turn an
 * invalid value into a warning and their fallback; any other invalid value is a problem.
 */
import { closest, distance } from 'fastest-levenshtein';
import * as v from 'valibot';
import type { Entry } from './entries.js';
import { configSchema, CONFIG_KEYS, isIgnoredKey, KEY_HINTS, strictSchemaOf } from './schema.js';

/** The validated values (only keys that were set), with warnings and problems. */
export interface Validation {
  readonly values: Record<string, unknown>;
  readonly warnings: string[];
  readonly problems: string[];
}

/** Keys whose values are never echoed in messages (`connections` may hold tokens in a JSON string). */
const SECRET_KEYS = new Set(['access_token', 'secret', 'sandbox_token', 'upstream_access_token', 'connections']);

function show(key: string, value: unknown): string {
  if (SECRET_KEYS.has(key)) return `<hidden ${value === null ? 'null' : typeof value}>`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type Issues = [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]];

/** The keys of an issue's path: `[1, "url"]` for `connections[1].url`; empty at the value itself. */
const keysOf = (issue: v.BaseIssue<unknown>): readonly unknown[] => issue.path?.map((item) => item.key) ?? [];

/** `connections[1].url` for key `connections` and issue path `[1, "url"]`. */
function pathOf(key: string, path: readonly unknown[]): string {
  return key + path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

/** The value at `path` inside `root` (a JSON string is parsed first, as the schema does), if any. */
function valueAt(root: unknown, path: readonly unknown[]): unknown {
  let value = root;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  for (const part of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part as PropertyKey)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as PropertyKey];
  }
  return value;
}

/**
 * One problem per issue: `key = value (from origin): message`, or for an issue inside a
 * structured value (`connections`) `key[i].field = value (from origin): message`, the value being
 * the offending scalar (hidden under a secret name; omitted when missing, an object or an array).
 */
function problemsOf(key: string, value: unknown, origin: string, issues: Issues): string[] {
  return issues.map((issue) => {
    const path = keysOf(issue);
    if (path.length === 0) return `${key} = ${show(key, value)} (from ${origin}): ${issue.message}`;
    const inner = valueAt(value, path);
    const last = path[path.length - 1];
    const scalar = inner !== undefined && (typeof inner !== 'object' || inner === null);
    const shown = scalar ? ` = ${show(typeof last === 'string' ? last : '', inner)}` : '';
    return `${pathOf(key, path)}${shown} (from ${origin}): ${issue.message}`;
  });
}

/**
 * The known key an unknown one is probably a typo of (`ws_prot` → `ws_port`, `Port` → `port`):
 * the closest by edit distance, if it is at most 2 edits away (1 for keys of 3 characters or fewer).
 */
export function suggestKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const best = closest(lower, CONFIG_KEYS);
  return distance(lower, best) <= (lower.length > 3 ? 2 : 1) ? best : undefined;
}

/** The warning for an unknown key: its hint, else a "did you mean" when one is close. */
function unknownKeyWarning(key: string, origin: string): string {
  const hint = KEY_HINTS[key];
  const suggestion = hint === undefined ? suggestKey(key) : undefined;
  const why = hint ?? (suggestion === undefined ? undefined : `did you mean "${suggestion}"?`);
  return `unknown key "${key}" (from ${origin}) is ignored${why === undefined ? '' : `: ${why}`}`;
}

/** Validates the final value of each key; unknown keys produce warnings. */
export function validateEntries(entries: ReadonlyMap<string, Entry>): Validation {
  const fields: Record<string, v.GenericSchema> = configSchema.entries;
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const [key, { value, origin, note }] of entries) {
    const field = fields[key];
    if (field === undefined) {
      if (isIgnoredKey(key)) continue;
      warnings.push(unknownKeyWarning(key, origin));
      continue;
    }
    const result = v.safeParse(field, value);
    if (!result.success) {
      const found = problemsOf(key, value, origin, result.issues);
      problems.push(...(note === undefined ? found : found.map((problem) => `${problem} (${note})`)));
      continue;
    }
    if (note !== undefined) warnings.push(`${key} = ${show(key, value)} (from ${origin}): ${note}`);
    const strict = strictSchemaOf(field);
    const strictResult = strict === undefined ? undefined : v.safeParse(strict, value);
    if (strictResult !== undefined && !strictResult.success) {
      warnings.push(`${key} = ${show(key, value)} (from ${origin}): ${strictResult.issues[0].message}; ignored, using ${show(key, result.output)}`);
    }
    values[key] = result.output;
  }
  return { values, warnings, problems };
}
