/**
 * Group and account look-ups and settings through Milky's API: announcements (`_get_group_notice`,
 * `_send_group_notice`), the essence list (all pages of `get_group_essence_messages`), the group
 * system messages (join requests from `get_group_notifications`, filtered ones included), friend
 * groups (`get_friend_list`'s categories), the group's portrait (`set_group_avatar`) and the bot's
 * profile (`set_nickname`, `set_bio`). What Milky does not say is empty or 0.
 */
import { ApiError } from '../../protocol/errors.js';
import type { EssenceMessage, FriendGroup, GroupNotice, GroupSystemMessages, JoinRequest } from '../port-groups.js';
import type { ProfileUpdate } from '../port-messages.js';
import type { MessageIds } from '../onebot/ids.js';
import type { MilkyApi } from './api.js';
import { groupFlag } from './flags.js';
import { messageKey } from './keys.js';
import type * as M from './types.js';

/** Essence pages read at most (of {@link ESSENCE_PAGE} messages each). */
const ESSENCE_PAGES = 20;
const ESSENCE_PAGE = 50;

export async function getGroupNotices(api: MilkyApi, groupId: number): Promise<GroupNotice[]> {
  const { announcements } = await api.call<M.GetGroupAnnouncementsOutput>('get_group_announcements', { group_id: groupId } satisfies M.GetGroupAnnouncementsInput);
  return (announcements ?? [])
    .map((a) => ({ id: a.announcement_id, authorId: a.user_id, title: '', text: a.content, publishedAt: a.time, readCount: 0 }))
    .sort((a, b) => b.publishedAt - a.publishedAt);
}

/** Milky's announcements have no title: a title becomes the first line. */
export async function sendGroupNotice(api: MilkyApi, groupId: number, title: string, content: string): Promise<void> {
  const text = title === '' ? content : content === '' ? title : `${title}\n${content}`;
  await api.call('send_group_announcement', { group_id: groupId, content: text } satisfies M.SendGroupAnnouncementInput);
}

export async function getEssenceMessages(api: MilkyApi, ids: MessageIds, groupId: number): Promise<EssenceMessage[]> {
  const out: EssenceMessage[] = [];
  for (let page = 0; page < ESSENCE_PAGES; page++) {
    const input: M.GetGroupEssenceMessagesInput = { group_id: groupId, page_index: page, page_size: ESSENCE_PAGE };
    const { messages, is_end } = await api.call<M.GetGroupEssenceMessagesOutput>('get_group_essence_messages', input);
    for (const m of messages ?? []) {
      out.push({
        messageId: ids.local(messageKey('group', groupId, m.message_seq)), senderId: m.sender_id, senderNick: m.sender_name, senderTime: m.message_time,
        operatorId: m.operator_id, operatorNick: m.operator_name, operatorTime: m.operation_time,
      });
    }
    if (is_end || (messages ?? []).length === 0) break;
  }
  return out.sort((a, b) => b.operatorTime - a.operatorTime);
}

function joinRequest(n: M.GroupNotification, filtered: boolean): JoinRequest | undefined {
  if (n.type !== 'join_request' && n.type !== 'invited_join_request') return undefined;
  const invited = n.type === 'invited_join_request';
  return {
    requestId: n.notification_seq, flag: groupFlag(n.type, n.group_id, n.notification_seq, filtered),
    requesterUin: invited ? n.target_user_id : n.initiator_id, requesterNick: '', message: invited ? '' : n.comment,
    groupId: n.group_id, groupName: '', checked: n.state !== 'pending', actor: n.operator_id ?? 0,
    actionUin: invited ? n.initiator_id : 0, actionUinNick: '', suspicious: filtered,
  };
}

/** Join requests (and members' invitations of others) of groups the bot manages; Milky lists no invitations of the bot. */
export async function getGroupSystemMessages(api: MilkyApi): Promise<GroupSystemMessages> {
  const join: JoinRequest[] = [];
  for (const filtered of [false, true]) {
    const { notifications } = await api.call<M.GetGroupNotificationsOutput>('get_group_notifications', { is_filtered: filtered, limit: 50 } satisfies M.GetGroupNotificationsInput);
    for (const n of notifications ?? []) {
      const request = joinRequest(n, filtered);
      if (request !== undefined) join.push(request);
    }
  }
  return { invited: [], join: join.sort((a, b) => b.requestId - a.requestId) };
}

export async function getFriendGroups(api: MilkyApi): Promise<FriendGroup[]> {
  const { friends } = await api.call<M.GetFriendListOutput>('get_friend_list', { no_cache: false });
  const groups = new Map<number, FriendGroup>();
  for (const f of friends ?? []) {
    const id = f.category?.category_id ?? 0;
    let group = groups.get(id);
    if (group === undefined) groups.set(id, group = { friendGroupId: id, friendGroupName: f.category?.category_name ?? '', friends: [] });
    group.friends.push({ userId: f.user_id, nickname: f.nickname, remark: f.remark });
  }
  return [...groups.values()].sort((a, b) => a.friendGroupId - b.friendGroupId);
}

/** The portrait from the bot's `file` as given: `base64://` and URLs work, a path only on the implementation's host. */
export async function setGroupPortrait(api: MilkyApi, groupId: number, file: string): Promise<void> {
  const uri = /^(base64|https?|file):\/\//i.test(file) ? file : `file://${file}`;
  await api.call('set_group_avatar', { group_id: groupId, image_uri: uri } satisfies M.SetGroupAvatarInput);
}

/** Milky sets the nickname and the personal note (bio) only. */
export async function setProfile(api: MilkyApi, profile: ProfileUpdate): Promise<void> {
  const others = (['company', 'email', 'college'] as const).filter((key) => profile[key] !== undefined);
  if (others.length > 0) throw new ApiError('UNSUPPORTED', `Milky cannot set ${others.join(', ')} (only nickname and personal_note)`);
  if (profile.nickname !== undefined) await api.call('set_nickname', { new_nickname: profile.nickname } satisfies M.SetNicknameInput);
  if (profile.personalNote !== undefined) await api.call('set_bio', { new_bio: profile.personalNote } satisfies M.SetBioInput);
}
