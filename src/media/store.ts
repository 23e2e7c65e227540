/**
 * The media store: `<data_dir>/{image,record,video,file}` and the send-side `file=` forms of
 * CQHTTP 4.15 §8.6 (plain name, `http(s)://`, `base64://`, `file:`), with the limits of
 * docs/media.md. No path ever leaves the data directory or the configured `allowed_file_dirs`.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Segment } from '../message/index.js';
import { ApiError } from '../protocol/errors.js';
import { DownloadAddressPolicy } from './address-policy.js';
import { checkScheme, downloadTo, shortUrl } from './download.js';
import { describeError, isInside, plainNameProblem, realpathOrUndefined, tempPathFor, writeFileAtomic } from './fs-safe.js';
import { type DataDirName, isDataDirName, kindOfSegment, MEDIA_KINDS, type MediaKind } from './kinds.js';
import { KeyedMutex, Semaphore } from './limits.js';
import { resolveMediaOptions, type MediaStoreOptions, type ResolvedMediaOptions } from './options.js';
import { base64DecodedLength, base64Prefix, knownExtension, sniffableExtensions, sniffExtension, UNKNOWN_EXTENSION, urlExtension } from './sniff.js';
import { boolParam, intParam, md5Hex, pathOfFileUri, readBoundedFile, sourceForm } from './sources.js';

/** Per-call options of {@link MediaStore.resolveOutgoing} and {@link MediaStore.download}. */
export interface ResolveOptions {
  /** Aborts a download in progress. */
  signal?: AbortSignal;
}

/** Options of {@link MediaStore.download}. */
export interface DownloadCallOptions extends ResolveOptions {
  /** Reuse an earlier download of the same URL (default true). */
  cache?: boolean;
  /** Deadline in seconds; `undefined` or ≤ 0 → the configured `download_timeout`. */
  timeoutSeconds?: number;
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>;
}

/** The media sub-folders of one data directory and the send-side resolution of media segments. */
export class MediaStore {
  /** The absolute data directory. */
  readonly dataDir: string;
  /** The effective limits (defaults filled in). */
  readonly options: ResolvedMediaOptions;
  private readonly downloads: Semaphore;
  private readonly locks = new KeyedMutex();
  private readonly addresses: DownloadAddressPolicy;

  constructor(dataDir: string, options: MediaStoreOptions = {}) {
    this.dataDir = path.resolve(dataDir);
    this.options = resolveMediaOptions(options);
    this.downloads = new Semaphore(this.options.maxConcurrentDownloads);
    this.addresses = new DownloadAddressPolicy(this.options.allowedDownloadHosts);
  }

  /** The absolute path of `<data_dir>/<kind>/<name>`; `BAD_PARAMS` unless `name` is a plain file name. */
  pathOf(kind: MediaKind, name: string): string {
    checkKind(kind);
    const problem = plainNameProblem(name);
    if (problem !== undefined) throw new ApiError('BAD_PARAMS', `the ${kind} file name "${clip(name)}" ${problem}`);
    return path.join(this.dataDir, kind, name);
  }

  /** The URL path the data-file endpoint serves a stored file at, e.g. `/data/image/<name>` (percent-encoded). */
  urlFor(kind: MediaKind, name: string): string {
    this.pathOf(kind, name);
    return `/data/${kind}/${encodeURIComponent(name)}`;
  }

  /** Creates `<data_dir>/<kind>` if needed and returns its absolute path. */
  async ensureDir(kind: DataDirName): Promise<string> {
    const dir = path.join(this.dataDir, kind);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Deletes and re-creates a sub-folder (`clean_data_dir`, `clean_cache`); `BAD_PARAMS` for other names, `OPERATION_FAILED` on I/O errors. */
  async clean(name: DataDirName): Promise<void> {
    if (!isDataDirName(name)) throw new ApiError('BAD_PARAMS', `"${clip(String(name))}" is not a data sub-directory`);
    const dir = path.join(this.dataDir, name);
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new ApiError('OPERATION_FAILED', `could not clean ${dir}: ${describeError(err)}`);
    }
  }

  /**
   * Resolves the `file` of an `image`, `record` or `video` segment to a stored file name (other
   * segments come back unchanged): a plain name must exist in its sub-folder; `http(s)://` is
   * downloaded (honouring `cache` and `timeout`); `base64://` and allowed `file:` paths are stored
   * under the md5 of their content. The other parameters are kept.
   */
  async resolveOutgoing(segment: Segment, options: ResolveOptions = {}): Promise<Segment> {
    const kind = kindOfSegment(segment.type);
    if (kind === undefined) return segment;
    const file = segment.data.file;
    if (file === undefined || file === '') throw new ApiError('BAD_PARAMS', `the ${segment.type} segment has no file`);
    const name = await this.storeSource(kind, file, segment.data, options);
    return { type: segment.type, data: { ...segment.data, file: name } };
  }

