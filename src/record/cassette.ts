/**
 * The cassette files (docs/recording.md): NDJSON in `<data_dir>/cassettes/`, one file per
 * recording, rotated when it reaches `maxFileSize` bytes — each part starts with the header again —
 * and at most `maxFiles` kept (the oldest deleted). Lines are written at the end of the event-loop
 * turn, all of the turn's lines in one write; at most `maxPendingBytes` wait (beyond, lines are
 * dropped and a `dropped` line says how many).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CassetteOptions {
  dir: string;
  /** Bytes of one file before the next part starts (at least 64 KiB). */
  maxFileSize: number;
  /** Files kept in `dir`; the oldest cassettes go first (0 = no limit). */
  maxFiles: number;
  /** Bytes waiting to be written at most (default 8 MiB). */
  maxPendingBytes?: number;
  /** The header line of each part, given its part number (1…). */
  header(part: number): Record<string, unknown>;
}

export const CASSETTE_PREFIX = 'cassette-';

export class CassetteWriter {
  #fd: number | undefined;
  #file = '';
  #bytes = 0;
  #headerBytes = 0;
  #part = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #dropped = 0;
  #scheduled = false;
  #closed = false;
  readonly #stem: string;
  readonly #maxPending: number;

  constructor(private readonly options: CassetteOptions) {
    fs.mkdirSync(options.dir, { recursive: true });
    this.#stem = `${CASSETTE_PREFIX}${new Date().toISOString().replace(/[:.]/g, '-')}`;
    this.#maxPending = options.maxPendingBytes ?? 8 * 1024 * 1024;
  }

  /** The file being written (empty before the first line). */
  get file(): string {
    return this.#file;
  }

  /** Queue one line (a JSON text without its newline). */
  write(text: string): void {
    if (this.#closed) return;
    const bytes = Buffer.byteLength(text) + 1;
    if (this.#pendingBytes + bytes > this.#maxPending) {
      this.#dropped++;
      return;
    }
    this.#pending.push(text);
    this.#pendingBytes += bytes;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write what waits now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#dropped > 0) {
      const line = JSON.stringify({ type: 'dropped', lines: this.#dropped });
      this.#dropped = 0;
      this.#pending.push(line);
    }
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line) + 1;
      // A new part when this one is full, unless it holds nothing but its header (a huge line).
      if (this.#fd === undefined || (this.#bytes + chunkBytes + bytes > this.options.maxFileSize && this.#bytes + chunkBytes > this.#headerBytes)) {
        this.#emit(chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        this.#next();
      }
      chunk += `${line}\n`;
      chunkBytes += bytes;
    }
    this.#emit(chunk, chunkBytes);
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  #emit(chunk: string, bytes: number): void {
    if (chunk === '' || this.#fd === undefined) return;
    fs.writeSync(this.#fd, chunk);
    this.#bytes += bytes;
  }

  /** Close the current part and open the next one, starting with its header. */
  #next(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#part++;
    for (let n = 1; ; n++) {
      // A name of its own (`-2`… when two recordings start within the same millisecond).
      this.#file = path.join(this.options.dir, `${this.#stem}${n > 1 ? `-${n}` : ''}${this.#part > 1 ? `.${this.#part}` : ''}.ndjson`);
      try {
        this.#fd = fs.openSync(this.#file, 'wx', 0o600);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw err;
      }
    }
    const header = `${JSON.stringify(this.options.header(this.#part))}\n`;
    fs.writeSync(this.#fd, header);
    this.#bytes = this.#headerBytes = Buffer.byteLength(header);
    this.#prune();
  }

  /** Delete the oldest cassette files beyond `maxFiles`. */
  #prune(): void {
    if (this.options.maxFiles <= 0) return;
    const files = fs.readdirSync(this.options.dir)
      .filter((name) => name.startsWith(CASSETTE_PREFIX) && name.endsWith('.ndjson'))
      .map((name) => ({ name, mtime: fs.statSync(path.join(this.options.dir, name)).mtimeMs, stem: name.replace(/(\.\d+)?\.ndjson$/, ''), part: Number(/\.(\d+)\.ndjson$/.exec(name)?.[1] ?? 1) }))
      .sort((a, b) => a.mtime - b.mtime || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : a.part - b.part));
    for (const { name } of files.slice(0, Math.max(0, files.length - this.options.maxFiles))) {
      if (path.join(this.options.dir, name) !== this.#file) fs.rmSync(path.join(this.options.dir, name), { force: true });
    }
  }
}
