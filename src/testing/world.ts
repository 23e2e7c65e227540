/**
 * Reading the sandbox world through the control API: names → ids (a user's nickname, a group's
 * name, or the id itself), and the `world` expectations (member, message, friend), which poll the
 * world until they hold or time out.
 */
import type { ControlClient } from './control-client.js';
import { ExpectationFailure } from './inbox.js';

/** A user or a group: its id (number or decimal text) or its name in the world. */
export type Ref = number | string;

/** A sandbox state a test can wait for. All ids resolved; omitted fields are not checked. */
export type WorldCheck =
  | { member: { group: Ref; user: Ref; present?: boolean; role?: 'owner' | 'admin' | 'member'; card?: string; title?: string; muted?: boolean } }
  | { message: { id: number; exists?: boolean; recalled?: boolean } }
  | { friend: { user: Ref; present?: boolean } };

interface WireMember { user_id: number; role: string; card: string; title: string; muted_until: number }
interface WireWorld {
  self_id: number;
  users: { user_id: number; nickname: string }[];
  groups: { group_id: number; group_name: string; members: WireMember[] }[];
  friends: number[];
}

/** Where each message seen on the stream was said (for `message` checks). */
export type ChatOf = (messageId: number) => { group_id: number } | { user_id: number } | { discuss_id: number } | undefined;

const POLL_MS = 50;

export class WorldReader {
  readonly #control: ControlClient;
  readonly #chatOf: ChatOf;
  constructor(control: ControlClient, chatOf: ChatOf) {
    this.#control = control;
    this.#chatOf = chatOf;
  }

  /** `GET /api/world`. */
  async world(): Promise<WireWorld> {
    return (await this.#control.request('GET', '/api/world')) as unknown as WireWorld;
  }

  /** A user's id: a number, decimal text, the bot's `self`, or a nickname in the world. */
  async user(ref: Ref): Promise<number> {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) return Number(ref);
    const world = await this.world();
    if (ref === 'self' || ref === 'bot') return world.self_id;
    const found = world.users.find((u) => u.nickname === ref);
    if (found === undefined) throw new Error(`no user named "${ref}" in the world (users: ${world.users.map((u) => u.nickname).join(', ')})`);
    return found.user_id;
  }

  /** A group's id: a number, decimal text, or a group name in the world. */
  async group(ref: Ref): Promise<number> {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) return Number(ref);
    const world = await this.world();
    const found = world.groups.find((g) => g.group_name === ref);
    if (found === undefined) throw new Error(`no group named "${ref}" in the world (groups: ${world.groups.map((g) => g.group_name).join(', ')})`);
    return found.group_id;
  }

  /** Poll until `check` holds, or fail after `timeoutMs` quoting the last state seen. */
  async expect(check: WorldCheck, timeoutMs: number): Promise<void> {
    const describe = `world ${JSON.stringify(check)}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.#state(check);
      if (state.holds) return;
      if (Date.now() >= deadline) throw new ExpectationFailure(`expected ${describe} within ${timeoutMs} ms; actual: ${state.actual}`, describe, undefined);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #state(check: WorldCheck): Promise<{ holds: boolean; actual: string }> {
    if ('member' in check) {
      const m = check.member;
      const [groupId, userId, world] = [await this.group(m.group), await this.user(m.user), await this.world()];
      const group = world.groups.find((g) => g.group_id === groupId);
      const member = group?.members.find((x) => x.user_id === userId);
      const present = member !== undefined;
      const now = Number((await this.#control.request('GET', '/api/clock'))['now']);
      const muted = member !== undefined && member.muted_until * 1000 > now;
      const holds = (m.present ?? true) === present && (!present || (
        (m.role === undefined || m.role === member.role) && (m.card === undefined || m.card === member.card) &&
        (m.title === undefined || m.title === member.title) && (m.muted === undefined || m.muted === muted)));
      return { holds, actual: member === undefined ? `${userId} is not a member of ${groupId}` : JSON.stringify({ ...member, muted }) };
    }
    if ('friend' in check) {
      const userId = await this.user(check.friend.user);
      const isFriend = (await this.world()).friends.includes(userId);
      return { holds: isFriend === (check.friend.present ?? true), actual: isFriend ? `${userId} is a friend` : `${userId} is not a friend` };
    }
    const chat = this.#chatOf(check.message.id);
    const wanted = check.message;
    if (chat === undefined) return { holds: wanted.exists === false, actual: `message ${wanted.id} was never seen` };
    const found = await this.#findMessage(chat, wanted.id);
    const exists = found !== undefined;
    const holds = (wanted.exists ?? true) === exists && (!exists || wanted.recalled === undefined || wanted.recalled === found['recalled']);
    return { holds, actual: exists ? JSON.stringify(found) : `message ${wanted.id} not found` };
  }

  async #findMessage(chat: NonNullable<ReturnType<ChatOf>>, id: number): Promise<Record<string, unknown> | undefined> {
    const path = 'discuss_id' in chat
      ? `/api/discusses/${chat.discuss_id}/messages`
      : 'group_id' in chat ? `/api/messages?group_id=${chat.group_id}` : `/api/messages?user_id=${chat.user_id}`;
    const { messages } = (await this.#control.request('GET', path)) as { messages: Record<string, unknown>[] };
    return messages.find((m) => m['message_id'] === id);
  }
}
