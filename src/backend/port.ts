/**
 * The backend port: the narrow set of QQ operations cqhttpd needs, implemented by the sandbox
 * (a simulated QQ world) and later by bridges to real QQ. Backends know nothing of HTTP, WebSocket
 * or the envelope; they speak in domain terms (camelCase) and fail with `ApiError` from the shared
 * catalogue (`protocol/errors.ts`) so that every failure has one retcode.
 */
import type { Segment } from '../message/segment.js';
import type {
  AtAllRemain, EssenceMessage, FriendGroup, GroupHonors, GroupNotice, GroupProfile, GroupSystemMessages, PokeRequest, VipInfo,
} from './port-groups.js';
import type {
  ConversationTarget, ForwardContent, ForwardNode, MessageObject, OnlineClient, ProfileUpdate, ReadTarget, SentForward,
} from './port-messages.js';
import type {
  FileUpload, GroupFileContent, GroupFileSystemInfo, GroupFolderListing, UploadedGroupFile,
} from './port-files.js';

export type Sex = 'male' | 'female' | 'unknown';
export type Role = 'owner' | 'admin' | 'member';

/**
 * A value or a promise of it. The reads below may answer synchronously (the sandbox does, from
 * SQLite and its caches); a failure is always a rejected promise, never a synchronous throw.
 */
