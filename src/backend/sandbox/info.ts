/**
 * Read-only look-ups behind the info actions. Anything the bot cannot see (a group it is not in, a
 * member who is not there, an unknown user) is INVALID_DATA (102), as CoolQ answered with no data.
 */
import { ApiError } from '../../protocol/errors.js';
import type { FriendInfo, GroupInfo, LoginInfo, MemberInfo, StrangerInfo } from '../port.js';
import type { SandboxContext } from './context.js';
import type { GroupRow, MemberViewRow } from './store/index.js';

/** The bot's id and nickname. */
export function loginInfo(ctx: SandboxContext): LoginInfo {
  return ctx.cached('login-info', () => ({ userId: ctx.selfId, nickname: ctx.store.users.get(ctx.selfId)?.nickname ?? '' }));
}

/** Any QQ user's public profile. */
export function strangerInfo(ctx: SandboxContext, userId: number): StrangerInfo {
  const user = ctx.store.users.get(userId);
  if (user === undefined) throw new ApiError('INVALID_DATA', `user ${userId} does not exist`);
  return { userId: user.user_id, nickname: user.nickname, sex: user.sex, age: user.age };
}

/** The bot's friends. */
export function friendList(ctx: SandboxContext): FriendInfo[] {
  return ctx.store.users.friends().map((f) => ({ userId: f.user_id, nickname: f.nickname, remark: f.remark }));
}

function toGroupInfo(ctx: SandboxContext, g: GroupRow): GroupInfo {
  return { groupId: g.group_id, groupName: g.group_name, memberCount: ctx.store.groups.memberCount(g.group_id), maxMemberCount: g.max_member_count };
}

/** The groups the bot is in. */
export function groupList(ctx: SandboxContext): GroupInfo[] {
  return ctx.store.groups.ofUser(ctx.selfId).map((g) => toGroupInfo(ctx, g));
}

function visibleGroup(ctx: SandboxContext, groupId: number): GroupRow {
  const group = ctx.store.groups.get(groupId);
  if (group === undefined) throw new ApiError('INVALID_DATA', `group ${groupId} does not exist`);
  if (!ctx.botInGroup(groupId)) throw new ApiError('INVALID_DATA', `the bot is not a member of group ${groupId}`);
  return group;
}

/** A group the bot is in. */
export function groupInfo(ctx: SandboxContext, groupId: number): GroupInfo {
  return toGroupInfo(ctx, visibleGroup(ctx, groupId));
}

function toMemberInfo(ctx: SandboxContext, m: MemberViewRow): MemberInfo {
  const botRole = ctx.store.groups.member(m.group_id, ctx.selfId)?.role ?? 'member';
  // MiraiGo's rule: own card always; the owner edits anyone's; an admin anyone's but the owner's.
  const cardChangeable = m.user_id === ctx.selfId || botRole === 'owner' || (botRole === 'admin' && m.role !== 'owner');
  return {
    groupId: m.group_id,
    userId: m.user_id,
    nickname: m.nickname,
    card: m.card,
    sex: m.sex,
    age: m.age,
    area: m.area,
    joinTime: m.join_time,
    lastSentTime: m.last_sent_time,
    level: m.level,
    role: m.role,
    unfriendly: false,
    title: m.title,
    titleExpireTime: m.title_expire_time,
    cardChangeable,
  };
}

/** One member of a group the bot is in. */
export function memberInfo(ctx: SandboxContext, groupId: number, userId: number): MemberInfo {
  visibleGroup(ctx, groupId);
  const m = ctx.store.groups.memberView(groupId, userId);
  if (m === undefined) throw new ApiError('INVALID_DATA', `user ${userId} is not a member of group ${groupId}`);
  return toMemberInfo(ctx, m);
}

/** Every member of a group the bot is in, in join order. */
export function memberList(ctx: SandboxContext, groupId: number): MemberInfo[] {
  visibleGroup(ctx, groupId);
  return ctx.store.groups.members(groupId).map((m) => toMemberInfo(ctx, m));
}
