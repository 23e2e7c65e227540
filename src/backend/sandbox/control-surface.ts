/**
 * The sandbox's control surface, for people and test scripts (not for bots): act as any user — speak,
 * recall, moderate, join and leave, ask, upload, poke — and edit or inspect the world. Every act
 * enforces QQ's rules with the catalogue's errors, is synchronous, and delivers the events the bot
 * would see before it returns. {@link SandboxBackend} extends this class with the bot's port.
 */
import type { Segment } from '../../message/segment.js';
import type { BackendEvent, Role, SentMessage } from '../port.js';
import { banAnonymous, postAnonymous, setAnonymous } from './anonymous.js';
import type { AnonymousSent } from './anonymous.js';
import type { SandboxContext } from './context.js';
import * as control from './control.js';
import type { ConversationRef, GroupChanges, NewGroupSpec, NewMemberSpec, StoredMessage, WorldSnapshot } from './control.js';
import type { EventHub } from './events.js';
import { listFiles, uploadFile } from './group-files.js';
import type { GroupFileView, UploadedFileRef, UploadSpec } from './group-files.js';
import type { Hub } from './hub.js';
import { inviteMember, leaveGroup } from './membership.js';
import { postGroupMessage, postPrivateMessage, recallMessage } from './messaging.js';
import { banMember, kickMember, setAdmin, setWholeBan } from './moderation.js';
import { awardHonor, luckyKing, poke } from './notify.js';
import { answerGroupRequest, applyToJoin, inviteBot, listRequests, requestFriend } from './requests.js';
import type { RequestView } from './requests.js';
import type { MessageRow, NewUser, UserChanges } from './store/index.js';

/** A message a simulated user posts: in `groupId`, or privately to the bot when it is absent. */
export interface PostMessageInput { from: number; groupId?: number | undefined; message: Segment[] }

/** See the module comment. */
export class SandboxControl {
  /** @internal */
  protected readonly ctx: SandboxContext;
  /** @internal */
  protected readonly hub: EventHub;
  readonly #messages: Hub<MessageRow>;

  /** @internal use `openSandbox`. */
  constructor(ctx: SandboxContext, hub: EventHub, messages: Hub<MessageRow>) {
    this.ctx = ctx;
    this.hub = hub;
    this.#messages = messages;
  }

  /** @internal Drop every listener (on close). */
  protected clearListeners(): void {
    this.hub.clear();
    this.#messages.clear();
  }

  /** Subscribe to every event the bot receives; returns the unsubscribe function. */
  onEvent(listener: (event: BackendEvent) => void): () => void {
    return this.hub.on(listener);
  }

  /** Subscribe to every message stored (the bot's own included), after its commit. */
  onMessage(listener: (message: StoredMessage) => void): () => void {
    return this.#messages.on((row) => listener(control.toStored(this.ctx, row)));
  }

  // --- speak and recall ----------------------------------------------------------------------

  /** A user says something in a group, or privately to the bot; emits the message event. */
  postMessage(input: PostMessageInput): SentMessage {
    return this.ctx.act((out) => input.groupId === undefined
      ? postPrivateMessage(this.ctx, out, input.from, this.ctx.selfId, input.message)
      : postGroupMessage(this.ctx, out, input.from, input.groupId, input.message));
  }

  /**
   * {@link postMessage} sharing its commit with the other writes of this event-loop turn (group
   * commit): resolves once the message is durable, after its event was published.
   */
  postMessageBatched(input: PostMessageInput): Promise<SentMessage> {
    return this.ctx.actBatched((out) => input.groupId === undefined
      ? postPrivateMessage(this.ctx, out, input.from, this.ctx.selfId, input.message)
      : postGroupMessage(this.ctx, out, input.from, input.groupId, input.message));
  }

  /** A member speaks anonymously (anonymous chat on, identity not banned); emits a `sub_type: anonymous` message. */
  postAnonymousMessage(input: { from: number; groupId: number; message: Segment[] }): AnonymousSent {
    return this.ctx.act((out) => postAnonymous(this.ctx, out, input.from, input.groupId, input.message));
  }

