/**
 * The port's groups extension over a OneBot v11 upstream: the 4.15 experimental look-ups, honors,
 * essence, @全体成员 quotas, group system messages, pokes and the portrait, each mapped to the
 * upstream action of the same name (go-cqhttp/NapCat/LLBot spell them so) and its answer read back
 * into the port's types — leniently, with the NT-era spellings accepted beside go-cqhttp's.
 */
import type {
  AtAllRemain, EssenceMessage, FriendGroup, GroupHonors, GroupNotice, GroupProfile, GroupSystemMessages, HonorHolder, HonorKind, PokeRequest, VipInfo,
} from '../port-groups.js';
import { bool, int, items, num, object, record, str } from './normalise.js';
import type { Upstream } from './upstream.js';

type Wire = Record<string, unknown>;

/** QQ's announcement API HTML-escapes text; the port holds it plain (the action escapes it again). */
function htmlUnescape(s: string): string {
  return s.replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}

export async function getGroupProfile(up: Upstream, groupId: number): Promise<GroupProfile> {
  const g = await up.object('_get_group_info', { group_id: groupId });
  return {
    groupId: int(g['group_id']) || groupId,
    groupName: str(g['group_name']),
    createTime: int(g['create_time']),
    category: int(g['category']),
    introduction: str(g['introduction']),
    memberCount: int(g['member_count']),
    maxMemberCount: int(g['max_member_count']),
    maxAdminCount: int(g['max_admin_count']),
    ownerId: int(g['owner_id']),
    admins: items(g['admins']).map((a) => ({ userId: int(a['user_id']), nickname: str(a['nickname']), role: a['role'] === 'owner' ? 'owner' : 'admin' })),
  };
}

/** go-cqhttp's `feeds` items (`fid`, `u`, `pubt`, `msg`) or NapCat's (`notice_id`, `sender_id`, `publish_time`, `message`). */
function groupNotice(w: Wire): GroupNotice {
  const msg = record(w['msg'] ?? w['message']);
  return {
    id: str(w['fid'] ?? w['notice_id']),
    authorId: int(w['u'] ?? w['sender_id']),
    title: htmlUnescape(str(msg['title'])),
    text: htmlUnescape(str(msg['text'])),
    publishedAt: int(w['pubt'] ?? w['publish_time']),
    readCount: int(w['read_num']),
  };
}

export async function getGroupNotices(up: Upstream, groupId: number): Promise<GroupNotice[]> {
  const data = await up.call('_get_group_notice', { group_id: groupId });
  return items(Array.isArray(data) ? data : record(data)['feeds']).map(groupNotice);
}

export function sendGroupNotice(up: Upstream, groupId: number, title: string, content: string): Promise<void> {
  return up.run('_send_group_notice', { group_id: groupId, title, content });
}

const friend = (f: Wire) => ({ userId: int(f['user_id']), nickname: str(f['nickname']), remark: str(f['remark']) });

/** The grouped answer, or the `flat` one (friend groups and friends apart) regrouped. */
export async function getFriendGroups(up: Upstream): Promise<FriendGroup[]> {
  const data = await up.call('_get_friend_list', {});
  if (Array.isArray(data)) {
    return items(data).map((g) => ({ friendGroupId: int(g['friend_group_id']), friendGroupName: str(g['friend_group_name']), friends: items(g['friends']).map(friend) }));
  }
  const flat = object('_get_friend_list', data);
  return items(flat['friend_groups']).map((g) => ({
    friendGroupId: int(g['friend_group_id']),
    friendGroupName: str(g['friend_group_name']),
    friends: items(flat['friends']).filter((f) => int(f['friend_group_id']) === int(g['friend_group_id'])).map(friend),
  }));
}

export async function getVipInfo(up: Upstream, userId: number): Promise<VipInfo> {
  const v = await up.object('_get_vip_info', { user_id: userId });
  return {
    userId: int(v['user_id']) || userId,
    nickname: str(v['nickname']),
    level: int(v['level']),
    levelSpeed: num(v['level_speed']),
    vipLevel: str(v['vip_level']),
    vipGrowthSpeed: int(v['vip_growth_speed']),
    vipGrowthTotal: int(v['vip_growth_total']),
  };
}

