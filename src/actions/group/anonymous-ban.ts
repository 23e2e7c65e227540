/** `set_group_anonymous_ban` (§6.2): ban an anonymous member by flag; such a ban cannot be lifted. */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { getString, id, int, params, pathOf, raw } from '../../core/params.js';

/** The `anonymous` object counts only when `id` is an integer and `name`, `flag` are strings (§5 `get<T>`). */
function anonymousFlag(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as Record<string, unknown>;
  return Number.isInteger(a.id) && typeof a.name === 'string' && typeof a.flag === 'string' ? a.flag : undefined;
}

export const setGroupAnonymousBan = defineAction({
  name: 'set_group_anonymous_ban',
  summary: 'Mute an anonymous member (by the anonymous object or its flag) for duration seconds.',
  params: v.pipe(params({
    group_id: id(),
    anonymous: raw(),
    anonymous_flag: raw(),
    flag: raw(),
    duration: v.pipe(int(1800), v.check((n) => n >= 0, 'must be ≥ 0 seconds')),
  }), v.rawTransform(({ dataset: { value: p }, addIssue, NEVER }) => {
    // CODE order: a full `anonymous` object, else `flag`, else `anonymous_flag`.
    const flag = anonymousFlag(p.anonymous) ?? (getString(p.flag, '') || getString(p.anonymous_flag, ''));
    if (flag === '') {
      addIssue({ path: pathOf(p, 'flag'), message: 'an anonymous object, flag or anonymous_flag is required' });
      return NEVER;
    }
    return { groupId: p.group_id, flag, duration: p.duration };
  })),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupAnonymousBan(p.groupId, p.flag, p.duration);
    return null;
  },
});
