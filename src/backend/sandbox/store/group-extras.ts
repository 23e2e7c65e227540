/**
 * Data access for the groups extension (migration 4): group settings (portrait, dismissal), essence
 * messages, announcements and @全体成员 uses, plus the few member/group column updates and reads the
 * extension needs (card, special title, group name, messages for honors, group requests with their
 * numeric ids). Statements are prepared once.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { GroupRowCache } from './group-cache.js';
import type { RequestRow } from './rows.js';

/** A `group_settings` row. */
export interface GroupSettingsRow {
  group_id: number;
  introduction: string;
  portrait_hash: string;
  portrait_set_by: number | null;
  portrait_set_at: number | null;
  dismissed_by: number | null;
  dismissed_at: number | null;
}

/** An `essence_messages` row. */
export interface EssenceRow { message_id: number; group_id: number; operator_id: number; set_at: number }

/** An essence message joined with its message (sender, time, anonymity). */
export interface EssenceViewRow extends EssenceRow { sender_id: number; time_ms: number; anon_id: number | null }

/** A `group_announcements` row. */
export interface AnnouncementRow {
  announcement_id: number;
  fid: string;
  group_id: number;
  author_id: number;
  title: string;
  content: string;
  published_at: number;
}

/** What honors are computed from: one group message. */
export interface SpokenRow { sender_id: number; time_ms: number; segments: string }

/** A group request with the numeric id `get_group_system_msg` reports (its rowid). */
export type NumberedRequestRow = RequestRow & { request_id: number };

/** See the module comment. */
export class GroupExtrasRepo {
  readonly #settings: Statement<[number], GroupSettingsRow>;
  readonly #ensureSettings: Statement<[number]>;
  readonly #setPortrait: Statement<[string, number, number, number]>;
  readonly #setDismissed: Statement<[number, number, number]>;
  readonly #setGroupName: Statement<[string, number]>;
  readonly #setCard: Statement<[string, number, number]>;
  readonly #setTitle: Statement<[string, number, number, number]>;
  readonly #removeMembers: Statement<[number]>;
  readonly #essence: Statement<[number], EssenceRow>;
  readonly #addEssence: Statement<[number, number, number, number]>;
  readonly #removeEssence: Statement<[number]>;
  readonly #essenceOf: Statement<[number], EssenceViewRow>;
  readonly #addAnnouncement: Statement<[string, number, number, string, string, number]>;
  readonly #announcementsOf: Statement<[number], AnnouncementRow>;
  readonly #useAtAll: Statement<[number, number, number]>;
  readonly #atAllByGroup: Statement<[number, number, number], { n: number }>;
  readonly #atAllByUser: Statement<[number, number, number, number], { n: number }>;
  readonly #spokenSince: Statement<[number, number], SpokenRow>;
  readonly #groupRequests: Statement<[], NumberedRequestRow>;

  readonly #cache: GroupRowCache;

