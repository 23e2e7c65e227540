/**
 * The bot account's social acts (docs/qq-rules.md §5, docs/extensions.md §9): profile likes (`send_like`, 10
 * per user per QQ day, at most 50 non-friends a day), removing a friend, editing its own profile,
 * and its other online devices (none: the sandbox account is logged in only here).
 */
import { ApiError } from '../../protocol/errors.js';
import type { OnlineClient, ProfileUpdate } from '../port-messages.js';
import type { SandboxContext } from './context.js';
import { who } from './rules.js';

/** Likes one account may give one user per day (a normal account; SVIP is 20). */
export const MAX_LIKES_PER_DAY = 10;
/** Distinct non-friends one account may like per day (ferredoxin/QNotified#263). */
export const MAX_STRANGERS_LIKED_PER_DAY = 50;
/** Longest nickname QQ accepts, in UTF-8 bytes (12 CJK characters) — inferred. */
export const MAX_NICKNAME_BYTES = 36;

/** QQ's day (China, UTC+8) as a day number: likes reset at midnight Beijing time. */
export function qqDay(nowSec: number): number {
  return Math.floor((nowSec + 8 * 3600) / 86400);
}

/**
 * The bot likes `userId`'s profile `times` times: a friend, or a user sharing a group with it
 * (USER_NOT_FOUND / NO_RELATIONSHIP otherwise). Over today's quota → RATE_LIMITED, nothing given.
 */
export function sendLike(ctx: SandboxContext, userId: number, times: number): void {
  if (!Number.isInteger(times) || times <= 0) throw new ApiError('BAD_PARAMS', `times must be a positive integer; got ${times}`);
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot cannot like its own profile');
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
  const friend = ctx.store.users.friend(userId) !== undefined;
  if (!friend && ctx.store.groups.sharedGroup(ctx.selfId, userId) === undefined) {
    throw new ApiError('NO_RELATIONSHIP', `user ${userId} is not the bot's friend and shares no group with it; QQ cannot find the profile to like`);
  }
  const day = qqDay(ctx.nowSec());
  const used = ctx.store.social.likesOn(userId, day);
  if (used + times > MAX_LIKES_PER_DAY) {
    throw new ApiError('RATE_LIMITED', `today's likes for user ${userId} are used up: ${used} of ${MAX_LIKES_PER_DAY} given, ${times} more asked (今日同一好友点赞数已达上限)`);
  }
  if (!friend && used === 0 && ctx.store.social.strangersLikedOn(day) >= MAX_STRANGERS_LIKED_PER_DAY) {
    throw new ApiError('RATE_LIMITED', `the bot has liked ${MAX_STRANGERS_LIKED_PER_DAY} non-friends today; QQ allows no more`);
  }
  ctx.store.social.addLikes(userId, day, times);
}

/** Likes the bot gave `userId` today. */
export function likesToday(ctx: SandboxContext, userId: number): number {
  return ctx.store.social.likesOn(userId, qqDay(ctx.nowSec()));
}

/** The bot removes a friend (no notice in OneBot). Not a friend → NO_RELATIONSHIP. */
export function deleteFriend(ctx: SandboxContext, userId: number): void {
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (!ctx.store.social.removeFriend(userId)) throw new ApiError('NO_RELATIONSHIP', `${who(ctx, userId)} is not the bot's friend`);
}

/** The bot edits its profile: only the fields given change. An empty or over-long nickname is refused. */
export function setProfile(ctx: SandboxContext, profile: ProfileUpdate): void {
  if (profile.nickname !== undefined) {
    const bytes = Buffer.byteLength(profile.nickname, 'utf8');
    if (profile.nickname.trim() === '') throw new ApiError('BAD_PARAMS', 'a QQ nickname cannot be empty');
    if (bytes > MAX_NICKNAME_BYTES) throw new ApiError('BAD_PARAMS', `a QQ nickname is at most ${MAX_NICKNAME_BYTES} bytes of UTF-8; got ${bytes}`);
    ctx.store.social.setNickname(ctx.selfId, profile.nickname);
  }
  const { company, email, college, personalNote } = profile;
  if (company !== undefined || email !== undefined || college !== undefined || personalNote !== undefined) {
    ctx.store.social.updateProfile(ctx.selfId, { company, email, college, personal_note: personalNote });
  }
}

/** The bot's profile as set by `set_qq_profile`, for the control surface. */
export function botProfile(ctx: SandboxContext): Required<ProfileUpdate> {
  const p = ctx.store.social.profile(ctx.selfId);
  return {
    nickname: ctx.store.users.get(ctx.selfId)?.nickname ?? '', company: p.company, email: p.email, college: p.college, personalNote: p.personal_note,
  };
}

/** The account's other online devices: none in the sandbox. */
export function onlineClients(): OnlineClient[] {
  return [];
}
