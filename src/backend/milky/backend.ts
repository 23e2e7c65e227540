/**
 * The `milky` backend: the port served by a Milky implementation (Lagrange.Milky, LLBot, …). Calls
 * go to its HTTP API (`api.ts`), events come from its event stream (`stream.ts`) and are mapped to
 * OneBot v11 (`events.ts`). Message ids are cqhttpd's own, from the same `bridge.db` store as the
 * `onebot` backend, keyed by Milky's (scene, peer, seq). Operations without a Milky API fail at
 * once with UNSUPPORTED (docs/bridge.md lists what is mapped).
 */
import { BridgeListeners } from '../bridge-listeners.js';
import path from 'node:path';
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import { healthEvent } from '../onebot/backend.js';
import type { MessageIds } from '../onebot/ids.js';
import type { FileUpload, GroupFileContent, GroupFolderListing, UploadedGroupFile } from '../port-files.js';
import type { EssenceMessage, FriendGroup, GroupNotice, GroupSystemMessages, PokeRequest } from '../port-groups.js';
import type { ConversationTarget, ForwardContent, ForwardNode, MessageObject, ProfileUpdate, ReadTarget, SentForward } from '../port-messages.js';
import { inlineStoredMedia } from '../stored-media.js';
import type { Backend, FriendInfo, GroupInfo, LoginInfo, MemberInfo, SentMessage, StrangerInfo } from '../port.js';
import type { MilkyApi } from './api.js';
import { fromMilkyEvent, messageObject } from './events.js';
import * as files from './files.js';
import * as groups from './groups.js';
import * as messages from './messages.js';
import { parseFriendFlag, parseGroupFlag } from './flags.js';
import { messageKey, parseMessageKey, type Scene } from './keys.js';
import { toMilkySegments } from './segments.js';
import type { MilkyEventStream } from './stream.js';
import type * as M from './types.js';

const unsupported = (what: string) => (..._args: unknown[]): Promise<never> =>
  Promise.reject(new ApiError('UNSUPPORTED', `${what} is not mapped to a Milky implementation (docs/bridge.md)`));

const sexOf = (sex: string): 'male' | 'female' | 'unknown' => (sex === 'male' || sex === 'female' ? sex : 'unknown');

const groupInfo = (g: M.GroupEntity): GroupInfo => ({ groupId: g.group_id, groupName: g.group_name, memberCount: g.member_count, maxMemberCount: g.max_member_count });

const memberInfo = (m: M.GroupMemberEntity): MemberInfo => ({
  groupId: m.group_id, userId: m.user_id, nickname: m.nickname, card: m.card, sex: sexOf(m.sex), age: 0, area: '',
  joinTime: m.join_time, lastSentTime: m.last_sent_time, level: String(m.level), role: m.role, unfriendly: false,
  title: m.title, titleExpireTime: 0, cardChangeable: false,
});

export class MilkyBackend extends BridgeListeners implements Backend {
  readonly kind = 'milky';
  private readonly stopEvents: () => void;
  /** cqhttpd's data directory (where bridge.db is), holding the bot's stored media. */
  private readonly dataDir: string;

  constructor(readonly selfId: number, private readonly api: MilkyApi, private readonly stream: MilkyEventStream, private readonly ids: MessageIds, private readonly onClose: () => Promise<void>) {
    super();
    this.dataDir = path.dirname(ids.file);
    const stopEvents = stream.onEvent((frame) => {
      const event = fromMilkyEvent(ids, frame);
      if (event !== undefined) this.emit(event);
    });
    // The event stream's state is the implementation's, for the bots as for the onebot bridge.
    const stopState = stream.onState((online) => this.emit(healthEvent(selfId, online)));
    this.stopEvents = () => {
      stopEvents();
      stopState();
    };
  }

  /** cqhttpd's listeners are attached: the upstream's events held since it connected go through (event-gate.ts). */
  ready(): number {
    return this.stream.release();
  }

  isOnline(): boolean {
    return this.stream.isOnline();
  }

  async close(): Promise<void> {
    this.stopEvents();
    await this.onClose();
  }

  /**
   * Where to fetch a received image or record (`file` = its resource id): a fresh temporary URL from
   * `get_resource_temp_url` (those of the events expire), else the one its message came with. A
   * `file` cqhttpd never received is not asked about.
   */
  async mediaUrl(kind: 'image' | 'record', file: string): Promise<string | undefined> {
    const known = this.ids.mediaUrl(kind, file);
    if (known === undefined) return undefined;
    try {
      const { url } = await this.api.call<M.GetResourceTempUrlOutput>('get_resource_temp_url', { resource_id: file } satisfies M.GetResourceTempUrlInput);
      return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : known;
    } catch {
      return known;
    }
  }

