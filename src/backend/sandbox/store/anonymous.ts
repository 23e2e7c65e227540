/** Members' anonymous identities, one per member and group. */
import type { Database, Statement } from 'better-sqlite3';
import type { AnonymousRow } from './rows.js';

/** Data access for `anonymous_identities`. */
export class AnonymousRepo {
  readonly #get: Statement<[number], AnonymousRow>;
  readonly #ofMember: Statement<[number, number], AnonymousRow>;
  readonly #byFlag: Statement<[string], AnonymousRow>;
  readonly #insert: Statement<[number, number, string, string], AnonymousRow>;
  readonly #ban: Statement<[number, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM anonymous_identities WHERE anon_id = ?');
    this.#ofMember = db.prepare('SELECT * FROM anonymous_identities WHERE group_id = ? AND user_id = ?');
    this.#byFlag = db.prepare('SELECT * FROM anonymous_identities WHERE flag = ?');
    this.#insert = db.prepare('INSERT INTO anonymous_identities (group_id, user_id, name, flag) VALUES (?, ?, ?, ?) RETURNING *');
    this.#ban = db.prepare('UPDATE anonymous_identities SET banned_until = ? WHERE anon_id = ?');
  }

  /** The identity with this id, or undefined. */
  get(anonId: number): AnonymousRow | undefined {
    return this.#get.get(anonId);
  }

  /** The member's identity in the group, or undefined before they first spoke anonymously. */
  ofMember(groupId: number, userId: number): AnonymousRow | undefined {
    return this.#ofMember.get(groupId, userId);
  }

  /** The identity a flag names, or undefined. */
  byFlag(flag: string): AnonymousRow | undefined {
    return this.#byFlag.get(flag);
  }

  /** Create the member's identity. */
  insert(groupId: number, userId: number, name: string, flag: string): AnonymousRow {
    const row = this.#insert.get(groupId, userId, name, flag);
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
    return row;
  }

  /** Forbid the identity to speak until `untilSec`. */
  ban(anonId: number, untilSec: number): void {
    this.#ban.run(untilSec, anonId);
  }
}
