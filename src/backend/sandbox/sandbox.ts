/**
 * The sandbox backend: a simulated QQ world in SQLite that enforces QQ's rules and emits the events a
 * real QQ would. Besides the {@link Backend} port it offers a control surface (postMessage, recallAs,
 * kickAs…) for people and test scripts to act as the other users; control methods are synchronous
 * and deliver their events before returning.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Segment } from '../../message/segment.js';
import type { Backend, EventListener, FriendInfo, GroupInfo, LoginInfo, MemberInfo, Role, SentMessage, StrangerInfo } from '../port.js';
import { SandboxContext } from './context.js';
import * as control from './control.js';
import type { ConversationRef, NewGroupSpec, NewMemberSpec, StoredMessage, WorldSnapshot } from './control.js';
import { EventHub } from './events.js';
import * as info from './info.js';
import { postGroupMessage, postPrivateMessage, recallMessage } from './messaging.js';
import { banMember, kickMember, setAdmin, setWholeBan } from './moderation.js';
import { seedWorld } from './seed.js';
import { Store } from './store/index.js';
import type { NewUser } from './store/index.js';
import { DEFAULT_SELF_ID, defaultWorld, readWorldFile } from './world.js';

/** How to open a sandbox. */
export interface SandboxOptions {
  /** Directory for `sandbox.db` (created if missing). */
  dataDir: string;
  /** The bot's QQ number for a new world (default: the world file's `self_id`, else 10001000). */
  selfId?: number | undefined;
  /** A JSON/YAML world to seed instead of the default one (only into an empty database). */
  worldFile?: string | undefined;
  /** Clock in milliseconds (default `Date.now`); injectable for tests. */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
  /** Allow private messages to non-friends who share a group with the bot (default true). */
  allowTempSessions?: boolean | undefined;
}

/** A message a simulated user posts: in `groupId`, or privately to the bot when it is absent. */
export interface PostMessageInput { from: number; groupId?: number | undefined; message: Segment[] }

/** See the module comment. Create with {@link openSandbox}. */
export class SandboxBackend implements Backend {
  readonly kind = 'sandbox';
  readonly selfId: number;
  /** The database file. */
  readonly dbFile: string;
  readonly #ctx: SandboxContext;
  readonly #hub: EventHub;
  readonly #store: Store;

  /** @internal use {@link openSandbox}. */
  constructor(store: Store, ctx: SandboxContext, hub: EventHub, dbFile: string) {
    this.#store = store;
    this.#ctx = ctx;
    this.#hub = hub;
    this.selfId = ctx.selfId;
    this.dbFile = dbFile;
  }

  isOnline(): boolean {
    return this.#store.isOpen;
  }

  onEvent(listener: EventListener): () => void {
    return this.#hub.on(listener);
  }

  async close(): Promise<void> {
    this.#hub.clear();
    this.#store.close();
  }

