/**
 * The `onebot` backend: the port served by an upstream OneBot v11 implementation over its forward
 * WebSocket (generic v11 dialect). Mapped operations are translated call by call; the others fail
 * at once with UNSUPPORTED (listed in docs/bridge.md). Message ids are cqhttpd's own (ids.ts).
 */
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { MessageObject } from '../port-messages.js';
import type { Backend, EventListener, FriendInfo, GroupInfo, LoginInfo, MemberInfo, SentMessage, StrangerInfo } from '../port.js';
import { fromUpstreamEvent, fromUpstreamMessage, toUpstreamSegments } from './events.js';
import type { MessageIds } from './ids.js';
import type { UpstreamLink } from './link.js';
import * as n from './normalise.js';

const unsupported = (what: string) => (..._args: unknown[]): Promise<never> =>
  Promise.reject(new ApiError('UNSUPPORTED', `${what} is not mapped to an upstream OneBot v11 implementation yet (docs/bridge.md)`));

/** An id cqhttpd stored as text, as the upstream gave it: a number when it is one. */
function upstreamIdValue(id: string): number | string {
  return /^-?\d{1,15}$/.test(id) ? Number(id) : id;
}

export class OnebotBackend implements Backend {
  readonly kind = 'onebot';
  private readonly listeners = new Set<EventListener>();
  private readonly stopEvents: () => void;

  constructor(readonly selfId: number, private readonly link: UpstreamLink, private readonly ids: MessageIds, private readonly onClose: () => Promise<void>) {
    this.stopEvents = link.onEvent((frame) => {
      const event = fromUpstreamEvent(ids, frame);
      if (event === undefined) return;
      for (const listener of this.listeners) listener(event);
    });
  }

  isOnline(): boolean {
    return this.link.isOnline();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.stopEvents();
    await this.onClose();
  }

  private async object(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    return n.object(action, await this.link.call(action, params));
  }

  private async list(action: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    return n.list(action, await this.link.call(action, params));
  }

  private async run(action: string, params: Record<string, unknown>): Promise<void> {
    await this.link.call(action, params);
  }

  /** The upstream id of one of cqhttpd's message ids; unknown → MESSAGE_NOT_FOUND. */
  private upstreamId(messageId: number): number | string {
    const mapped = this.ids.get(messageId);
    if (mapped === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
    return upstreamIdValue(mapped.upstreamId);
  }

  private async send(action: string, target: Record<string, unknown>, message: Segment[]): Promise<SentMessage> {
    const data = await this.object(action, { ...target, message: toUpstreamSegments(this.ids, message) });
    const id = data['message_id'];
    if (typeof id !== 'number' && typeof id !== 'string') throw new ApiError('INVALID_DATA', `${action}: the upstream answered without a message_id`);
    return { messageId: this.ids.local(id) };
  }

  async getLoginInfo(): Promise<LoginInfo> {
    return n.loginInfo(await this.object('get_login_info', {}));
  }

  async getStrangerInfo(userId: number, noCache: boolean): Promise<StrangerInfo> {
    return n.strangerInfo(await this.object('get_stranger_info', { user_id: userId, no_cache: noCache }));
  }

  async getFriendList(): Promise<FriendInfo[]> {
    return (await this.list('get_friend_list')).map(n.friendInfo);
  }

  async getGroupList(): Promise<GroupInfo[]> {
    return (await this.list('get_group_list')).map(n.groupInfo);
  }

  async getGroupInfo(groupId: number, noCache: boolean): Promise<GroupInfo> {
    return n.groupInfo(await this.object('get_group_info', { group_id: groupId, no_cache: noCache }));
  }

  async getGroupMemberInfo(groupId: number, userId: number, noCache: boolean): Promise<MemberInfo> {
    return n.memberInfo(await this.object('get_group_member_info', { group_id: groupId, user_id: userId, no_cache: noCache }));
  }

  async getGroupMemberList(groupId: number): Promise<MemberInfo[]> {
    return (await this.list('get_group_member_list', { group_id: groupId })).map(n.memberInfo);
  }

  sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage> {
    return this.send('send_private_msg', { user_id: userId }, message);
  }

  sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    return this.send('send_group_msg', { group_id: groupId }, message);
  }

  sendDiscussMessage(discussId: number, message: Segment[]): Promise<SentMessage> {
    return this.send('send_discuss_msg', { discuss_id: discussId }, message);
  }

  async deleteMessage(messageId: number): Promise<void> {
    await this.run('delete_msg', { message_id: this.upstreamId(messageId) });
    this.ids.recalled(messageId);
  }

  /** From the upstream; when it fails (recalled elsewhere, too old, offline), the last copy cqhttpd saw. */
  async getMessage(messageId: number): Promise<MessageObject> {
    const mapped = this.ids.get(messageId);
    if (mapped === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${messageId}`);
    if (mapped.recalled) throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has been recalled`);
    try {
      return fromUpstreamMessage(this.ids, messageId, await this.object('get_msg', { message_id: upstreamIdValue(mapped.upstreamId) }));
    } catch (err) {
      if (mapped.message !== undefined) return mapped.message;
      throw err;
    }
  }

