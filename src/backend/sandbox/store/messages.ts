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

type InsertMessage = [peerType: PeerType, peerId: number, peerType2: PeerType, peerId2: number, senderId: number, timeMs: number, segments: string, rawMessage: string, anonId: number | null];

/** Data access for `messages`. */
export class MessageRepo {
  readonly #get: Statement<[number], MessageRow>;
  readonly #insert: Statement<InsertMessage, Pick<MessageRow, 'message_id' | 'seq'>>;
  readonly #ofPeer: Statement<[PeerType, number], MessageRow>;
  readonly #recall: Statement<[number, number, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM messages WHERE message_id = ?');
    // seq: the next number in this conversation (messages are never deleted, so MAX is stable).
    // Positional parameters and only the new id and seq returned: the rest of the row is known
    // (this is the hottest statement of a send; `RETURNING *` and named parameters cost ~30 %).
    this.#insert = db.prepare(`
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, anon_id)
      VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE peer_type = ? AND peer_id = ?), ?, ?, ?, ?, ?)
      RETURNING message_id, seq`);
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
    const ids = this.#insert.get(message.peerType, message.peerId, message.peerType, message.peerId, message.senderId, message.timeMs, message.segments, message.rawMessage, anonId);
    if (ids === undefined) throw new Error('INSERT … RETURNING returned no row');
    return {
      message_id: ids.message_id,
      peer_type: message.peerType,
      peer_id: message.peerId,
      seq: ids.seq,
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

  /** The conversation with a group or a private peer, oldest first. */
  ofPeer(peerType: PeerType, peerId: number): MessageRow[] {
    return this.#ofPeer.all(peerType, peerId);
  }

  /** Mark as recalled; false if it already was. */
  markRecalled(messageId: number, by: number, atMs: number): boolean {
    return this.#recall.run(by, atMs, messageId).changes > 0;
  }
}
