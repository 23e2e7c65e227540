/**
 * The sandbox backend: a simulated QQ world in SQLite that enforces QQ's rules and emits the events a
 * real QQ would. It implements the {@link Backend} port as the bot; its control surface
 * ({@link SandboxControl}: postMessage, recallAs, kickAs, applyToJoinAs…) lets people and test scripts
 * act as everyone else. Open one with `openSandbox` (open.ts).
 */
import type { Segment } from '../../message/segment.js';
import type { Backend, FriendInfo, GroupInfo, LoginInfo, MemberInfo, SentMessage, StrangerInfo } from '../port.js';
import { banAnonymous } from './anonymous.js';
import type { SandboxContext } from './context.js';
import { SandboxControl } from './control-surface.js';
import type { EventHub } from './events.js';
import type { Hub } from './hub.js';
import * as info from './info.js';
import { postGroupMessage, postPrivateMessage } from './messaging.js';
import { answerFriendRequest, answerGroupRequest } from './requests.js';
import type { MessageRow, Store } from './store/index.js';

/** See the module comment. */
export class SandboxBackend extends SandboxControl implements Backend {
  readonly kind = 'sandbox';
  readonly selfId: number;
  /** The database file. */
  readonly dbFile: string;
  readonly #store: Store;

  /** @internal use `openSandbox`. */
  constructor(store: Store, ctx: SandboxContext, hub: EventHub, messages: Hub<MessageRow>, dbFile: string) {
    super(ctx, hub, messages);
    this.#store = store;
    this.selfId = ctx.selfId;
    this.dbFile = dbFile;
  }

  isOnline(): boolean {
    return this.#store.isOpen;
  }

  async close(): Promise<void> {
    this.clearListeners();
    this.#store.close();
  }

  async getLoginInfo(): Promise<LoginInfo> {
    return info.loginInfo(this.ctx);
  }

  async getStrangerInfo(userId: number, _noCache: boolean): Promise<StrangerInfo> {
    return info.strangerInfo(this.ctx, userId);
  }

  async getFriendList(): Promise<FriendInfo[]> {
    return info.friendList(this.ctx);
  }

  async getGroupList(): Promise<GroupInfo[]> {
    return info.groupList(this.ctx);
  }

  async getGroupInfo(groupId: number, _noCache: boolean): Promise<GroupInfo> {
    return info.groupInfo(this.ctx, groupId);
  }

  async getGroupMemberInfo(groupId: number, userId: number, _noCache: boolean): Promise<MemberInfo> {
    return info.memberInfo(this.ctx, groupId, userId);
  }

  async getGroupMemberList(groupId: number): Promise<MemberInfo[]> {
    return info.memberList(this.ctx, groupId);
  }

  async sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage> {
    return this.ctx.act((out) => postPrivateMessage(this.ctx, out, this.selfId, userId, message));
  }

  async sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    return this.ctx.act((out) => postGroupMessage(this.ctx, out, this.selfId, groupId, message));
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

  // --- groups extension (issue 4) --------------------------------------------------------------

  // --- files & media extension (issue 4) -------------------------------------------------------
}
