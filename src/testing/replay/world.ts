/**
 * World mode's sandbox, seeded from a cassette (docs/recording.md "World mode"): the users, groups,
 * members with their roles and cards, and friends the recording shows — from the events and from
 * the answers to the bot's reads (`get_group_member_list`, `get_friend_list`…) — as a world file
 * object; and each turn's event as the control API request that makes a person do it again.
 */
import type { CassetteLine } from '../../record/index.js';
import type { ActRequest } from '../acts.js';

type Obj = Record<string, unknown>;
type Role = 'owner' | 'admin' | 'member';

interface Member { role?: Role; card: string; title: string }
interface Group { name: string; members: Map<number, Member>; later: Set<number> }

/** A 1×1 transparent PNG: what an image of the recording becomes when re-injected. */
const PIXEL = 'base64://iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const role = (v: unknown): Role | undefined => (v === 'owner' || v === 'admin' || v === 'member' ? v : undefined);

export class WorldSeed {
  readonly #users = new Map<number, string>();
  readonly #friends = new Set<number>();
  readonly #friendsLater = new Set<number>();
  readonly #groups = new Map<number, Group>();
  #botName = 'bot';

  constructor(private readonly selfId: number) {}

  /** Read every line of the cassette, in order. */
  static of(selfId: number, lines: readonly CassetteLine[]): WorldSeed {
    const seed = new WorldSeed(selfId);
    for (const line of lines) {
      const data = line['data'] as Obj | undefined;
      if (typeof data !== 'object' || data === null) continue;
      if (line.type === 'event') seed.#event(data);
      else if (line.type === 'call' && num(data['retcode']) === 0) seed.#answer(String(data['action']), (data['params'] ?? {}) as Obj, data['data']);
    }
    return seed;
  }

  #user(id: number, nickname: string): void {
    if (id <= 0) return;
    if (id === this.selfId) {
      if (nickname !== '') this.#botName = nickname;
      return;
    }
    if (nickname !== '' || !this.#users.has(id)) this.#users.set(id, nickname || this.#users.get(id) || `user-${id}`);
  }

