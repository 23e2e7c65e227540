/** Domain → wire shapes of the groups-extension actions; keys are the wire names, in sorted order. */
import type {
  AtAllRemain, EssenceMessage, FriendGroup, GroupHonors, GroupNotice, GroupProfile, GroupSystemMessages, HonorHolder, HonorKind, VipInfo,
} from '../../backend/port-groups.js';

/** `_get_group_info` (4.15 §6.10). */
export const groupProfileOut = (g: GroupProfile) => ({
  admin_count: g.admins.length,
  admins: g.admins.map((a) => ({ nickname: a.nickname, role: a.role, user_id: a.userId })),
  category: g.category,
  create_time: g.createTime,
  group_id: g.groupId,
  group_name: g.groupName,
  introduction: g.introduction,
  max_admin_count: g.maxAdminCount,
  max_member_count: g.maxMemberCount,
  member_count: g.memberCount,
  owner_id: g.ownerId,
});

/** QQ's web API HTML-escapes announcement text (spaces become `&nbsp;`). */
function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/ /g, '&nbsp;');
}

/** One `feeds` item of `_get_group_notice`, as QQ's announcement API returns it. */
export const groupNoticeOut = (n: GroupNotice) => ({
  cn: 0,
  fid: n.id,
  fn: 0,
  msg: { text: htmlEscape(n.text), text_face: htmlEscape(n.text), title: htmlEscape(n.title) },
  pubt: n.publishedAt,
  read_num: n.readCount,
  settings: { is_show_edit_card: 0, remind_ts: 0 },
  u: n.authorId,
  vn: 0,
});

/** `_get_friend_list`: grouped (default) or `flat`. */
export function friendGroupsOut(groups: readonly FriendGroup[], flat: boolean): unknown {
  if (!flat) {
    return groups.map((g) => ({
      friend_group_id: g.friendGroupId,
      friend_group_name: g.friendGroupName,
      friends: g.friends.map((f) => ({ nickname: f.nickname, remark: f.remark, user_id: f.userId })),
    }));
  }
  return {
    friend_groups: groups.map((g) => ({ friend_group_id: g.friendGroupId, friend_group_name: g.friendGroupName })),
    friends: groups.flatMap((g) => g.friends.map((f) => ({ friend_group_id: g.friendGroupId, nickname: f.nickname, remark: f.remark, user_id: f.userId }))),
  };
}

/** `_get_vip_info`: all seven keys. */
export const vipInfoOut = (v: VipInfo) => ({
  level: v.level,
  level_speed: v.levelSpeed,
  nickname: v.nickname,
  user_id: v.userId,
  vip_growth_speed: v.vipGrowthSpeed,
  vip_growth_total: v.vipGrowthTotal,
  vip_level: v.vipLevel,
});

/** The `type` values of `get_group_honor_info`. */
export const HONOR_QUERY_TYPES = ['talkative', 'performer', 'legend', 'strong_newbie', 'emotion', 'all'] as const;
export type HonorQueryType = (typeof HONOR_QUERY_TYPES)[number];

const holderOut = (h: HonorHolder) => ({ avatar: h.avatar, description: h.description, nickname: h.nickname, user_id: h.userId });

/** `get_group_honor_info` for `type`: the requested lists (always arrays), `current_talkative` when there is one. */
export function honorsOut(h: GroupHonors, type: HonorQueryType): Record<string, unknown> {
  const wanted = (kind: HonorKind): boolean => type === 'all' || type === kind;
  const out: Record<string, unknown> = {};
  const current = h.currentTalkative;
  if (wanted('talkative') && current !== undefined) {
    out['current_talkative'] = { avatar: current.avatar, day_count: current.dayCount, nickname: current.nickname, user_id: current.userId };
  }
  if (wanted('emotion')) out['emotion_list'] = h.lists.emotion.map(holderOut);
  out['group_id'] = h.groupId;
  if (wanted('legend')) out['legend_list'] = h.lists.legend.map(holderOut);
  if (wanted('performer')) out['performer_list'] = h.lists.performer.map(holderOut);
  if (wanted('strong_newbie')) out['strong_newbie_list'] = h.lists.strong_newbie.map(holderOut);
  if (wanted('talkative')) out['talkative_list'] = h.lists.talkative.map(holderOut);
  return out;
}

/** One item of `get_essence_msg_list` (go-cqhttp's seven fields, D5). */
export const essenceOut = (e: EssenceMessage) => ({
  message_id: e.messageId,
  operator_id: e.operatorId,
  operator_nick: e.operatorNick,
  operator_time: e.operatorTime,
  sender_id: e.senderId,
  sender_nick: e.senderNick,
  sender_time: e.senderTime,
});

/** `get_group_at_all_remain`. */
export const atAllRemainOut = (r: AtAllRemain) => ({
  can_at_all: r.canAtAll,
  remain_at_all_count_for_group: r.remainForGroup,
  remain_at_all_count_for_uin: r.remainForUin,
});

/** `get_group_system_msg`: go-cqhttp's fields (plus `flag`), `[]` rather than `null` when empty (D6). */
export const systemMessagesOut = (m: GroupSystemMessages) => ({
  invited_requests: m.invited.map((r) => ({
    actor: r.actor, checked: r.checked, flag: r.flag, group_id: r.groupId, group_name: r.groupName,
    invitor_nick: r.invitorNick, invitor_uin: r.invitorUin, request_id: r.requestId,
  })),
  join_requests: m.join.map((r) => ({
    action_uin: r.actionUin, action_uin_nick: r.actionUinNick, actor: r.actor, checked: r.checked, flag: r.flag,
    group_id: r.groupId, group_name: r.groupName, message: r.message, request_id: r.requestId,
    requester_nick: r.requesterNick, requester_uin: r.requesterUin, suspicious: r.suspicious,
  })),
});
