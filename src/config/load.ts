/**
 * `loadConfig`: defaults < config file(s) < `CQHTTP_<KEY>` environment variables < overrides.
 * Within files: `[general]`/`"general"` < `[<self_id>]`/`"<self_id>"`, and a general file < its
 * per-account file (docs/protocol.md §9.1).
 */
import path from 'node:path';
import * as v from 'valibot';
import type { Entry } from './entries.js';
import { entriesFromEnv, entriesFromOverrides, lastEntry } from './entries.js';
import { ConfigError } from './errors.js';
import type { ConfigFile } from './files.js';
import { readConfigFile } from './files.js';
import { configSchema, crossKeyProblems, DEFAULT_SELF_ID } from './schema.js';
import type { Config } from './schema.js';
import { searchConfigFiles } from './search.js';
import type { SearchResult } from './search.js';
import { validateEntries } from './validate.js';

/** Where to read the configuration from. */
export interface LoadOptions {
  /** An explicit file (`.json`, `.ini` or `.cfg`); it must exist. Disables the search. */
  readonly file?: string;
  /** Directory searched when no `file` is given; default `process.cwd()`. */
  readonly searchDir?: string;
  /** Environment holding `CQHTTP_<KEY>` variables; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Highest-precedence values (command-line flags); `undefined` values are skipped. */
  readonly overrides?: Record<string, unknown>;
}

/** A loaded configuration. */
export interface LoadResult {
  /** The validated, deep-frozen configuration. */
  readonly config: Readonly<Config>;
  /** Non-fatal remarks: unknown keys, ignored values replaced by their defaults, ignored file parts. */
  readonly warnings: string[];
  /** What contributed, lowest precedence first: file paths, then `environment`, then `overrides`. */
  readonly source: string[];
}

/** Freezes an object and everything reachable from it. */
function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A valid `self_id` among `entries`, if one is set. */
function selfIdOf(entries: readonly Entry[]): number | undefined {
  const entry = lastEntry(entries, 'self_id');
  if (entry === undefined) return undefined;
  const parsed = v.safeParse(configSchema.entries.self_id, entry.value);
  return parsed.success ? parsed.output : undefined;
}

/** The explicit file of `options.file`, with its account chosen like the search does. */
function explicitFile(file: string, resolveQq: (general: ConfigFile | undefined) => string): SearchResult {
  const result = readConfigFile(path.resolve(file));
  if ('problem' in result) return { files: [], qq: resolveQq(undefined), problems: [result.problem] };
  return { files: [result.file], qq: resolveQq(result.file), problems: [] };
}

/**
 * Loads, merges and validates the configuration.
 * @throws {ConfigError} listing every problem (bad values, unreadable or malformed files) and every warning.
 */
export function loadConfig(options: LoadOptions = {}): LoadResult {
  const envEntries = entriesFromEnv(options.env ?? process.env);
  const overrideEntries = entriesFromOverrides(options.overrides ?? {});
  const fixedSelfId = selfIdOf(overrideEntries) ?? selfIdOf(envEntries);
  const resolveQq = (general: ConfigFile | undefined): string =>
    String(fixedSelfId ?? (general && selfIdOf(general.general)) ?? DEFAULT_SELF_ID);

  const found = options.file !== undefined
    ? explicitFile(options.file, resolveQq)
    : searchConfigFiles(path.resolve(options.searchDir ?? process.cwd()), resolveQq);

  const merged = new Map<string, Entry>();
  const layers = [
    ...found.files.flatMap((file) => [...file.general, ...(file.accounts.get(found.qq) ?? [])]),
    ...envEntries,
    ...overrideEntries,
  ];
  for (const entry of layers) merged.set(entry.key, entry);

  const { values, warnings, problems } = validateEntries(merged);
  const allProblems = [...found.problems, ...problems];
  allProblems.push(...crossKeyProblems(v.parse(configSchema, values))); // `values` holds only the valid keys
  const allWarnings = [...found.files.flatMap((file) => file.warnings), ...warnings];
  if (allProblems.length > 0) throw new ConfigError(allProblems, allWarnings);

  const source = found.files.map((file) => file.path);
  if (envEntries.length > 0) source.push('environment');
  if (overrideEntries.length > 0) source.push('overrides');
  return {
    config: deepFreeze(v.parse(configSchema, values)),
    warnings: allWarnings,
    source,
  };
}

/** The built-in defaults, deep-frozen (no file, environment or overrides). */
export function defaultConfig(): Readonly<Config> {
  return deepFreeze(v.parse(configSchema, {}));
}
