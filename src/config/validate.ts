/**
 * Validates the merged entries key by key against {@link configSchema}, so that every message
 * can name the key, the value and its origin. Lenient fields (`.catch()` in the schema) turn an
 * invalid value into a warning and their fallback; any other invalid value is a problem.
 */
import { z } from 'zod';
import type { Entry } from './entries.js';
import { configSchema, isIgnoredKey, KEY_HINTS } from './schema.js';

/** The validated values (only keys that were set), with warnings and problems. */
export interface Validation {
  readonly values: Record<string, unknown>;
  readonly warnings: string[];
  readonly problems: string[];
}

/** Keys whose values are never echoed in messages (`connections` may hold tokens in a JSON string). */
const SECRET_KEYS = new Set(['access_token', 'secret', 'sandbox_token', 'connections']);

function show(key: string, value: unknown): string {
  if (SECRET_KEYS.has(key)) return `<hidden ${value === null ? 'null' : typeof value}>`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The schema without its `.catch()` fallback, for lenient fields. */
function strictOf(field: z.ZodType): z.ZodType | undefined {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodCatch ? (inner.unwrap() as z.ZodType) : undefined;
}

const firstMessage = (error: z.ZodError): string => error.issues[0]?.message ?? 'invalid value';

/** `connections[1].url` for key `connections` and issue path `[1, "url"]`. */
function pathOf(key: string, path: readonly PropertyKey[]): string {
  return key + path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

/** The value at `path` inside `root` (a JSON string is parsed first, as the schema does), if any. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  for (const part of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * One problem per issue: `key = value (from origin): message`, or for an issue inside a
 * structured value (`connections`) `key[i].field = value (from origin): message`, the value being
 * the offending scalar (hidden under a secret name; omitted when missing, an object or an array).
 */
function problemsOf(key: string, value: unknown, origin: string, error: z.ZodError): string[] {
  if (error.issues.length === 0) return [`${key} = ${show(key, value)} (from ${origin}): invalid value`];
  return error.issues.map((issue) => {
    if (issue.path.length === 0) return `${key} = ${show(key, value)} (from ${origin}): ${issue.message}`;
    const inner = valueAt(value, issue.path);
    const last = issue.path[issue.path.length - 1];
    const scalar = inner !== undefined && (typeof inner !== 'object' || inner === null);
    const shown = scalar ? ` = ${show(typeof last === 'string' ? last : '', inner)}` : '';
    return `${pathOf(key, issue.path)}${shown} (from ${origin}): ${issue.message}`;
  });
}

/** Validates the final value of each key; unknown keys produce warnings. */
export function validateEntries(entries: ReadonlyMap<string, Entry>): Validation {
  const shape: Record<string, z.ZodType> = configSchema.shape;
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const [key, { value, origin }] of entries) {
    const field = shape[key];
    if (field === undefined) {
      if (isIgnoredKey(key)) continue;
      const hint = KEY_HINTS[key];
      warnings.push(`unknown key "${key}" (from ${origin}) is ignored${hint === undefined ? '' : `: ${hint}`}`);
      continue;
    }
    const result = field.safeParse(value);
    if (!result.success) {
      problems.push(...problemsOf(key, value, origin, result.error));
      continue;
    }
    const strict = strictOf(field)?.safeParse(value);
    if (strict !== undefined && !strict.success) {
      warnings.push(`${key} = ${show(key, value)} (from ${origin}): ${firstMessage(strict.error)}; ignored, using ${show(key, result.data)}`);
    }
    values[key] = result.data;
  }
  return { values, warnings, problems };
}