const holder = (h: Wire): HonorHolder => ({ userId: int(h['user_id']), nickname: str(h['nickname']), avatar: str(h['avatar']), description: str(h['description']) });
const HONOR_KINDS: readonly HonorKind[] = ['talkative', 'performer', 'legend', 'strong_newbie', 'emotion'];

export async function getGroupHonors(up: Upstream, groupId: number): Promise<GroupHonors> {
  const h = await up.object('get_group_honor_info', { group_id: groupId, type: 'all' });
  const lists = Object.fromEntries(HONOR_KINDS.map((kind) => [kind, items(h[`${kind}_list`]).map(holder)])) as Record<HonorKind, HonorHolder[]>;
  const current = h['current_talkative'];
  const out: GroupHonors = { groupId: int(h['group_id']) || groupId, lists };
  if (typeof current === 'object' && current !== null && int((current as Wire)['user_id']) !== 0) {
    const c = current as Wire;
    out.currentTalkative = { userId: int(c['user_id']), nickname: str(c['nickname']), avatar: str(c['avatar']), dayCount: int(c['day_count']) };
  }
  return out;
}

export function setEssenceMessage(up: Upstream, messageId: number, enable: boolean): Promise<void> {
  return up.run(enable ? 'set_essence_msg' : 'delete_essence_msg', { message_id: up.upstreamId(messageId) });
}

export async function getEssenceMessages(up: Upstream, groupId: number): Promise<EssenceMessage[]> {
  return (await up.list('get_essence_msg_list', { group_id: groupId })).map((e) => ({
    messageId: up.localId(e['message_id']),
    senderId: int(e['sender_id']),
    senderNick: str(e['sender_nick']),
    senderTime: int(e['sender_time']),
    operatorId: int(e['operator_id']),
    operatorNick: str(e['operator_nick']),
    operatorTime: int(e['operator_time']),
  }));
}

export async function getGroupAtAllRemain(up: Upstream, groupId: number): Promise<AtAllRemain> {
  const r = await up.object('get_group_at_all_remain', { group_id: groupId });
  return { canAtAll: bool(r['can_at_all']), remainForGroup: int(r['remain_at_all_count_for_group']), remainForUin: int(r['remain_at_all_count_for_uin']) };
}

export async function getGroupSystemMessages(up: Upstream): Promise<GroupSystemMessages> {
  const m = await up.object('get_group_system_msg', {});
  return {
    invited: items(m['invited_requests']).map((r) => ({
      requestId: int(r['request_id']), flag: str(r['flag'] ?? r['request_id']), invitorUin: int(r['invitor_uin']), invitorNick: str(r['invitor_nick']),
      groupId: int(r['group_id']), groupName: str(r['group_name']), checked: bool(r['checked']), actor: int(r['actor']),
    })),
    join: items(m['join_requests']).map((r) => ({
      requestId: int(r['request_id']), flag: str(r['flag'] ?? r['request_id']), requesterUin: int(r['requester_uin']), requesterNick: str(r['requester_nick']),
      message: str(r['message']), groupId: int(r['group_id']), groupName: str(r['group_name']), checked: bool(r['checked']), actor: int(r['actor']),
      actionUin: int(r['action_uin']), actionUinNick: str(r['action_uin_nick']), suspicious: bool(r['suspicious']),
    })),
  };
}

/** `group_poke` / `friend_poke` (NapCat, LLBot, go-cqhttp-style; cqhttpd has both). */
export function sendPoke(up: Upstream, poke: PokeRequest): Promise<void> {
  if (poke.kind === 'group') return up.run('group_poke', { group_id: poke.groupId, user_id: poke.targetId });
  return up.run('friend_poke', { user_id: poke.userId, target_id: poke.targetId });
}

/** The file as the bot gave it: `base64://` and URLs work with any upstream; a path must exist on the upstream's host. */
export function setGroupPortrait(up: Upstream, groupId: number, file: string): Promise<void> {
  return up.run('set_group_portrait', { group_id: groupId, file });
}
