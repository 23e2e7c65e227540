/**
 * `loadConfig`: defaults < config file(s) < `CQHTTP_<KEY>` environment variables < overrides.
 * Within files: `[general]`/`"general"` < `[<self_id>]`/`"<self_id>"`, and a general file < its
 * per-account file (docs/protocol.md §9.1). With `bots` (several accounts, bots.ts) each account is
 * loaded the same way for its own `self_id`, its item's keys just above its files.
 */
import path from 'node:path';
import * as v from 'valibot';
import { crossBotProblems, parseBots, type BotItem } from './bots.js';
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
  /** The validated, deep-frozen configuration (of the first bot, when there are several). */
  readonly config: Readonly<Config>;
  /**
   * Every bot account the process runs, each its complete configuration (`self_id` set when `bots`
   * lists several); `[config]` without `bots`. The first is `config`.
   */
  readonly bots: readonly Readonly<Config>[];
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

/** One account's merged entries validated (`bots` is read before, never validated as a key). */
function validateLayers(layers: readonly Entry[]): { values: Record<string, unknown>; warnings: string[]; problems: string[] } {
  const merged = new Map<string, Entry>();
  for (const entry of layers) if (entry.key !== 'bots') merged.set(entry.key, entry);
  const { values, warnings, problems } = validateEntries(merged);
  problems.push(...crossKeyProblems(v.parse(configSchema, values))); // `values` holds only the valid keys
  return { values, warnings, problems };
}

/** The `bots` accounts, unless `self_id` is fixed by the command line or environment (then that one account runs). */
function botItems(entry: Entry | undefined, fixedSelfId: number | undefined, warnings: string[]): { items: BotItem[]; problems: string[] } {
  if (entry === undefined) return { items: [], problems: [] };
  if (fixedSelfId !== undefined) {
    warnings.push(`bots (from ${entry.origin}) is ignored: self_id ${fixedSelfId} is set on the command line or in the environment, which runs that one account`);
    return { items: [], problems: [] };
  }
  return parseBots(entry);
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

  const searchDir = path.resolve(options.searchDir ?? process.cwd());
  const found = options.file !== undefined ? explicitFile(options.file, resolveQq) : searchConfigFiles(searchDir, resolveQq);
  // Each account of `bots` reads its own `config/<QQ>.*` file when the search found split files.
  const sources = new Set(found.files.map((file) => file.path));
  const filesOf = (qq: string): readonly ConfigFile[] => {
    if (options.file !== undefined || qq === found.qq) return found.files;
    const files = searchConfigFiles(searchDir, () => qq).files;
    for (const file of files) sources.add(file.path);
    return files;
  };
  const fileLayers = (qq: string) => filesOf(qq).flatMap((file) => [...file.general, ...(file.accounts.get(qq) ?? [])]);

  const allWarnings = [...found.files.flatMap((file) => file.warnings)];
  const bots = botItems(lastEntry([...found.files.flatMap((file) => file.general), ...envEntries, ...overrideEntries], 'bots'), fixedSelfId, allWarnings);
  const accounts = bots.items.length > 0
    ? bots.items.map((item, index) => [...fileLayers(String(item.selfId)), ...item.entries, ...envEntries, ...overrideEntries, { key: 'self_id', value: item.selfId, origin: `bots[${index}]` }])
    : [[...fileLayers(found.qq), ...envEntries, ...overrideEntries]];
  // Keys of [general] are validated once per account: each message is kept once.
  const problems = new Set([...found.problems, ...bots.problems]);
  const warnings = new Set(allWarnings);
  const values = accounts.map((layers) => {
    const one = validateLayers(layers);
    for (const problem of one.problems) problems.add(problem);
    for (const warning of one.warnings) warnings.add(warning);
    return one.values;
  });
  const configs = values.map((one) => v.parse(configSchema, one));
  for (const problem of crossBotProblems(configs)) problems.add(problem);
  if (problems.size > 0) throw new ConfigError([...problems], [...warnings]);

  const source = [...sources];
  if (envEntries.length > 0) source.push('environment');
  if (overrideEntries.length > 0) source.push('overrides');
  const frozen = deepFreeze(configs);
  return { config: frozen[0] as Readonly<Config>, bots: frozen, warnings: [...warnings], source };
}

/** The built-in defaults, deep-frozen (no file, environment or overrides). */
export function defaultConfig(): Readonly<Config> {
  return deepFreeze(v.parse(configSchema, {}));
}