  private storeSource(kind: MediaKind, file: string, params: Record<string, string>, options: ResolveOptions): Promise<string> {
    switch (sourceForm(file)) {
      case 'url':
        return this.download(kind, file, { ...options, cache: boolParam(params.cache, true), timeoutSeconds: intParam(params.timeout) });
      case 'base64':
        return this.saveBase64(kind, file.slice('base64://'.length));
      case 'file':
        return this.importFile(kind, file);
      case 'unsupported':
        return Promise.reject(new ApiError('BAD_PARAMS', `the source "${clip(file)}" is not supported: use a file name, http(s)://, base64:// or file://`));
      case 'name':
        return this.existing(kind, file);
    }
  }

  /** The name itself when `<data_dir>/<kind>/<name>` is a regular file inside that folder; else `BAD_PARAMS`. */
  async existing(kind: MediaKind, name: string): Promise<string> {
    const file = this.pathOf(kind, name);
    return asApiError(`read the ${kind} "${clip(name)}"`, async () => {
      const dir = await realpathOrUndefined(path.dirname(file));
      const real = await realpathOrUndefined(file);
      if (dir === undefined || real === undefined) throw new ApiError('BAD_PARAMS', `there is no ${kind} named "${clip(name)}" in the data directory`);
      if (!isInside(dir, real)) throw new ApiError('BAD_PARAMS', `the ${kind} "${clip(name)}" points outside the data directory`);
      if (!(await stat(real)).isFile()) throw new ApiError('BAD_PARAMS', `the ${kind} "${clip(name)}" is not a regular file`);
      return name;
    });
  }

