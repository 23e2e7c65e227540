/**
 * Where `upload_group_file` / `upload_private_file` take their bytes from (docs/extensions.md §7.1):
 *
 * - a local path or `file://` URI — inside the data directory's `file`, `image`, `record` or `video`
 *   folder (e.g. a `download_file` result), or inside `allowed_file_dirs` (symlinks resolved);
 * - a plain name — a file of `<data_dir>/file/` (where `download_file` writes);
 * - `http(s)://` and `base64://` (NC/LLB extensions) — through the media store and its limits.
 *
 * Everything else, a relative path included, is refused with BAD_PARAMS.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext } from '../../core/context.js';
import type { MediaKind } from '../../media/index.js';
import { decodeBase64Lenient } from '../../media/sniff.js';
import { ApiError } from '../../protocol/errors.js';

/** The bytes of an upload and the name it gets when the caller gives none. */
export interface UploadSource { content: Buffer; defaultName: string }

/** The data-directory folders a local path may point into without `allowed_file_dirs`. */
const OWN_FOLDERS: readonly MediaKind[] = ['file', 'image', 'record', 'video'];

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Reads a stored or allowed file of at most `max_download_size` bytes. */
async function readLimited(ctx: ActionContext, file: string): Promise<Buffer> {
  const max = ctx.media.store.options.maxDownloadBytes;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new ApiError('BAD_PARAMS', `${clip(file)} is not a regular file`);
    if (s.size > max) throw new ApiError('BAD_PARAMS', `${clip(file)} is too large (over ${max} bytes, max_download_size)`);
    return await readFile(file);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('OPERATION_FAILED', `could not read ${clip(file)}: ${(err as Error).message}`);
  }
}

/** The absolute local path a `file` value names (`file:` + 0–3 slashes, or an absolute path), else undefined. */
function localPath(file: string): string | undefined {
  if (/^file:/i.test(file)) return path.resolve('/', file.slice(5).replace(/^[/\\]{0,3}/, ''));
  return path.isAbsolute(file) ? path.resolve(file) : undefined;
}

async function readLocal(ctx: ActionContext, requested: string): Promise<UploadSource> {
  const store = ctx.media.store;
  const defaultName = path.basename(requested);
  const real = await realpath(requested).catch(() => undefined);
  if (real !== undefined) {
    for (const kind of OWN_FOLDERS) {
      const dir = await realpath(path.join(store.dataDir, kind)).catch(() => undefined);
      if (dir !== undefined && inside(dir, real)) return { content: await readLimited(ctx, real), defaultName };
    }
  }
  const name = await store.importFile('file', `file://${requested}`);
  return { content: await readLimited(ctx, store.pathOf('file', name)), defaultName };
}

/** The bytes `file` names (see the module comment); an empty file is refused (QQ does not take them). */
export async function readUploadSource(ctx: ActionContext, file: string): Promise<UploadSource> {
  const store = ctx.media.store;
  let source: UploadSource;
  const local = localPath(file);
  if (file === '') {
    throw new ApiError('BAD_PARAMS', 'file is required: a local path, file://, a name in the data directory\'s file folder, http(s):// or base64://');
  } else if (/^https?:\/\//i.test(file)) {
    const name = await store.download('file', file, { cache: false });
    const urlName = path.posix.basename(new URL(file).pathname);
    source = { content: await readLimited(ctx, store.pathOf('file', name)), defaultName: safeDecode(urlName) || name };
  } else if (/^base64:\/\//i.test(file)) {
    const data = decodeBase64Lenient(file.slice('base64://'.length));
    const name = await store.saveBytes('file', data);
    source = { content: data, defaultName: name };
  } else if (local !== undefined) {
    source = await readLocal(ctx, local);
  } else if (/[/\\]/.test(file) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(file)) {
    throw new ApiError('BAD_PARAMS', `the file "${clip(file)}" is neither an absolute path, a file:// URI, a plain name, http(s):// nor base64://`);
  } else {
    const name = await store.existing('file', file);
    source = { content: await readLimited(ctx, store.pathOf('file', name)), defaultName: name };
  }
  if (source.content.length === 0) throw new ApiError('BAD_PARAMS', `the file "${clip(file)}" is empty; QQ does not accept empty files`);
  return source;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
