/** Reading the message log back (history pages), read marks and emoji reactions (migration 3). */
import type { Database, Statement } from 'better-sqlite3';
import type { MessageRow, PeerType } from './rows.js';

/** Data access for history reads of `messages`, `read_marks` and `message_reactions`. */
export class MessageExtrasRepo {
  readonly #page: Statement<[PeerType, number, number, number], MessageRow>;
  readonly #maxSeq: Statement<[PeerType, number], { seq: number | null }>;
  readonly #markRead: Statement<[PeerType, number, number, number]>;
  readonly #readSeq: Statement<[PeerType, number], { seq: number }>;
  readonly #addReaction: Statement<[number, string, number, number]>;
  readonly #removeReaction: Statement<[number, string, number]>;
  readonly #reactionCount: Statement<[number, string], { n: number }>;

  constructor(db: Database) {
    this.#page = db.prepare(`SELECT * FROM messages WHERE peer_type = ? AND peer_id = ? AND seq <= ? AND recalled = 0
      ORDER BY seq DESC LIMIT ?`);
    this.#maxSeq = db.prepare('SELECT max(seq) AS seq FROM messages WHERE peer_type = ? AND peer_id = ?');
    this.#markRead = db.prepare(`INSERT INTO read_marks (peer_type, peer_id, seq, marked_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (peer_type, peer_id) DO UPDATE SET seq = max(seq, excluded.seq), marked_at = excluded.marked_at`);
    this.#readSeq = db.prepare('SELECT seq FROM read_marks WHERE peer_type = ? AND peer_id = ?');
    this.#addReaction = db.prepare('INSERT OR IGNORE INTO message_reactions (message_id, emoji_id, user_id, reacted_at) VALUES (?, ?, ?, ?)');
    this.#removeReaction = db.prepare('DELETE FROM message_reactions WHERE message_id = ? AND emoji_id = ? AND user_id = ?');
    this.#reactionCount = db.prepare('SELECT count(*) AS n FROM message_reactions WHERE message_id = ? AND emoji_id = ?');
  }

  /** Up to `limit` unrecalled messages of the conversation with seq ≤ `maxSeq`, oldest first. */
  page(peerType: PeerType, peerId: number, maxSeq: number, limit: number): MessageRow[] {
    return this.#page.all(peerType, peerId, maxSeq, limit).reverse();
  }

  /** The conversation's newest seq (0 when empty). */
  maxSeq(peerType: PeerType, peerId: number): number {
    return this.#maxSeq.get(peerType, peerId)?.seq ?? 0;
  }

  /** Move the read mark forward to `seq` (never back). */
  markRead(peerType: PeerType, peerId: number, seq: number, nowSec: number): void {
    this.#markRead.run(peerType, peerId, seq, nowSec);
  }

  /** The seq the conversation is read up to (0 = nothing read). */
  readSeq(peerType: PeerType, peerId: number): number {
    return this.#readSeq.get(peerType, peerId)?.seq ?? 0;
  }

  /** Add a reaction; false if the user already had it. */
  addReaction(messageId: number, emojiId: string, userId: number, nowSec: number): boolean {
    return this.#addReaction.run(messageId, emojiId, userId, nowSec).changes > 0;
  }

  /** Remove a reaction; false if the user did not have it. */
  removeReaction(messageId: number, emojiId: string, userId: number): boolean {
    return this.#removeReaction.run(messageId, emojiId, userId).changes > 0;
  }

  /** How many users reacted to the message with the emoji. */
  reactionCount(messageId: number, emojiId: string): number {
    return this.#reactionCount.get(messageId, emojiId)?.n ?? 0;
  }
}
