/**
 * Reading a cassette back (`cqhttpd replay`): its header and its lines, in order. A line that is
 * not a JSON object, or a second part's header, is skipped; a file that does not start with a cassette
 * header is refused with a sentence saying why.
 */
import fs from 'node:fs';
import { CASSETTE_FORMAT } from './recorder.js';

export interface CassetteLine {
  t: number;
  time: number;
  type: string;
  [key: string]: unknown;
}

export interface Cassette {
  header: CassetteLine & { upstream: { kind: string; url?: string; version?: Record<string, unknown> }; self_id: number; redacted: boolean };
  lines: CassetteLine[];
}

/** Largest cassette file read (the recorder rotates long before: `record_max_size`). */
export const MAX_CASSETTE_BYTES = 512 * 1024 * 1024;

export function readCassette(file: string): Cassette {
  const size = fs.statSync(file).size;
  if (size > MAX_CASSETTE_BYTES) throw new Error(`${file}: ${size} bytes; a cassette is read only up to ${MAX_CASSETTE_BYTES} bytes`);
  return parseCassette(fs.readFileSync(file, 'utf8'), file);
}

export function parseCassette(text: string, name = 'the cassette'): Cassette {
  const lines: CassetteLine[] = [];
  let header: Cassette['header'] | undefined;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      line = undefined;
    }
    const l = (typeof line === 'object' && line !== null && !Array.isArray(line) ? line : {}) as CassetteLine;
    if (header === undefined) {
      if (l.type !== 'header' || l['format'] !== CASSETTE_FORMAT) throw new Error(`${name} is not a cqhttpd cassette: its first line is not a header with format "${CASSETTE_FORMAT}"`);
      header = l as Cassette['header'];
      continue;
    }
    if (l.type === undefined || l.type === 'header') continue;
    lines.push(l);
  }
  if (header === undefined) throw new Error(`${name} is empty`);
  return { header, lines };
}
