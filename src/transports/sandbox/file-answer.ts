/**
 * Answering with a file's bytes instead of JSON (a voice record made playable), with byte ranges:
 * browsers seek audio and video with `Range: bytes=…`, so one range is answered 206 with its
 * `Content-Range`, a range past the end 416 (`Content-Range: bytes *\/size`), and a malformed one,
 * one of another unit or several disjoint ones with the whole file (a server may ignore a Range).
 * `If-Range` with a validator other than the file's own `ETag` or `Last-Modified` gets the whole
 * file too, so a client never stitches parts of two versions together.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { unwritable, writeError } from './respond.js';

/** What a handler returns to answer with a file's bytes. */
export class FileAnswer {
  constructor(readonly path: string, readonly contentType: string) {}
}

/** The bytes to send of a file of `size` bytes for a `Range` header: all, one range (206), or none satisfiable (416). */
export function rangeOf(header: string | undefined, size: number): { start: number; end: number; partial: boolean } | 'unsatisfiable' {
  const whole = { start: 0, end: size - 1, partial: false };
  if (header === undefined) return whole;
  const ranges = parseRange(size, header, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return whole;
  const only = ranges[0] as { start: number; end: number };
  return { start: only.start, end: only.end, partial: true };
}

/** Stream a {@link FileAnswer} (the whole file or the range asked); cut the connection if the file cannot be read midway. */
export async function writeFile(req: IncomingMessage, res: ServerResponse, file: FileAnswer): Promise<void> {
  const info = await stat(file.path);
  if (unwritable(res)) return;
  const size = info.size;
  const modified = info.mtime.toUTCString();
  const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const ifRange = req.headers['if-range'];
  const asked = ifRange === undefined || ifRange === etag || ifRange === modified ? req.headers.range : undefined;
  const range = rangeOf(asked, size);
  if (range === 'unsatisfiable') {
    return writeError(res, 416, 'RANGE_NOT_SATISFIABLE', `the range ${asked ?? ''} does not overlap the ${size} bytes of this file`, { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${size}` });
  }
  const length = size === 0 ? 0 : range.end - range.start + 1;
  res.writeHead(range.partial ? 206 : 200, {
    'Content-Type': file.contentType,
    'Content-Length': String(length),
    ...(range.partial ? { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` } : {}),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': modified,
    'Cache-Control': 'private, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
  });
  if (length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start: range.start, end: range.end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
