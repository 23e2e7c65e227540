/** `get_image` (CQHTTP 4.15 §6.6, OneBot v11): the local file of a received or stored image. */
import { defineAction } from '../../core/action.js';
import { params, str } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';
import { receivedMedia } from './received.js';

export const getImage = defineAction({
  name: 'get_image',
  summary: 'The absolute path of a received or sent image, by the file name of its image segment.',
  params: params({ file: str() }),
  handler: async (p, ctx) => {
    if (p.file === '') throw new ApiError('BAD_PARAMS', 'get_image: file is required (the file of an image segment)');
    const name = await receivedMedia(ctx, 'image', p.file);
    return { file: ctx.media.store.pathOf('image', name) };
  },
});
