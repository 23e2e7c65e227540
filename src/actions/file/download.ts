/**
 * `download_file` (docs/extensions.md §7.10): download `url` (or write `base64`) into
 * `<data_dir>/file/` and answer `{file: <absolute path>}`, usable in `file://` media and the
 * upload actions. Never cached (GOCQ). `headers`: an array of `Key=Value`, or one string whose
 * entries are separated by a real CRLF or by the literal text `[\r\n]` (D17). `thread_count` is
 * accepted and ignored. The media limits apply (`max_download_size`, `download_timeout`, schemes).
 */
import { rename } from 'node:fs/promises';
import { defineAction } from '../../core/action.js';
import { int, params, raw, str } from '../../core/params.js';
import { decodeBase64Lenient } from '../../media/sniff.js';
import { ApiError } from '../../protocol/errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The request headers of `headers` (see the module comment); BAD_PARAMS for a malformed entry. */
export function parseHeaders(value: unknown): Record<string, string> {
  let entries: unknown[];
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') entries = value.split(/\r\n|\[\\r\\n\]/);
  else if (Array.isArray(value)) entries = value;
  else throw new ApiError('BAD_PARAMS', 'download_file: headers must be a string or an array of "Key=Value" strings');
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    if (typeof entry !== 'string') throw new ApiError('BAD_PARAMS', 'download_file: each header must be a "Key=Value" string');
    const text = entry.trim();
    if (text === '') continue;
    const at = text.search(/[=:]/);
    const key = at === -1 ? '' : text.slice(0, at).trim();
    const val = at === -1 ? '' : text.slice(at + 1).trim();
    if (!TOKEN.test(key) || /[\r\n\0]/.test(val)) throw new ApiError('BAD_PARAMS', `download_file: "${text.slice(0, 80)}" is not a "Key=Value" header`);
    headers[key] = val;
  }
  return headers;
}

export const downloadFile = defineAction({
  name: 'download_file',
  origin: 'extension',
  summary: 'Download a URL (or write base64 data) into the data directory\'s file folder; returns the absolute path.',
  params: params({ url: str(), base64: str(), name: str(), headers: raw(), thread_count: int(1) }),
  handler: async (p, ctx) => {
    const store = ctx.media.store;
    if (p.url === '' && p.base64 === '') throw new ApiError('BAD_PARAMS', 'download_file: url (or base64) is required');
    if (p.name !== '') store.pathOf('file', p.name); // refuse an unsafe name before downloading anything
    const headers = parseHeaders(p.headers);
    let stored: string;
    if (p.url !== '') {
      stored = await store.download('file', p.url, { cache: false, headers });
    } else {
      stored = await store.saveBytes('file', decodeBase64Lenient(p.base64.replace(/^base64:\/\//i, '')));
    }
    if (p.name === '' || p.name === stored) return { file: store.pathOf('file', stored) };
    const target = store.pathOf('file', p.name);
    try {
      await rename(store.pathOf('file', stored), target);
    } catch (err) {
      throw new ApiError('OPERATION_FAILED', `download_file: could not name the file ${p.name}: ${(err as Error).message}`);
    }
    return { file: target };
  },
});
