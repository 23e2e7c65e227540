/** `set_friend_add_request`, `set_group_add_request` (CQHTTP 4.15 §6.3). */
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { bool, getString, params, pathOf, raw, str } from '../../core/params.js';

const flag = () => v.pipe(str(''), v.check((s) => s !== '', 'is required (the flag of the request event)'));

export const setFriendAddRequest = defineAction({
  name: 'set_friend_add_request',
  summary: 'Approve or refuse a friend request (flag from the request event).',
  params: params({ flag: flag(), approve: bool(true), remark: str('') }),
  handler: async (p, ctx) => {
    await ctx.backend.setFriendAddRequest(p.flag, p.approve, p.remark);
    return null;
  },
});

export const setGroupAddRequest = defineAction({
  name: 'set_group_add_request',
  summary: 'Approve or refuse a join request or an invitation (sub_type add | invite).',
  params: v.pipe(params({
    flag: flag(),
    sub_type: raw(),
    type: raw(),
    approve: bool(true),
    reason: str(''),
  }), v.rawTransform(({ dataset: { value: p }, addIssue, NEVER }) => {
    // `sub_type` takes precedence over `type` (§6.3).
    const subType = getString(p.sub_type, '') || getString(p.type, '');
    if (subType !== 'add' && subType !== 'invite') {
      addIssue({ path: pathOf(p, 'sub_type'), message: 'must be add or invite (the sub_type of the request event)' });
      return NEVER;
    }
    return { flag: p.flag, subType: subType as 'add' | 'invite', approve: p.approve, reason: p.reason };
  })),
  handler: async (p, ctx) => {
    await ctx.backend.setGroupAddRequest(p.flag, p.subType, p.approve, p.reason);
    return null;
  },
});