  /**
   * Downloads `url` into `<kind>/md5(url).<ext>` and returns the name (ext from the URL's path,
   * else sniffed, else `tmp`). Only from public addresses unless allow-listed (decision P12); an
   * image, record or video whose body is not one (by its magic bytes) is not kept (`BAD_PARAMS`).
   * With `cache` (default) an earlier download is reused; downloads of the same URL are serialised
   * and at most `max_concurrent_downloads` run at once.
   */
  async download(kind: MediaKind, url: string, options: DownloadCallOptions = {}): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ApiError('BAD_PARAMS', `"${clip(url)}" is not a valid URL`);
    }
    checkScheme(parsed, this.options.allowedUrlSchemes);
    const key = md5Hex(url);
    const urlExt = urlExtension(parsed, kind);
    const candidates = urlExt === undefined ? sniffableExtensions(kind) : [urlExt];
    const timeoutSeconds = options.timeoutSeconds !== undefined && options.timeoutSeconds > 0 ? options.timeoutSeconds : this.options.downloadTimeoutSeconds;
    return asApiError(`download ${clip(url)}`, () => this.locks.run(`${kind}/${key}`, async () => {
      const dir = await this.ensureDir(kind);
      if (options.cache !== false) {
        const hit = await firstFile(dir, candidates.map((ext) => `${key}.${ext}`));
        if (hit !== undefined) return hit;
      }
      return this.downloads.run(async () => {
        const temp = tempPathFor(path.join(dir, key));
        const result = await downloadTo(parsed, temp, {
          timeoutMs: timeoutSeconds * 1000,
          maxBytes: this.options.maxDownloadBytes,
          allowedSchemes: this.options.allowedUrlSchemes,
          maxRedirects: this.options.maxRedirects,
          userAgent: this.options.userAgent,
          policy: this.addresses,
          ...(options.headers === undefined ? {} : { headers: options.headers }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        const sniffed = sniffExtension(result.head, kind);
        if (sniffed === undefined && kind !== 'file') {
          await rm(temp, { force: true });
          throw new ApiError('BAD_PARAMS', `the body downloaded from ${shortUrl(result.finalUrl)} is not ${KIND_NOUN[kind]} (no known format's signature); it was not kept`);
        }
        const name = `${key}.${urlExt ?? sniffed ?? UNKNOWN_EXTENSION}`;
        try {
          await Promise.all(candidates.filter((ext) => `${key}.${ext}` !== name).map((ext) => rm(path.join(dir, `${key}.${ext}`), { force: true })));
          await rename(temp, path.join(dir, name));
        } catch (err) {
          await rm(temp, { force: true });
          throw err;
        }
        return name;
      });
    }));
  }

  /**
   * Stores bytes as `<kind>/md5(content).<ext>` (ext sniffed, else `extHint` when the kind knows
   * it, else `tmp`) and returns the name; identical content is stored once. `BAD_PARAMS` when empty
   * or over `max_download_size`.
   */
  async saveBytes(kind: MediaKind, data: Uint8Array, extHint?: string): Promise<string> {
    checkKind(kind);
    if (data.length === 0) throw new ApiError('BAD_PARAMS', `the ${kind} data is empty`);
    if (data.length > this.options.maxDownloadBytes) throw this.tooLarge(kind);
    const hinted = extHint === undefined ? undefined : knownExtension(`.${extHint}`, kind);
    const name = `${md5Hex(data)}.${sniffExtension(data, kind) ?? hinted ?? UNKNOWN_EXTENSION}`;
    return asApiError(`store the ${kind} ${name}`, () => this.locks.run(`${kind}/${name}`, async () => {
      const file = path.join(await this.ensureDir(kind), name);
      const existing = await stat(file).catch(() => undefined);
      if (existing?.isFile() !== true || existing.size !== data.length) await writeFileAtomic(file, data);
      return name;
    }));
  }

  private async saveBase64(kind: MediaKind, text: string): Promise<string> {
    const chars = base64Prefix(text);
    if (base64DecodedLength(chars.length) > this.options.maxDownloadBytes) throw this.tooLarge(kind);
    const data = Buffer.from(chars, 'base64');
    if (data.length === 0) throw new ApiError('BAD_PARAMS', `the base64:// ${kind} data is empty or not standard base64`);
    return this.saveBytes(kind, data);
  }

  /**
   * Copies a `file:` source (0–3 slashes) into the store when it resolves — symlinks included —
   * to a regular file inside one of `allowed_file_dirs`; else `BAD_PARAMS`.
   */
  importFile(kind: MediaKind, fileUri: string): Promise<string> {
    return asApiError(`copy ${clip(fileUri)}`, () => this.copyIn(kind, fileUri));
  }

  private async copyIn(kind: MediaKind, fileUri: string): Promise<string> {
    const allowed = this.options.allowedFileDirs;
    if (allowed.length === 0) {
      throw new ApiError('BAD_PARAMS', 'file:// sources are disabled: list the directories they may come from in allowed_file_dirs');
    }
    const requested = pathOfFileUri(fileUri);
    const refused = (): ApiError =>
      new ApiError('BAD_PARAMS', `the file ${clip(requested)} is not allowed: it is outside allowed_file_dirs`);
    const realAllowed = (await Promise.all(allowed.map((dir) => realpathOrUndefined(dir)))).filter((d): d is string => d !== undefined);
    const lexicallyAllowed = (p: string): boolean => [...allowed, ...realAllowed].some((dir) => isInside(dir, p));
    let candidate = requested;
    if (!lexicallyAllowed(candidate)) throw refused();
    let real = await realpathOrUndefined(candidate);
    if (real === undefined && /%[0-9A-Fa-f]{2}/.test(requested)) {
      candidate = safeDecode(requested);
      if (!lexicallyAllowed(candidate)) throw refused();
      real = await realpathOrUndefined(candidate);
    }
    if (real === undefined) throw new ApiError('BAD_PARAMS', `there is no file ${clip(requested)}`);
    if (!realAllowed.some((dir) => isInside(dir, real))) throw refused();
    const data = await readBoundedFile(real, this.options.maxDownloadBytes);
    return this.saveBytes(kind, data, knownExtension(real, kind));
  }

  private tooLarge(kind: MediaKind): ApiError {
    return new ApiError('BAD_PARAMS', `the ${kind} is too large (over ${this.options.maxDownloadBytes} bytes, max_download_size)`);
  }
}

const KIND_NOUN: Readonly<Record<MediaKind, string>> = { image: 'an image', record: 'audio', video: 'a video', file: 'a file' };

function checkKind(kind: string): asserts kind is MediaKind {
  if (!(MEDIA_KINDS as readonly string[]).includes(kind)) throw new ApiError('BAD_PARAMS', `"${clip(kind)}" is not a media kind`);
}

/** Runs `task`; a failure that is not already an ApiError becomes `OPERATION_FAILED` "could not <what>: <cause>". */
async function asApiError<T>(what: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('OPERATION_FAILED', `could not ${what}: ${describeError(err)}`);
  }
}

async function firstFile(dir: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const s = await stat(path.join(dir, name)).catch(() => undefined);
    if (s?.isFile() === true) return name;
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return path.normalize(decodeURIComponent(text));
  } catch {
    return text;
  }
}

/** Shortens user-supplied text quoted in an error sentence. */
function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
