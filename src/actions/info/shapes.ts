/** Domain → wire shapes for the information actions (CQHTTP 4.15 §6.4); keys are the wire names. */
import type { FriendInfo, GroupInfo, MemberInfo, StrangerInfo } from '../../backend/port.js';

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
