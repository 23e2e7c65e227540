/** Groups, their members and the join-request block list. Statements are prepared once. */
import type { Database, Statement } from 'better-sqlite3';
import type { Role } from '../../port.js';
import type { GroupRowCache } from './group-cache.js';
import type { GroupRow, MemberRow, MemberViewRow } from './rows.js';

/** What is needed to create a group. */
export interface NewGroup {
  groupId: number;
  groupName: string;
  maxMemberCount?: number | undefined;
}

/** What is needed to add a member. */
export interface NewMember {
  groupId: number;
  userId: number;
  role: Role;
  card?: string | undefined;
  title?: string | undefined;
  joinTime: number;
}

interface InsertMember { group_id: number; user_id: number; role: Role; card: string; title: string; join_time: number }

const MEMBER_VIEW = `SELECT m.*, u.nickname, u.sex, u.age, u.area FROM members m JOIN users u USING (user_id)`;

/** Data access for `groups`, `members` and `blocked_requesters`. */
export class GroupRepo {
  readonly #get: Statement<[number], GroupRow>;
  readonly #all: Statement<[], GroupRow>;
  readonly #ofUser: Statement<[number], GroupRow>;
  readonly #insert: Statement<[number, string, number, number]>;
  readonly #setWholeBan: Statement<[number, number]>;
  readonly #setAnonymous: Statement<[number, number]>;
  readonly #setMaxMembers: Statement<[number, number]>;
  readonly #member: Statement<[number, number], MemberRow>;
  readonly #memberView: Statement<[number, number], MemberViewRow>;
  readonly #members: Statement<[number], MemberViewRow>;
  readonly #count: Statement<[number], { n: number }>;
  readonly #owner: Statement<[number], { user_id: number }>;
  readonly #insertMember: Statement<InsertMember>;
  readonly #removeMember: Statement<[number, number]>;
  readonly #setRole: Statement<[Role, number, number]>;
  readonly #setMute: Statement<[number, number, number]>;
  readonly #touch: Statement<[number, number, number]>;
  readonly #shareGroup: Statement<[number, number], { group_id: number }>;
  readonly #block: Statement<[number, number, number]>;
  readonly #isBlocked: Statement<[number, number], { user_id: number }>;
  readonly #blocked: Statement<[number], { user_id: number }>;

  readonly #cache: GroupRowCache;

  constructor(db: Database, cache: GroupRowCache) {
    this.#cache = cache;
    this.#get = db.prepare('SELECT * FROM groups WHERE group_id = ?');
    this.#all = db.prepare('SELECT * FROM groups ORDER BY group_id');
    this.#ofUser = db.prepare('SELECT g.* FROM groups g JOIN members m USING (group_id) WHERE m.user_id = ? ORDER BY g.group_id');
    this.#insert = db.prepare('INSERT INTO groups (group_id, group_name, max_member_count, created_at) VALUES (?, ?, ?, ?)');
    this.#setWholeBan = db.prepare('UPDATE groups SET whole_ban = ? WHERE group_id = ?');
    this.#setAnonymous = db.prepare('UPDATE groups SET anonymous_enabled = ? WHERE group_id = ?');
    this.#setMaxMembers = db.prepare('UPDATE groups SET max_member_count = ? WHERE group_id = ?');
    this.#member = db.prepare('SELECT * FROM members WHERE group_id = ? AND user_id = ?');
    this.#memberView = db.prepare(`${MEMBER_VIEW} WHERE m.group_id = ? AND m.user_id = ?`);
    this.#members = db.prepare(`${MEMBER_VIEW} WHERE m.group_id = ? ORDER BY m.join_time, m.user_id`);
    this.#count = db.prepare('SELECT count(*) AS n FROM members WHERE group_id = ?');
    this.#owner = db.prepare("SELECT user_id FROM members WHERE group_id = ? AND role = 'owner'");
    this.#insertMember = db.prepare('INSERT INTO members (group_id, user_id, role, card, title, join_time) VALUES (@group_id, @user_id, @role, @card, @title, @join_time)');
    this.#removeMember = db.prepare('DELETE FROM members WHERE group_id = ? AND user_id = ?');
    this.#setRole = db.prepare('UPDATE members SET role = ? WHERE group_id = ? AND user_id = ?');
    this.#setMute = db.prepare('UPDATE members SET muted_until = ? WHERE group_id = ? AND user_id = ?');
    this.#touch = db.prepare('UPDATE members SET last_sent_time = ? WHERE group_id = ? AND user_id = ?');
    this.#shareGroup = db.prepare('SELECT a.group_id FROM members a JOIN members b USING (group_id) WHERE a.user_id = ? AND b.user_id = ? ORDER BY a.group_id LIMIT 1');
    this.#block = db.prepare('INSERT OR IGNORE INTO blocked_requesters (group_id, user_id, blocked_at) VALUES (?, ?, ?)');
    this.#isBlocked = db.prepare('SELECT user_id FROM blocked_requesters WHERE group_id = ? AND user_id = ?');
    this.#blocked = db.prepare('SELECT user_id FROM blocked_requesters WHERE group_id = ? ORDER BY user_id');
  }

