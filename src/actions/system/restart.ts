/**
 * Restarts (CQHTTP 4.15 §6.7, §6.10; OneBot v11, docs/extensions.md §2.5): `set_restart_plugin`, its
 * v11 name `set_restart` (decision D13: async, retcode 1), and the experimental `_set_restart`.
 * All three restart cqhttpd in-process through the supervisor (`ctx.restart`): the configuration is
 * reloaded, listeners re-bound, connections dropped; data (messages, the world) survive.
 */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { bool, int, params } from '../../core/params.js';
import { ACCEPTED } from '../../core/result.js';
import { ApiError } from '../../protocol/errors.js';

/** The longest delay a timer can wait (Node clamps longer ones to 1 ms). */
export const MAX_RESTART_DELAY_MS = 2_147_483_647;

/** `delay`: milliseconds, 0..{@link MAX_RESTART_DELAY_MS}; anything else is a bad parameter (100). */
const delaySchema = params({
  delay: v.pipe(int(0), v.check((n) => n >= 0 && n <= MAX_RESTART_DELAY_MS, `must be a number of milliseconds from 0 to ${MAX_RESTART_DELAY_MS}`)),
});

function scheduleRestart(p: { delay: number }, ctx: ActionContext): typeof ACCEPTED {
  ctx.restart(p.delay);
  return ACCEPTED;
}

export const setRestartPlugin = defineAction({
  name: 'set_restart_plugin',
  summary: 'Restart cqhttpd in-process after `delay` ms: config reloaded, listeners re-bound, connections dropped (answers async).',
  params: delaySchema,
  handler: scheduleRestart,
});

export const setRestart = defineAction({
  name: 'set_restart',
  origin: 'onebot-v11',
  summary: 'OneBot v11 name of set_restart_plugin (answers async).',
  params: delaySchema,
  handler: scheduleRestart,
});

/** Before restarting, empties what the flags ask for; a failure answers 103 and nothing restarts. */
async function cleanBeforeRestart(p: { clean_log: boolean; clean_cache: boolean }, ctx: ActionContext): Promise<void> {
  if (p.clean_log) await ctx.cleanLog();
  if (p.clean_cache) {
    const result = await ctx.call('clean_cache', {});
    if (result === null) ctx.logger.warn('_set_restart: clean_cache is not available here; the media cache was kept');
    else if (result.retcode !== 0) throw new ApiError('OPERATION_FAILED', `_set_restart: cleaning the media cache failed: ${result.error?.message ?? `retcode ${result.retcode}`}`);
  }
}

/**
 * `_set_restart`: in 4.15 it restarted CoolQ itself, optionally deleting CoolQ's log, cache and
 * event databases. For cqhttpd "CoolQ" is cqhttpd: `clean_log` empties the plugin log,
 * `clean_cache` empties the media cache (as `clean_cache`), `clean_event` has nothing to delete
 * (events are not stored apart from the messages, which must survive). Answers ok, then restarts.
 */
export const setRestartCoolq = defineAction({
  name: '_set_restart',
  summary: 'Experimental: restart cqhttpd ("CoolQ"); clean_log empties the plugin log, clean_cache the media cache, clean_event does nothing.',
  params: params({ clean_log: bool(false), clean_cache: bool(false), clean_event: bool(false) }),
  handler: async (p, ctx) => {
    await cleanBeforeRestart(p, ctx);
    if (p.clean_event) ctx.logger.debug('_set_restart: clean_event has nothing to delete in cqhttpd');
    ctx.restart(0);
    return null;
  },
});
