/**
 * Voice records a browser can play. QQ keeps voice as SILK (and some clients send AMR), which no
 * browser decodes, so the web console asks the control API for a stored record as MP3 (WAV when
 * the ffmpeg has no MP3 encoder): converted once by {@link RecordConverter} (SILK decoded first),
 * kept in `<data_dir>/record/.playable/` and served from there while it is newer than the record.
 * Requests for the same record share one conversion; at most two conversions run at once.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../protocol/errors.js';
import type { RecordConverter, RecordFormat } from './record.js';
import type { MediaStore } from './store.js';

/** A browser-playable copy of a record: where it is, its size and its content type. */
export interface PlayableRecord {
  path: string;
  size: number;
  contentType: string;
}

/** The formats tried, best first, with their content types. */
const FORMATS: readonly (readonly [RecordFormat, string])[] = [['mp3', 'audio/mpeg'], ['wav', 'audio/wav']];
const MAX_CONVERSIONS = 2;
/** Sub-folder of `<data_dir>/record` (a name no stored record can have: plain names never start with a dot). */
export const PLAYABLE_DIR = '.playable';

export class PlayableRecords {
  readonly #store: Pick<MediaStore, 'existing' | 'pathOf' | 'ensureDir'>;
  readonly #records: Pick<RecordConverter, 'convertRecord'>;
  readonly #inFlight = new Map<string, Promise<PlayableRecord>>();
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(store: Pick<MediaStore, 'existing' | 'pathOf' | 'ensureDir'>, records: Pick<RecordConverter, 'convertRecord'>) {
    this.#store = store;
    this.#records = records;
  }

  /** The playable copy of the stored record `name`; `BAD_PARAMS` when there is none, `OPERATION_FAILED` when it cannot be converted. */
  async get(name: string): Promise<PlayableRecord> {
    await this.#store.existing('record', name);
    const source = this.#store.pathOf('record', name);
    const dir = path.join(await this.#store.ensureDir('record'), PLAYABLE_DIR);
    const cached = await this.#cached(source, dir);
    if (cached !== undefined) return cached;
    let pending = this.#inFlight.get(name);
    if (pending === undefined) {
      pending = this.#convert(source, dir).finally(() => this.#inFlight.delete(name));
      this.#inFlight.set(name, pending);
    }
    return pending;
  }

  /** A copy made since the record last changed, if any. */
  async #cached(source: string, dir: string): Promise<PlayableRecord | undefined> {
    const sourceTime = (await stat(source)).mtimeMs;
    const base = path.basename(source, path.extname(source));
    for (const [format, contentType] of FORMATS) {
      const file = path.join(dir, `${base}.${format}`);
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() === true && s.mtimeMs >= sourceTime) return { path: file, size: s.size, contentType };
    }
    return undefined;
  }

  async #convert(source: string, dir: string): Promise<PlayableRecord> {
    await this.#slot();
    try {
      await mkdir(dir, { recursive: true });
      let failure: unknown;
      for (const [format, contentType] of FORMATS) {
        try {
          const file = await this.#records.convertRecord(source, format, dir);
          return { path: file, size: (await stat(file)).size, contentType };
        } catch (err) {
          failure = err;
        }
      }
      throw failure instanceof ApiError ? failure : new ApiError('OPERATION_FAILED', `could not make ${path.basename(source)} playable`);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  /** Wait for one of the {@link MAX_CONVERSIONS} slots. */
  async #slot(): Promise<void> {
    while (this.#running >= MAX_CONVERSIONS) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
  }
}