  async getLoginInfo(): Promise<LoginInfo> {
    return info.loginInfo(this.#ctx);
  }

  async getStrangerInfo(userId: number, _noCache: boolean): Promise<StrangerInfo> {
    return info.strangerInfo(this.#ctx, userId);
  }

  async getFriendList(): Promise<FriendInfo[]> {
    return info.friendList(this.#ctx);
  }

  async getGroupList(): Promise<GroupInfo[]> {
    return info.groupList(this.#ctx);
  }

  async getGroupInfo(groupId: number, _noCache: boolean): Promise<GroupInfo> {
    return info.groupInfo(this.#ctx, groupId);
  }

  async getGroupMemberInfo(groupId: number, userId: number, _noCache: boolean): Promise<MemberInfo> {
    return info.memberInfo(this.#ctx, groupId, userId);
  }

  async getGroupMemberList(groupId: number): Promise<MemberInfo[]> {
    return info.memberList(this.#ctx, groupId);
  }

  async sendPrivateMessage(userId: number, message: Segment[]): Promise<SentMessage> {
    return this.#ctx.act((out) => postPrivateMessage(this.#ctx, out, this.selfId, userId, message));
  }

  async sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    return this.#ctx.act((out) => postGroupMessage(this.#ctx, out, this.selfId, groupId, message));
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

  async canSendImage(): Promise<boolean> {
    return true;
  }

  async canSendRecord(): Promise<boolean> {
    return true;
  }

  // --- control surface: act as any user ------------------------------------------------------

  /** A user says something in a group, or privately to the bot; emits the message event. */
  postMessage(input: PostMessageInput): SentMessage {
    return this.#ctx.act((out) => input.groupId === undefined
      ? postPrivateMessage(this.#ctx, out, input.from, this.selfId, input.message)
      : postGroupMessage(this.#ctx, out, input.from, input.groupId, input.message));
  }

  /** `userId` recalls a message under QQ's recall rules; emits `group_recall` / `friend_recall`. */
  recallAs(userId: number, messageId: number): void {
    this.#ctx.act((out) => recallMessage(this.#ctx, out, userId, messageId));
  }

  /** `operatorId` kicks `userId`; emits `group_decrease` (`kick`, or `kick_me` for the bot). */
  kickAs(operatorId: number, groupId: number, userId: number, rejectAddRequest = false): void {
    this.#ctx.act((out) => kickMember(this.#ctx, out, operatorId, groupId, userId, rejectAddRequest));
  }

  /** `operatorId` mutes `userId` (0 lifts); emits `group_ban`. */
  banAs(operatorId: number, groupId: number, userId: number, durationSeconds: number): void {
    this.#ctx.act((out) => banMember(this.#ctx, out, operatorId, groupId, userId, durationSeconds));
  }

  /** `operatorId` switches the whole-group ban; emits `group_ban` with `user_id` 0. */
  setWholeBanAs(operatorId: number, groupId: number, enable: boolean): void {
    this.#ctx.act((out) => setWholeBan(this.#ctx, out, operatorId, groupId, enable));
  }

  /** `operatorId` (the owner) grants or removes admin; emits `group_admin`. */
  setAdminAs(operatorId: number, groupId: number, userId: number, enable: boolean): void {
    this.#ctx.act((out) => setAdmin(this.#ctx, out, operatorId, groupId, userId, enable));
  }

  // --- control surface: edit and inspect the world -------------------------------------------

  /** A conversation (group, or private with `userId`), oldest first, the bot's messages included. */
  listMessages(ref: ConversationRef): StoredMessage[] {
    return control.listMessages(this.#ctx, ref);
  }

  /** Everything the world holds now. */
  getWorld(): WorldSnapshot {
    return control.worldSnapshot(this.#ctx);
  }

  /** Create a user. */
  createUser(user: NewUser): void {
    this.#ctx.act(() => control.createUser(this.#ctx, user));
  }

  /** Create a group with `ownerId` as its owner and only member. */
  createGroup(spec: NewGroupSpec): void {
    this.#ctx.act(() => control.createGroup(this.#ctx, spec));
  }

  /** A user joins a group; emits `group_increase` when the bot is in it. */
  addMember(spec: NewMemberSpec): void {
    this.#ctx.act((out) => control.addMember(this.#ctx, out, spec));
  }

  /** Set a member's role by fiat ('owner' transfers ownership); emits `group_admin` on admin changes. */
  setRole(groupId: number, userId: number, role: Role): void {
    this.#ctx.act((out) => control.setRole(this.#ctx, out, groupId, userId, role));
  }

  /** Make a user the bot's friend; emits `friend_add`. */
  addFriend(userId: number, remark?: string): void {
    this.#ctx.act((out) => control.addFriend(this.#ctx, out, userId, remark));
  }
}

/**
 * Open the sandbox in `dataDir`, seeding the world (the world file, else the default one) if the
 * database is empty.
 * @throws WorldFileError when the world file is invalid; Error when the database belongs to another bot
 */
export function openSandbox(options: SandboxOptions): SandboxBackend {
  const log = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? Date.now;
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = join(options.dataDir, 'sandbox.db');
  const store = Store.open(dbFile);
  try {
    let selfId = store.users.selfId();
    if (selfId === undefined) {
      const world = options.worldFile !== undefined ? readWorldFile(options.worldFile, options.selfId) : defaultWorld(options.selfId ?? DEFAULT_SELF_ID);
      selfId = world.self_id;
      seedWorld(store, world, selfId, Math.floor(now() / 1000));
      log.info({ dbFile, selfId, worldFile: options.worldFile ?? '(default world)' }, 'sandbox world seeded');
    } else {
      if (options.selfId !== undefined && options.selfId !== selfId) {
        throw new Error(`the sandbox database ${dbFile} belongs to bot ${selfId}, not ${options.selfId}; use another data_dir or delete the file to start a new world`);
      }
      if (options.worldFile !== undefined) {
        log.info({ dbFile, worldFile: options.worldFile }, 'sandbox database already holds a world; world file ignored (delete sandbox.db to reseed)');
      }
    }
    const hub = new EventHub(log);
    const ctx = new SandboxContext({ store, selfId, rules: { allowTempSessions: options.allowTempSessions ?? true }, log, hub, now });
    return new SandboxBackend(store, ctx, hub, dbFile);
  } catch (err) {
    store.close();
    throw err;
  }
}
