/**
 * Upstream answers in the port's domain types. OneBot implementations drift — ids as strings or
 * numbers, missing fields — so every field is read leniently: integers from numbers or numeric
 * strings (0 otherwise), strings as strings ('' otherwise), roles and sexes from their known values.
 */
import { decodeMessage, parseCQ, type Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { FriendInfo, GroupInfo, LoginInfo, MemberInfo, Role, Sex, StrangerInfo } from '../port.js';

type Wire = Record<string, unknown>;

export function int(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return 0;
}

/** A number (fractions kept) from a number or a numeric string; 0 otherwise. */
export function num(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

/** The objects of a nested list (`null`, a missing key or another shape → none). */
export function items(value: unknown): Wire[] {
  return Array.isArray(value) ? value.filter((item): item is Wire => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
}

/** A nested object, or an empty one. */
export const record = (value: unknown): Wire => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Wire : {});

export const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
export const bool = (value: unknown): boolean => value === true || value === 1 || value === 'true';
const sex = (value: unknown): Sex => (value === 'male' || value === 'female' ? value : 'unknown');
const role = (value: unknown): Role => (value === 'owner' || value === 'admin' ? value : 'member');

/** The answer as an object; anything else is the upstream failing to give data. */
export function object(action: string, data: unknown): Wire {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as Wire;
  throw new ApiError('INVALID_DATA', `${action}: the upstream answered without an object`);
}

export function list(action: string, data: unknown): Wire[] {
  if (!Array.isArray(data)) throw new ApiError('INVALID_DATA', `${action}: the upstream answered without a list`);
  return data.filter((item): item is Wire => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** A message as segments, whether the upstream sent a CQ string or an array. */
export function segmentsOf(message: unknown): Segment[] {
  if (typeof message === 'string') return parseCQ(message);
  return decodeMessage(message, false);
}

export const loginInfo = (w: Wire): LoginInfo => ({ userId: int(w['user_id']), nickname: str(w['nickname']) });

export const strangerInfo = (w: Wire): StrangerInfo => ({ userId: int(w['user_id']), nickname: str(w['nickname']), sex: sex(w['sex']), age: int(w['age']) });

export const friendInfo = (w: Wire): FriendInfo => ({ userId: int(w['user_id']), nickname: str(w['nickname']), remark: str(w['remark']) });

export const groupInfo = (w: Wire): GroupInfo => ({
  groupId: int(w['group_id']), groupName: str(w['group_name']), memberCount: int(w['member_count']), maxMemberCount: int(w['max_member_count']),
});

export const memberInfo = (w: Wire): MemberInfo => ({
  groupId: int(w['group_id']),
  userId: int(w['user_id']),
  nickname: str(w['nickname']),
  card: str(w['card']),
  sex: sex(w['sex']),
  age: int(w['age']),
  area: str(w['area']),
  joinTime: int(w['join_time']),
  lastSentTime: int(w['last_sent_time']),
  level: str(w['level']),
  role: role(w['role']),
  unfriendly: bool(w['unfriendly']),
  title: str(w['title']),
  titleExpireTime: int(w['title_expire_time']),
  cardChangeable: bool(w['card_changeable']),
});