  /** The group, or undefined when it does not exist. */
  get(groupId: number): Readonly<GroupRow> | undefined {
    const hit = this.#cache.group(groupId);
    return hit !== undefined ? hit ?? undefined : this.#cache.setGroup(groupId, this.#get.get(groupId));
  }

  /** Every group, by id. */
  all(): GroupRow[] {
    return this.#all.all();
  }

  /** The groups `userId` is a member of, by id. */
  ofUser(userId: number): GroupRow[] {
    return this.#ofUser.all(userId);
  }

  /** Insert a group without members (the caller adds the owner). */
  insert(group: NewGroup, nowSec: number): void {
    this.#cache.clear();
    this.#insert.run(group.groupId, group.groupName, group.maxMemberCount ?? 200, nowSec);
  }

  /** Change how many members the group may hold. */
  setMaxMemberCount(groupId: number, count: number): void {
    this.#cache.clear();
    this.#setMaxMembers.run(count, groupId);
  }

  /** Switch the whole-group ban on or off. */
  setWholeBan(groupId: number, on: boolean): void {
    this.#cache.clear();
    this.#setWholeBan.run(on ? 1 : 0, groupId);
  }

  /** Switch anonymous chat on or off. */
  setAnonymous(groupId: number, on: boolean): void {
    this.#cache.clear();
    this.#setAnonymous.run(on ? 1 : 0, groupId);
  }

  /** The membership row, or undefined when `userId` is not in the group. */
  member(groupId: number, userId: number): Readonly<MemberRow> | undefined {
    const hit = this.#cache.member(groupId, userId);
    return hit !== undefined ? hit ?? undefined : this.#cache.setMember(groupId, userId, this.#member.get(groupId, userId));
  }

  /** The membership joined with the user's profile. */
  memberView(groupId: number, userId: number): MemberViewRow | undefined {
    return this.#memberView.get(groupId, userId);
  }

  /** Every member with profile, in join order. */
  members(groupId: number): MemberViewRow[] {
    return this.#members.all(groupId);
  }

  /** How many members the group has. */
  memberCount(groupId: number): number {
    return this.#count.get(groupId)?.n ?? 0;
  }

  /** The owner's QQ number, or undefined for a group without an owner. */
  ownerOf(groupId: number): number | undefined {
    return this.#owner.get(groupId)?.user_id;
  }

  /** Add a member (fails if already a member, or a second owner). */
  addMember(member: NewMember): void {
    this.#cache.clear();
    this.#insertMember.run({
      group_id: member.groupId,
      user_id: member.userId,
      role: member.role,
      card: member.card ?? '',
      title: member.title ?? '',
      join_time: member.joinTime,
    });
  }

  /** Remove a member; true if there was one. */
  removeMember(groupId: number, userId: number): boolean {
    this.#cache.clear();
    return this.#removeMember.run(groupId, userId).changes > 0;
  }

  /** Change a member's role. */
  setRole(groupId: number, userId: number, role: Role): void {
    this.#cache.clear();
    this.#setRole.run(role, groupId, userId);
  }

  /** Mute until `untilSec` (Unix seconds); 0 lifts the mute. */
  setMutedUntil(groupId: number, userId: number, untilSec: number): void {
    this.#cache.clear();
    this.#setMute.run(untilSec, groupId, userId);
  }

  /** Record that the member spoke at `nowSec`. */
  touchLastSent(groupId: number, userId: number, nowSec: number): void {
    // Within the same second the row already says so (the bot sending many messages a second).
    if (this.#cache.member(groupId, userId)?.last_sent_time === nowSec) return;
    this.#touch.run(nowSec, groupId, userId);
    this.#cache.touched(groupId, userId, nowSec);
  }

  /** A group both users are members of (the lowest id), or undefined. */
  sharedGroup(a: number, b: number): number | undefined {
    return this.#shareGroup.get(a, b)?.group_id;
  }

  /** Refuse the user's future join requests to this group, for good. */
  block(groupId: number, userId: number, nowSec: number): void {
    this.#block.run(groupId, userId, nowSec);
  }

  /** Whether the user's join requests to this group are refused. */
  isBlocked(groupId: number, userId: number): boolean {
    return this.#isBlocked.get(groupId, userId) !== undefined;
  }

  /** Every user blocked from the group, by id. */
  blocked(groupId: number): number[] {
    return this.#blocked.all(groupId).map((r) => r.user_id);
  }
}
