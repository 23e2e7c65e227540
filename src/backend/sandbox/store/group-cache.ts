/**
 * A read-through cache of `groups` and `members` rows, the two look-ups every message makes
 * (requireMembership). Every statement that writes either table clears it (or, for a member's
 * `last_sent_time`, replaces that one row), and so does any rolled-back transaction; rows are frozen
 * because callers share them. Bounded: past {@link MAX_ENTRIES} rows it starts again empty.
 */
import type { GroupRow, MemberRow } from './rows.js';

const MAX_ENTRIES = 20_000;

export class GroupRowCache {
  readonly #groups = new Map<number, Readonly<GroupRow> | null>();
  readonly #members = new Map<number, Map<number, Readonly<MemberRow> | null>>();
  #size = 0;

  /** The cached group row (null = known absent), or undefined when not cached. */
  group(groupId: number): Readonly<GroupRow> | null | undefined {
    return this.#groups.get(groupId);
  }

  setGroup(groupId: number, row: GroupRow | undefined): Readonly<GroupRow> | undefined {
    const value = row === undefined ? null : Object.freeze(row);
    this.#grow();
    this.#groups.set(groupId, value);
    return value ?? undefined;
  }

  /** The cached membership row (null = known absent), or undefined when not cached. */
  member(groupId: number, userId: number): Readonly<MemberRow> | null | undefined {
    return this.#members.get(groupId)?.get(userId);
  }

  setMember(groupId: number, userId: number, row: MemberRow | undefined): Readonly<MemberRow> | undefined {
    const value = row === undefined ? null : Object.freeze(row);
    let ofGroup = this.#members.get(groupId);
    if (ofGroup === undefined) this.#members.set(groupId, (ofGroup = new Map()));
    this.#grow();
    ofGroup.set(userId, value);
    return value ?? undefined;
  }

  /** After `UPDATE members SET last_sent_time`: replace the cached row, if any. */
  touched(groupId: number, userId: number, lastSentTime: number): void {
    const ofGroup = this.#members.get(groupId);
    const row = ofGroup?.get(userId);
    if (ofGroup !== undefined && row != null) ofGroup.set(userId, Object.freeze({ ...row, last_sent_time: lastSentTime }));
  }

  /** Forget everything (a write to either table, or a rollback). */
  clear(): void {
    this.#groups.clear();
    this.#members.clear();
    this.#size = 0;
  }

  #grow(): void {
    if (++this.#size > MAX_ENTRIES) this.clear();
  }
}
