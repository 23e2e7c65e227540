/**
 * Loading the event filter file named by `event_filter` (CQHTTP 4.15 §10.1). The only I/O of
 * the filter: read, parse, compile. Any failure is returned, not thrown — the caller must then
 * suppress every event (meta events included) until the file is fixed and cqhttpd restarted.
 */
import { readFileSync } from 'node:fs';
import type { EventFilter } from './channel.js';
import { compileFilter, FilterSyntaxError } from './filter.js';

/**
 * Reads, parses and compiles the filter file at `path` (resolved against the working directory
 * when relative). A leading UTF-8 BOM is tolerated.
 * @returns the compiled filter, or an error naming the file: missing or unreadable, not valid
 * JSON, top level not an object, or a §10.3 syntax error (with its location in the rule).
 */
export function loadFilterFile(path: string): { filter: EventFilter } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `event filter file ${path} not found` : `event filter file ${path} cannot be read: ${(error as Error).message}` };
  }
  let rule: unknown;
  try {
    rule = JSON.parse(text);
  } catch (error) {
    return { error: `event filter file ${path} is not valid JSON: ${(error as Error).message}` };
  }
  try {
    return { filter: compileFilter(rule) };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { error: `event filter file ${path}: ${error.message}` };
    throw error;
  }
}