  constructor(db: Database, cache: GroupRowCache) {
    this.#cache = cache;
    this.#settings = db.prepare('SELECT * FROM group_settings WHERE group_id = ?');
    this.#ensureSettings = db.prepare('INSERT OR IGNORE INTO group_settings (group_id) VALUES (?)');
    this.#setPortrait = db.prepare('UPDATE group_settings SET portrait_hash = ?, portrait_set_by = ?, portrait_set_at = ? WHERE group_id = ?');
    this.#setDismissed = db.prepare('UPDATE group_settings SET dismissed_by = ?, dismissed_at = ? WHERE group_id = ?');
    this.#setGroupName = db.prepare('UPDATE groups SET group_name = ? WHERE group_id = ?');
    this.#setCard = db.prepare('UPDATE members SET card = ? WHERE group_id = ? AND user_id = ?');
    this.#setTitle = db.prepare('UPDATE members SET title = ?, title_expire_time = ? WHERE group_id = ? AND user_id = ?');
    this.#removeMembers = db.prepare('DELETE FROM members WHERE group_id = ?');
    this.#essence = db.prepare('SELECT * FROM essence_messages WHERE message_id = ?');
    this.#addEssence = db.prepare('INSERT INTO essence_messages (message_id, group_id, operator_id, set_at) VALUES (?, ?, ?, ?)');
    this.#removeEssence = db.prepare('DELETE FROM essence_messages WHERE message_id = ?');
    this.#essenceOf = db.prepare(`SELECT e.*, m.sender_id, m.time_ms, m.anon_id FROM essence_messages e JOIN messages m USING (message_id)
      WHERE e.group_id = ? AND m.recalled = 0 ORDER BY e.set_at DESC, e.message_id DESC`);
    this.#addAnnouncement = db.prepare(`INSERT INTO group_announcements (fid, group_id, author_id, title, content, published_at)
      VALUES (?, ?, ?, ?, ?, ?)`);
    this.#announcementsOf = db.prepare('SELECT * FROM group_announcements WHERE group_id = ? ORDER BY published_at DESC, announcement_id DESC');
    this.#useAtAll = db.prepare('INSERT INTO at_all_uses (group_id, user_id, used_at) VALUES (?, ?, ?)');
    this.#atAllByGroup = db.prepare('SELECT count(*) AS n FROM at_all_uses WHERE group_id = ? AND used_at >= ? AND used_at < ?');
    this.#atAllByUser = db.prepare('SELECT count(*) AS n FROM at_all_uses WHERE group_id = ? AND user_id = ? AND used_at >= ? AND used_at < ?');
    this.#spokenSince = db.prepare(`SELECT sender_id, time_ms, segments FROM messages
      WHERE peer_type = 'group' AND peer_id = ? AND anon_id IS NULL AND time_ms >= ?`);
    this.#groupRequests = db.prepare("SELECT rowid AS request_id, * FROM requests WHERE kind = 'group' ORDER BY created_at DESC, rowid DESC");
  }

  /** The group's settings row, or undefined while it has only defaults. */
  settings(groupId: number): GroupSettingsRow | undefined {
    return this.#settings.get(groupId);
  }

  /** Whether the group was dismissed. */
  isDismissed(groupId: number): boolean {
    return (this.#settings.get(groupId)?.dismissed_at ?? null) !== null;
  }

  /** Record a new portrait (by its hash). */
  setPortrait(groupId: number, hash: string, by: number, atSec: number): void {
    this.#ensureSettings.run(groupId);
    this.#setPortrait.run(hash, by, atSec, groupId);
  }

  /** Dismiss the group: every member goes, the row stays, marked. */
  dismiss(groupId: number, by: number, atSec: number): void {
    this.#ensureSettings.run(groupId);
    this.#setDismissed.run(by, atSec, groupId);
    this.#removeMembers.run(groupId);
    this.#cache.clear();
  }

  /** Rename the group. */
  setGroupName(groupId: number, name: string): void {
    this.#setGroupName.run(name, groupId);
    this.#cache.clear();
  }

  /** Set a member's card ('' = none). */
  setCard(groupId: number, userId: number, card: string): void {
    this.#setCard.run(card, groupId, userId);
    this.#cache.clear();
  }

  /** Set a member's special title ('' = none) and its expiry (0 = never). */
  setTitle(groupId: number, userId: number, title: string, expireTime: number): void {
    this.#setTitle.run(title, expireTime, groupId, userId);
    this.#cache.clear();
  }

  /** The essence row of a message, or undefined when it is not essence. */
  essence(messageId: number): EssenceRow | undefined {
    return this.#essence.get(messageId);
  }

  /** Make a group message essence. */
  addEssence(messageId: number, groupId: number, operatorId: number, atSec: number): void {
    this.#addEssence.run(messageId, groupId, operatorId, atSec);
  }

  /** Remove a message from the essence list. */
  removeEssence(messageId: number): void {
    this.#removeEssence.run(messageId);
  }

  /** The group's essence messages that are not recalled, newest first. */
  essenceOf(groupId: number): EssenceViewRow[] {
    return this.#essenceOf.all(groupId);
  }

  /** Publish an announcement. */
  addAnnouncement(a: { fid: string; groupId: number; authorId: number; title: string; content: string; publishedAt: number }): void {
    this.#addAnnouncement.run(a.fid, a.groupId, a.authorId, a.title, a.content, a.publishedAt);
  }

  /** The group's announcements, newest first. */
  announcementsOf(groupId: number): AnnouncementRow[] {
    return this.#announcementsOf.all(groupId);
  }

  /** Record one @全体成员 by `userId`. */
  useAtAll(groupId: number, userId: number, atSec: number): void {
    this.#useAtAll.run(groupId, userId, atSec);
  }

  /** How many @全体成员 the group's admins sent in [fromSec, toSec). */
  atAllUsesOfGroup(groupId: number, fromSec: number, toSec: number): number {
    return this.#atAllByGroup.get(groupId, fromSec, toSec)?.n ?? 0;
  }

  /** How many @全体成员 `userId` sent in the group in [fromSec, toSec). */
  atAllUsesOfUser(groupId: number, userId: number, fromSec: number, toSec: number): number {
    return this.#atAllByUser.get(groupId, userId, fromSec, toSec)?.n ?? 0;
  }

  /** Every non-anonymous message of the group since `fromMs` (recalled ones too: they were sent). */
  spokenSince(groupId: number, fromMs: number): SpokenRow[] {
    return this.#spokenSince.all(groupId, fromMs);
  }

  /** Every group request (join requests and invitations of the bot), newest first, with its numeric id. */
  groupRequests(): NumberedRequestRow[] {
    return this.#groupRequests.all();
  }
}
