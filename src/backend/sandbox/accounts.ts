/**
 * Several bot accounts in one sandbox world (docs/world.md#several-bots). The world's own bot (the
 * `account` row, `selfId` of `openSandbox`) is the *first* account; {@link SandboxAccounts} opens
 * more, each a {@link SandboxBackend} seeing the world as that user: `get_login_info` answers its id,
 * its groups and roles are its own, its events carry its `self_id`.
 *
 * What reaches the other accounts:
 * - a group message stored by anyone (a user, the first bot, another account) becomes a group
 *   message event for every other account in that group (from the stored-message hub), so two bots
 *   in one group see each other as ordinary members;
 * - an account's sends, recalls, kicks, mutes and admin changes run on the world's own context as
 *   acts *of that user* (like the control surface's `…As`), so the first bot sees them as it sees
 *   any member's, and group notices the first bot receives are also sent, re-addressed, to every
 *   other account in that group.
 * Not simulated yet: an account's friends and private chats (its friend list is empty, private sends
 * are refused with -23), and notices of groups the first bot is not in.
 * With no account opened, nothing is subscribed: a single-bot world does no work for this.
 */
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import type { Awaitable, BackendEvent, FriendInfo, SentMessage } from '../port.js';
import { SandboxContext } from './context.js';
import { groupMessageEvent } from './events.js';
import { Hub } from './hub.js';
import { payload } from './messaging.js';
import { SandboxBackend } from './sandbox.js';
import type { MessageRow, Store } from './store/index.js';

/** What every account of a world shares. */
export interface WorldParts {
  readonly store: Store;
  /** The world's own bot's context (its clock, rules, log and batching). */
  readonly ctx: SandboxContext;
  /** Every stored message, announced after its commit. */
  readonly messages: Hub<MessageRow>;
  readonly dbFile: string;
}

/** Another bot account: the port as that user; its acts on others run as acts of that user in the world. */
class AccountBackend extends SandboxBackend {
  readonly #world: SandboxBackend;
  readonly #detach: () => void;

  constructor(world: SandboxBackend, parts: WorldParts, ctx: SandboxContext, hub: Hub<BackendEvent>, detach: () => void) {
    super(parts.store, ctx, hub, parts.messages, parts.dbFile);
    this.#world = world;
    this.#detach = detach;
  }

  /** Stops this account's events; the world (store, message hub) belongs to the first bot. */
  override async close(): Promise<void> {
    this.ctx.flush();
    this.hub.clear();
    this.#detach();
  }

  override getFriendList(): Awaitable<FriendInfo[]> {
    return [];
  }

  override sendPrivateMessage(userId: number, _message: Segment[]): Promise<SentMessage> {
    return Promise.reject(new ApiError('NO_RELATIONSHIP', `bot ${this.selfId} is an additional bot account of this sandbox world; its private chats (here with ${userId}) are not simulated yet`));
  }

  override sendGroupMessage(groupId: number, message: Segment[]): Promise<SentMessage> {
    return this.#world.postMessageBatched({ from: this.selfId, groupId, message });
  }

  override async deleteMessage(messageId: number): Promise<void> {
    this.#world.recallAs(this.selfId, messageId);
  }

  override async setGroupKick(groupId: number, userId: number, rejectAddRequest: boolean): Promise<void> {
    this.#world.kickAs(this.selfId, groupId, userId, rejectAddRequest);
  }

  override async setGroupBan(groupId: number, userId: number, durationSeconds: number): Promise<void> {
    this.#world.banAs(this.selfId, groupId, userId, durationSeconds);
  }

  override async setGroupAdmin(groupId: number, userId: number, enable: boolean): Promise<void> {
    this.#world.setAdminAs(this.selfId, groupId, userId, enable);
  }
}

/** A group notice as `selfId` receives it: `kick`/`kick_me` follow whose view it is. */
function readdressed(event: BackendEvent, selfId: number): BackendEvent {
  const out: BackendEvent = { ...event, self_id: selfId };
  if (event['notice_type'] === 'group_decrease') {
    if (event['sub_type'] === 'kick_me') out['sub_type'] = 'kick';
    else if (event['sub_type'] === 'kick' && event['user_id'] === selfId) out['sub_type'] = 'kick_me';
  }
  return out;
}

/** The additional bot accounts of one world; see the module comment. */
export class SandboxAccounts {
  readonly #world: SandboxBackend;
  readonly #parts: WorldParts;
  readonly #hubs = new Map<number, Hub<BackendEvent>>();
  #unsubscribe: (() => void)[] = [];

  constructor(world: SandboxBackend) {
    this.#world = world;
    this.#parts = world.worldParts();
  }

  /**
   * Open bot account `selfId` (a user of the world; created, named `nickname`, when missing).
   * @throws Error when it is the world's own bot or already open
   */
  open(selfId: number, nickname = `bot ${selfId}`): SandboxBackend {
    if (selfId === this.#world.selfId) throw new Error(`bot ${selfId} is this sandbox world's own bot, not an additional account`);
    if (this.#hubs.has(selfId)) throw new Error(`bot account ${selfId} is already open`);
    const { store, ctx: worldCtx, messages } = this.#parts;
    if (store.users.get(selfId) === undefined) this.#world.createUser({ userId: selfId, nickname });
    const hub = new Hub<BackendEvent>(worldCtx.log, 'event');
    const ctx = new SandboxContext({
      store, selfId, rules: worldCtx.rules, log: worldCtx.log, hub, messages, now: () => worldCtx.nowMs(), mediaUrl: worldCtx.mediaUrl,
    });
    if (this.#hubs.size === 0) {
      this.#unsubscribe = [messages.on((row) => this.#onMessage(row)), this.#world.onEvent((event) => this.#onWorldEvent(event))];
    }
    this.#hubs.set(selfId, hub);
    return new AccountBackend(this.#world, this.#parts, ctx, hub, () => this.#close(selfId));
  }

  #close(selfId: number): void {
    this.#hubs.delete(selfId);
    if (this.#hubs.size > 0) return;
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #inGroup(groupId: number, userId: number): boolean {
    return this.#parts.store.groups.member(groupId, userId) !== undefined;
  }

  /** A group message (not anonymous) to every other account in the group. */
  #onMessage(row: MessageRow): void {
    if (row.peer_type !== 'group' || row.anon_id !== null) return;
    let sender: ReturnType<Store['groups']['memberView']> | null = null;
    for (const [selfId, hub] of this.#hubs) {
      if (selfId === row.sender_id || !this.#inGroup(row.peer_id, selfId)) continue;
      sender ??= this.#parts.store.groups.memberView(row.peer_id, row.sender_id);
      if (sender === undefined) return;
      hub.deliver([groupMessageEvent({ selfId, time: Math.floor(row.time_ms / 1000) }, row.peer_id, payload(row), sender)]);
    }
  }

  /** A group notice the first bot received, to every other account in that group (or the one it names). */
  #onWorldEvent(event: BackendEvent): void {
    const groupId = event['group_id'];
    if (event.post_type !== 'notice' || typeof groupId !== 'number') return;
    for (const [selfId, hub] of this.#hubs) {
      if (event['user_id'] === selfId || this.#inGroup(groupId, selfId)) hub.deliver([readdressed(event, selfId)]);
    }
  }
}
