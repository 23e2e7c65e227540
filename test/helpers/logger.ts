/**
 * A pino logger whose output a test can read: each line as written (`lines`), and parsed
 * (`records`, `at(level)` for the messages of one level).
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface LogRecord { level: number; msg: string; component?: string }

export interface CapturedLog {
  logger: Logger;
  /** Every line as pino wrote it (JSON, with its newline). */
  lines: string[];
  /** Every line parsed. */
  records: LogRecord[];
  /** The messages logged at `level`. */
  at(level: 'debug' | 'info' | 'warn' | 'error'): string[];
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A logger at `level` (default `debug`) writing into the returned arrays. */
export function captureLogger(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      lines.push(text);
      for (const line of text.split('\n')) if (line !== '') records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines, records, at: (wanted) => records.filter((r) => r.level === LEVELS[wanted]).map((r) => r.msg) };
}
