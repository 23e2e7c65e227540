/** The message log: every message sent or received, never deleted (recalls only mark it). */
import type { Database, Statement } from 'better-sqlite3';
import type { MessageRow, PeerType } from './rows.js';

/** A message to append; the store assigns `message_id` and the per-peer `seq`. */
export interface NewMessage {
  peerType: PeerType;
  peerId: number;
  senderId: number;
  timeMs: number;
  /** JSON segment array. */
  segments: string;
  rawMessage: string;
  /** The author's anonymous identity, for an anonymous group message. */
  anonId?: number | undefined;
}

type InsertMessage = [peerType: PeerType, peerId: number, seq: number, senderId: number, timeMs: number, segments: string, rawMessage: string, anonId: number | null];

/** Past this many conversations the cache of their last `seq` starts again empty. */
const MAX_CACHED_PEERS = 20_000;

/** Data access for `messages`. */
export class MessageRepo {
  readonly #get: Statement<[number], MessageRow>;
  readonly #insert: Statement<InsertMessage>;
  readonly #lastSeq: Statement<[PeerType, number], { seq: number | null }>;
  /** The last `seq` of each conversation (`group:1`, `private:2`), read once then kept up to date. */
  readonly #seqs = new Map<string, number>();
  readonly #ofPeer: Statement<[PeerType, number], MessageRow>;
  readonly #recall: Statement<[number, number, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM messages WHERE message_id = ?');
    // The hottest statement of a send: positional parameters, the seq computed here (see #nextSeq)
    // and the id taken from the insert's own result: a `RETURNING` clause and the `max(seq)`
    // sub-select cost a third of the statement.
    this.#insert = db.prepare(`
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, anon_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#lastSeq = db.prepare('SELECT max(seq) AS seq FROM messages WHERE peer_type = ? AND peer_id = ?');
    this.#ofPeer = db.prepare('SELECT * FROM messages WHERE peer_type = ? AND peer_id = ? ORDER BY seq');
    this.#recall = db.prepare('UPDATE messages SET recalled = 1, recalled_by = ?, recalled_at_ms = ? WHERE message_id = ? AND recalled = 0');
  }

  /** The message, recalled or not, or undefined for an id never issued. */
  get(messageId: number): MessageRow | undefined {
    return this.#get.get(messageId);
  }

  /** Append a message and return the stored row (with its new id and seq). */
  insert(message: NewMessage): MessageRow {
    const anonId = message.anonId ?? null;
    const key = `${message.peerType}:${message.peerId}`;
    const seq = this.#nextSeq(key, message.peerType, message.peerId);
    const { lastInsertRowid } = this.#insert.run(message.peerType, message.peerId, seq, message.senderId, message.timeMs, message.segments, message.rawMessage, anonId);
    this.#seqs.set(key, seq);
    return {
      message_id: Number(lastInsertRowid),
      peer_type: message.peerType,
      peer_id: message.peerId,
      seq,
      sender_id: message.senderId,
      time_ms: message.timeMs,
      segments: message.segments,
      raw_message: message.rawMessage,
      recalled: 0,
      recalled_by: null,
      recalled_at_ms: null,
      anon_id: anonId,
    };
  }

  /**
   * Forget the cached seqs; the store calls this after any rollback (an insert rolled back would
   * otherwise leave a gap). Messages are never deleted, so committed seqs never go stale.
   */
  forgetSeqs(): void {
    this.#seqs.clear();
  }

  /** The next number in a conversation: one past its last message (1 for the first). */
  #nextSeq(key: string, peerType: PeerType, peerId: number): number {
    const last = this.#seqs.get(key);
    if (last !== undefined) return last + 1;
    if (this.#seqs.size >= MAX_CACHED_PEERS) this.#seqs.clear();
    return (this.#lastSeq.get(peerType, peerId)?.seq ?? 0) + 1;
  }

  /** The conversation with a group or a private peer, oldest first. */
  ofPeer(peerType: PeerType, peerId: number): MessageRow[] {
    return this.#ofPeer.all(peerType, peerId);
  }

  /** Mark as recalled; false if it already was. */
  markRecalled(messageId: number, by: number, atMs: number): boolean {
    return this.#recall.run(by, atMs, messageId).changes > 0;
  }
}
