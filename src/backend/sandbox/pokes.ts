/**
 * Pokes the bot sends (docs/extensions.md §8): in a group to any member (itself included), or in the
 * private chat with a friend (the friend, or itself). QQ echoes each as a `notify`/`poke` notice with
 * the bot as the poker (go-cqhttp's shape, D10).
 */
import { ApiError } from '../../protocol/errors.js';
import type { PokeRequest } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import { pokeEvent } from './events.js';
import type { Outbox } from './events.js';
import { requireMembership, requireTargetMember, silencedReason } from './rules.js';

/** The bot pokes: -9/-10 outside the group, -34 while muted there; privately only friends (-23). */
export function botPoke(ctx: SandboxContext, out: Outbox, poke: PokeRequest): void {
  if (poke.kind === 'group') {
    const { group, actor } = requireMembership(ctx, poke.groupId, ctx.selfId);
    requireTargetMember(ctx, poke.groupId, poke.targetId);
    const silenced = silencedReason(ctx, group, actor);
    if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot poke in group ${poke.groupId}: ${silenced}`);
    out.push(pokeEvent(ctx.eventBase(), poke.groupId, ctx.selfId, poke.targetId));
    return;
  }
  if (poke.userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'user_id is the chat peer of a friend poke; the bot has no private chat with itself');
  if (ctx.store.users.get(poke.userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${poke.userId} does not exist`);
  if (ctx.store.users.friend(poke.userId) === undefined) throw new ApiError('NO_RELATIONSHIP', `user ${poke.userId} is not the bot's friend; pokes in private chat go to friends`);
  if (poke.targetId !== poke.userId && poke.targetId !== ctx.selfId) {
    throw new ApiError('BAD_PARAMS', `in the private chat with ${poke.userId} the bot pokes ${poke.userId} or itself, not ${poke.targetId}`);
  }
  out.push(pokeEvent(ctx.eventBase(), undefined, ctx.selfId, poke.targetId));
}
