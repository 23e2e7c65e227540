/**
 * The bridge's recorder (`record = true`, docs/recording.md): every frame exchanged with the
 * upstream, every event cqhttpd emitted to the bots, every call of the bots with its answer, and the
 * upstream connection's changes, as cassette lines `{t, time, type, …}` — `t` monotonic ms since the
 * recording started, `time` Unix ms — redacted unless `redact` is false. Lines seen before the
 * upstream is known (`begin`) wait in memory (bounded) and follow the header.
 */
import path from 'node:path';
import { CassetteWriter } from './cassette.js';
import { Redactor } from './redact.js';

export const CASSETTE_FORMAT = 'cqhttpd-cassette';
export const CASSETTE_VERSION = 1;

export interface RecorderOptions {
  /** `<data_dir>/cassettes`. */
  dir: string;
  redact: boolean;
  maxFileSize: number;
  maxFiles: number;
}

/** What the header says about the upstream. */
export interface UpstreamInfo {
  kind: string;
  /** The upstream's address, without query or credentials. */
  url: string;
  selfId: number;
  /** The upstream's `get_version_info` answer, when it gave one. */
  version?: Record<string, unknown>;
}

/** A call of a bot as cqhttpd answered it (the dispatcher's call record, structurally). */
export interface RecordedCall {
  action: string;
  params: Record<string, unknown>;
  channel: string;
  retcode: number;
  duration: number;
  time: number;
  data?: unknown;
  error?: { code: string; message: string };
  unknown?: true;
}

/** Channels whose calls are the bots' (not cqhttpd's own internal calls or the web console's). */
const BOT_CHANNELS = new Set(['http', 'ws', 'ws_reverse', 'quick_operation']);
const MAX_EARLY_LINES = 10_000;

export class Recorder {
  readonly #start = performance.now();
  readonly #redactor: Redactor | undefined;
  readonly #writer: CassetteWriter;
  #header: Record<string, unknown> | undefined;
  #early: string[] | undefined = [];

  constructor(private readonly options: RecorderOptions) {
    this.#redactor = options.redact ? new Redactor() : undefined;
    this.#writer = new CassetteWriter({
      dir: options.dir, maxFileSize: options.maxFileSize, maxFiles: options.maxFiles,
      header: (part) => ({ ...(this.#header ?? {}), part }),
    });
  }

  /** The file being written (empty until the upstream is known). */
  get file(): string {
    return this.#writer.file;
  }

  /** The upstream is known: write the header, then what waited. */
  begin(info: UpstreamInfo): void {
    const version = info.version === undefined ? null : this.#redact(info.version);
    this.#header = {
      t: this.#t(), time: Date.now(), type: 'header', format: CASSETTE_FORMAT, version: CASSETTE_VERSION,
      upstream: { kind: info.kind, url: info.url, ...(version !== null && typeof version === 'object' ? { version } : {}) },
      self_id: this.#redactor ? this.#redactor.user(info.selfId) : info.selfId,
      redacted: this.options.redact,
    };
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const line of early) this.#writer.write(line);
    if (early.length === 0) this.#writer.write(JSON.stringify({ t: this.#t(), time: Date.now(), type: 'begin' }));
    this.#writer.flush(); // the file exists from now on
  }

  /** A frame sent to (`out`) or received from (`in`) the upstream. */
  upstream(dir: 'in' | 'out', frame: Record<string, unknown>): void {
    this.#line('upstream', { dir, data: this.#redact(frame) });
  }

  /** The upstream connection opened or closed. */
  link(online: boolean): void {
    this.#line('link', { online });
  }

  /** An event cqhttpd emitted to the bots (before each connection's filter and format). */
  event(event: Record<string, unknown>): void {
    this.#line('event', { data: this.#redact(event) });
  }

  /** A call of a bot, with its answer. */
  call(record: RecordedCall): void {
    if (!BOT_CHANNELS.has(record.channel)) return;
    const data: Record<string, unknown> = {
      action: record.action, params: this.#redact(record.params), retcode: record.retcode,
      data: this.#redact(record.data ?? null), channel: record.channel, duration: Math.round(record.duration * 1000) / 1000, time: record.time,
    };
    if (record.error !== undefined) {
      data['msg'] = record.error.code;
      data['wording'] = (this.#redact({ wording: record.error.message }) as { wording: string }).wording;
    }
    if (record.unknown === true) data['unknown'] = true;
    this.#line('call', { data });
  }

  close(): void {
    if (this.#early !== undefined) return; // never began: nothing worth a file
    this.#writer.close();
  }

  #t(): number {
    return Math.round((performance.now() - this.#start) * 1000) / 1000;
  }

  #redact(value: unknown): unknown {
    return this.#redactor ? this.#redactor.value(value) : value;
  }

  #line(type: string, fields: Record<string, unknown>): void {
    const text = JSON.stringify({ t: this.#t(), time: Date.now(), type, ...fields });
    if (this.#early === undefined) this.#writer.write(text);
    else if (this.#early.length < MAX_EARLY_LINES) this.#early.push(text);
  }
}

/** `<data_dir>/cassettes`. */
export const cassetteDir = (dataDir: string): string => path.join(dataDir, 'cassettes');

/** The address shown in a header: scheme, host and path (never a token in the query or user info). */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}
