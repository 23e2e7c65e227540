/**
 * Discuss groups (讨论组; docs/protocol.md §6.1, §6.2, §7.3; decision P10): a chat of several people
 * with no owner or roles. Anyone in one may speak, invite and leave; nobody can be muted or kicked.
 * QQ has withdrawn them, but 4.15 bots still send `send_discuss_msg` and read discuss events.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { SentMessage } from '../port.js';
import type { SandboxContext } from './context.js';
import type { Outbox } from './events.js';
import { discussMessageEvent } from './message-events.js';
import { payload, storeMessage } from './messaging.js';
import { checkMessageSize, who } from './rules.js';
import type { DiscussRow } from './store/index.js';

/** A discuss group to create; the first member is its creator. */
export interface NewDiscussSpec {
  /** Default: the next free id (ten digits, like QQ's). */
  discussId?: number | undefined;
  /** Default: the members' nicknames joined with "、", as QQ names an unnamed discuss group. */
  name?: string | undefined;
  memberIds: number[];
}

/** A discuss group as the control surface shows it. */
export interface DiscussView { discussId: number; name: string; memberIds: number[] }

/** Create a discuss group; no event (4.15 has none for discuss groups). Returns its id. */
export function createDiscuss(ctx: SandboxContext, spec: NewDiscussSpec): number {
  const members = [...new Set(spec.memberIds)];
  if (members.length === 0) throw new ApiError('BAD_PARAMS', 'a discuss group needs at least one member');
  const users = members.map((id) => {
    const user = ctx.store.users.get(id);
    if (user === undefined) throw new ApiError('USER_NOT_FOUND', `user ${id} does not exist`);
    return user;
  });
  const discussId = spec.discussId ?? ctx.store.discusses.nextId();
  if (!Number.isSafeInteger(discussId) || discussId <= 0) throw new ApiError('BAD_PARAMS', `discuss ids are positive integers; got ${discussId}`);
  if (ctx.store.discusses.get(discussId) !== undefined) throw new ApiError('OPERATION_FAILED', `discuss group ${discussId} already exists`);
  const now = ctx.nowSec();
  ctx.store.discusses.insert(discussId, spec.name ?? users.map((u) => u.nickname).join('、'), now);
  for (const id of members) ctx.store.discusses.addMember(discussId, id, now);
  return discussId;
}

/**
 * The discuss group, if `actorId` is in it. For the bot an unknown or foreign discuss group is
 * NOT_IN_GROUP (-9), as for groups; for others INVALID_TARGET / USER_NOT_FOUND.
 */
export function requireDiscussMember(ctx: SandboxContext, discussId: number, actorId: number): DiscussRow {
  const discuss = ctx.store.discusses.get(discussId);
  const isBot = actorId === ctx.selfId;
  if (discuss === undefined) {
    if (isBot) throw new ApiError('NOT_IN_GROUP', `the bot is not in discuss group ${discussId} (no such discuss group)`);
    throw new ApiError('INVALID_TARGET', `discuss group ${discussId} does not exist`);
  }
  if (!ctx.store.discusses.isMember(discussId, actorId)) {
    if (isBot) throw new ApiError('NOT_IN_GROUP', `the bot is not in discuss group ${discussId}`);
    throw new ApiError('USER_NOT_FOUND', `user ${actorId} is not in discuss group ${discussId}`);
  }
  return discuss;
}

/** `from` says `message` in the discuss group: `message`/`discuss` for the bot when it is in it. */
export function postDiscussMessage(ctx: SandboxContext, out: Outbox, from: number, discussId: number, message: Segment[]): SentMessage {
  requireDiscussMember(ctx, discussId, from);
  checkMessageSize(message);
  const row = storeMessage(ctx, 'discuss', discussId, from, message);
  if (from !== ctx.selfId && ctx.store.discusses.isMember(discussId, ctx.selfId)) {
    const sender = ctx.store.users.get(from);
    if (sender !== undefined) out.push(discussMessageEvent(ctx.eventBase(), discussId, payload(row), sender));
  }
  return { messageId: row.message_id };
}

/** `userId` leaves the discuss group; the bot not in it → CANNOT_LEAVE (-16). No event. */
export function leaveDiscuss(ctx: SandboxContext, userId: number, discussId: number): void {
  if (!ctx.store.discusses.removeMember(discussId, userId)) {
    if (userId === ctx.selfId) throw new ApiError('CANNOT_LEAVE', `the bot is not in discuss group ${discussId}; it cannot leave it`);
    throw new ApiError('USER_NOT_FOUND', `user ${userId} is not in discuss group ${discussId}`);
  }
}

/** `inviterId`, a member, brings `userId` into the discuss group. No event. */
export function inviteToDiscuss(ctx: SandboxContext, inviterId: number, discussId: number, userId: number): void {
  requireDiscussMember(ctx, discussId, inviterId);
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (ctx.store.discusses.isMember(discussId, userId)) {
    throw new ApiError('OPERATION_FAILED', `${who(ctx, userId)} is already in discuss group ${discussId}`);
  }
  ctx.store.discusses.addMember(discussId, userId, ctx.nowSec());
}

/** Every discuss group and its members. */
export function listDiscusses(ctx: SandboxContext): DiscussView[] {
  return ctx.store.discusses.all().map((d) => ({
    discussId: d.discuss_id, name: d.discuss_name, memberIds: ctx.store.discusses.members(d.discuss_id).map((u) => u.user_id),
  }));
}
