/** The process logger: human-readable lines by default (`log_format = json` for machines). */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

const LEVELS: Record<string, pino.Level> = { debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', fatal: 'fatal' };

export interface LoggerOptions {
  level: string;
  format: 'pretty' | 'json';
  /** Also append JSON lines to this file (created with its directory). */
  file?: string;
  /** Where human output goes (default stderr). */
  stream?: NodeJS.WritableStream;
}

/** Never log these, whatever a caller passes. */
const REDACT = ['access_token', 'secret', 'sandbox_token', 'params.access_token', 'config.access_token', 'config.secret', 'headers.authorization'];

export function createLogger(options: LoggerOptions): Logger {
  const level = LEVELS[options.level.toLowerCase()] ?? 'info';
  const out = options.stream ?? process.stderr;
  const console =
    options.format === 'json'
      ? out
      : pretty({
          destination: out,
          sync: true,
          singleLine: true,
          colorize: (out as NodeJS.WriteStream).isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,component',
          messageFormat: '{if component}[{component}] {end}{msg}',
        });
  const streams: pino.StreamEntry[] = [{ level, stream: console }];
  if (options.file !== undefined) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    streams.push({ level, stream: pino.destination({ dest: options.file, append: true, sync: true }) });
  }
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, pino.multistream(streams));
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