  /** The Milky name of one of cqhttpd's message ids; unknown → MESSAGE_NOT_FOUND. */
  private keyOf(messageId: number): { scene: Scene; peer: number; seq: number } {
    const mapped = this.ids.get(messageId);
    const key = mapped === undefined ? undefined : parseMessageKey(mapped.upstreamId);
    if (key === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
    return key;
  }

  async getLoginInfo(): Promise<LoginInfo> {
    const info = await this.api.call<M.GetLoginInfoOutput>('get_login_info', {});
    return { userId: info.uin, nickname: info.nickname };
  }

  async getStrangerInfo(userId: number, _noCache: boolean): Promise<StrangerInfo> {
    const p = await this.api.call<M.GetUserProfileOutput>('get_user_profile', { user_id: userId } satisfies M.GetUserProfileInput);
    return { userId, nickname: p.nickname, sex: sexOf(p.sex), age: p.age };
  }

  async getFriendList(): Promise<FriendInfo[]> {
    const { friends } = await this.api.call<M.GetFriendListOutput>('get_friend_list', { no_cache: false });
    return friends.map((f) => ({ userId: f.user_id, nickname: f.nickname, remark: f.remark }));
  }

  async getGroupList(): Promise<GroupInfo[]> {
    return (await this.api.call<M.GetGroupListOutput>('get_group_list', { no_cache: false })).groups.map(groupInfo);
  }

  async getGroupInfo(groupId: number, noCache: boolean): Promise<GroupInfo> {
    return groupInfo((await this.api.call<M.GetGroupInfoOutput>('get_group_info', { group_id: groupId, no_cache: noCache })).group);
  }

  async getGroupMemberInfo(groupId: number, userId: number, noCache: boolean): Promise<MemberInfo> {
    return memberInfo((await this.api.call<M.GetGroupMemberInfoOutput>('get_group_member_info', { group_id: groupId, user_id: userId, no_cache: noCache })).member);
  }

  async getGroupMemberList(groupId: number): Promise<MemberInfo[]> {
    return (await this.api.call<M.GetGroupMemberListOutput>('get_group_member_list', { group_id: groupId, no_cache: false })).members.map(memberInfo);
  }

  async sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage> {
    const out = await this.api.call<M.SendPrivateMessageOutput>('send_private_message', { user_id: userId, message: toMilkySegments(this.ids, await inlineStoredMedia(this.dataDir, message)) });
    return { messageId: this.ids.local(messageKey('friend', userId, out.message_seq)) };
  }

  async sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    const out = await this.api.call<M.SendGroupMessageOutput>('send_group_message', { group_id: groupId, message: toMilkySegments(this.ids, await inlineStoredMedia(this.dataDir, message)) });
    return { messageId: this.ids.local(messageKey('group', groupId, out.message_seq)) };
  }

  async deleteMessage(messageId: number): Promise<void> {
    const key = this.keyOf(messageId);
    if (key.scene === 'group') await this.api.call('recall_group_message', { group_id: key.peer, message_seq: key.seq } satisfies M.RecallGroupMessageInput);
    else await this.api.call('recall_private_message', { user_id: key.peer, message_seq: key.seq } satisfies M.RecallPrivateMessageInput);
    this.ids.recalled(messageId);
  }

