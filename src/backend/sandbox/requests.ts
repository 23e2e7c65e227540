/**
 * Requests and their answers (docs/qq-rules.md §4, §5; docs/protocol.md §6.3, §7.5): a user asks to be the bot's
 * friend, applies to join a group, or invites the bot into one. Each gets an opaque flag, stored with
 * its kind and state; the bot answers with `set_friend_add_request` / `set_group_add_request`, and a
 * group's admins may answer join requests themselves. A handled or unknown flag → FLAG_NOT_FOUND.
 *
 * A request left unanswered for {@link REQUEST_LIFETIME_SEC} lapses, as QQ's verification messages
 * expire: it is listed as `expired`, answering it is FLAG_NOT_FOUND, and the person may ask again.
 * Nothing fires: a request's state is read against the sandbox clock (a virtual clock's jump lapses it).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { friendAddEvent, friendRequestEvent, groupRequestEvent } from './events.js';
import type { Outbox } from './events.js';
import { admit, checkCanJoin } from './membership.js';
import { requireMembership, roleNoun, who } from './rules.js';
import type { RequestRow, RequestState, RequestSubType } from './store/index.js';

/** A request as the control surface lists it. */
export interface RequestView {
  flag: string;
  requestType: 'friend' | 'group';
  /** Absent for friend requests. */
  subType?: 'add' | 'invite';
  groupId?: number;
  /** The requester (`friend`, `add`) or the inviter (`invite`). */
  userId: number;
  comment: string;
  /** `expired`: still unanswered after {@link REQUEST_LIFETIME_SEC}. */
  state: RequestState | 'expired';
  /** Unix seconds. */
  time: number;
  /** Who answered, once answered. */
  handledBy: number | null;
}

/** How long a request waits for its answer: 7 days. */
export const REQUEST_LIFETIME_SEC = 7 * 86_400;

/** Whether a pending request has waited past its lifetime on the sandbox clock. */
export function requestLapsed(ctx: SandboxContext, row: Pick<RequestRow, 'state' | 'created_at'>): boolean {
  return row.state === 'pending' && ctx.nowSec() - row.created_at >= REQUEST_LIFETIME_SEC;
}

/** A fresh opaque flag (96 random bits, base64url). */
function newFlag(): string {
  return randomBytes(12).toString('base64url');
}

function requireUser(ctx: SandboxContext, userId: number): void {
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
}

function refuseDuplicate(ctx: SandboxContext, kind: 'friend' | 'group', subType: RequestSubType, userId: number, groupId: number | null, what: string): void {
  const pending = ctx.store.requests.pending(kind, subType, userId, groupId, ctx.nowSec() - REQUEST_LIFETIME_SEC);
  if (pending !== undefined) throw new ApiError('OPERATION_FAILED', `${who(ctx, userId)} already has a pending ${what} (flag ${pending.flag})`);
}

/** `userId` asks to become the bot's friend: `request`/`friend`. Returns the flag. */
export function requestFriend(ctx: SandboxContext, out: Outbox, userId: number, comment: string): string {
  requireUser(ctx, userId);
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot cannot befriend itself');
  if (ctx.store.users.friend(userId) !== undefined) throw new ApiError('OPERATION_FAILED', `user ${userId} is already the bot's friend`);
  refuseDuplicate(ctx, 'friend', '', userId, null, 'friend request');
  const flag = newFlag();
  ctx.store.requests.insert({ flag, kind: 'friend', subType: '', groupId: null, userId, comment, createdAt: ctx.nowSec() });
  out.push(friendRequestEvent(ctx.eventBase(), userId, comment, flag));
  return flag;
}

/**
 * `userId` applies to join the group: `request`/`group` `add`, seen by the bot only when it is admin
 * or owner there (only admins receive join requests). Returns the flag.
 */