  #group(id: number, name = ''): Group | undefined {
    if (id <= 0) return undefined;
    let g = this.#groups.get(id);
    if (g === undefined) this.#groups.set(id, (g = { name: '', members: new Map(), later: new Set() }));
    if (name !== '') g.name = name;
    return g;
  }

  /** A member seen in a group (unless they only joined during the recording: the replay brings them in). */
  #member(groupId: number, userId: number, info: Obj = {}): void {
    const g = this.#group(groupId);
    if (g === undefined || userId <= 0 || g.later.has(userId)) return;
    const m = g.members.get(userId) ?? { card: '', title: '' };
    const r = role(info['role']);
    if (r !== undefined) m.role = r;
    if (typeof info['card'] === 'string') m.card = info['card'];
    if (typeof info['title'] === 'string') m.title = info['title'];
    g.members.set(userId, m);
  }

  #event(e: Obj): void {
    const sender = (e['sender'] ?? {}) as Obj;
    const user = num(e['user_id']);
    const group = num(e['group_id']);
    this.#user(user, str(sender['nickname']));
    if (e['operator_id'] !== undefined) this.#user(num(e['operator_id']), '');
    if (e['post_type'] === 'message') {
      if (e['message_type'] === 'group' && e['sub_type'] !== 'anonymous') {
        this.#member(group, user, sender);
        this.#member(group, this.selfId);
      }
      if (e['message_type'] === 'private' && e['sub_type'] === 'friend' && !this.#friendsLater.has(user)) this.#friends.add(user);
      return;
    }
    if (group > 0) {
      this.#member(group, this.selfId);
      if (e['notice_type'] === 'group_increase') {
        const g = this.#group(group);
        if (g !== undefined && !g.members.has(user)) g.later.add(user);
      } else if (user !== 0) {
        this.#member(group, user);
      }
      const operator = num(e['operator_id']);
      if (operator > 0 && operator !== user) {
        // Who mutes or kicks is at least an admin.
        const known = this.#groups.get(group)?.members.get(operator)?.role;
        const acts = e['notice_type'] === 'group_ban' || e['sub_type'] === 'kick';
        this.#member(group, operator, acts && (known === undefined || known === 'member') ? { role: 'admin' } : {});
      }
    }
    if (e['notice_type'] === 'friend_add' && !this.#friends.has(user)) this.#friendsLater.add(user);
  }

  #answer(action: string, params: Obj, data: unknown): void {
    const base = action.replace(/_async$|_rate_limited$/, '');
    const list = Array.isArray(data) ? (data as Obj[]) : [];
    const one = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as Obj;
    switch (base) {
      case 'get_login_info':
        this.#botName = str(one['nickname']) || this.#botName;
        break;
      case 'get_group_list':
        for (const g of list) this.#group(num(g['group_id']), str(g['group_name']));
        break;
      case 'get_group_info':
        this.#group(num(one['group_id']), str(one['group_name']));
        break;
      case 'get_friend_list':
        for (const f of list) {
          this.#user(num(f['user_id']), str(f['nickname']));
          if (!this.#friendsLater.has(num(f['user_id']))) this.#friends.add(num(f['user_id']));
        }
        break;
      case 'get_stranger_info':
        this.#user(num(one['user_id']), str(one['nickname']));
        break;
      case 'get_group_member_info':
        this.#user(num(one['user_id']), str(one['nickname']));
        this.#member(num(one['group_id'] ?? params['group_id']), num(one['user_id']), one);
        break;
      case 'get_group_member_list':
        for (const m of list) {
          this.#user(num(m['user_id']), str(m['nickname']));
          this.#member(num(m['group_id'] ?? params['group_id']), num(m['user_id']), m);
        }
        break;
    }
  }

  /** The world file object (docs/world.md): every group with exactly one owner, a made-up one when none was seen. */
  world(): Obj {
    const users = new Map(this.#users);
    let spare = Math.max(this.selfId, ...users.keys(), 0);
    const groups = [...this.#groups].map(([groupId, g]) => {
      // Every group the recording shows is one of the bot's.
      if (!g.members.has(this.selfId)) g.members.set(this.selfId, { card: '', title: '' });
      const members = [...g.members].map(([userId, m]) => ({ user_id: userId, role: m.role ?? 'member', card: m.card, title: m.title }));
      const owners = members.filter((m) => m.role === 'owner');
      for (const extra of owners.slice(1)) extra.role = 'admin';
      if (owners.length === 0) {
        const owner = ++spare;
        users.set(owner, `owner-${groupId}`);
        members.unshift({ user_id: owner, role: 'owner', card: '', title: '' });
      }
      return { group_id: groupId, group_name: g.name || `group-${groupId}`, max_member_count: Math.max(200, members.length), members };
    });
    return {
      self_id: this.selfId,
      bot: { nickname: this.#botName || 'bot' },
      users: [...users].map(([userId, nickname]) => ({ user_id: userId, nickname: nickname || `user-${userId}` })),
      friends: [...this.#friends].filter((id) => users.has(id)).map((userId) => ({ user_id: userId })),
      groups,
    };
  }
}

/** A recorded message's segments as a person can say them again: media become a placeholder, quotes point at the replay's ids. */
function sayable(message: unknown, ids: Map<number, number>): unknown {
  if (!Array.isArray(message)) return message;
  return (message as { type: string; data: Obj }[]).flatMap((s) => {
    if (s.type === 'image') return [{ type: 'image', data: { file: PIXEL } }];
    if (['record', 'video', 'file', 'forward', 'json', 'xml', 'node'].includes(s.type)) return [{ type: 'text', data: { text: `[${s.type}]` } }];
    if (s.type === 'reply') {
      const id = ids.get(num(s.data?.['id']));
      return id === undefined ? [] : [{ type: 'reply', data: { id: String(id) } }];
    }
    return [s];
  });
}

/**
 * The control API request that re-creates a user-side event, or why it cannot be.
 * `ids` maps the recording's message ids to the replay's (filled from the answers to `say`).
 */
export function injection(e: Obj, ids: Map<number, number>): ActRequest | string {
  const user = num(e['user_id']);
  const group = num(e['group_id']);
  const operator = num(e['operator_id']);
  if (e['post_type'] === 'message') {
    if (e['sub_type'] === 'anonymous') return 'anonymous messages are not re-injected';
    if (e['message_type'] === 'discuss') return 'discuss group messages are not re-injected';
    const body: Obj = { from: user, message: sayable(e['message'], ids) };
    if (e['message_type'] === 'group') body['group_id'] = group;
    return { method: 'POST', path: '/api/messages', body };
  }
  if (e['post_type'] === 'request') {
    const comment = str(e['comment']);
    if (e['request_type'] === 'friend') return { method: 'POST', path: '/api/friend-requests', body: { from: user, comment } };
    const path = e['sub_type'] === 'invite' ? 'bot-invitations' : 'join-requests';
    return { method: 'POST', path: `/api/groups/${group}/${path}`, body: { from: user, comment } };
  }
  switch (e['notice_type']) {
    case 'group_increase':
      return { method: 'POST', path: `/api/groups/${group}/members`, body: { user_id: user, ...(e['sub_type'] === 'invite' && operator > 0 ? { inviter: operator } : {}) } };
    case 'group_decrease':
      return { method: 'DELETE', path: `/api/groups/${group}/members/${user}`, body: e['sub_type'] === 'leave' ? {} : { operator } };
    case 'group_ban':
      if (user === 0) return 'whole-group mutes are not re-injected';
      return { method: 'POST', path: `/api/groups/${group}/ban`, body: { operator, user_id: user, duration: e['sub_type'] === 'lift_ban' ? 0 : num(e['duration']) } };
    case 'group_recall':
    case 'friend_recall': {
      const id = ids.get(num(e['message_id']));
      if (id === undefined) return 'the recalled message was not said during the replay';
      return { method: 'POST', path: '/api/recall', body: { operator: e['notice_type'] === 'group_recall' ? operator : user, message_id: id } };
    }
    case 'friend_add':
      return { method: 'POST', path: '/api/friends', body: { user_id: user } };
    case 'group_upload': {
      const file = (e['file'] ?? {}) as Obj;
      return { method: 'POST', path: `/api/groups/${group}/files`, body: { from: user, name: str(file['name']) || 'file', size: num(file['size']) } };
    }
    case 'notify':
      if (e['sub_type'] === 'poke') return { method: 'POST', path: '/api/poke', body: { from: user, target: num(e['target_id']), ...(group > 0 ? { group_id: group } : {}) } };
      break;
  }
  return `${String(e['notice_type'])}${e['sub_type'] ? `/${String(e['sub_type'])}` : ''} notices are not re-injected`;
}
