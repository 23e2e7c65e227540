/**
 * The acts a test performs as people of the sandbox, each one request to the control API
 * (docs/sandbox-api.md). The same shapes serve scenario steps and `sandbox.act()`:
 * `{say: "ping", as: "Carol", in: "Sandbox Lounge"}`, `{mute: "Dave", in: 100001, as: "Alice", duration: "10m"}`,
 * `{raw_event: {post_type: "notice", notice_type: "client_status", online: true}}`.
 * docs/testing.md "Acts" lists them.
 */
import type { WorldReader, Ref } from './world.js';

/** One act, as written in a scenario step (names or ids). */
export interface Act {
  say?: unknown;
  recall?: number | string;
  poke?: Ref;
  join?: Ref;
  leave?: Ref;
  kick?: Ref;
  mute?: Ref;
  request?: 'friend' | 'join' | 'invite';
  upload?: string;
  /** An event sent to the bot as given (`POST /api/events`): for what the world model cannot produce. */
  raw_event?: Record<string, unknown>;
  /** A reaction (`emoji`) to this group message. */
  react?: number | string;
  /** This group message made essence (`enable: false` removes it). */
  essence?: number | string;
  /** This member's group card, set to `value`. */
  card?: Ref;
  /** This member's special title, set to `value` (the owner sets titles). */
  title?: Ref;
  /** This member made an admin (`enable: false`: a member again); `as` is the owner. */
  admin?: Ref;
  /** The whole-group ban of this group switched on (`enable: false`: off). */
  whole_ban?: Ref;
  /** An admin answers the join request of this flag (`approve`, `reason`). */
  answer?: string;
  /** `as`'s red packet in `in` was emptied and this member got the most. */
  lucky_king?: Ref;
  /** `as` earns this group honour in `in`. */
  honor?: 'talkative' | 'performer' | 'emotion';
  /** Who does it (a user id or nickname). */
  as?: Ref;
  /** Where: a group id or name. */
  in?: Ref;
  /** `say`: a private message to the bot instead of a group message. */
  private?: boolean;
  /** `say`: the message is a literal text, not CQ code. */
  auto_escape?: boolean;
  /** `say`: anonymously (anonymous chat must be on in the group). */
  anonymous?: boolean;
  /** `react`: the emoji (a QQ face id, or an emoji's code point). */
  emoji?: number;
  /** `react`, `essence`, `admin`, `whole_ban`: `false` undoes. */
  enable?: boolean;
  /** `card`, `title`: the new text ("" removes). */
  value?: string;
  /** `answer`: approve (default) or reject. */
  approve?: boolean;
  /** `answer`: why it is rejected. */
  reason?: string;
  /** `mute`: seconds, or a duration text ("10m"); 0 lifts. */
  duration?: number | string;
  /** `kick`: refuse their later join requests. */
  block?: boolean;
  /** `join`: brought in by this member. */
  inviter?: Ref;
  /** `join`: the role given (no inviter). */
  role?: 'admin' | 'member';
  /** `request`: the verification text. */
  comment?: string;
  /** `upload`: size in bytes, or the file's text content. */
  size?: number;
  content?: string;
}

export const ACT_NAMES = ['say', 'recall', 'poke', 'join', 'leave', 'kick', 'mute', 'request', 'upload', 'raw_event', 'react', 'essence', 'card', 'title', 'admin', 'whole_ban', 'answer', 'lucky_king', 'honor'] as const;
export type ActName = (typeof ACT_NAMES)[number];

/** The name of the act a step performs, or undefined (a step may only expect, or wait). */
export function actOf(step: Record<string, unknown>): ActName | undefined {
  return ACT_NAMES.find((name) => step[name] !== undefined);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `"800ms"`, `"2s"`, `"10m"`, `"1h"`, `"1d"` → ms; a number is ms; null when not a duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  return m === null ? null : Number(m[1]) * (UNITS[m[2] as string] as number);
}

/** The control API request of an act. */
export interface ActRequest {
  method: 'POST' | 'DELETE';
  path: string;
  body: Record<string, unknown>;
}

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`this act needs \`${what}\``);
  return value;
};

