/**
 * The backend port: the narrow set of QQ operations cqhttpd needs, implemented by the sandbox
 * (a simulated QQ world) and later by bridges to real QQ. Backends know nothing of HTTP, WebSocket
 * or the envelope; they speak in domain terms (camelCase) and fail with `ApiError` from the shared
 * catalogue (`protocol/errors.ts`) so that every failure has one retcode.
 */
import type { Segment } from '../message/segment.js';

export type Sex = 'male' | 'female' | 'unknown';
export type Role = 'owner' | 'admin' | 'member';

export interface LoginInfo { userId: number; nickname: string }

export interface StrangerInfo { userId: number; nickname: string; sex: Sex; age: number }

export interface FriendInfo { userId: number; nickname: string; remark: string }

export interface GroupInfo { groupId: number; groupName: string; memberCount: number; maxMemberCount: number }

export interface MemberInfo {
  groupId: number;
  userId: number;
  nickname: string;
  card: string;
  sex: Sex;
  age: number;
  area: string;
  /** Unix seconds. */
  joinTime: number;
  /** Unix seconds. */
  lastSentTime: number;
  level: string;
  role: Role;
  unfriendly: boolean;
  title: string;
  /** Unix seconds; 0 = never expires / no title. */
  titleExpireTime: number;
  cardChangeable: boolean;
}

export interface SentMessage { messageId: number }

/**
 * An event as the backend reports it: a OneBot payload without the fields the event pipeline adds
 * (`self_id`, and `time` for message events, are filled in by the pipeline when absent).
 * Wire-shaped (snake_case) because it *is* the protocol's event body.
 */
export type BackendEvent = { post_type: 'message' | 'notice' | 'request' } & Record<string, unknown>;

export type EventListener = (event: BackendEvent) => void;

export interface Backend {
  /** Short name for logs and `get_version_info` (e.g. `sandbox`). */
  readonly kind: string;
  /** The bot's own QQ number. */
  readonly selfId: number;

  /** Whether the account is online (drives `get_status.online`). */
  isOnline(): boolean;
  /** Subscribe to QQ events; returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Flush and release everything (database, timers). Idempotent. */
  close(): Promise<void>;

  getLoginInfo(): Promise<LoginInfo>;
  getStrangerInfo(userId: number, noCache: boolean): Promise<StrangerInfo>;
  getFriendList(): Promise<FriendInfo[]>;
  getGroupList(): Promise<GroupInfo[]>;
  getGroupInfo(groupId: number, noCache: boolean): Promise<GroupInfo>;
  getGroupMemberInfo(groupId: number, userId: number, noCache: boolean): Promise<MemberInfo>;
  getGroupMemberList(groupId: number): Promise<MemberInfo[]>;

  /** Segments are already decoded and merged (never empty). */
  sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage>;
  sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage>;
  /** Recall a message (QQ's recall rules apply). */
  deleteMessage(messageId: number): Promise<void>;

  setGroupKick(groupId: number, userId: number, rejectAddRequest: boolean): Promise<void>;
  /** `durationSeconds` 0 lifts the ban. */
  setGroupBan(groupId: number, userId: number, durationSeconds: number): Promise<void>;
  setGroupAdmin(groupId: number, userId: number, enable: boolean): Promise<void>;
  /**
   * Ban an anonymous member, named by the `flag` of its message event, for `durationSeconds`.
   * The bot must be admin/owner; 0 → CANNOT_LIFT_ANONYMOUS_BAN (-12), an unknown flag →
   * BAD_ANONYMOUS_FLAG (-13), anonymous chat off → ANONYMOUS_DISABLED (-15).
   */
  setGroupAnonymousBan(groupId: number, flag: string, durationSeconds: number): Promise<void>;

  /** Answer a friend request (flag from its `request`/`friend` event); approving makes a friend. Unknown or handled flag → FLAG_NOT_FOUND. */
  setFriendAddRequest(flag: string, approve: boolean, remark: string): Promise<void>;
  /**
   * Answer a join request (`add`, the bot being admin/owner) or an invitation of the bot (`invite`);
   * `subType` must match the request's. Unknown or handled flag → FLAG_NOT_FOUND.
   */
  setGroupAddRequest(flag: string, subType: 'add' | 'invite', approve: boolean, reason: string): Promise<void>;

  canSendImage(): Promise<boolean>;
  canSendRecord(): Promise<boolean>;

  // --- messages extension (issue 4): get_msg, forwards, history, likes, discuss, friends -------

  // --- groups extension (issue 4): settings, essence, honors, notices, pokes ------------------

  // --- files & media extension (issue 4): group files, downloads --------------------------------
}
