/**
 * The media store's limits, their defaults and validation. Config keys (docs/media.md):
 * `allowed_file_dirs`, `max_download_size`, `download_timeout`, `allowed_url_schemes`,
 * `max_download_redirects`, `max_concurrent_downloads`, `allowed_download_hosts`.
 */
import path from 'node:path';

/** Options of {@link MediaStore}; every one has a default. */
export interface MediaStoreOptions {
  /** Directories `file:` sources may come from (`allowed_file_dirs`, default none: `file:` refused). */
  allowedFileDirs?: readonly string[];
  /** Largest download, `base64://` payload or `file:` copy, in bytes (`max_download_size`, default 20 MiB). */
  maxDownloadBytes?: number;
  /** Download deadline when the segment has no `timeout` (`download_timeout`, seconds, default 30). */
  downloadTimeoutSeconds?: number;
  /** URL schemes downloads and their redirects may use (`allowed_url_schemes`, default `http`, `https`). */
  allowedUrlSchemes?: readonly string[];
  /** Redirects followed per download (`max_download_redirects`, default 5). */
  maxRedirects?: number;
  /** Downloads running at once (`max_concurrent_downloads`, default 4). */
  maxConcurrentDownloads?: number;
  /**
   * Host names, IP addresses and CIDR ranges downloads may connect to although they are not public
   * (`allowed_download_hosts`, default none: only public addresses; decision P12).
   */
  allowedDownloadHosts?: readonly string[];
  /** The `User-Agent` sent with downloads (default: a desktop browser's, as 4.15 does). */
  userAgent?: string;
}

/** {@link MediaStoreOptions} with every default filled in and paths made absolute. */
export type ResolvedMediaOptions = Readonly<Required<MediaStoreOptions>>;

/** The defaults of {@link MediaStoreOptions}. */
export const MEDIA_DEFAULTS = {
  allowedFileDirs: [] as readonly string[],
  maxDownloadBytes: 20 * 1024 * 1024,
  downloadTimeoutSeconds: 30,
  allowedUrlSchemes: ['http', 'https'] as readonly string[],
  maxRedirects: 5,
  maxConcurrentDownloads: 4,
  allowedDownloadHosts: [] as readonly string[],
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
} as const satisfies ResolvedMediaOptions;

const SUPPORTED_SCHEMES = ['http', 'https'];

/** Fills in defaults and validates; throws `RangeError` naming the option for a bad value. */
export function resolveMediaOptions(options: MediaStoreOptions): ResolvedMediaOptions {
  const o = { ...MEDIA_DEFAULTS, ...stripUndefined(options) };
  positiveInteger('maxDownloadBytes', o.maxDownloadBytes);
  positiveInteger('maxConcurrentDownloads', o.maxConcurrentDownloads);
  if (!Number.isInteger(o.maxRedirects) || o.maxRedirects < 0) throw new RangeError(`maxRedirects must be an integer ≥ 0, got ${o.maxRedirects}`);
  if (!(o.downloadTimeoutSeconds > 0) || !Number.isFinite(o.downloadTimeoutSeconds)) {
    throw new RangeError(`downloadTimeoutSeconds must be a positive number, got ${o.downloadTimeoutSeconds}`);
  }
  const schemes = o.allowedUrlSchemes.map((s) => s.toLowerCase().replace(/:(\/\/)?$/, ''));
  const unsupported = schemes.filter((s) => !SUPPORTED_SCHEMES.includes(s));
  if (unsupported.length > 0) throw new RangeError(`allowedUrlSchemes may only contain http and https, got ${unsupported.join(', ')}`);
  return Object.freeze({
    ...o,
    allowedFileDirs: Object.freeze(o.allowedFileDirs.map((d) => path.resolve(d))),
    allowedUrlSchemes: Object.freeze(schemes),
    allowedDownloadHosts: Object.freeze([...o.allowedDownloadHosts]),
  });
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