  setGroupKick(groupId: number, userId: number, rejectAddRequest: boolean): Promise<void> {
    return this.run('set_group_kick', { group_id: groupId, user_id: userId, reject_add_request: rejectAddRequest });
  }

  setGroupBan(groupId: number, userId: number, durationSeconds: number): Promise<void> {
    return this.run('set_group_ban', { group_id: groupId, user_id: userId, duration: durationSeconds });
  }

  setGroupAdmin(groupId: number, userId: number, enable: boolean): Promise<void> {
    return this.run('set_group_admin', { group_id: groupId, user_id: userId, enable });
  }

  setGroupAnonymousBan(groupId: number, flag: string, durationSeconds: number): Promise<void> {
    return this.run('set_group_anonymous_ban', { group_id: groupId, flag, duration: durationSeconds });
  }

  setFriendAddRequest(flag: string, approve: boolean, remark: string): Promise<void> {
    return this.run('set_friend_add_request', { flag, approve, remark });
  }

  setGroupAddRequest(flag: string, subType: 'add' | 'invite', approve: boolean, reason: string): Promise<void> {
    return this.run('set_group_add_request', { flag, sub_type: subType, type: subType, approve, reason });
  }

  async canSendImage(): Promise<boolean> {
    return n.bool((await this.object('can_send_image', {}))['yes']);
  }

  async canSendRecord(): Promise<boolean> {
    return n.bool((await this.object('can_send_record', {}))['yes']);
  }

  sendLike(userId: number, times: number): Promise<void> {
    return this.run('send_like', { user_id: userId, times });
  }

  setGroupWholeBan(groupId: number, enable: boolean): Promise<void> {
    return this.run('set_group_whole_ban', { group_id: groupId, enable });
  }

  setGroupAnonymous(groupId: number, enable: boolean): Promise<void> {
    return this.run('set_group_anonymous', { group_id: groupId, enable });
  }

  setGroupCard(groupId: number, userId: number, card: string): Promise<void> {
    return this.run('set_group_card', { group_id: groupId, user_id: userId, card });
  }

  setGroupSpecialTitle(groupId: number, userId: number, title: string, durationSeconds: number): Promise<void> {
    return this.run('set_group_special_title', { group_id: groupId, user_id: userId, special_title: title, duration: durationSeconds });
  }

  setGroupName(groupId: number, name: string): Promise<void> {
    return this.run('set_group_name', { group_id: groupId, group_name: name });
  }

  setGroupLeave(groupId: number, dismiss: boolean): Promise<void> {
    return this.run('set_group_leave', { group_id: groupId, is_dismiss: dismiss });
  }

  leaveDiscuss(discussId: number): Promise<void> {
    return this.run('set_discuss_leave', { discuss_id: discussId });
  }

  // Not mapped yet: each fails at once with UNSUPPORTED (docs/bridge.md lists them).
  readonly getForwardMessage = unsupported('get_forward_msg');
  readonly sendForwardMessage = unsupported('sending forwards');
  readonly getMessageHistory = unsupported('message history');
  readonly markMessageAsRead = unsupported('mark_msg_as_read');
  readonly setMessageEmojiLike = unsupported('set_msg_emoji_like');
  readonly deleteFriend = unsupported('delete_friend');
  readonly setProfile = unsupported('set_qq_profile');
  readonly getOnlineClients = unsupported('get_online_clients');
  readonly setGroupPortrait = unsupported('set_group_portrait');
  readonly getGroupProfile = unsupported('_get_group_info');
  readonly getGroupNotices = unsupported('_get_group_notice');
  readonly sendGroupNotice = unsupported('_send_group_notice');
  readonly getFriendGroups = unsupported('_get_friend_list');
  readonly getVipInfo = unsupported('_get_vip_info');
  readonly getGroupHonors = unsupported('get_group_honor_info');
  readonly setEssenceMessage = unsupported('essence messages');
  readonly getEssenceMessages = unsupported('get_essence_msg_list');
  readonly getGroupAtAllRemain = unsupported('get_group_at_all_remain');
  readonly getGroupSystemMessages = unsupported('get_group_system_msg');
  readonly sendPoke = unsupported('pokes');
  readonly getGroupFileSystemInfo = unsupported('group files');
  readonly getGroupFiles = unsupported('group files');
  readonly uploadGroupFile = unsupported('upload_group_file');
  readonly uploadPrivateFile = unsupported('upload_private_file');
  readonly getGroupFileContent = unsupported('group files');
  readonly createGroupFileFolder = unsupported('group files');
  readonly deleteGroupFile = unsupported('group files');
  readonly deleteGroupFolder = unsupported('group files');
}
