/** `clean_plugin_log` (CQHTTP 4.15 §6.7): empty this account's plugin log and reopen it. */
import { defineAction } from '../../core/action.js';
import { params } from '../../core/params.js';

export const cleanPluginLog = defineAction({
  name: 'clean_plugin_log',
  summary: "Empty this account's plugin log (<data_dir>/logs/<self_id>.log) and reopen it.",
  params: params({}),
  handler: async (_p, ctx) => {
    await ctx.cleanLog();
    return null;
  },
});
