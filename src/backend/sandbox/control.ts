/**
 * The world-editing half of the control surface (for people and test scripts, not for bots): create
 * users and groups, add members, change roles, make friends, and read the world and message log back.
 * Acting *as* a user (speaking, recalling, moderating) reuses messaging.ts and moderation.ts.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { Role, Sex } from '../port.js';
import type { SandboxContext } from './context.js';
import { friendAddEvent, groupAdminEvent } from './events.js';
import type { Outbox } from './events.js';
import { admit } from './membership.js';
import type { MessageRow, NewUser, UserChanges } from './store/index.js';

/** An anonymous identity as the bot sees it (`anonymous` of the message event). */
export interface AnonymousIdentity { id: number; name: string; flag: string }

/** A message as the log holds it (the bot's included). */
export interface StoredMessage {
  messageId: number;
  /** Position in its conversation, from 1 (exposed as `real_id` / `message_seq`). */
  seq: number;
  /** Unix seconds. */
  time: number;
  /** The sender. */
  userId: number;
  /** Set for group messages. */
  groupId?: number;
  /** Set for private messages: the user (not the bot) the conversation is with. */
  peerUserId?: number;
  /** Set for discuss group messages (migration 3). */
  discussId?: number;
  message: Segment[];
  rawMessage: string;
  recalled: boolean;
  recalledBy: number | null;
  /** Set when the author (`userId`, the real one) spoke anonymously. */
  anonymous?: AnonymousIdentity;
}

/** Which conversation to list. */
export type ConversationRef = { groupId: number } | { userId: number } | { discussId: number };

/** The whole world, for inspection. */
export interface WorldSnapshot {
  selfId: number;
  bot: { nickname: string };
  users: { userId: number; nickname: string; sex: Sex; age: number; area: string; level: number }[];
  friends: { userId: number; remark: string }[];
  groups: {
    groupId: number;
    groupName: string;
    maxMemberCount: number;
    wholeBan: boolean;
    anonymousEnabled: boolean;
    members: { userId: number; role: Role; card: string; title: string; joinTime: number; lastSentTime: number; mutedUntil: number }[];
    /** Users kicked with `reject_add_request`. */
    blocked: number[];
  }[];
}

/** A new group; `ownerId` becomes its owner. */
export interface NewGroupSpec { groupId: number; groupName: string; ownerId: number; maxMemberCount?: number }

/** Fields of a group to change (absent ones stay). */
export interface GroupChanges { groupName?: string | undefined; maxMemberCount?: number | undefined }

/** A member to add (role defaults to `member`; use {@link setRole} to transfer ownership). */
export interface NewMemberSpec { groupId: number; userId: number; role?: 'admin' | 'member'; card?: string; title?: string }

/** A log row as the control surface shows it. */
export function toStored(ctx: SandboxContext, row: MessageRow): StoredMessage {
  const m: StoredMessage = {
    messageId: row.message_id, seq: row.seq, time: Math.floor(row.time_ms / 1000), userId: row.sender_id,
    message: JSON.parse(row.segments) as Segment[], rawMessage: row.raw_message,
    recalled: row.recalled === 1, recalledBy: row.recalled_by,
  };
  if (row.peer_type === 'group') m.groupId = row.peer_id;
  else if (row.peer_type === 'discuss') m.discussId = row.peer_id;
  else m.peerUserId = row.peer_id;
  const anon = row.anon_id === null ? undefined : ctx.store.anonymous.get(row.anon_id);
  if (anon !== undefined) m.anonymous = { id: anon.anon_id, name: anon.name, flag: anon.flag };
  return m;
}

/** A conversation, oldest first. */
export function listMessages(ctx: SandboxContext, ref: ConversationRef): StoredMessage[] {
  const rows = 'groupId' in ref ? ctx.store.messages.ofPeer('group', ref.groupId)
    : 'discussId' in ref ? ctx.store.messages.ofPeer('discuss', ref.discussId) : ctx.store.messages.ofPeer('private', ref.userId);
  return rows.map((row) => toStored(ctx, row));
}

/** Everything the world holds now. */
export function worldSnapshot(ctx: SandboxContext): WorldSnapshot {
  const { users, groups } = ctx.store;
  return {
    selfId: ctx.selfId,
    bot: { nickname: users.get(ctx.selfId)?.nickname ?? '' },
    users: users.all().filter((u) => u.user_id !== ctx.selfId)
      .map((u) => ({ userId: u.user_id, nickname: u.nickname, sex: u.sex, age: u.age, area: u.area, level: u.level })),
    friends: users.friends().map((f) => ({ userId: f.user_id, remark: f.remark })),
    groups: groups.all().map((g) => ({
      groupId: g.group_id, groupName: g.group_name, maxMemberCount: g.max_member_count, wholeBan: g.whole_ban === 1,
      anonymousEnabled: g.anonymous_enabled === 1,
      members: groups.members(g.group_id).map((m) => ({
        userId: m.user_id, role: m.role, card: m.card, title: m.title, joinTime: m.join_time, lastSentTime: m.last_sent_time, mutedUntil: m.muted_until,
      })),
      blocked: groups.blocked(g.group_id),
    })),
  };
}

