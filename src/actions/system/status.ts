/** `get_status` (CQHTTP 4.15 §6.7, §11.1): the 4.15 field set and its `good` formula. */
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { params } from '../../core/params.js';

/** The internal plugin names of 4.15, which are the keys of `plugins_good`. */
export const PLUGIN_NAMES = [
  'async_actions', 'backward_compatibility', 'default_config_generator', 'event_data_patcher', 'event_filter',
  'experimental_actions', 'extension_loader', 'heartbeat_generator', 'http', 'ini_config_loader',
  'json_config_loader', 'loggers', 'message_enhancer', 'post_message_formatter', 'rate_limited_actions',
  'restarter', 'updater', 'websocket', 'websocket_reverse', 'worker_pool_resizer',
] as const;

/** The status object, also carried by heartbeat events. */
export function statusOf(ctx: Pick<ActionContext, 'backend' | 'health'>) {
  const health = ctx.health();
  const pluginsGood: Record<string, boolean> = {};
  let allGood = true;
  for (const name of PLUGIN_NAMES) {
    const good = health[name] ?? true;
    pluginsGood[name] = good;
    allGood &&= good;
  }
  const online = ctx.backend.isOnline();
  const appGood = allGood; // initialised and enabled whenever actions can run
  return {
    app_enabled: true,
    app_good: appGood,
    app_initialized: true,
    good: appGood && online,
    online,
    plugins_good: pluginsGood,
  };
}

export const getStatus = defineAction({
  name: 'get_status',
  summary: 'Health of cqhttpd and whether the account is online.',
  params: params({}),
  handler: (_p, ctx) => statusOf(ctx),
});
