/**
 * Path resolution for the data-file endpoint (CQHTTP 4.15 §3.2, `GET /data/...`): which request
 * paths may be served, and the file each names. The HTTP layer does auth and writes the response
 * (`Content-Length`, `Content-Type: application/octet-stream`, `Content-Disposition: attachment`).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside, realpathOrUndefined } from './fs-safe.js';

/** The sub-folders 4.15 serves. */
export const DATA_FILE_DIRS: readonly string[] = ['bface', 'image', 'record', 'show'];

/** The outcome of {@link resolveDataFile}: an HTTP status to answer, or the file to send. */
export type DataFileResolution = { status: 403 | 404 } | { file: string; size: number };

/** Options of {@link resolveDataFile}. */
export interface DataFileOptions {
  /** Sub-folders that may be served (default {@link DATA_FILE_DIRS}; add `video` to serve videos). */
  subdirs?: readonly string[];
}

/**
 * Resolves a request path (query string ignored) to a file under `<dataDir>/<sub>`:
 * not `/data/<sub>/<rest>` with an allowed `<sub>` → 404; `<rest>` is percent-decoded once and,
 * with `\` read as `/`, any `..`, NUL or a real path outside `<dataDir>/<sub>` (a symlink escape)
 * → 403; missing or not a regular file → 404. The returned `file` is the resolved real path.
 */
export async function resolveDataFile(dataDir: string, rawPath: string, options: DataFileOptions = {}): Promise<DataFileResolution> {
  const subdirs = options.subdirs ?? DATA_FILE_DIRS;
  const pathOnly = rawPath.replace(/[?#].*$/s, '');
  const m = /^\/data\/([^/]+)\/(.+)$/s.exec(pathOnly);
  if (m === null || !subdirs.includes(m[1] as string)) return { status: 404 };
  let rest: string;
  try {
    rest = decodeURIComponent(m[2] as string);
  } catch {
    return { status: 404 };
  }
  rest = rest.replaceAll('\\', '/');
  if (rest.includes('..') || rest.includes('\0')) return { status: 403 };
  const base = path.join(path.resolve(dataDir), m[1] as string);
  try {
    const realBase = await realpathOrUndefined(base);
    if (realBase === undefined) return { status: 404 };
    const target = path.resolve(base, `./${rest}`);
    if (target === base) return { status: 404 };
    if (!isInside(base, target)) return { status: 403 };
    const real = await realpathOrUndefined(target);
    if (real === undefined) return { status: 404 };
    if (!isInside(realBase, real)) return { status: 403 };
    const s = await stat(real);
    return s.isFile() ? { file: real, size: s.size } : { status: 404 };
  } catch {
    return { status: 403 }; // unreadable (EACCES, ELOOP…): 4.15 answers 403 when a file cannot be opened
  }
}
