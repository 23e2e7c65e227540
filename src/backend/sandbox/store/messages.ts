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

interface InsertMessage { peer_type: PeerType; peer_id: number; sender_id: number; time_ms: number; segments: string; raw_message: string; anon_id: number | null }

/** Data access for `messages`. */
export class MessageRepo {
  readonly #get: Statement<[number], MessageRow>;
  readonly #insert: Statement<InsertMessage, MessageRow>;
  readonly #ofPeer: Statement<[PeerType, number], MessageRow>;
  readonly #recall: Statement<[number, number, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM messages WHERE message_id = ?');
    // seq: the next number in this conversation (messages are never deleted, so MAX is stable).
    this.#insert = db.prepare(`
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, anon_id)
      VALUES (@peer_type, @peer_id,
              (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE peer_type = @peer_type AND peer_id = @peer_id),
              @sender_id, @time_ms, @segments, @raw_message, @anon_id)
      RETURNING *`);
    this.#ofPeer = db.prepare('SELECT * FROM messages WHERE peer_type = ? AND peer_id = ? ORDER BY seq');
    this.#recall = db.prepare('UPDATE messages SET recalled = 1, recalled_by = ?, recalled_at_ms = ? WHERE message_id = ? AND recalled = 0');
  }

  /** The message, recalled or not, or undefined for an id never issued. */
  get(messageId: number): MessageRow | undefined {
    return this.#get.get(messageId);
  }

  /** Append a message and return the stored row (with its new id and seq). */
  insert(message: NewMessage): MessageRow {
    const row = this.#insert.get({
      peer_type: message.peerType,
      peer_id: message.peerId,
      sender_id: message.senderId,
      time_ms: message.timeMs,
      segments: message.segments,
      raw_message: message.rawMessage,
      anon_id: message.anonId ?? null,
    });
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
    return row;
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
