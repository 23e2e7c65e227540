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

/** Keys whose values are never echoed in messages. */
const SECRET_KEYS = new Set(['access_token', 'secret', 'sandbox_token']);

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
      problems.push(`${key} = ${show(key, value)} (from ${origin}): ${firstMessage(result.error)}`);
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
