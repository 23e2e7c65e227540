/**
 * Reading one configuration file (docs/protocol.md §9.1) into entries, by format:
 * `.ini`/`.cfg` → INI with a `[general]` section and per-account `[<QQ>]` sections, plus
 *   cqhttpd's `[connection.<name>]` sections (the items of `connections`, in file order);
 * `.json` → an object with `"general"` and `"<QQ>"` sub-objects, or a flat object holding the
 * keys directly (the shape of the original's generated `config/<QQ>.json`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Entry } from './entries.js';
import { IniSyntaxError, parseIni } from './ini.js';
import { isJsonObject } from '../protocol/json.js';

/** A configuration file read into entries; the account section is chosen later by the loader. */
export interface ConfigFile {
  readonly path: string;
  /** The `[general]` section, the `"general"` object, or the whole flat JSON object. */
  readonly general: readonly Entry[];
  /** Per-account sections, by QQ number as written. */
  readonly accounts: ReadonlyMap<string, readonly Entry[]>;
  /** Parts of the file that are ignored (keys outside sections, unknown sections). */
  readonly warnings: readonly string[];
}

/** The file, or a problem naming it (missing, unreadable, syntax error, unsupported format). */
export type ReadResult = { readonly file: ConfigFile } | { readonly problem: string };

/** The file formats the loader understands, by extension. */
export function formatOf(file: string): 'ini' | 'json' | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ini' || ext === '.cfg') return 'ini';
  return undefined;
}

const ACCOUNT = /^\d+$/;

const toEntries = (values: Iterable<[string, unknown]>, origin: string): Entry[] =>
  [...values].map(([key, value]) => ({ key, value, origin }));

/** A value that ends in what looks like a comment: whitespace, then `#` or `;`. */
const INLINE_COMMENT = /\s[#;]/;

/** What an INI value with a trailing `# …`/`; …` is told: the original's INI reader keeps it in the value. */
export const INLINE_COMMENT_NOTE = 'INI has no inline comments: the "# …" or "; …" after the value is part of the value; put comments on a line of their own';

/** INI entries, each value that looks like it carries an inline comment marked with {@link INLINE_COMMENT_NOTE}. */
const iniEntries = (values: ReadonlyMap<string, string>, origin: string): Entry[] =>
  [...values].map(([key, value]) => (INLINE_COMMENT.test(value) ? { key, value, origin, note: INLINE_COMMENT_NOTE } : { key, value, origin }));

/** `[connection.<name>]`: one item of `connections` (a cqhttpd addition; 4.15 files have none). */
const CONNECTION_SECTION = /^connection\.(.+)$/;

function fromIni(file: string, text: string): ConfigFile {
  const doc = parseIni(text);
  const warnings = [...doc.topLevel.keys()].map((key) => `${file}: key "${key}" outside any section is ignored (put it under [general])`);
  const accounts = new Map<string, Entry[]>();
  const connections: Record<string, unknown>[] = [];
  for (const [name, values] of doc.sections) {
    const connection = CONNECTION_SECTION.exec(name);
    if (connection !== null) {
      connections.push({ ...Object.fromEntries(values), name: connection[1] });
      for (const [key, value] of values) if (INLINE_COMMENT.test(value)) warnings.push(`${file} [${name}] ${key}: ${INLINE_COMMENT_NOTE}`);
    } else if (ACCOUNT.test(name)) accounts.set(name, iniEntries(values, `${file} [${name}]`));
    else if (name !== 'general') warnings.push(`${file}: section [${name}] is ignored (only [general], [<QQ number>] and [connection.<name>] are read)`);
  }
  const general = iniEntries(doc.sections.get('general') ?? new Map<string, string>(), `${file} [general]`);
  if (connections.length > 0) {
    if (general.some((entry) => entry.key === 'connections')) warnings.push(`${file}: "connections" in [general] is ignored: the file has [connection.<name>] sections`);
    general.push({ key: 'connections', value: connections, origin: `${file} [connection.<name>] sections, in file order` });
  }
  return { path: file, general, accounts, warnings };
}

function fromJson(file: string, text: string): ConfigFile | string {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return `${file}: JSON syntax error: ${(error as Error).message}`;
  }
  if (!isJsonObject(root)) return `${file}: the JSON root must be an object`;
  const sectioned = isJsonObject(root.general) || Object.entries(root).some(([key, value]) => ACCOUNT.test(key) && isJsonObject(value));
  if (!sectioned) return { path: file, general: toEntries(Object.entries(root), file), accounts: new Map(), warnings: [] };
  const accounts = new Map<string, Entry[]>();
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (ACCOUNT.test(key) && isJsonObject(value)) accounts.set(key, toEntries(Object.entries(value), `${file} "${key}"`));
    else if (key !== 'general' && key !== '$schema') warnings.push(`${file}: top-level key "${key}" is ignored (the file has "general"/"<QQ>" sections; put it under "general")`);
  }
  const general = isJsonObject(root.general) ? toEntries(Object.entries(root.general), `${file} "general"`) : [];
  return { path: file, general, accounts, warnings };
}

/** Reads and parses one configuration file. A leading UTF-8 BOM is tolerated. */
export function readConfigFile(file: string): ReadResult {
  const format = formatOf(file);
  if (format === undefined) return { problem: `${file}: unsupported config file format (use .json, .ini or .cfg)` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${file}: config file not found` : `${file}: cannot read: ${(error as Error).message}` };
  }
  if (format === 'json') {
    const parsed = fromJson(file, text);
    return typeof parsed === 'string' ? { problem: parsed } : { file: parsed };
  }
  try {
    return { file: fromIni(file, text) };
  } catch (error) {
    if (error instanceof IniSyntaxError) return { problem: `${file}: INI syntax error at ${error.message}` };
    throw error;
  }
}
