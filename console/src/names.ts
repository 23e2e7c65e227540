/** How people are named on screen: the group card, else the nickname, else the number. */
import { world } from './store';
import type { Group, Member } from './types';

export function nickname(userId: number): string {
  const w = world.value;
  if (w === null) return String(userId);
  if (userId === w.self_id) return w.users.find((u) => u.user_id === userId)?.nickname ?? 'Bot';
  return w.users.find((u) => u.user_id === userId)?.nickname ?? String(userId);
}

export function group(groupId: number): Group | undefined {
  return world.value?.groups.find((g) => g.group_id === groupId);
}

export function member(groupId: number, userId: number): Member | undefined {
  return group(groupId)?.members.find((m) => m.user_id === userId);
}

/** The name shown for `userId`, in `groupId` when given (its card there first). */
export function displayName(userId: number, groupId?: number): string {
  const card = groupId === undefined ? '' : member(groupId, userId)?.card ?? '';
  return card !== '' ? card : nickname(userId);
}

/** "1h 02m", "4m 10s", "35s". */
export function timeLeft(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
