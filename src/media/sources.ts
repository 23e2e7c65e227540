/**
 * Small pieces of the `file=` source handling (CQHTTP 4.15 §8.6): recognising the source form,
 * the `file:` URI rule (0–3 slashes), the 4.15 parameter readers for `cache`/`timeout`, md5 names,
 * and a bounded file read.
 */
import { createHash } from 'node:crypto';
import { constants, type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../protocol/errors.js';

const READ_CHUNK = 64 * 1024;

/** The form a segment's `file` value takes. */
export type SourceForm = 'url' | 'base64' | 'file' | 'name' | 'unsupported';

/** Classifies a `file` value: `http(s)://`, `base64://`, `file:`, another `scheme://`, or a plain name. */
export function sourceForm(file: string): SourceForm {
  const lower = file.slice(0, 9).toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) return 'url';
  if (lower.startsWith('base64://')) return 'base64';
  if (lower.startsWith('file:')) return 'file';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(file)) return 'unsupported';
  return 'name';
}

/**
 * The local path of a `file:` source: `file:` and then up to three slashes are removed (4.15 §8.6,
 * so `file:/a`, `file://a`, `file:///a` all name `/a`). On POSIX the path is then made absolute;
 * on Windows a drive path (`C:\…`) is kept as it is.
 */
export function pathOfFileUri(file: string, platform: NodeJS.Platform = process.platform): string {
  const rest = file.slice('file:'.length).replace(/^[/\\]{0,3}/, '');
  if (platform === 'win32') return path.win32.normalize(rest);
  return path.posix.normalize(`/${rest}`);
}

/** `get_bool` (4.15 §5) on a segment parameter: yes/true/1, no/false/0 (any case), else the default. */
export function boolParam(value: string | undefined, fallback: boolean): boolean {
  switch (value?.toLowerCase()) {
    case 'yes': case 'true': case '1': return true;
    case 'no': case 'false': case '0': return false;
    default: return fallback;
  }
}

/** `get_integer` (4.15 §5) on a segment parameter: C `stoll` prefix parse, else `undefined`. */
export function intParam(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^[ \t\n\v\f\r]*([+-]?\d{1,15})/.exec(value);
  return m === null ? undefined : Number(m[1]);
}

/** The lowercase hex md5 of a string (UTF-8) or bytes. */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * Reads a regular file (not following a final symlink) of at most `maxBytes` bytes.
 * Fails with `BAD_PARAMS` when it is not a regular file or is too large.
 */
export async function readBoundedFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ApiError('BAD_PARAMS', `${file} is not a regular file`);
    if (stat.size > maxBytes) throw new ApiError('BAD_PARAMS', `${file} is too large (over ${maxBytes} bytes, max_download_size)`);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(READ_CHUNK), position: length });
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) throw new ApiError('BAD_PARAMS', `${file} is too large (over ${maxBytes} bytes, max_download_size)`);
    }
    return Buffer.concat(chunks, length);
  } finally {
    await handle?.close();
  }
}
