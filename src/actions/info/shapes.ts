/** Domain → wire shapes for the information actions (CQHTTP 4.15 §6.4); keys are the wire names. */
import type { FriendInfo, GroupInfo, LoginInfo, MemberInfo, StrangerInfo } from '../../backend/port.js';

type LoginOut = Readonly<{ nickname: string; user_id: number }>;
const loginShapes = new WeakMap<LoginInfo, LoginOut>();

/**
 * `get_login_info`'s object. The backend answers the same (cached, never mutated) `LoginInfo`
 * until something changes, so its wire object is made once per value and frozen: the envelope
 * then serialises it once too (core/envelope.ts).
 */
export function loginOut(info: LoginInfo): LoginOut {
  let out = loginShapes.get(info);
  if (out === undefined) {
    out = Object.freeze({ nickname: info.nickname, user_id: info.userId });
    loginShapes.set(info, out);
  }
  return out;
}

export const groupOut = (g: GroupInfo) => ({
  group_id: g.groupId,
  group_name: g.groupName,
  max_member_count: g.maxMemberCount,
  member_count: g.memberCount,
});

export const strangerOut = (u: StrangerInfo) => ({ age: u.age, nickname: u.nickname, sex: u.sex, user_id: u.userId });

export const friendOut = (f: FriendInfo) => ({ nickname: f.nickname, remark: f.remark, user_id: f.userId });

/** The 15-field member object. */
export const memberOut = (m: MemberInfo) => ({
  age: m.age,
  area: m.area,
  card: m.card,
  card_changeable: m.cardChangeable,
  group_id: m.groupId,
  join_time: m.joinTime,
  last_sent_time: m.lastSentTime,
  level: m.level,
  nickname: m.nickname,
  role: m.role,
  sex: m.sex,
  title: m.title,
  title_expire_time: m.titleExpireTime,
  unfriendly: m.unfriendly,
  user_id: m.userId,
});