function requireUser(ctx: SandboxContext, userId: number): void {
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
}

/** Create a user (a QQ account that exists but knows nobody yet). */
export function createUser(ctx: SandboxContext, user: NewUser): void {
  if (ctx.store.users.get(user.userId) !== undefined) throw new ApiError('OPERATION_FAILED', `user ${user.userId} already exists`);
  ctx.store.users.insert(user);
}

/** Change a user's profile (nickname, sex, age, area, level) by fiat; QQ tells bots of none of it. */
export function updateUser(ctx: SandboxContext, userId: number, changes: UserChanges): void {
  if (changes.nickname !== undefined && changes.nickname.trim() === '') throw new ApiError('BAD_PARAMS', 'the nickname must not be empty');
  if (changes.age !== undefined && (changes.age < 0 || changes.age > 255)) throw new ApiError('BAD_PARAMS', 'age must be from 0 to 255');
  if (changes.level !== undefined && (changes.level < 0 || changes.level > 255)) throw new ApiError('BAD_PARAMS', 'level must be from 0 to 255');
  if (!ctx.store.users.update(userId, changes)) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
}

/** Rename a group or change how many members it may hold, by fiat (no notice). */
export function updateGroup(ctx: SandboxContext, groupId: number, changes: GroupChanges): void {
  if (ctx.store.groups.get(groupId) === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  if (changes.groupName !== undefined && changes.groupName.trim() === '') throw new ApiError('BAD_PARAMS', 'the group name must not be empty');
  const max = changes.maxMemberCount;
  if (max !== undefined) {
    const members = ctx.store.groups.memberCount(groupId);
    if (max < 1 || max > 10_000) throw new ApiError('BAD_PARAMS', 'max_member_count must be from 1 to 10000');
    if (max < members) throw new ApiError('OPERATION_FAILED', `group ${groupId} has ${members} members, more than ${max}`);
    ctx.store.groups.setMaxMemberCount(groupId, max);
  }
  if (changes.groupName !== undefined) ctx.store.groupExtras.setGroupName(groupId, changes.groupName);
}

/** Create a group whose only member is its owner. */
export function createGroup(ctx: SandboxContext, spec: NewGroupSpec): void {
  if (ctx.store.groups.get(spec.groupId) !== undefined) throw new ApiError('OPERATION_FAILED', `group ${spec.groupId} already exists`);
  requireUser(ctx, spec.ownerId);
  const now = ctx.nowSec();
  ctx.store.groups.insert({ groupId: spec.groupId, groupName: spec.groupName, maxMemberCount: spec.maxMemberCount }, now);
  ctx.store.groups.addMember({ groupId: spec.groupId, userId: spec.ownerId, role: 'owner', joinTime: now });
}

/** A user joins a group (approved by the owner): `group_increase` `approve` if the bot is there. */
export function addMember(ctx: SandboxContext, out: Outbox, spec: NewMemberSpec): void {
  const owner = ctx.store.groups.ownerOf(spec.groupId) ?? 0;
  admit(ctx, out, spec.groupId, spec.userId, 'approve', owner, spec);
}

/**
 * Set a member's role by fiat (no permission check). Making someone `owner` transfers ownership; the
 * old owner becomes a plain member. Admin gained/lost → `group_admin` `set`/`unset`.
 */
export function setRole(ctx: SandboxContext, out: Outbox, groupId: number, userId: number, role: Role): void {
  if (ctx.store.groups.get(groupId) === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  const member = ctx.store.groups.member(groupId, userId);
  if (member === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} is not a member of group ${groupId}`);
  if (member.role === role) return;
  if (member.role === 'owner') throw new ApiError('BAD_PARAMS', `user ${userId} owns group ${groupId}; make another member the owner instead`);
  const changes: [number, Role, Role][] = [];
  if (role === 'owner') {
    const old = ctx.store.groups.ownerOf(groupId);
    if (old !== undefined) {
      ctx.store.groups.setRole(groupId, old, 'member');
      changes.push([old, 'owner', 'member']);
    }
  }
  ctx.store.groups.setRole(groupId, userId, role);
  changes.push([userId, member.role, role]);
  if (!ctx.botInGroup(groupId)) return;
  for (const [id, from, to] of changes) {
    if (to === 'admin') out.push(groupAdminEvent(ctx.eventBase(), groupId, id, true));
    else if (from === 'admin') out.push(groupAdminEvent(ctx.eventBase(), groupId, id, false));
  }
}

/** A user adds the bot as a friend directly (the bot accepts anyone): `friend_add`. */
export function addFriend(ctx: SandboxContext, out: Outbox, userId: number, remark = ''): void {
  requireUser(ctx, userId);
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot cannot befriend itself');
  if (ctx.store.users.friend(userId) !== undefined) throw new ApiError('OPERATION_FAILED', `user ${userId} is already the bot's friend`);
  ctx.store.users.addFriend(userId, remark, ctx.nowSec());
  out.push(friendAddEvent(ctx.eventBase(), userId));
}
