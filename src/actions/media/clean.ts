/** `clean_data_dir` (CQHTTP 4.15 §6.7) and OneBot v11's `clean_cache` (docs/extensions.md §2.6). */
import { defineAction } from '../../core/action.js';
import { params, str } from '../../core/params.js';
import type { DataDirName } from '../../media/index.js';
import { ApiError } from '../../protocol/errors.js';

/** The sub-folders 4.15's `clean_data_dir` accepts. */
const CLEANABLE: readonly DataDirName[] = ['image', 'record', 'show', 'bface'];
/** What `clean_cache` empties: downloaded and received media, conversions, `download_file` outputs. */
const CACHE: readonly DataDirName[] = ['image', 'record', 'video', 'file'];

export const cleanDataDir = defineAction({
  name: 'clean_data_dir',
  summary: 'Delete and re-create one data sub-folder: image, record, show or bface.',
  params: params({ data_dir: str() }),
  handler: async (p, ctx) => {
    const dir = CLEANABLE.find((d) => d === p.data_dir);
    if (dir === undefined) throw new ApiError('BAD_PARAMS', `clean_data_dir: data_dir must be one of ${CLEANABLE.join(', ')}`);
    await ctx.media.store.clean(dir);
    return null;
  },
});

export const cleanCache = defineAction({
  name: 'clean_cache',
  origin: 'onebot-v11',
  summary: 'Delete the media cache: stored images, records and videos, and download_file outputs.',
  params: params({}),
  handler: async (_p, ctx) => {
    for (const dir of CACHE) await ctx.media.store.clean(dir);
    return null;
  },
});
