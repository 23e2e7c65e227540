/**
 * The `onebot` backend: the port served by an upstream OneBot v11 implementation over its forward
 * WebSocket (generic v11 dialect). Every operation is translated call by call to the upstream action
 * of the same meaning (docs/bridge.md lists them); one the upstream lacks answers its 1404, which is
 * UNSUPPORTED here. Message ids are cqhttpd's own (ids.ts).
 */
import { BridgeListeners } from '../bridge-listeners.js';
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { FileUpload } from '../port-files.js';
import type { PokeRequest } from '../port-groups.js';
import type { ConversationTarget, ForwardNode, MessageObject, ProfileUpdate, ReadTarget } from '../port-messages.js';
import type { Backend, BackendEvent, FriendInfo, GroupInfo, LoginInfo, MemberInfo, SentMessage, StrangerInfo } from '../port.js';
import { GENERIC_REWRITES, type EventRewrite } from './event-shapes.js';
import { fromUpstreamEvent, fromUpstreamMessage } from './events.js';
import type { MessageIds } from './ids.js';
import type { UpstreamConnection } from './connection.js';
import * as f from './map-files.js';
import * as g from './map-groups.js';
import * as m from './map-messages.js';
import * as n from './normalise.js';
import { toUpstreamMessage } from './outgoing.js';
import { Upstream, upstreamIdValue } from './upstream.js';


/**
 * The upstream's connection state as a notice to the bots: `bot_offline` when it is lost (NapCat's
 * notice for an account that went offline, with its `tag` and `message`) and `bot_online` when it
 * is back (same fields). docs/bridge.md#upstream-health.
 */
export function healthEvent(selfId: number, online: boolean): BackendEvent {
  return {
    post_type: 'notice', notice_type: online ? 'bot_online' : 'bot_offline', self_id: selfId, time: Math.floor(Date.now() / 1000), user_id: selfId,
    tag: 'upstream', message: online ? 'the connection to the upstream is back' : 'the connection to the upstream was lost; cqhttpd is reconnecting',
  };
}

/** How often cqhttpd asks the upstream's `get_status` while connected (and at each connection). */
export const STATUS_POLL_MS = 30_000;

export class OnebotBackend extends BridgeListeners implements Backend {
  readonly kind = 'onebot';
  private readonly stopEvents: () => void;
  private readonly up: Upstream;
  private accountOnline = true;

  /** `rewrites`: the dialect's event renames, run before cqhttpd's shaping (event-shapes.ts). */
  constructor(
    readonly selfId: number, private readonly link: UpstreamConnection, private readonly ids: MessageIds, private readonly onClose: () => Promise<void>,
    rewrites: readonly EventRewrite[] = GENERIC_REWRITES,
  ) {
    super();
    this.up = new Upstream(link, ids);
    const stopEvents = link.onEvent((frame) => {
      const event = fromUpstreamEvent(ids, frame, rewrites);
      if (event === undefined) return;
      // The upstream's own account went offline (NapCat's notice; cqhttpd's own carries tag `upstream`).
      if (event['notice_type'] === 'bot_offline' && event['tag'] !== 'upstream') this.accountOnline = false;
      this.emit(event);
    });
    const stopState = link.onState((online) => {
      this.emit(healthEvent(selfId, online));
      if (!online) return;
      this.accountOnline = true; // a new connection: what the upstream says now
      this.pollStatus();
    });
    if (link.isOnline()) this.pollStatus();
    const timer = setInterval(() => { if (link.isOnline()) this.pollStatus(); }, STATUS_POLL_MS);
    timer.unref();
    this.stopEvents = () => {
      stopEvents();
      stopState();
      clearInterval(timer);
    };
  }

  /** Ask the upstream whether its account is online (`get_status`); an upstream without it is believed online. */
  private pollStatus(): void {
    this.link.call('get_status', {}).then((data) => {
      const online = n.record(data)['online'];
      if (typeof online === 'boolean') this.accountOnline = online;
    }, () => undefined);
  }

  /** cqhttpd's listeners are attached: the upstream's events held since it connected go through (event-gate.ts). */
  ready(): number {
    return this.link.release();
  }

