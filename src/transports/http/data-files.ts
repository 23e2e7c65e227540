/**
 * The data-file endpoint (CQHTTP 4.15 §3.2, `GET /data/<bface|image|record|show>/<path>`) and the
 * signed public URLs of stored media (media-urls.ts). Order, as the original:
 *
 * 1. a valid `sig` for `/data/<sub>/<name>` (sub among {@link SIGNED_SUBDIRS}) skips 2–3;
 * 2. not one of the four sub-folders, or `serve_data_files` off → 404; not GET → 405;
 * 3. auth from the `Authorization` header only (never `?access_token=`) → 401/403;
 * 4. `..`, NUL, a symlink or any other escape → 403; missing / not a regular file → 404;
 *    cannot be opened → 403;
 * 5. 200, `Content-Length`, `Content-Type: application/octet-stream`, `Content-Disposition:
 *    attachment`, the bytes streamed (no CORS header).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { authStatus, type TokenCheck } from '../../core/auth.js';
import { DATA_FILE_DIRS, resolveDataFile } from '../../media/data-files.js';
import type { MediaUrlSigner } from './media-urls.js';
import { SIGNED_SUBDIRS } from './media-urls.js';
import { H_EMPTY, unwritable, writeEmpty } from './respond.js';

/** How the HTTP API serves `/data/…`. */
export interface DataFileSettings {
  /** The absolute data directory. */
  dataDir: string;
  /** `serve_data_files`: the 4.15 endpoint (signed URLs work either way). */
  serve: boolean;
  /** Checks `?sig=`; without it only the 4.15 endpoint exists. */
  signer?: MediaUrlSigner | undefined;
}

const H_405_GET = ['Allow', 'GET', 'Content-Length', '0'];
const DATA_PATH = /^\/data\/([^/]+)\/(.+)$/s;

/** Whether the request path (`url.slice(0, end)`) is under `/data/`: then {@link serveDataFile} answers it. */
export function isDataFilePath(url: string, end: number): boolean {
  return end > 6 && url.startsWith('/data/');
}

function signedRequest(signer: MediaUrlSigner | undefined, pathOnly: string, query: string): boolean {
  if (signer === undefined || query === '') return false;
  const sig = new URLSearchParams(query).get('sig');
  const m = DATA_PATH.exec(pathOnly);
  if (sig === null || m === null) return false;
  let name: string;
  try {
    name = decodeURIComponent(m[2] as string);
  } catch {
    return false;
  }
  return signer.verify(m[1] as string, name, sig);
}

/**
 * Answers a request under `/data/` (see the module comment). `checkToken` is the server's
 * `access_token` check (header only here);
 * `close` adds `Connection: close` to bare answers.
 */
export async function serveDataFile(
  req: IncomingMessage, res: ServerResponse, url: string, end: number, settings: DataFileSettings, checkToken: TokenCheck, close: boolean,
): Promise<void> {
  const pathOnly = url.slice(0, end);
  const signed = signedRequest(settings.signer, pathOnly, end < url.length ? url.slice(end + 1) : '');
  if (!signed) {
    const m = DATA_PATH.exec(pathOnly);
    if (m === null || !DATA_FILE_DIRS.includes(m[1] as string) || !settings.serve) return writeEmpty(res, 404, H_EMPTY, close);
  }
  if (req.method !== 'GET') return writeEmpty(res, 405, H_405_GET, close);
  if (!signed) {
    const outcome = checkToken(req.headers.authorization, undefined);
    if (outcome !== 'ok') return writeEmpty(res, authStatus(outcome), H_EMPTY, close);
  }
  const found = await resolveDataFile(settings.dataDir, pathOnly, signed ? { subdirs: SIGNED_SUBDIRS } : {});
  if ('status' in found) return writeEmpty(res, found.status, H_EMPTY, close);
  let handle: FileHandle;
  try {
    handle = await open(found.file, 'r');
  } catch {
    return writeEmpty(res, 403, H_EMPTY, close);
  }
  try {
    const size = (await handle.stat()).size;
    if (unwritable(res)) return;
    const headers = ['Content-Length', String(size), 'Content-Type', 'application/octet-stream', 'Content-Disposition', 'attachment'];
    res.writeHead(200, close ? headers.concat('Connection', 'close') : headers);
    if (size === 0) {
      res.end();
      return;
    }
    // Exactly `size` bytes, even if the file grows meanwhile; `autoClose` releases the handle.
    await pipeline(handle.createReadStream({ start: 0, end: size - 1, autoClose: true }), res);
  } catch {
    res.destroy(); // the client went away, or the file shrank under us: the length can no longer be honoured
  } finally {
    await handle.close().catch(() => undefined);
  }
}
