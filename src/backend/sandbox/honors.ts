/**
 * Group honors (docs/qq-rules.md §8), derived from the stored group messages of complete China days (today
 * does not count until it is over, as QQ recomputes daily):
 * - 龙王 `talkative`: who sent the most messages yesterday (ties: the lower QQ number); `day_count` =
 *   consecutive days up to yesterday; the list holds every past 龙王, latest first;
 * - 群聊之火 `performer`: messages on more than 7 consecutive days up to yesterday; 群聊炽焰 `legend`
 *   replaces it from 30 days on (QQ's threshold is unknown);
 * - 快乐源泉 `emotion`: stickers on more than 3 consecutive days, more than 20 of them in that streak;
 * - 冒尖小春笋 `strong_newbie`: retired by QQ, always empty.
 * Only current members hold honors; anonymous messages count for nobody.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { CurrentTalkative, GroupHonors, HonorHolder } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import { avatarUrl, chinaDay, chinaDayStart } from './group-rules.js';

/** How far back honors look, in days. */
const WINDOW_DAYS = 400;
/** 群聊之火: "more than 7 consecutive days". */
export const PERFORMER_MIN_DAYS = 8;
/** 群聊炽焰: a longer streak (a guess: 30 days). */
export const LEGEND_MIN_DAYS = 30;
/** 快乐源泉: "more than 3 consecutive days" … */
export const EMOTION_MIN_DAYS = 4;
/** … "more than 20 in total". */
export const EMOTION_MIN_STICKERS = 21;

const STICKER_TYPES = new Set(['face', 'sface', 'bface', 'mface']);

/** Whether a message carries a sticker (an emoticon, or an image sent as a sticker: `subType` 1). */
function hasSticker(segments: readonly Segment[]): boolean {
  return segments.some((s) => STICKER_TYPES.has(s.type) || (s.type === 'image' && (s.data['subType'] === '1' || s.data['sub_type'] === '1')));
}

interface DayActivity { messages: number; stickers: number }

/** How many consecutive days, ending with `lastDay`, satisfy `test`. */
function streak(days: ReadonlyMap<number, DayActivity>, lastDay: number, test: (a: DayActivity) => boolean): number {
  let n = 0;
  for (let d = lastDay; ; d--) {
    const a = days.get(d);
    if (a === undefined || !test(a)) return n;
    n++;
  }
}

/** Per member, per complete day: messages and messages with stickers. */
function activity(ctx: SandboxContext, groupId: number, today: number, members: ReadonlySet<number>): Map<number, Map<number, DayActivity>> {
  const byUser = new Map<number, Map<number, DayActivity>>();
  for (const row of ctx.store.groupExtras.spokenSince(groupId, chinaDayStart(today - WINDOW_DAYS) * 1000)) {
    if (!members.has(row.sender_id)) continue;
    const day = chinaDay(Math.floor(row.time_ms / 1000));
    if (day >= today) continue;
    let days = byUser.get(row.sender_id);
    if (days === undefined) byUser.set(row.sender_id, (days = new Map()));
    const a = days.get(day) ?? { messages: 0, stickers: 0 };
    a.messages++;
    if (hasSticker(JSON.parse(row.segments) as Segment[])) a.stickers++;
    days.set(day, a);
  }
  return byUser;
}

/** Each past day's 龙王 (most messages; ties go to the lower QQ number). */
function talkativeByDay(byUser: ReadonlyMap<number, ReadonlyMap<number, DayActivity>>): Map<number, number> {
  const best = new Map<number, { userId: number; messages: number }>();
  for (const [userId, days] of byUser) {
    for (const [day, a] of days) {
      const b = best.get(day);
      if (b === undefined || a.messages > b.messages || (a.messages === b.messages && userId < b.userId)) best.set(day, { userId, messages: a.messages });
    }
  }
  return new Map([...best].map(([day, b]) => [day, b.userId]));
}

/** Every honor list of a group the bot is in (102 otherwise). */
export function groupHonors(ctx: SandboxContext, groupId: number): GroupHonors {
  if (!ctx.botInGroup(groupId)) throw new ApiError('INVALID_DATA', `the bot is not a member of group ${groupId}`);
  const today = chinaDay(ctx.nowSec());
  const yesterday = today - 1;
  const nick = new Map(ctx.store.groups.members(groupId).map((m) => [m.user_id, m.nickname]));
  const holder = (userId: number, description: string): HonorHolder => ({ userId, nickname: nick.get(userId) ?? '', avatar: avatarUrl(userId), description });
  const byUser = activity(ctx, groupId, today, new Set(nick.keys()));

  const winners = talkativeByDay(byUser);
  let currentTalkative: CurrentTalkative | undefined;
  const king = winners.get(yesterday);
  if (king !== undefined) {
    let dayCount = 0;
    while (winners.get(yesterday - dayCount) === king) dayCount++;
    currentTalkative = { userId: king, nickname: nick.get(king) ?? '', avatar: avatarUrl(king), dayCount };
  }
  const wins = new Map<number, { last: number; count: number }>();
  for (const [day, userId] of winners) {
    const w = wins.get(userId) ?? { last: day, count: 0 };
    wins.set(userId, { last: Math.max(w.last, day), count: w.count + 1 });
  }
  const talkative = [...wins].sort(([a, x], [b, y]) => y.last - x.last || a - b).map(([userId, w]) => holder(userId, `龙王${w.count}天`));

  const streaks: { userId: number; days: number; stickerDays: number; stickers: number }[] = [];
  for (const [userId, days] of byUser) {
    const stickerDays = streak(days, yesterday, (a) => a.stickers > 0);
    let stickers = 0;
    for (let d = yesterday; d > yesterday - stickerDays; d--) stickers += days.get(d)?.stickers ?? 0;
    streaks.push({ userId, days: streak(days, yesterday, (a) => a.messages > 0), stickerDays, stickers });
  }
  const byStreak = (a: { days: number; userId: number }, b: { days: number; userId: number }): number => b.days - a.days || a.userId - b.userId;
  const performer = streaks.filter((s) => s.days >= PERFORMER_MIN_DAYS && s.days < LEGEND_MIN_DAYS).sort(byStreak)
    .map((s) => holder(s.userId, `连续发消息${s.days}天`));
  const legend = streaks.filter((s) => s.days >= LEGEND_MIN_DAYS).sort(byStreak).map((s) => holder(s.userId, `连续发消息${s.days}天`));
  const emotion = streaks.filter((s) => s.stickerDays >= EMOTION_MIN_DAYS && s.stickers >= EMOTION_MIN_STICKERS)
    .sort((a, b) => b.stickers - a.stickers || a.userId - b.userId)
    .map((s) => holder(s.userId, `连续${s.stickerDays}天发表情，共${s.stickers}条`));

  return { groupId, currentTalkative, lists: { talkative, performer, legend, strong_newbie: [], emotion } };
}