export function applyToJoin(ctx: SandboxContext, out: Outbox, userId: number, groupId: number, comment: string): string {
  if (userId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot joins groups by answering invitations (inviteBotAs)');
  checkCanJoin(ctx, groupId, userId);
  refuseDuplicate(ctx, 'group', 'add', userId, groupId, `request to join group ${groupId}`);
  const flag = newFlag();
  ctx.store.requests.insert({ flag, kind: 'group', subType: 'add', groupId, userId, comment, createdAt: ctx.nowSec() });
  const botRole = ctx.store.groups.member(groupId, ctx.selfId)?.role;
  if (botRole === 'owner' || botRole === 'admin') out.push(groupRequestEvent(ctx.eventBase(), 'add', groupId, userId, comment, flag));
  return flag;
}

/** `inviterId`, a member, invites the bot into the group: `request`/`group` `invite`. Returns the flag. */
export function inviteBot(ctx: SandboxContext, out: Outbox, inviterId: number, groupId: number, comment: string): string {
  if (inviterId === ctx.selfId) throw new ApiError('BAD_PARAMS', 'the bot cannot invite itself');
  requireMembership(ctx, groupId, inviterId);
  checkCanJoin(ctx, groupId, ctx.selfId);
  refuseDuplicate(ctx, 'group', 'invite', inviterId, groupId, `invitation of the bot into group ${groupId}`);
  const flag = newFlag();
  ctx.store.requests.insert({ flag, kind: 'group', subType: 'invite', groupId, userId: inviterId, comment, createdAt: ctx.nowSec() });
  out.push(groupRequestEvent(ctx.eventBase(), 'invite', groupId, inviterId, comment, flag));
  return flag;
}

function pendingRequest(ctx: SandboxContext, flag: string, kind: 'friend' | 'group'): RequestRow {
  const row = ctx.store.requests.get(flag);
  if (row === undefined || row.kind !== kind) throw new ApiError('FLAG_NOT_FOUND', `there is no ${kind} request with flag ${JSON.stringify(flag)}`);
  if (row.state !== 'pending') {
    const by = row.handled_by === null ? '' : ` by ${who(ctx, row.handled_by)}`;
    throw new ApiError('FLAG_NOT_FOUND', `the ${kind} request ${JSON.stringify(flag)} has already been ${row.state}${by}`);
  }
  if (requestLapsed(ctx, row)) {
    throw new ApiError('FLAG_NOT_FOUND', `the ${kind} request ${JSON.stringify(flag)} has expired: it was left unanswered for ${REQUEST_LIFETIME_SEC / 86_400} days`);
  }
  return row;
}

/** The bot answers a friend request; approval makes a friend (`friend_add`, unless already one). */
export function answerFriendRequest(ctx: SandboxContext, out: Outbox, flag: string, approve: boolean, remark: string): void {
  const row = pendingRequest(ctx, flag, 'friend');
  ctx.store.requests.resolve(flag, approve ? 'approved' : 'rejected', ctx.selfId, ctx.nowSec(), approve ? remark : '');
  if (!approve || ctx.store.users.friend(row.user_id) !== undefined) return;
  ctx.store.users.addFriend(row.user_id, remark, ctx.nowSec());
  out.push(friendAddEvent(ctx.eventBase(), row.user_id));
}

/**
 * `actorId` answers a group request. The bot answers join requests of groups it administers and its
 * own invitations, naming the request's `subType` (must match); an admin or the owner may answer a
 * join request too (`subType` undefined). Approval: `group_increase` (`approve` by the answerer for a
 * join, `invite` by the inviter when the bot joins).
 */
export function answerGroupRequest(ctx: SandboxContext, out: Outbox, actorId: number, flag: string, subType: 'add' | 'invite' | undefined, approve: boolean, reason: string): void {
  const row = pendingRequest(ctx, flag, 'group');
  const groupId = row.group_id ?? 0;
  if (subType !== undefined && subType !== row.sub_type) {
    throw new ApiError('BAD_PARAMS', `flag ${JSON.stringify(flag)} is a request of sub_type ${row.sub_type}, not ${subType}`);
  }
  if (row.sub_type === 'invite') {
    if (actorId !== ctx.selfId) throw new ApiError('NO_PERMISSION', `only the bot answers its invitation into group ${groupId}`);
  } else {
    const { actor } = requireMembership(ctx, groupId, actorId);
    if (actor.role === 'member') {
      throw new ApiError('NO_PERMISSION', `${who(ctx, actorId)} is ${roleNoun(actor.role)} of group ${groupId}; only admins and the owner answer join requests`);
    }
  }
  ctx.store.requests.resolve(flag, approve ? 'approved' : 'rejected', actorId, ctx.nowSec(), approve ? '' : reason);
  if (!approve) return;
  if (row.sub_type === 'invite') admit(ctx, out, groupId, ctx.selfId, 'invite', row.user_id);
  else admit(ctx, out, groupId, row.user_id, 'approve', actorId);
}

/** Every request, oldest first. */
export function listRequests(ctx: SandboxContext): RequestView[] {
  return ctx.store.requests.all().map((r) => {
    const v: RequestView = { flag: r.flag, requestType: r.kind, userId: r.user_id, comment: r.comment, state: requestLapsed(ctx, r) ? 'expired' : r.state, time: r.created_at, handledBy: r.handled_by };
    if (r.sub_type !== '') v.subType = r.sub_type;
    if (r.group_id !== null) v.groupId = r.group_id;
    return v;
  });
}
