/**
 * The INI dialect of the original's config loader (boost `property_tree::ini_parser`):
 * - every line is trimmed; empty lines are skipped;
 * - a line starting with `;` is a comment (cqhttpd also accepts `#` at the start of a line);
 * - an inline `;` or `# …` after a value is NOT a comment: it stays part of the value (§15.11);
 * - `[name]` opens a section; `key = value` with key and value trimmed; no quoting, no escapes;
 *   all values are strings;
 * - syntax errors: unmatched `[`, a line without `=`, an empty key, a duplicate section or a
 *   duplicate key within one section.
 * The `ini` npm package differs (it strips inline comments, unquotes values, turns `true` into a
 * boolean and nests dotted section names), so it is not used.
 */

/** A parsed INI text: the keys before any section, and each section's keys in file order. */
export interface IniDocument {
  readonly topLevel: ReadonlyMap<string, string>;
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** An INI syntax error, with the 1-based line number. */
export class IniSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'IniSyntaxError';
    this.line = line;
  }
}

/** boost's `trim` uses the classic locale's `isspace`. */
const trim = (text: string): string => text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/** Parses INI text (a leading UTF-8 BOM is ignored); throws {@link IniSyntaxError}. */
export function parseIni(text: string): IniDocument {
  const topLevel = new Map<string, string>();
  const sections = new Map<string, Map<string, string>>();
  let current = topLevel;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = trim(raw);
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      const end = line.indexOf(']');
      if (end < 0) throw new IniSyntaxError(`unmatched '[' in "${line}"`, lineNo);
      const name = trim(line.slice(1, end));
      if (sections.has(name)) throw new IniSyntaxError(`duplicate section [${name}]`, lineNo);
      current = new Map();
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new IniSyntaxError(`'=' not found in "${line}"`, lineNo);
    const key = trim(line.slice(0, eq));
    if (key === '') throw new IniSyntaxError(`key expected before '=' in "${line}"`, lineNo);
    if (current.has(key)) throw new IniSyntaxError(`duplicate key "${key}"`, lineNo);
    current.set(key, trim(line.slice(eq + 1)));
  });
  return { topLevel, sections };
}
