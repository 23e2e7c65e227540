/** Friend requests, join requests and invitations of the bot, by flag. Statements are prepared once. */
import type { Database, Statement } from 'better-sqlite3';
import type { RequestKind, RequestRow, RequestState, RequestSubType } from './rows.js';

/** A request to record; it starts `pending`. */
export interface NewRequest {
  flag: string;
  kind: RequestKind;
  subType: RequestSubType;
  groupId: number | null;
  userId: number;
  comment: string;
  createdAt: number;
}

interface InsertRequest { flag: string; kind: RequestKind; sub_type: RequestSubType; group_id: number | null; user_id: number; comment: string; created_at: number }

/** Data access for `requests`. */
export class RequestRepo {
  readonly #get: Statement<[string], RequestRow>;
  readonly #all: Statement<[], RequestRow>;
  readonly #insert: Statement<InsertRequest>;
  readonly #pending: Statement<[RequestKind, RequestSubType, number, number | null, number], RequestRow>;
  readonly #resolve: Statement<[RequestState, number, number, string, string]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM requests WHERE flag = ?');
    this.#all = db.prepare('SELECT * FROM requests ORDER BY created_at, rowid');
    this.#insert = db.prepare(`INSERT INTO requests (flag, kind, sub_type, group_id, user_id, comment, created_at)
      VALUES (@flag, @kind, @sub_type, @group_id, @user_id, @comment, @created_at)`);
    this.#pending = db.prepare(`SELECT * FROM requests WHERE state = 'pending' AND kind = ? AND sub_type = ? AND user_id = ?
      AND group_id IS ? AND created_at > ? LIMIT 1`);
    this.#resolve = db.prepare(`UPDATE requests SET state = ?, handled_by = ?, handled_at = ?, answer = ?
      WHERE flag = ? AND state = 'pending'`);
  }

  /** The request, handled or not, or undefined for a flag never issued. */
  get(flag: string): RequestRow | undefined {
    return this.#get.get(flag);
  }

  /** Every request, oldest first. */
  all(): RequestRow[] {
    return this.#all.all();
  }

  /** Record a new pending request. */
  insert(r: NewRequest): void {
    this.#insert.run({ flag: r.flag, kind: r.kind, sub_type: r.subType, group_id: r.groupId, user_id: r.userId, comment: r.comment, created_at: r.createdAt });
  }

  /** The pending request of this kind from `userId` (about `groupId`, null for friends) made after `sinceSec`, if any. */
  pending(kind: RequestKind, subType: RequestSubType, userId: number, groupId: number | null, sinceSec: number): RequestRow | undefined {
    return this.#pending.get(kind, subType, userId, groupId, sinceSec);
  }

  /** Close a pending request; false if it was not pending. */
  resolve(flag: string, state: Exclude<RequestState, 'pending'>, by: number, atSec: number, answer: string): boolean {
    return this.#resolve.run(state, by, atSec, answer, flag).changes > 0;
  }
}