  /** From the implementation; when it fails, the last copy cqhttpd saw. */
  async getMessage(messageId: number): Promise<MessageObject> {
    const key = this.keyOf(messageId);
    const mapped = this.ids.get(messageId)!;
    if (mapped.recalled) throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has been recalled`);
    try {
      const { message } = await this.api.call<M.GetMessageOutput>('get_message', { message_scene: key.scene, peer_id: key.peer, message_seq: key.seq } satisfies M.GetMessageInput);
      const object = messageObject(this.ids, this.selfId, message as unknown as Record<string, unknown>);
      this.ids.remember(messageId, object);
      return object;
    } catch (err) {
      if (mapped.message !== undefined) return mapped.message;
      throw err;
    }
  }

  async setGroupKick(groupId: number, userId: number, rejectAddRequest: boolean): Promise<void> {
    await this.api.call('kick_group_member', { group_id: groupId, user_id: userId, reject_add_request: rejectAddRequest });
  }

  async setGroupBan(groupId: number, userId: number, durationSeconds: number): Promise<void> {
    await this.api.call('set_group_member_mute', { group_id: groupId, user_id: userId, duration: durationSeconds });
  }

  async setGroupAdmin(groupId: number, userId: number, enable: boolean): Promise<void> {
    await this.api.call('set_group_member_admin', { group_id: groupId, user_id: userId, is_set: enable });
  }

  async setGroupWholeBan(groupId: number, enable: boolean): Promise<void> {
    await this.api.call('set_group_whole_mute', { group_id: groupId, is_mute: enable });
  }

  async setGroupCard(groupId: number, userId: number, card: string): Promise<void> {
    await this.api.call('set_group_member_card', { group_id: groupId, user_id: userId, card } satisfies M.SetGroupMemberCardInput);
  }

  async setGroupSpecialTitle(groupId: number, userId: number, title: string, _durationSeconds: number): Promise<void> {
    await this.api.call('set_group_member_special_title', { group_id: groupId, user_id: userId, special_title: title } satisfies M.SetGroupMemberSpecialTitleInput);
  }

  async setGroupName(groupId: number, name: string): Promise<void> {
    await this.api.call('set_group_name', { group_id: groupId, new_group_name: name } satisfies M.SetGroupNameInput);
  }

  async setGroupLeave(groupId: number, dismiss: boolean): Promise<void> {
    if (dismiss) throw new ApiError('UNSUPPORTED', 'Milky has no API to dismiss a group (set_group_leave with is_dismiss)');
    await this.api.call('quit_group', { group_id: groupId } satisfies M.QuitGroupInput);
  }

  async setFriendAddRequest(flag: string, approve: boolean, _remark: string): Promise<void> {
    const parsed = parseFriendFlag(flag);
    if (parsed === undefined) throw new ApiError('FLAG_NOT_FOUND', `no pending friend request with flag ${flag}`);
    await this.api.call(approve ? 'accept_friend_request' : 'reject_friend_request', { initiator_uid: parsed.initiatorUid, is_filtered: parsed.filtered });
  }

  async setGroupAddRequest(flag: string, subType: 'add' | 'invite', approve: boolean, reason: string): Promise<void> {
    const parsed = parseGroupFlag(flag);
    if (parsed === undefined || (parsed.kind === 'invitation') !== (subType === 'invite')) throw new ApiError('FLAG_NOT_FOUND', `no pending ${subType} request with flag ${flag}`);
    if (parsed.kind === 'invitation') {
      await this.api.call(approve ? 'accept_group_invitation' : 'reject_group_invitation', { group_id: parsed.groupId, invitation_seq: parsed.seq });
      return;
    }
    const input = { notification_seq: parsed.seq, notification_type: parsed.kind, group_id: parsed.groupId, is_filtered: parsed.filtered };
    await this.api.call(approve ? 'accept_group_request' : 'reject_group_request', approve ? input : { ...input, reason });
  }

  canSendImage(): Promise<boolean> {
    return Promise.resolve(true);
  }

  canSendRecord(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async sendLike(userId: number, times: number): Promise<void> {
    await this.api.call('send_profile_like', { user_id: userId, count: times });
  }

  async sendPoke(poke: PokeRequest): Promise<void> {
    if (poke.kind === 'group') await this.api.call('send_group_nudge', { group_id: poke.groupId, user_id: poke.targetId });
    else await this.api.call('send_friend_nudge', { user_id: poke.userId, is_self: poke.targetId === this.selfId });
  }

  async setMessageEmojiLike(messageId: number, emojiId: string, set: boolean): Promise<void> {
    const key = this.keyOf(messageId);
    if (key.scene !== 'group') throw new ApiError('UNSUPPORTED', 'Milky reacts to group messages only');
    await this.api.call('send_group_message_reaction', { group_id: key.peer, message_seq: key.seq, reaction: emojiId, is_add: set });
  }

  async setEssenceMessage(messageId: number, enable: boolean): Promise<void> {
    const key = this.keyOf(messageId);
    if (key.scene !== 'group') throw new ApiError('BAD_PARAMS', 'essence messages are group messages');
    await this.api.call('set_group_essence_message', { group_id: key.peer, message_seq: key.seq, is_set: enable });
  }

  async deleteFriend(userId: number): Promise<void> {
    await this.api.call('delete_friend', { user_id: userId });
  }

  async getCookies(domain: string): Promise<string> {
    return (await this.api.call<M.GetCookiesOutput>('get_cookies', { domain } satisfies M.GetCookiesInput)).cookies;
  }

  async getCsrfToken(): Promise<number> {
    return Number((await this.api.call<M.GetCSRFTokenOutput>('get_csrf_token', {})).csrf_token) || 0;
  }

  /**
   * A Milky API cqhttpd does not map (`upstream_passthrough`): its input and `data` as they are. Only
   * API-like names (letters, digits, `_`) go out: a name is a path step of the implementation's URL.
   */
  passThrough(action: string, params: Record<string, unknown>): Promise<unknown> {
    if (!/^[A-Za-z0-9_]{1,100}$/.test(action)) return Promise.reject(new ApiError('UNSUPPORTED', `${action} is not a Milky API name`));
    return this.api.call(action, params);
  }

  // Mapped in their own modules (messages.ts, groups.ts, files.ts).
  readonly getMessageHistory = (target: ConversationTarget, anchorSeq: number, count: number): Promise<MessageObject[]> => messages.getMessageHistory(this.api, this.ids, this.selfId, target, anchorSeq, count);
  readonly getForwardMessage = (id: string): Promise<ForwardContent> => messages.getForwardMessage(this.api, this.ids, id);
  readonly sendForwardMessage = async (target: ConversationTarget, nodes: ForwardNode[]): Promise<SentForward> => messages.sendForwardMessage(this.api, this.ids, target, await this.inlineNodes(nodes));
  readonly markMessageAsRead = (target: ReadTarget): Promise<void> => messages.markMessageAsRead(this.api, this.ids, target);
  readonly setProfile = (profile: ProfileUpdate): Promise<void> => groups.setProfile(this.api, profile);
  readonly setGroupPortrait = (groupId: number, file: string): Promise<void> => groups.setGroupPortrait(this.api, groupId, file);
  readonly getGroupNotices = (groupId: number): Promise<GroupNotice[]> => groups.getGroupNotices(this.api, groupId);
  readonly sendGroupNotice = (groupId: number, title: string, content: string): Promise<void> => groups.sendGroupNotice(this.api, groupId, title, content);
  readonly getFriendGroups = (): Promise<FriendGroup[]> => groups.getFriendGroups(this.api);
  readonly getEssenceMessages = (groupId: number): Promise<EssenceMessage[]> => groups.getEssenceMessages(this.api, this.ids, groupId);
  readonly getGroupSystemMessages = (): Promise<GroupSystemMessages> => groups.getGroupSystemMessages(this.api);
  readonly getGroupFiles = (groupId: number, folderId: string): Promise<GroupFolderListing> => files.getGroupFiles(this.api, groupId, folderId);
  readonly uploadGroupFile = (groupId: number, upload: FileUpload): Promise<UploadedGroupFile> => files.uploadGroupFile(this.api, groupId, upload);
  readonly uploadPrivateFile = (userId: number, upload: Omit<FileUpload, 'folderId'>): Promise<string> => files.uploadPrivateFile(this.api, userId, upload);
  readonly getGroupFileContent = (groupId: number, fileId: string, _busid: number): Promise<GroupFileContent> => files.getGroupFileContent(this.api, groupId, fileId);
  readonly createGroupFileFolder = (groupId: number, name: string, parentId: string): Promise<string> => files.createGroupFileFolder(this.api, groupId, name, parentId);
  readonly deleteGroupFile = (groupId: number, fileId: string, _busid: number): Promise<void> => files.deleteGroupFile(this.api, groupId, fileId);
  readonly deleteGroupFolder = (groupId: number, folderId: string): Promise<void> => files.deleteGroupFolder(this.api, groupId, folderId);

  /** Stored media of forward nodes as `base64://` (stored-media.ts), nested nodes too. */
  private async inlineNodes(nodes: ForwardNode[]): Promise<ForwardNode[]> {
    return Promise.all(nodes.map(async (node): Promise<ForwardNode> => {
      if (node.kind === 'reference') return node;
      const content = node.content.kind === 'message'
        ? { kind: 'message' as const, message: await inlineStoredMedia(this.dataDir, node.content.message) }
        : { kind: 'forward' as const, nodes: await this.inlineNodes(node.content.nodes) };
      return { ...node, content };
    }));
  }

  // Not mapped (Milky has no API for them): each fails at once with UNSUPPORTED (docs/bridge.md lists them).
  readonly sendDiscussMessage = unsupported('discuss groups (send_discuss_msg)');
  readonly leaveDiscuss = unsupported('discuss groups (set_discuss_leave)');
  readonly setGroupAnonymousBan = unsupported('anonymous members (set_group_anonymous_ban)');
  readonly setGroupAnonymous = unsupported('anonymous chat (set_group_anonymous)');
  readonly getOnlineClients = unsupported('get_online_clients');
  readonly getGroupProfile = unsupported('_get_group_info');
  readonly getVipInfo = unsupported('_get_vip_info');
  readonly getGroupHonors = unsupported('get_group_honor_info');
  readonly getGroupAtAllRemain = unsupported('get_group_at_all_remain');
  readonly getGroupFileSystemInfo = unsupported('get_group_file_system_info');
}
