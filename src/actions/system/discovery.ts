/**
 * What clients probe on connect (docs/extensions.md §9.4, §9.5): `get_supported_actions` (go-cqhttp's
 * capability list) and `get_guild_service_profile` (Koishi calls it on every connect; decision P7).
 */
import { defineAction } from '../../core/action.js';
import { params } from '../../core/params.js';

export const getSupportedActions = defineAction({
  name: 'get_supported_actions',
  origin: 'extension',
  summary: 'Every action name cqhttpd routes, from its registry (base names; no _async/_rate_limited forms).',
  params: params({}),
  handler: (_p, ctx) => [...ctx.actions()],
});

/**
 * No guild (QQ频道) service: go-cqhttp's answer for such an account — the bot's nickname, `tiny_id`
 * `"0"` (Koishi then skips guild setup), no avatar.
 */
export const getGuildServiceProfile = defineAction({
  name: 'get_guild_service_profile',
  origin: 'extension',
  summary: 'The guild (QQ频道) profile: cqhttpd has no guild service, so tiny_id "0" (what go-cqhttp answers then).',
  params: params({}),
  handler: async (_p, ctx) => {
    const { nickname } = await ctx.backend.getLoginInfo();
    return { avatar_url: '', nickname, tiny_id: '0' };
  },
});
