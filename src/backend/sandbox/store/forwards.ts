/** Stored forward cards (migration 3): the content `get_forward_msg` returns, by opaque id. */
import type { Database, Statement } from 'better-sqlite3';

/** A node as the `forwards.nodes` JSON holds it; `content` is a segment array (string data only). */
export interface StoredNode {
  user_id: number;
  nickname: string;
  /** Unix seconds. */
  time: number;
  content: { type: string; data: Record<string, string> }[];
}

/** A row of `forwards`. */
export interface ForwardRow {
  forward_id: string;
  peer_type: 'group' | 'private';
  peer_id: number;
  created_by: number;
  created_at: number;
  /** JSON array of {@link StoredNode}. */
  nodes: string;
}

/** Data access for `forwards`. */
export class ForwardRepo {
  readonly #get: Statement<[string], ForwardRow>;
  readonly #insert: Statement<ForwardRow>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM forwards WHERE forward_id = ?');
    this.#insert = db.prepare(`INSERT INTO forwards (forward_id, peer_type, peer_id, created_by, created_at, nodes)
      VALUES (@forward_id, @peer_type, @peer_id, @created_by, @created_at, @nodes)`);
  }

  /** The forward, or undefined for an unknown id. */
  get(forwardId: string): ForwardRow | undefined {
    return this.#get.get(forwardId);
  }

  /** Store a forward (its id must be new). */
  insert(row: ForwardRow): void {
    this.#insert.run(row);
  }
}
