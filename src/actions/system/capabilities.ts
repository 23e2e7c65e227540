/** `can_send_image`, `can_send_record` (§6.6). */
import { defineAction } from '../../core/action.js';
import { params } from '../../core/params.js';

export const canSendImage = defineAction({
  name: 'can_send_image',
  summary: 'Whether images can be sent.',
  params: params({}),
  handler: async (_p, ctx) => ({ yes: await ctx.backend.canSendImage() }),
});

export const canSendRecord = defineAction({
  name: 'can_send_record',
  summary: 'Whether voice records can be sent: false when ffmpeg (needed to turn non-SILK audio into SILK) is missing.',
  params: params({}),
  handler: async (_p, ctx) => ({ yes: (await ctx.backend.canSendRecord()) && (await ctx.media.records.ffmpegAvailable()) }),
});
