/**
 * Domain types of the groups extension of the backend port (issue 4): group settings, the 4.15
 * experimental look-ups, honors, essence, @全体成员 quotas, the group system messages and pokes.
 * camelCase; the actions turn them into wire objects.
 */
import type { FriendInfo } from './port.js';

/** An owner or admin as `_get_group_info` lists them. */
export interface GroupAdmin { userId: number; nickname: string; role: 'owner' | 'admin' }

/** What `_get_group_info` (4.15 §6.10) reports about a group. */
export interface GroupProfile {
  groupId: number;
  groupName: string;
  /** Unix seconds. */
  createTime: number;
  /** QQ's group category number (0 = none). */
  category: number;
  introduction: string;
  memberCount: number;
  maxMemberCount: number;
  maxAdminCount: number;
  ownerId: number;
  /** The owner first, then the admins in join order. */
  admins: GroupAdmin[];
}

/** A group announcement (群公告). */
export interface GroupNotice {
  /** Opaque id (QQ's `fid`). */
  id: string;
  authorId: number;
  title: string;
  text: string;
  /** Unix seconds. */
  publishedAt: number;
  /** Members who have read it. */
  readCount: number;
}

/** A friend group (分组) with its friends. */
export interface FriendGroup { friendGroupId: number; friendGroupName: string; friends: FriendInfo[] }

/** What `_get_vip_info` reports. */
export interface VipInfo {
  userId: number;
  nickname: string;
  level: number;
  /** Rounded to 0.1. */
  levelSpeed: number;
  vipLevel: string;
  vipGrowthSpeed: number;
  vipGrowthTotal: number;
}

/** The honor kinds of `get_group_honor_info`. */
export type HonorKind = 'talkative' | 'performer' | 'legend' | 'strong_newbie' | 'emotion';

/** A member holding (or having held) an honor. */
export interface HonorHolder { userId: number; nickname: string; avatar: string; description: string }

/** The group's current 龙王 and how many days in a row it has held the title. */
export interface CurrentTalkative { userId: number; nickname: string; avatar: string; dayCount: number }

/** Every honor list of a group (lists are empty, never missing). */
export interface GroupHonors {
  groupId: number;
  /** Absent when nobody spoke yesterday. */
  currentTalkative?: CurrentTalkative | undefined;
  lists: Record<HonorKind, HonorHolder[]>;
}

/** An essence message (精华消息). */
export interface EssenceMessage {
  messageId: number;
  senderId: number;
  senderNick: string;
  /** Unix seconds the message was sent. */
  senderTime: number;
  operatorId: number;
  operatorNick: string;
  /** Unix seconds it was made essence. */
  operatorTime: number;
}

/** Today's @全体成员 quotas in a group, as the bot sees them. */
export interface AtAllRemain { canAtAll: boolean; remainForGroup: number; remainForUin: number }

/** An invitation of the bot into a group, as a group system message. */
export interface InvitedRequest {
  requestId: number;
  /** The request event's flag (answer it with `set_group_add_request`). */
  flag: string;
  invitorUin: number;
  invitorNick: string;
  groupId: number;
  groupName: string;
  checked: boolean;
  /** Who handled it; 0 while pending. */
  actor: number;
}

/** A request to join a group the bot manages, as a group system message. */
export interface JoinRequest {
  requestId: number;
  flag: string;
  requesterUin: number;
  requesterNick: string;
  message: string;
  groupId: number;
  groupName: string;
  checked: boolean;
  actor: number;
  /** The member who invited the requester (0 = nobody). */
  actionUin: number;
  actionUinNick: string;
  suspicious: boolean;
}

/** The bot's group system messages, newest first. */
export interface GroupSystemMessages { invited: InvitedRequest[]; join: JoinRequest[] }

/** A poke the bot sends: in `groupId` to member `targetId`, or in the private chat with `userId`. */
export type PokeRequest =
  | { kind: 'group'; groupId: number; targetId: number }
  | { kind: 'friend'; userId: number; targetId: number };
