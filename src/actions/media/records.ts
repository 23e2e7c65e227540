/**
 * `get_record` (CQHTTP 4.15 §6.6): a stored voice record converted from SILK to `out_format`
 * (mp3 amr wma m4a spx ogg wav flac) with ffmpeg, written beside it in `<data_dir>/record/`.
 * Answers the name relative to that folder, or the absolute path with `full_path` (4.15).
 */
import path from 'node:path';
import { defineAction } from '../../core/action.js';
import { bool, params, str } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';
import { receivedMedia } from './received.js';

export const getRecord = defineAction({
  name: 'get_record',
  summary: 'Convert a received voice record (SILK) to out_format (mp3, amr, wma, m4a, spx, ogg, wav, flac); needs ffmpeg.',
  params: params({ file: str(), out_format: str(), full_path: bool(false) }),
  handler: async (p, ctx) => {
    if (p.file === '' || p.out_format === '') throw new ApiError('BAD_PARAMS', 'get_record: file and out_format are required');
    const { store, records } = ctx.media;
    const name = await receivedMedia(ctx, 'record', p.file);
    const output = await records.convertRecord(store.pathOf('record', name), p.out_format, await store.ensureDir('record'));
    return { file: p.full_path ? output : path.basename(output) };
  },
});