export type Awaitable<T> = T | Promise<T>;

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
  /**
   * Bridges only: cqhttpd's listeners are attached — emit the events the upstream sent before
   * (held since the connection was made, see event-gate.ts). Returns how many were dropped for
   * being over the hold's byte budget. Absent on the sandbox, which emits nothing before it is asked.
   */
  ready?(): number;
  /**
   * Bridges only: call an action cqhttpd does not know on the upstream as it is, resolving with the
   * upstream's `data` (failures as for every operation). Absent on the sandbox.
   */
  passThrough?(action: string, params: Record<string, unknown>): Promise<unknown>;
  /**
   * Bridges only: where the upstream serves a received image or record, by the `file` of its
   * segment (`get_image`/`get_record` download it when the data directory has no such file); a
   * Milky bridge may ask its implementation for a fresh temporary URL.
   */
  mediaUrl?(kind: 'image' | 'record', file: string): Awaitable<string | undefined>;
  /** Bridges only: the real account's QQ web cookies (for `domain` when not empty). The sandbox fakes them in the action. */
  getCookies?(domain: string): Promise<string>;
  /** Bridges only: the real account's CSRF token (bkn / g_tk). */
  getCsrfToken?(): Promise<number>;

  getLoginInfo(): Awaitable<LoginInfo>;
  getStrangerInfo(userId: number, noCache: boolean): Awaitable<StrangerInfo>;
  getFriendList(): Awaitable<FriendInfo[]>;
  getGroupList(): Awaitable<GroupInfo[]>;
  getGroupInfo(groupId: number, noCache: boolean): Awaitable<GroupInfo>;
  getGroupMemberInfo(groupId: number, userId: number, noCache: boolean): Awaitable<MemberInfo>;
  getGroupMemberList(groupId: number): Awaitable<MemberInfo[]>;

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
  /** A stored message the bot can see; unknown, recalled (D12) or out of sight → MESSAGE_NOT_FOUND. */
  getMessage(messageId: number): Promise<MessageObject>;
  /** A stored forward by its id (or by the message_id of the message carrying it); unknown → MESSAGE_NOT_FOUND. */
  getForwardMessage(id: string): Promise<ForwardContent>;
  /** Send a forward card (≤ 200 nodes, -3 beyond or when no node is usable) to a group or a user. */
  sendForwardMessage(target: ConversationTarget, nodes: ForwardNode[]): Promise<SentForward>;
  /** Up to `count` unrecalled messages with seq ≤ `anchorSeq` (0 = newest; a known message_id is accepted), oldest first. */
  getMessageHistory(target: ConversationTarget, anchorSeq: number, count: number): Promise<MessageObject[]>;
  /** Mark a conversation read (up to a message, or entirely). */
  markMessageAsRead(target: ReadTarget): Promise<void>;
  /** Add (`set`) or remove the bot's emoji reaction to a group message; `group_msg_emoji_like` notice. */
  setMessageEmojiLike(messageId: number, emojiId: string, set: boolean): Promise<void>;
  /** Like a user's profile `times` times (10 per user per day; RATE_LIMITED beyond). */
  sendLike(userId: number, times: number): Promise<void>;
  /** Remove a friend; not a friend → NO_RELATIONSHIP. */
  deleteFriend(userId: number): Promise<void>;
  /** Change the bot's profile (only the fields present). */
  setProfile(profile: ProfileUpdate): Promise<void>;
  /** The account's other online devices. */
  getOnlineClients(noCache: boolean): Promise<OnlineClient[]>;
  /** Send to a discuss group the bot is in (NOT_IN_GROUP otherwise). */
  sendDiscussMessage(discussId: number, message: Segment[]): Promise<SentMessage>;
  /** Leave a discuss group; not in it → CANNOT_LEAVE. */
  leaveDiscuss(discussId: number): Promise<void>;

  // --- groups extension (issue 4): settings, essence, honors, notices, pokes ------------------
  /** Switch the whole-group ban (admin/owner; -39 otherwise); `group_ban` notice with `user_id` 0. */
  setGroupWholeBan(groupId: number, enable: boolean): Promise<void>;
  /** Switch anonymous chat (admin/owner). */
  setGroupAnonymous(groupId: number, enable: boolean): Promise<void>;
  /** Set a member's card ('' removes it): own always; admin/owner others' (an admin not the owner's). */
  setGroupCard(groupId: number, userId: number, card: string): Promise<void>;
  /** Set a member's special title ('' removes it; owner only). `durationSeconds` -1 = permanent. */
  setGroupSpecialTitle(groupId: number, userId: number, title: string, durationSeconds: number): Promise<void>;
  /** Rename the group (admin/owner). */
  setGroupName(groupId: number, name: string): Promise<void>;
  /** Set the group's portrait (admin/owner) from an image `file` (`base64://`, URL or path). */
  setGroupPortrait(groupId: number, file: string): Promise<void>;
  /** Leave the group, or dismiss it (`dismiss`, owner only): -16 not in it, -17 owner leaving, -18 non-owner dismissing. */
  setGroupLeave(groupId: number, dismiss: boolean): Promise<void>;
  /** `_get_group_info`: owner, admins, counts, introduction. */
  getGroupProfile(groupId: number): Promise<GroupProfile>;
  /** `_get_group_notice`: the group's announcements, newest first. */
  getGroupNotices(groupId: number): Promise<GroupNotice[]>;
  /** `_send_group_notice`: publish an announcement (admin/owner; OPERATION_FAILED otherwise). */
  sendGroupNotice(groupId: number, title: string, content: string): Promise<void>;
  /** `_get_friend_list`: the bot's friends by friend group. */
  getFriendGroups(): Promise<FriendGroup[]>;
  /** `_get_vip_info`: a user's level and membership. */
  getVipInfo(userId: number): Promise<VipInfo>;
  /** Every honor list of a group the bot is in. */
  getGroupHonors(groupId: number): Promise<GroupHonors>;
  /** Make a group message essence (`enable`) or remove it from the essence list (admin/owner). */
  setEssenceMessage(messageId: number, enable: boolean): Promise<void>;
  /** The group's essence messages, newest first. */
  getEssenceMessages(groupId: number): Promise<EssenceMessage[]>;
  /** Today's @全体成员 quotas of the bot in the group. */
  getGroupAtAllRemain(groupId: number): Promise<AtAllRemain>;
  /** Join requests of groups the bot manages and its invitations, newest first. */
  getGroupSystemMessages(): Promise<GroupSystemMessages>;
  /** Poke a group member or a friend; QQ echoes a `notify`/`poke` notice. */
  sendPoke(poke: PokeRequest): Promise<void>;

  // --- files & media extension (issue 4): group files, downloads --------------------------------
  /** Quotas and use of a group's file system (the bot must be a member: NOT_IN_GROUP). */
  getGroupFileSystemInfo(groupId: number): Promise<GroupFileSystemInfo>;
  /** The root's files and folders (`folderId` '/'), or one folder's files; unknown folder → INVALID_TARGET. */
  getGroupFiles(groupId: number, folderId: string): Promise<GroupFolderListing>;
  /** The bot uploads a file (not muted: BOT_MUTED; quotas: OPERATION_FAILED); a `group_upload` notice follows. */
  uploadGroupFile(groupId: number, upload: FileUpload): Promise<UploadedGroupFile>;
  /** The bot sends a file to a friend (or a temporary-session peer); NO_RELATIONSHIP otherwise. Returns its id. */
  uploadPrivateFile(userId: number, upload: Omit<FileUpload, 'folderId'>): Promise<string>;
  /** A group file with its bytes; unknown file (or another `busid` when non-zero) → INVALID_TARGET. */
  getGroupFileContent(groupId: number, fileId: string, busid: number): Promise<GroupFileContent>;
  /** Create a folder in the root (admin/owner: NO_PERMISSION; duplicate name: OPERATION_FAILED). Returns its id. */
  createGroupFileFolder(groupId: number, name: string, parentId: string): Promise<string>;
  /** Delete a file: one's own, or anyone's as admin/owner (NO_PERMISSION otherwise). */
  deleteGroupFile(groupId: number, fileId: string, busid: number): Promise<void>;
  /** Delete a folder and its files (admin/owner only). */
  deleteGroupFolder(groupId: number, folderId: string): Promise<void>;
}
