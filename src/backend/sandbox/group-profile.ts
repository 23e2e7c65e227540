/**
 * Look-ups of the 4.15 experimental actions (docs/protocol.md §6.10) and the group system messages
 * (docs/extensions.md §6.6). The original scraped QQ's web pages; where those would have returned nothing
 * (a group the bot is not in, an unknown user) the failure is CREDENTIALS_INVALID (104), as there.
 */
import { ApiError } from '../../protocol/errors.js';
import type { FriendGroup, GroupAdmin, GroupProfile, GroupSystemMessages, InvitedRequest, JoinRequest, VipInfo } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import { friendList } from './info.js';
import { maxAdminCount } from './group-rules.js';
import { requestLapsed } from './requests.js';

/** QQ's default friend group, the only one the sandbox has. */
export const DEFAULT_FRIEND_GROUP = { friendGroupId: 0, friendGroupName: '我的好友' } as const;

/** `_get_group_info`: the group's owner, admins and counts (104 when the bot is not in it). */
export function groupProfile(ctx: SandboxContext, groupId: number): GroupProfile {
  const group = ctx.store.groups.get(groupId);
  if (group === undefined || !ctx.botInGroup(groupId)) {
    throw new ApiError('CREDENTIALS_INVALID', `QQ's group web API returns nothing for group ${groupId}: the bot is not a member`);
  }
  const members = ctx.store.groups.members(groupId);
  const admins: GroupAdmin[] = [
    ...members.filter((m) => m.role === 'owner').map((m) => ({ userId: m.user_id, nickname: m.nickname, role: 'owner' as const })),
    ...members.filter((m) => m.role === 'admin').map((m) => ({ userId: m.user_id, nickname: m.nickname, role: 'admin' as const })),
  ];
  return {
    groupId,
    groupName: group.group_name,
    createTime: group.created_at,
    category: 0,
    introduction: ctx.store.groupExtras.settings(groupId)?.introduction ?? '',
    memberCount: members.length,
    maxMemberCount: group.max_member_count,
    maxAdminCount: maxAdminCount(group.max_member_count),
    ownerId: ctx.store.groups.ownerOf(groupId) ?? 0,
    admins,
  };
}

/** `_get_friend_list`: every friend is in QQ's default friend group. */
export function friendGroups(ctx: SandboxContext): FriendGroup[] {
  return [{ ...DEFAULT_FRIEND_GROUP, friends: friendList(ctx) }];
}

/**
 * `_get_vip_info`: the user's QQ level from the world; the rest are stable values derived from the
 * QQ number (a sandbox has no membership shop). Unknown user → 104.
 */
export function vipInfo(ctx: SandboxContext, userId: number): VipInfo {
  const user = ctx.store.users.get(userId);
  if (user === undefined) throw new ApiError('CREDENTIALS_INVALID', `user ${userId} does not exist; QQ's VIP web page returns nothing`);
  const tier = userId % 8;
  return {
    userId,
    nickname: user.nickname,
    level: user.level,
    levelSpeed: Math.round(10 + (userId % 10)) / 10,
    vipLevel: tier === 0 ? '普通用户' : `VIP${tier}`,
    vipGrowthSpeed: tier === 0 ? 0 : 5 + tier * 2,
    vipGrowthTotal: tier === 0 ? 0 : tier * 1200 + (userId % 100),
  };
}

/**
 * The group system messages: invitations of the bot (all, handled ones `checked`) and join requests
 * of the groups it is admin or owner of now, newest first. `request_id` is the request's row number;
 * `flag` is what `set_group_add_request` takes.
 */
export function groupSystemMessages(ctx: SandboxContext): GroupSystemMessages {
  const invited: InvitedRequest[] = [];
  const join: JoinRequest[] = [];
  const nick = (userId: number): string => ctx.store.users.get(userId)?.nickname ?? '';
  for (const r of ctx.store.groupExtras.groupRequests()) {
    const groupId = r.group_id ?? 0;
    const groupName = ctx.store.groups.get(groupId)?.group_name ?? '';
    const common = { requestId: r.request_id, flag: r.flag, groupId, groupName, checked: r.state !== 'pending' || requestLapsed(ctx, r), actor: r.handled_by ?? 0 };
    if (r.sub_type === 'invite') {
      invited.push({ ...common, invitorUin: r.user_id, invitorNick: nick(r.user_id) });
    } else if (ctx.store.groups.member(groupId, ctx.selfId)?.role !== 'member' && ctx.botInGroup(groupId)) {
      join.push({ ...common, requesterUin: r.user_id, requesterNick: nick(r.user_id), message: r.comment, actionUin: 0, actionUinNick: '', suspicious: false });
    }
  }
  return { invited, join };
}
