/**
 * Messages on their way to the upstream: quoted replies named by cqhttpd's ids become the upstream's,
 * and media — which cqhttpd has already stored under its data directory by the rules of
 * docs/media.md, so a segment's `file` is a name there — travel as `base64://`, the one form every
 * upstream reads whatever host it runs on. A name cqhttpd does not hold goes as it is.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import { toUpstreamSegments } from './events.js';
import type { MessageIds } from './ids.js';

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
    return segment; // not one cqhttpd holds: a name the upstream may know (one of its own received files)
  }
  const { url: _url, ...data } = segment.data;
  return { type: segment.type, data: { ...data, file: `base64://${bytes.toString('base64')}` } };
}

/** The segments as the upstream takes them. */
export async function toUpstreamMessage(ids: MessageIds, dataDir: string, segments: Segment[]): Promise<Segment[]> {
  const mapped = toUpstreamSegments(ids, segments);
  if (!mapped.some((s) => MEDIA_FOLDERS[s.type] !== undefined)) return mapped;
  return Promise.all(mapped.map((s) => inline(dataDir, s)));
}
