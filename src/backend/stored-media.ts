/**
 * Media of the bot's messages on their way to an upstream: cqhttpd has already stored each image,
 * record and video under its data directory by the rules of docs/media.md, so a segment's `file` is
 * a name there; it travels as `base64://` of those bytes — the one form every upstream reads, on
 * whatever host it runs. `base64://` and `http(s)://` stay as they are, and so does a name cqhttpd
 * does not hold (one the upstream may know: a resource it sent).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Segment } from '../message/index.js';
import { ApiError } from '../protocol/errors.js';

const MEDIA_FOLDERS: Readonly<Record<string, string>> = { image: 'image', record: 'record', video: 'video' };

async function inline(dataDir: string, segment: Segment): Promise<Segment> {
  const folder = MEDIA_FOLDERS[segment.type];
  const file = segment.data['file'];
  if (folder === undefined || file === undefined || file === '' || /^(base64|https?):\/\//i.test(file)) return segment;
  if (path.basename(file) !== file || file === '..' || file === '.') throw new ApiError('BAD_PARAMS', `the ${segment.type} "${file}" is not a stored file name`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dataDir, folder, file));
  } catch {
    return segment;
  }
  const { url: _url, ...data } = segment.data;
  return { type: segment.type, data: { ...data, file: `base64://${bytes.toString('base64')}` } };
}

/** The segments with every stored medium inlined (the same array when there is none). */
export async function inlineStoredMedia(dataDir: string, segments: Segment[]): Promise<Segment[]> {
  if (!segments.some((s) => MEDIA_FOLDERS[s.type] !== undefined)) return segments;
  return Promise.all(segments.map((s) => inline(dataDir, s)));
}
