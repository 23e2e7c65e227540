/**
 * The sandbox backend: a simulated QQ world in SQLite that enforces QQ's rules and emits the events a
 * real QQ would. It implements the {@link Backend} port as the bot; its control surface
 * ({@link SandboxControl}: postMessage, recallAs, kickAs, applyToJoinAs…) lets people and test scripts
 * act as everyone else. Open one with `openSandbox` (open.ts).
 */
import type { Segment } from '../../message/segment.js';
import type { Awaitable, Backend, FriendInfo, GroupInfo, LoginInfo, MemberInfo, SentMessage, StrangerInfo } from '../port.js';
import type { FileUpload, GroupFileContent, GroupFileSystemInfo, GroupFolderListing, UploadedGroupFile } from '../port-files.js';
import { banAnonymous } from './anonymous.js';
import type { WorldParts } from './accounts.js';
import type { SandboxContext } from './context.js';
import { SandboxControlExtended } from './control-extended.js';
import type { EventHub } from './events.js';
import type { Hub } from './hub.js';
import * as info from './info.js';
import * as groupFs from './group-fs.js';
import { sendPrivateFile } from './private-files.js';
import { postGroupMessage, postPrivateMessage } from './messaging.js';
import { answerFriendRequest, answerGroupRequest } from './requests.js';
import type {
  AtAllRemain, EssenceMessage, FriendGroup, GroupHonors, GroupNotice, GroupProfile, GroupSystemMessages, PokeRequest, VipInfo,
} from '../port-groups.js';
import { atAllRemain } from './at-all.js';
import { essenceList } from './essence.js';
import { listNotices } from './group-notices.js';
import { friendGroups, groupProfile, groupSystemMessages, vipInfo } from './group-profile.js';
import { botLeave, setPortrait } from './group-settings.js';
import { groupHonors } from './honors.js';
import { botPoke } from './pokes.js';
import type { MessageRow, Store } from './store/index.js';
import * as msgx from './messages-ext.js';
import type {
  ConversationTarget, ForwardContent, ForwardNode, MessageObject, OnlineClient, ProfileUpdate, ReadTarget, SentForward,
} from '../port-messages.js';

/** See the module comment. */
export class SandboxBackend extends SandboxControlExtended implements Backend {
  readonly kind = 'sandbox';
  readonly selfId: number;
  /** The database file. */
  readonly dbFile: string;
  readonly #store: Store;
  readonly #parts: WorldParts;

  /** @internal use `openSandbox` (or `SandboxAccounts` for another bot account of a world). */
  constructor(store: Store, ctx: SandboxContext, hub: EventHub, messages: Hub<MessageRow>, dbFile: string) {
    super(ctx, hub, messages);
    this.#store = store;
    this.selfId = ctx.selfId;
    this.dbFile = dbFile;
    this.#parts = { store, ctx, messages, dbFile };
  }

  /** @internal The pieces every bot account of this world shares (accounts.ts). */
  worldParts(): WorldParts {
    return this.#parts;
  }

  isOnline(): boolean {
    return this.#store.isOpen;
  }

  async close(): Promise<void> {
    this.ctx.flush();
    this.clearListeners();
    this.#store.close();
  }

  getLoginInfo(): Awaitable<LoginInfo> {
    return readNow(() => info.loginInfo(this.ctx));
  }

  getStrangerInfo(userId: number, _noCache: boolean): Awaitable<StrangerInfo> {
    return readNow(() => info.strangerInfo(this.ctx, userId));
  }

  getFriendList(): Awaitable<FriendInfo[]> {
    return readNow(() => info.friendList(this.ctx));
  }

  getGroupList(): Awaitable<GroupInfo[]> {
    return readNow(() => info.groupList(this.ctx));
  }

  getGroupInfo(groupId: number, _noCache: boolean): Awaitable<GroupInfo> {
    return readNow(() => info.groupInfo(this.ctx, groupId));
  }

  getGroupMemberInfo(groupId: number, userId: number, _noCache: boolean): Awaitable<MemberInfo> {
    return readNow(() => info.memberInfo(this.ctx, groupId, userId));
  }

  getGroupMemberList(groupId: number): Awaitable<MemberInfo[]> {
    return readNow(() => info.memberList(this.ctx, groupId));
  }

  sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage> {
    return this.ctx.actBatched((out) => postPrivateMessage(this.ctx, out, this.selfId, userId, message));
  }

  sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    return this.ctx.actBatched((out) => postGroupMessage(this.ctx, out, this.selfId, groupId, message));
  }

  async deleteMessage(messageId: number): Promise<void> {
    this.recallAs(this.selfId, messageId);
  }

  async setGroupKick(groupId: number, userId: number, rejectAddRequest: boolean): Promise<void> {
    this.kickAs(this.selfId, groupId, userId, rejectAddRequest);
  }

  async setGroupBan(groupId: number, userId: number, durationSeconds: number): Promise<void> {
    this.banAs(this.selfId, groupId, userId, durationSeconds);
  }

  async setGroupAdmin(groupId: number, userId: number, enable: boolean): Promise<void> {
    this.setAdminAs(this.selfId, groupId, userId, enable);
  }

  async setGroupAnonymousBan(groupId: number, flag: string, durationSeconds: number): Promise<void> {
    this.ctx.act(() => banAnonymous(this.ctx, this.selfId, groupId, flag, durationSeconds));
  }

  async setFriendAddRequest(flag: string, approve: boolean, remark: string): Promise<void> {
    this.ctx.act((out) => answerFriendRequest(this.ctx, out, flag, approve, remark));
  }

  async setGroupAddRequest(flag: string, subType: 'add' | 'invite', approve: boolean, reason: string): Promise<void> {
    this.ctx.act((out) => answerGroupRequest(this.ctx, out, this.selfId, flag, subType, approve, reason));
  }

  async canSendImage(): Promise<boolean> {
    return true;
  }

  async canSendRecord(): Promise<boolean> {
    return true;
  }

  // --- messages extension (issue 4) ------------------------------------------------------------

  async getMessage(messageId: number): Promise<MessageObject> {
    return msgx.messageObject(this.ctx, msgx.visibleMessage(this.ctx, messageId));
  }

  async getForwardMessage(id: string): Promise<ForwardContent> {
    return msgx.readForward(this.ctx, id);
  }

  async sendForwardMessage(target: ConversationTarget, nodes: ForwardNode[]): Promise<SentForward> {
    return this.ctx.act((out) => msgx.sendForward(this.ctx, out, this.selfId, target, nodes));
  }

  async getMessageHistory(target: ConversationTarget, anchorSeq: number, count: number): Promise<MessageObject[]> {
    return msgx.messageHistory(this.ctx, target, anchorSeq, count);
  }

  async markMessageAsRead(target: ReadTarget): Promise<void> {
    this.ctx.act(() => msgx.markRead(this.ctx, target));
  }

  async setMessageEmojiLike(messageId: number, emojiId: string, set: boolean): Promise<void> {
    this.reactAs(this.selfId, messageId, emojiId, set);
  }

  async sendLike(userId: number, times: number): Promise<void> {
    this.ctx.act(() => msgx.sendLike(this.ctx, userId, times));
  }

  async deleteFriend(userId: number): Promise<void> {
    this.ctx.act(() => msgx.deleteFriend(this.ctx, userId));
  }

  async setProfile(profile: ProfileUpdate): Promise<void> {
    this.ctx.act(() => msgx.setProfile(this.ctx, profile));
  }

  async getOnlineClients(_noCache: boolean): Promise<OnlineClient[]> {
    return msgx.onlineClients();
  }

  async sendDiscussMessage(discussId: number, message: Segment[]): Promise<SentMessage> {
    return this.postDiscussMessage({ from: this.selfId, discussId, message });
  }

  async leaveDiscuss(discussId: number): Promise<void> {
    this.leaveDiscussAs(this.selfId, discussId);
  }

  // --- groups extension (issue 4) --------------------------------------------------------------

  async setGroupWholeBan(groupId: number, enable: boolean): Promise<void> {
    this.setWholeBanAs(this.selfId, groupId, enable);
  }

  async setGroupAnonymous(groupId: number, enable: boolean): Promise<void> {
    this.setAnonymousAs(this.selfId, groupId, enable);
  }

  async setGroupCard(groupId: number, userId: number, card: string): Promise<void> {
    this.setCardAs(this.selfId, groupId, userId, card);
  }

  async setGroupSpecialTitle(groupId: number, userId: number, title: string, _durationSeconds: number): Promise<void> {
    this.setSpecialTitleAs(this.selfId, groupId, userId, title);
  }

  async setGroupName(groupId: number, name: string): Promise<void> {
    this.setGroupNameAs(this.selfId, groupId, name);
  }

  async setGroupPortrait(groupId: number, file: string): Promise<void> {
    this.ctx.act(() => setPortrait(this.ctx, this.selfId, groupId, file));
  }

  async setGroupLeave(groupId: number, dismiss: boolean): Promise<void> {
    this.ctx.act((out) => botLeave(this.ctx, out, groupId, dismiss));
  }

  async getGroupProfile(groupId: number): Promise<GroupProfile> {
    return groupProfile(this.ctx, groupId);
  }

  async getGroupNotices(groupId: number): Promise<GroupNotice[]> {
    return listNotices(this.ctx, groupId, this.selfId);
  }

  async sendGroupNotice(groupId: number, title: string, content: string): Promise<void> {
    this.sendGroupNoticeAs(this.selfId, groupId, title, content);
  }

  async getFriendGroups(): Promise<FriendGroup[]> {
    return friendGroups(this.ctx);
  }

  async getVipInfo(userId: number): Promise<VipInfo> {
    return vipInfo(this.ctx, userId);
  }

  async getGroupHonors(groupId: number): Promise<GroupHonors> {
    return groupHonors(this.ctx, groupId);
  }

  async setEssenceMessage(messageId: number, enable: boolean): Promise<void> {
    this.setEssenceAs(this.selfId, messageId, enable);
  }

  async getEssenceMessages(groupId: number): Promise<EssenceMessage[]> {
    return essenceList(this.ctx, groupId);
  }

  async getGroupAtAllRemain(groupId: number): Promise<AtAllRemain> {
    return atAllRemain(this.ctx, groupId);
  }

  async getGroupSystemMessages(): Promise<GroupSystemMessages> {
    return groupSystemMessages(this.ctx);
  }

  async sendPoke(poke: PokeRequest): Promise<void> {
    this.ctx.act((out) => botPoke(this.ctx, out, poke));
  }

  // --- files & media extension (issue 4) -------------------------------------------------------

  async getGroupFileSystemInfo(groupId: number): Promise<GroupFileSystemInfo> {
    return groupFs.fileSystemInfo(this.ctx, groupId);
  }

  async getGroupFiles(groupId: number, folderId: string): Promise<GroupFolderListing> {
    return groupFs.listFolder(this.ctx, groupId, folderId);
  }

  async uploadGroupFile(groupId: number, upload: FileUpload): Promise<UploadedGroupFile> {
    return this.ctx.act((out) => groupFs.uploadFileAs(this.ctx, out, this.selfId, groupId, upload));
  }

  async uploadPrivateFile(userId: number, upload: Omit<FileUpload, 'folderId'>): Promise<string> {
    return this.ctx.act(() => sendPrivateFile(this.ctx, userId, upload));
  }

  async getGroupFileContent(groupId: number, fileId: string, busid: number): Promise<GroupFileContent> {
    return groupFs.fileContent(this.ctx, groupId, fileId, busid);
  }

  async createGroupFileFolder(groupId: number, name: string, parentId: string): Promise<string> {
    return this.ctx.act(() => groupFs.createFolderAs(this.ctx, this.selfId, groupId, name, parentId));
  }

  async deleteGroupFile(groupId: number, fileId: string, busid: number): Promise<void> {
    this.ctx.act(() => groupFs.deleteFileAs(this.ctx, this.selfId, groupId, fileId, busid));
  }

  async deleteGroupFolder(groupId: number, folderId: string): Promise<void> {
    this.ctx.act(() => groupFs.deleteFolderAs(this.ctx, this.selfId, groupId, folderId));
  }
}

/** A read answered now; its failure (an `ApiError`) as a rejected promise, as the port requires. */
function readNow<T>(read: () => T): Awaitable<T> {
  try {
    return read();
  } catch (err) {
    return Promise.reject(err);
  }
}