  /** `userId` recalls a message under QQ's recall rules; emits `group_recall` / `friend_recall`. */
  recallAs(userId: number, messageId: number): void {
    this.ctx.act((out) => recallMessage(this.ctx, out, userId, messageId));
  }

  // --- moderate ------------------------------------------------------------------------------

  /** `operatorId` kicks `userId`; emits `group_decrease` (`kick`, or `kick_me` for the bot). */
  kickAs(operatorId: number, groupId: number, userId: number, rejectAddRequest = false): void {
    this.ctx.act((out) => kickMember(this.ctx, out, operatorId, groupId, userId, rejectAddRequest));
  }

  /** `operatorId` mutes `userId` (0 lifts); emits `group_ban`. */
  banAs(operatorId: number, groupId: number, userId: number, durationSeconds: number): void {
    this.ctx.act((out) => banMember(this.ctx, out, operatorId, groupId, userId, durationSeconds));
  }

  /** `operatorId` switches the whole-group ban; emits `group_ban` with `user_id` 0. */
  setWholeBanAs(operatorId: number, groupId: number, enable: boolean): void {
    this.ctx.act((out) => setWholeBan(this.ctx, out, operatorId, groupId, enable));
  }

  /** `operatorId` (the owner) grants or removes admin; emits `group_admin`. */
  setAdminAs(operatorId: number, groupId: number, userId: number, enable: boolean): void {
    this.ctx.act((out) => setAdmin(this.ctx, out, operatorId, groupId, userId, enable));
  }

  /** `operatorId` (admin/owner) switches anonymous chat; no notice. */
  setAnonymousAs(operatorId: number, groupId: number, enable: boolean): void {
    this.ctx.act(() => setAnonymous(this.ctx, operatorId, groupId, enable));
  }

  /** `operatorId` (admin/owner) mutes an anonymous identity by its flag (cannot be lifted); no notice. */
  banAnonymousAs(operatorId: number, groupId: number, flag: string, durationSeconds: number): void {
    this.ctx.act(() => banAnonymous(this.ctx, operatorId, groupId, flag, durationSeconds));
  }

  // --- join, leave, ask ----------------------------------------------------------------------

  /** `inviterId`, a member, brings `userId` into the group; emits `group_increase` `invite`. */
  inviteAs(inviterId: number, groupId: number, userId: number): void {
    this.ctx.act((out) => inviteMember(this.ctx, out, inviterId, groupId, userId));
  }

  /** `userId` leaves (not the owner); emits `group_decrease` `leave`. */
  leaveAs(userId: number, groupId: number): void {
    this.ctx.act((out) => leaveGroup(this.ctx, out, userId, groupId));
  }

  /** `userId` applies to join; emits `request`/`group` `add` when the bot administers the group. Returns the flag. */
  applyToJoinAs(userId: number, groupId: number, comment = ''): string {
    return this.ctx.act((out) => applyToJoin(this.ctx, out, userId, groupId, comment));
  }

  /** An admin/owner user answers a join request; approval emits `group_increase` `approve`. */
  answerJoinRequestAs(operatorId: number, flag: string, approve: boolean, reason = ''): void {
    this.ctx.act((out) => answerGroupRequest(this.ctx, out, operatorId, flag, undefined, approve, reason));
  }

  /** `inviterId`, a member, invites the bot; emits `request`/`group` `invite`. Returns the flag. */
  inviteBotAs(inviterId: number, groupId: number, comment = ''): string {
    return this.ctx.act((out) => inviteBot(this.ctx, out, inviterId, groupId, comment));
  }

  /** `userId` asks to be the bot's friend; emits `request`/`friend`. Returns the flag. */
  requestFriendAs(userId: number, comment = ''): string {
    return this.ctx.act((out) => requestFriend(this.ctx, out, userId, comment));
  }