  /** Connected to the upstream, and its account online as far as cqhttpd knows (`get_status`, `bot_offline`). */
  isOnline(): boolean {
    return this.link.isOnline() && this.accountOnline;
  }

  async close(): Promise<void> {
    this.stopEvents();
    await this.onClose();
  }

  async getCookies(domain: string): Promise<string> {
    return n.str((await this.object('get_cookies', domain === '' ? {} : { domain }))['cookies']);
  }

  async getCsrfToken(): Promise<number> {
    return n.int((await this.object('get_csrf_token', {}))['token']);
  }

  mediaUrl(kind: 'image' | 'record', file: string): string | undefined {
    return this.ids.mediaUrl(kind, file);
  }

  /** An action cqhttpd does not know (`upstream_passthrough`): parameters and `data` as they are. */
  passThrough(action: string, params: Record<string, unknown>): Promise<unknown> {
    return this.link.call(action, params);
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
    const data = await this.object(action, { ...target, message: await toUpstreamMessage(this.ids, this.up.dataDir, message) });
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

  // The extensions (issue 4), one module per area: map-groups.ts, map-messages.ts, map-files.ts.
  getForwardMessage(id: string) { return m.getForwardMessage(this.up, id); }
  sendForwardMessage(target: ConversationTarget, nodes: ForwardNode[]) { return m.sendForwardMessage(this.up, target, nodes); }
  getMessageHistory(target: ConversationTarget, anchorSeq: number, count: number) { return m.getMessageHistory(this.up, target, anchorSeq, count); }
  async markMessageAsRead(target: ReadTarget) { return m.markMessageAsRead(this.up, target); }
  async setMessageEmojiLike(messageId: number, emojiId: string, set: boolean) { return m.setMessageEmojiLike(this.up, messageId, emojiId, set); }
  deleteFriend(userId: number) { return m.deleteFriend(this.up, userId); }
  setProfile(profile: ProfileUpdate) { return m.setProfile(this.up, profile); }
  getOnlineClients(noCache: boolean) { return m.getOnlineClients(this.up, noCache); }
  setGroupPortrait(groupId: number, file: string) { return g.setGroupPortrait(this.up, groupId, file); }
  getGroupProfile(groupId: number) { return g.getGroupProfile(this.up, groupId); }
  getGroupNotices(groupId: number) { return g.getGroupNotices(this.up, groupId); }
  sendGroupNotice(groupId: number, title: string, content: string) { return g.sendGroupNotice(this.up, groupId, title, content); }
  getFriendGroups() { return g.getFriendGroups(this.up); }
  getVipInfo(userId: number) { return g.getVipInfo(this.up, userId); }
  getGroupHonors(groupId: number) { return g.getGroupHonors(this.up, groupId); }
  async setEssenceMessage(messageId: number, enable: boolean) { return g.setEssenceMessage(this.up, messageId, enable); }
  getEssenceMessages(groupId: number) { return g.getEssenceMessages(this.up, groupId); }
  getGroupAtAllRemain(groupId: number) { return g.getGroupAtAllRemain(this.up, groupId); }
  getGroupSystemMessages() { return g.getGroupSystemMessages(this.up); }
  sendPoke(poke: PokeRequest) { return g.sendPoke(this.up, poke); }
  getGroupFileSystemInfo(groupId: number) { return f.getGroupFileSystemInfo(this.up, groupId); }
  getGroupFiles(groupId: number, folderId: string) { return f.getGroupFiles(this.up, groupId, folderId); }
  uploadGroupFile(groupId: number, upload: FileUpload) { return f.uploadGroupFile(this.up, groupId, upload); }
  uploadPrivateFile(userId: number, upload: Omit<FileUpload, 'folderId'>) { return f.uploadPrivateFile(this.up, userId, upload); }
  getGroupFileContent(groupId: number, fileId: string, busid: number) { return f.getGroupFileContent(this.up, groupId, fileId, busid); }
  createGroupFileFolder(groupId: number, name: string, parentId: string) { return f.createGroupFileFolder(this.up, groupId, name, parentId); }
  deleteGroupFile(groupId: number, fileId: string, busid: number) { return f.deleteGroupFile(this.up, groupId, fileId, busid); }
  deleteGroupFolder(groupId: number, folderId: string) { return f.deleteGroupFolder(this.up, groupId, folderId); }
}
