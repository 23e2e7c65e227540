/**
 * Filesystem helpers that keep every path inside the data directory: plain-name checks,
 * containment after symlink resolution, and atomic writes (temporary file + rename).
 */
import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Longest file name accepted (most filesystems' limit). */
const MAX_NAME_LENGTH = 255;

/**
 * Why `name` is not a plain file name, or `undefined` when it is one: non-empty, at most 255
 * characters, no `/` or `\`, no `..`, no NUL, not `.`, not a drive-relative `C:…` path.
 */
export function plainNameProblem(name: string): string | undefined {
  if (name === '' || name === '.') return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('\0')) return 'contains a NUL character';
  if (/^[A-Za-z]:/.test(name)) return 'is a drive path';
  return undefined;
}

/** True when `child` is strictly below `parent` (both absolute and already normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** `realpath`, or `undefined` when the path does not exist (other errors propagate). */
export async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch (err) {
    if (isErrno(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** A fresh hidden temporary path next to `finalPath`, so that the final rename stays on one filesystem. */
export function tempPathFor(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${randomBytes(6).toString('hex')}.part`);
}

/** Writes `data` to `finalPath` atomically: readers see the old file or the complete new one. */
export async function writeFileAtomic(finalPath: string, data: Uint8Array): Promise<void> {
  const temp = tempPathFor(finalPath);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, finalPath);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Node's errno-style error (`code` such as `ENOENT`). */
export function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** A short description of an unknown thrown value, for error sentences. */
export function describeError(err: unknown): string {
  if (isErrno(err) && err.code !== undefined && !err.message.includes(err.code)) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
