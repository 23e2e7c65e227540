/** Discuss groups and their members (migration 3, decision P10). */
import type { Database, Statement } from 'better-sqlite3';
import type { UserRow } from './rows.js';

/** A row of `discusses`. */
export interface DiscussRow { discuss_id: number; discuss_name: string; created_at: number }

/** Where generated discuss ids start (QQ's are ten-digit numbers). */
const FIRST_DISCUSS_ID = 1_000_000_001;

/** Data access for `discusses` and `discuss_members`. */
export class DiscussRepo {
  readonly #get: Statement<[number], DiscussRow>;
  readonly #all: Statement<[], DiscussRow>;
  readonly #nextId: Statement<[], { next: number }>;
  readonly #insert: Statement<[number, string, number]>;
  readonly #member: Statement<[number, number], { user_id: number }>;
  readonly #members: Statement<[number], UserRow>;
  readonly #addMember: Statement<[number, number, number]>;
  readonly #removeMember: Statement<[number, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM discusses WHERE discuss_id = ?');
    this.#all = db.prepare('SELECT * FROM discusses ORDER BY discuss_id');
    this.#nextId = db.prepare(`SELECT max(coalesce(max(discuss_id), 0) + 1, ${FIRST_DISCUSS_ID}) AS next FROM discusses`);
    this.#insert = db.prepare('INSERT INTO discusses (discuss_id, discuss_name, created_at) VALUES (?, ?, ?)');
    this.#member = db.prepare('SELECT user_id FROM discuss_members WHERE discuss_id = ? AND user_id = ?');
    this.#members = db.prepare('SELECT u.* FROM discuss_members d JOIN users u USING (user_id) WHERE d.discuss_id = ? ORDER BY d.joined_at, d.rowid');
    this.#addMember = db.prepare('INSERT INTO discuss_members (discuss_id, user_id, joined_at) VALUES (?, ?, ?)');
    this.#removeMember = db.prepare('DELETE FROM discuss_members WHERE discuss_id = ? AND user_id = ?');
  }

  /** The discuss group, or undefined. */
  get(discussId: number): DiscussRow | undefined {
    return this.#get.get(discussId);
  }

  /** Every discuss group, by id. */
  all(): DiscussRow[] {
    return this.#all.all();
  }

  /** An id no discuss group has yet. */
  nextId(): number {
    return this.#nextId.get()?.next ?? FIRST_DISCUSS_ID;
  }

  /** Create a discuss group (without members). */
  insert(discussId: number, name: string, nowSec: number): void {
    this.#insert.run(discussId, name, nowSec);
  }

  /** Whether the user is in the discuss group. */
  isMember(discussId: number, userId: number): boolean {
    return this.#member.get(discussId, userId) !== undefined;
  }

  /** The members' profiles, in joining order. */
  members(discussId: number): UserRow[] {
    return this.#members.all(discussId);
  }

  /** Add a member. */
  addMember(discussId: number, userId: number, nowSec: number): void {
    this.#addMember.run(discussId, userId, nowSec);
  }

  /** Remove a member; false if they were not in it. */
  removeMember(discussId: number, userId: number): boolean {
    return this.#removeMember.run(discussId, userId).changes > 0;
  }
}
