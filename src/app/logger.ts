/** The process logger: human-readable lines by default (`log_format = json` for machines). */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { DEFAULT_SELF_ID } from '../config/index.js';

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

/**
 * This account's plugin log file: `<data_dir>/logs/<self_id>.log` (what `clean_plugin_log` empties).
 * It is opened before the sandbox, so with `self_id` unset it is named after the default bot.
 */
export function logFilePath(dataDir: string, selfId: number | undefined): string {
  return path.join(path.resolve(dataDir), 'logs', `${selfId ?? DEFAULT_SELF_ID}.log`);
}

/** A logger with a handle on its file, so the file can be reopened (`clean_plugin_log`) and closed (restart). */
export interface AppLogging {
  readonly logger: Logger;
  /** The JSON-lines file, when there is one. */
  readonly file?: string;
  /** Reopen the file (after it was truncated or moved); no-op without a file. */
  reopen(): void;
  /** Flush and close the file; the logger must not be used afterwards. Idempotent. */
  close(): void;
}

/** {@link createLogger}, keeping the file destination reachable. */
export function openLogging(options: LoggerOptions): AppLogging {
  let fileStream: pino.DestinationStream & { reopen(): void; flushSync(): void; end(): void } | undefined;
  const logger = buildLogger(options, (dest) => {
    fileStream = pino.destination({ dest, append: true, sync: true });
    return fileStream;
  });
  let closed = false;
  return {
    logger,
    ...(options.file !== undefined ? { file: options.file } : {}),
    reopen: () => {
      if (!closed) fileStream?.reopen();
    },
    close: () => {
      if (closed) return;
      closed = true;
      fileStream?.end();
    },
  };
}

/** The process logger: console (pretty or JSON) plus, when `file` is set, JSON lines appended to it. */
export function createLogger(options: LoggerOptions): Logger {
  return buildLogger(options, (dest) => pino.destination({ dest, append: true, sync: true }));
}

/** pino-pretty, loaded only for the pretty format (it costs ~1 MB of heap, a few of RSS). */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

function buildLogger(options: LoggerOptions, openFile: (dest: string) => pino.DestinationStream): Logger {
  const level = LEVELS[options.level.toLowerCase()] ?? 'info';
  const out = options.stream ?? process.stderr;
  const console =
    options.format === 'json'
      ? out
      : loadPretty()({
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
    streams.push({ level, stream: openFile(options.file) });
  }
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, pino.multistream(streams));
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
