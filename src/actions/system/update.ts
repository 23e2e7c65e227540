/**
 * `.check_update` (CQHTTP 4.15 §6.9.2, hidden): answers async at once. cqhttpd has no update
 * channel and makes no network request: the background "check" only logs that updates are not
 * supported (info when asked by hand, debug for `automatic` checks, which 4.15 only logged too).
 */
import { defineAction } from '../../core/action.js';
import { bool, params } from '../../core/params.js';
import { ACCEPTED } from '../../core/result.js';

export const checkUpdate = defineAction({
  name: '.check_update',
  summary: 'Hidden: check for a newer version (answers async; cqhttpd only logs that update checks are not supported).',
  params: params({ automatic: bool(false) }),
  handler: (p, ctx) => {
    setImmediate(() => {
      if (p.automatic) ctx.logger.debug('update checks are not supported');
      else ctx.logger.info('update checks are not supported');
    });
    return ACCEPTED;
  },
});
