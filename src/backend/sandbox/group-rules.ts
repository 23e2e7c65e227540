/**
 * QQ's rules for the groups extension (docs/qq-rules.md §1, §6, §8): field limits, @全体成员 quotas, the
 * admin-count tiers, China-time days, and the role checks the group settings share.
 */
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { requireMembership, roleNoun, who } from './rules.js';
import type { GroupRow, MemberRow } from './store/index.js';

/** Longest group card, in UTF-8 bytes (MiraiGo `EditCard`; §1). */
export const MAX_CARD_BYTES = 60;
/** Longest special title, in UTF-8 bytes (MiraiGo `EditSpecialTitle`; §1). */
export const MAX_TITLE_BYTES = 18;
/** @全体成员 uses per group per day, all admins together (§6; a guess that fits observed 19/9). */
export const AT_ALL_PER_GROUP_PER_DAY = 20;
/** @全体成员 uses per admin per group per day (§6). */
export const AT_ALL_PER_ADMIN_PER_DAY = 10;
/** What QQ shows for a plain member's `[CQ:at,qq=all]` (go-cqhttp sends it as this text). */
export const AT_ALL_TEXT = '@全体成员';

/** Seconds in a day, and China's offset from UTC (QQ's days start at midnight UTC+8). */
const DAY_SECONDS = 86_400;
const CHINA_OFFSET_SECONDS = 8 * 3600;

/** The China-time day number (days since 1970-01-01 UTC+8) of a Unix-seconds instant. */
export function chinaDay(sec: number): number {
  return Math.floor((sec + CHINA_OFFSET_SECONDS) / DAY_SECONDS);
}

/** The first Unix second of China-time day `day`. */
export function chinaDayStart(day: number): number {
  return day * DAY_SECONDS - CHINA_OFFSET_SECONDS;
}

/**
 * The most owners+admins a group of `maxMemberCount` may have (docs/qq-rules.md §1: 500 → 15 observed;
 * 200 → 10, 1000 → 15, 2000 → 20, 3000 → 30 proposed).
 */
export function maxAdminCount(maxMemberCount: number): number {
  if (maxMemberCount <= 200) return 10;
  if (maxMemberCount <= 1000) return 15;
  if (maxMemberCount <= 2000) return 20;
  return 30;
}

/** The group and the actor's membership, the actor being an admin or the owner (-39 otherwise). */
export function requireAdmin(ctx: SandboxContext, groupId: number, actorId: number, what: string): { group: GroupRow; actor: MemberRow } {
  const found = requireMembership(ctx, groupId, actorId);
  if (found.actor.role === 'member') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is a plain member of group ${groupId}; only admins and the owner can ${what}`);
  }
  return found;
}

/** The actor's membership, the actor being the owner (-39 otherwise). */
export function requireOwner(ctx: SandboxContext, groupId: number, actorId: number, what: string): { group: GroupRow; actor: MemberRow } {
  const found = requireMembership(ctx, groupId, actorId);
  if (found.actor.role !== 'owner') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is ${roleNoun(found.actor.role)} of group ${groupId}; only the owner can ${what}`);
  }
  return found;
}

/** Refuse a text longer than `maxBytes` of UTF-8 (100, as any over-limit parameter). */
export function checkBytes(value: string, maxBytes: number, what: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) throw new ApiError('BAD_PARAMS', `${what} is ${bytes} bytes of UTF-8; QQ accepts at most ${maxBytes}`);
}

/** QQ's avatar URL of a user (no request is made; bots only display it). */
export function avatarUrl(userId: number): string {
  return `https://q1.qlogo.cn/g?b=qq&nk=${userId}&s=640`;
}