  /** Every request (friend, join, invitation) with its state, oldest first. */
  listRequests(): RequestView[] {
    return listRequests(this.ctx);
  }

  // --- files and notify ----------------------------------------------------------------------

  /** A member uploads a group file; emits `group_upload`. */
  uploadFileAs(userId: number, groupId: number, file: UploadSpec): UploadedFileRef {
    return this.ctx.act((out) => uploadFile(this.ctx, out, userId, groupId, file));
  }

  /** The group's files, oldest first. */
  listFiles(groupId: number): GroupFileView[] {
    return listFiles(this.ctx, groupId);
  }

  /** `userId` pokes `targetId` in `groupId`, or the bot privately; emits `notify`/`poke`. */
  pokeAs(userId: number, targetId: number, groupId?: number): void {
    this.ctx.act((out) => poke(this.ctx, out, userId, targetId, groupId));
  }

  /**
   * Emit an event the world model cannot produce, as given (a raw event): no rule checked, nothing
   * stored, only `time` (the sandbox clock) and `self_id` filled in when absent. It reaches the bot's
   * connections like any event, in order with the others. Returns the event sent.
   */
  emitRawEvent(event: { post_type: string } & Record<string, unknown>): BackendEvent {
    const sent = { time: this.ctx.nowSec(), self_id: this.ctx.selfId, ...event } as BackendEvent;
    this.ctx.act((out) => {
      out.push(sent);
    });
    return sent;
  }

  /** `senderId`'s red packet made `winnerId` the lucky king; emits `notify`/`lucky_king`. */
  luckyKingAs(senderId: number, groupId: number, winnerId: number): void {
    this.ctx.act((out) => luckyKing(this.ctx, out, senderId, groupId, winnerId));
  }

  /** A member earns `talkative`, `performer` or `emotion`; emits `notify`/`honor`. */
  awardHonor(groupId: number, userId: number, honorType: string): void {
    this.ctx.act((out) => awardHonor(this.ctx, out, groupId, userId, honorType));
  }

  // --- edit and inspect the world ------------------------------------------------------------

  /** A conversation (group, or private with `userId`), oldest first, the bot's messages included. */
  listMessages(ref: ConversationRef): StoredMessage[] {
    return control.listMessages(this.ctx, ref);
  }

  /** Everything the world holds now. */
  getWorld(): WorldSnapshot {
    return control.worldSnapshot(this.ctx);
  }

  /** Create a user. */
  createUser(user: NewUser): void {
    this.ctx.act(() => control.createUser(this.ctx, user));
  }

  /** Change a user's nickname, sex, age, area or level (the fields given); no event. */
  updateUser(userId: number, changes: UserChanges): void {
    this.ctx.act(() => control.updateUser(this.ctx, userId, changes));
  }

  /** Rename a group or change its `max_member_count` (the fields given); no event. */
  updateGroup(groupId: number, changes: GroupChanges): void {
    this.ctx.act(() => control.updateGroup(this.ctx, groupId, changes));
  }

  /** Create a group with `ownerId` as its owner and only member. */
  createGroup(spec: NewGroupSpec): void {
    this.ctx.act(() => control.createGroup(this.ctx, spec));
  }

  /** A user joins a group (approved by the owner); emits `group_increase` `approve` when the bot is in it. */
  addMember(spec: NewMemberSpec): void {
    this.ctx.act((out) => control.addMember(this.ctx, out, spec));
  }

  /** Set a member's role by fiat ('owner' transfers ownership); emits `group_admin` on admin changes. */
  setRole(groupId: number, userId: number, role: Role): void {
    this.ctx.act((out) => control.setRole(this.ctx, out, groupId, userId, role));
  }

  /** A user adds the bot as a friend directly; emits `friend_add`. */
  addFriend(userId: number, remark?: string): void {
    this.ctx.act((out) => control.addFriend(this.ctx, out, userId, remark));
  }
}
