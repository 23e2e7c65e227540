/**
 * The poke actions of the NT-era implementations (docs/extensions.md §8): `group_poke`, `friend_poke` and
 * `send_poke`, over one backend call. QQ echoes each poke as a `notify`/`poke` notice.
 */
import { defineAction } from '../../core/action.js';
import { id, int, params } from '../../core/params.js';

export const groupPoke = defineAction({
  name: 'group_poke',
  summary: 'Poke a group member (the bot itself included).',
  origin: 'extension',
  params: params({ group_id: id(), user_id: id() }),
  handler: async (p, ctx) => {
    await ctx.backend.sendPoke({ kind: 'group', groupId: p.group_id, targetId: p.user_id });
    return null;
  },
});

export const friendPoke = defineAction({
  name: 'friend_poke',
  summary: 'Poke a friend in the private chat (target_id = the bot pokes itself there).',
  origin: 'extension',
  params: params({ user_id: id(), target_id: int(0) }),
  handler: async (p, ctx) => {
    await ctx.backend.sendPoke({ kind: 'friend', userId: p.user_id, targetId: p.target_id || p.user_id });
    return null;
  },
});

export const sendPoke = defineAction({
  name: 'send_poke',
  summary: 'Poke user_id in group_id, or in the private chat with user_id when group_id is absent.',
  origin: 'extension',
  params: params({ user_id: id(), group_id: int(0), target_id: int(0) }),
  handler: async (p, ctx) => {
    const targetId = p.target_id || p.user_id;
    await ctx.backend.sendPoke(p.group_id !== 0 ? { kind: 'group', groupId: p.group_id, targetId } : { kind: 'friend', userId: p.user_id, targetId });
    return null;
  },
});
