/**
 * The original's configuration file search (docs/protocol.md §9.1); the first step that finds
 * anything wins, INI before JSON, `.cfg` before `.ini`:
 * 1. `config.cfg` | `config.ini`;
 * 2. `config/general.(cfg|ini)` and `config/<QQ>.(cfg|ini)`, the latter overriding;
 * 3. `config.json`;
 * 4. `config/general.json` and `config/<QQ>.json`, the latter overriding;
 * 5. nothing: defaults only (unlike the original, no file is generated).
 * A file with a syntax error is reported (the original logged it and fell through).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readConfigFile } from './files.js';
import type { ConfigFile } from './files.js';

/** The files found, lowest precedence first, and the account (QQ number) they were chosen for. */
export interface SearchResult {
  readonly files: readonly ConfigFile[];
  readonly qq: string;
  readonly problems: readonly string[];
}

/** Given the general file (if any), the QQ number whose sections and file apply. */
export type QqResolver = (general: ConfigFile | undefined) => string;

const isFile = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

const firstExisting = (dir: string, names: readonly string[]): string | undefined =>
  names.map((name) => path.join(dir, name)).find(isFile);

/** Reads the existing paths in order; stops at the first problem. */
function readAll(paths: readonly (string | undefined)[]): { files: ConfigFile[]; problems: string[] } {
  const files: ConfigFile[] = [];
  for (const file of paths) {
    if (file === undefined) continue;
    const result = readConfigFile(file);
    if ('problem' in result) return { files, problems: [result.problem] };
    files.push(result.file);
  }
  return { files, problems: [] };
}

/** A general file plus a per-account file (steps 2 and 4). */
function pair(dir: string, extensions: readonly string[], resolveQq: QqResolver): SearchResult | undefined {
  const generalPath = firstExisting(dir, extensions.map((ext) => `config/general${ext}`));
  const general = readAll([generalPath]);
  if (general.problems.length > 0) return { files: [], qq: resolveQq(undefined), problems: general.problems };
  const qq = resolveQq(general.files[0]);
  const accountPath = firstExisting(dir, extensions.map((ext) => `config/${qq}${ext}`));
  if (generalPath === undefined && accountPath === undefined) return undefined;
  const account = readAll([accountPath]);
  return { files: [...general.files, ...account.files], qq, problems: account.problems };
}

/** A single file with `general` and per-account sections (steps 1 and 3). */
function single(dir: string, names: readonly string[], resolveQq: QqResolver): SearchResult | undefined {
  const found = firstExisting(dir, names);
  if (found === undefined) return undefined;
  const { files, problems } = readAll([found]);
  return { files, qq: resolveQq(files[0]), problems };
}

/** Searches `dir` in the original's order. */
export function searchConfigFiles(dir: string, resolveQq: QqResolver): SearchResult {
  return single(dir, ['config.cfg', 'config.ini'], resolveQq)
    ?? pair(dir, ['.cfg', '.ini'], resolveQq)
    ?? single(dir, ['config.json'], resolveQq)
    ?? pair(dir, ['.json'], resolveQq)
    ?? { files: [], qq: resolveQq(undefined), problems: [] };
}