/** Build the control API request of `act`, resolving names through the world. */
export async function actRequest(name: ActName, act: Act, world: WorldReader): Promise<ActRequest> {
  const as = async () => world.user(need(act.as, 'as'));
  const group = async () => world.group(need(act.in, 'in'));
  switch (name) {
    case 'say': {
      const body: Record<string, unknown> = { from: await as(), message: act.say };
      if (act.private !== true) body['group_id'] = await group();
      if (act.auto_escape === true) body['auto_escape'] = true;
      if (act.anonymous === true) body['anonymous'] = true;
      return { method: 'POST', path: '/api/messages', body };
    }
    case 'recall':
      return { method: 'POST', path: '/api/recall', body: { operator: await as(), message_id: Number(act.recall) } };
    case 'poke': {
      const body: Record<string, unknown> = { from: await as(), target: await world.user(act.poke as Ref) };
      if (act.in !== undefined) body['group_id'] = await group();
      return { method: 'POST', path: '/api/poke', body };
    }
    case 'join': {
      const body: Record<string, unknown> = { user_id: await as() };
      if (act.inviter !== undefined) body['inviter'] = await world.user(act.inviter);
      if (act.role !== undefined) body['role'] = act.role;
      return { method: 'POST', path: `/api/groups/${await world.group(act.join as Ref)}/members`, body };
    }
    case 'leave':
      return { method: 'DELETE', path: `/api/groups/${await world.group(act.leave as Ref)}/members/${await as()}`, body: {} };
    case 'kick':
      return {
        method: 'DELETE', path: `/api/groups/${await group()}/members/${await world.user(act.kick as Ref)}`,
        body: { operator: await as(), reject_add_request: act.block === true },
      };
    case 'mute': {
      const ms = act.duration === undefined ? 1_800_000 : typeof act.duration === 'number' ? act.duration * 1000 : parseDuration(act.duration);
      if (ms === null) throw new Error(`mute: duration "${String(act.duration)}" is not a duration (seconds, or e.g. "10m")`);
      return { method: 'POST', path: `/api/groups/${await group()}/ban`, body: { operator: await as(), user_id: await world.user(act.mute as Ref), duration: Math.round(ms / 1000) } };
    }
    case 'request': {
      const comment = act.comment ?? '';
      if (act.request === 'friend') return { method: 'POST', path: '/api/friend-requests', body: { from: await as(), comment } };
      const path = act.request === 'join' ? 'join-requests' : 'bot-invitations';
      return { method: 'POST', path: `/api/groups/${await group()}/${path}`, body: { from: await as(), comment } };
    }
    case 'upload': {
      const body: Record<string, unknown> = { from: await as(), name: act.upload };
      if (act.content !== undefined) body['content_base64'] = Buffer.from(act.content, 'utf8').toString('base64');
      else body['size'] = act.size ?? 0;
      return { method: 'POST', path: `/api/groups/${await group()}/files`, body };
    }
    case 'raw_event':
      return { method: 'POST', path: '/api/events', body: { event: act.raw_event } };
    case 'react':
      return { method: 'POST', path: '/api/reactions', body: { from: await as(), message_id: Number(act.react), emoji_id: need(act.emoji, 'emoji'), set: act.enable !== false } };
    case 'essence':
      return { method: 'POST', path: '/api/essence', body: { operator: await as(), message_id: Number(act.essence), enable: act.enable !== false } };
    case 'card':
    case 'title':
      return {
        method: 'POST', path: `/api/groups/${await group()}/members/${await world.user(act[name] as Ref)}/${name}`,
        body: { operator: await as(), [name]: need(act.value, 'value') },
      };
    case 'admin':
      return { method: 'POST', path: `/api/groups/${await group()}/admins`, body: { operator: await as(), user_id: await world.user(act.admin as Ref), enable: act.enable !== false } };
    case 'whole_ban':
      return { method: 'POST', path: `/api/groups/${await world.group(act.whole_ban as Ref)}/whole-ban`, body: { operator: await as(), enable: act.enable !== false } };
    case 'answer':
      return {
        method: 'POST', path: `/api/requests/${encodeURIComponent(String(act.answer))}`,
        body: { operator: await as(), approve: act.approve !== false, ...(act.reason !== undefined ? { reason: act.reason } : {}) },
      };
    case 'lucky_king':
      return { method: 'POST', path: `/api/groups/${await group()}/lucky-king`, body: { from: await as(), target: await world.user(act.lucky_king as Ref) } };
    case 'honor':
      return { method: 'POST', path: `/api/groups/${await group()}/honors`, body: { user_id: await as(), honor_type: act.honor } };
  }
}
