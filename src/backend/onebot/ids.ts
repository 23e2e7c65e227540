/**
 * Stable message ids for a bridge (`bridge.db` in the data directory): every upstream message id,
 * number or string, gets a positive int32 `message_id` of cqhttpd's own, kept across restarts.
 * Beside it the last known message object (for `get_msg` when the upstream cannot answer), whether
 * it was recalled, and the bot's QQ number the database belongs to.
 *
 * Writes share one transaction, committed at the end of the event-loop turn — and at least
 * {@link COMMIT_INTERVAL_MS} after the previous commit: an event or a send costs no commit of its
 * own, a quiet bridge commits each write at once, and a busy one (thousands of messages a second)
 * about 200 times a second instead of once per turn (each commit writes the same hot index pages to
 * the WAL again; at 2 000 messages a second they were a quarter of the bridge's CPU). A killed
 * process loses at most the last few milliseconds of writes. Reads see the pending writes (same
 * connection). The WAL keeps SQLite's default checkpoint (every ~4 MB): a larger one, as the
 * sandbox's store has, stalls the bridge for a hundred milliseconds and more when it comes (the
 * event p99 at 2 000 messages a second was 160 ms with it, 21 ms without).
 */
import Database from 'better-sqlite3';
import type { MessageObject } from '../port-messages.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS message_ids (
  message_id INTEGER PRIMARY KEY AUTOINCREMENT,
  upstream_id TEXT NOT NULL UNIQUE,
  message TEXT,
  recalled INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS media (
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (kind, file)
) STRICT;
`;

/** What is known of a mapped message. */
export interface MappedMessage { upstreamId: string; message: MessageObject | undefined; recalled: boolean }

/** Commits come at least this many milliseconds apart (see the module's comment). */
const COMMIT_INTERVAL_MS = 5;

export class MessageIds {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string]>;
  private readonly byUpstream: Database.Statement<[string], { message_id: number }>;
  private readonly byLocal: Database.Statement<[number], { upstream_id: string; message: string | null; recalled: number }>;
  private readonly saveMessage: Database.Statement<[string, number]>;
  private readonly markRecalled: Database.Statement<[number]>;
  private readonly markDelivered: Database.Statement<[number]>;
  private readonly saveMedia: Database.Statement<[string, string, string]>;
  private readonly mediaByFile: Database.Statement<[string, string], { url: string }>;
  /** A transaction is open for the pending writes. */
  private inTransaction = false;
  /** When the last commit happened (performance.now()). */
  private lastCommit = -Infinity;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    // Added after the first release of bridge.db: whether the message's event went to the bots.
    if (!this.db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'message_ids\')').all().some((c) => c.name === 'delivered')) {
      this.db.exec('ALTER TABLE message_ids ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0');
    }
    this.markDelivered = this.db.prepare('UPDATE message_ids SET delivered = 1 WHERE message_id = ? AND delivered = 0');
    this.saveMedia = this.db.prepare('INSERT INTO media (kind, file, url) VALUES (?, ?, ?) ON CONFLICT (kind, file) DO UPDATE SET url = excluded.url');
    this.mediaByFile = this.db.prepare('SELECT url FROM media WHERE kind = ? AND file = ?');
    this.insert = this.db.prepare('INSERT INTO message_ids (upstream_id) VALUES (?) ON CONFLICT (upstream_id) DO NOTHING');
    this.byUpstream = this.db.prepare('SELECT message_id FROM message_ids WHERE upstream_id = ?');
    this.byLocal = this.db.prepare('SELECT upstream_id, message, recalled FROM message_ids WHERE message_id = ?');
    this.saveMessage = this.db.prepare('UPDATE message_ids SET message = ? WHERE message_id = ?');
    this.markRecalled = this.db.prepare('UPDATE message_ids SET recalled = 1 WHERE message_id = ?');
  }

  /** The local id of an upstream id (a number or a string), assigned on first sight. */
  local(upstreamId: number | string): number {
    const key = String(upstreamId);
    const found = this.byUpstream.get(key);
    if (found !== undefined) return found.message_id;
    this.writing();
    this.insert.run(key);
    const id = this.byUpstream.get(key)!.message_id;
    if (id > 0x7fffffff) throw new RangeError(`${this.file}: message ids are exhausted (more than 2^31 - 1 messages)`);
    return id;
  }

  /** The upstream id and stored object of a local id; `undefined` when cqhttpd never gave it out. */
  get(messageId: number): MappedMessage | undefined {
    if (!Number.isInteger(messageId) || messageId <= 0) return undefined;
    const row = this.byLocal.get(messageId);
    if (row === undefined) return undefined;
    return { upstreamId: row.upstream_id, message: row.message === null ? undefined : JSON.parse(row.message) as MessageObject, recalled: row.recalled === 1 };
  }

  remember(messageId: number, message: MessageObject): void {
    this.writing();
    this.saveMessage.run(JSON.stringify(message), messageId);
  }

  /**
   * Record that the message's event was passed to the bots: `true` the first time, `false` when it
   * already was (an upstream re-sending events after a reconnect) — across restarts of cqhttpd.
   */
  firstDelivery(messageId: number): boolean {
    this.writing();
    return this.markDelivered.run(messageId).changes === 1;
  }

  /** Remember where the upstream serves a received image or record named `file` in its segment. */
  rememberMedia(kind: 'image' | 'record', file: string, url: string): void {
    this.writing();
    this.saveMedia.run(kind, file, url);
  }

  /** The upstream's URL of a received image or record, by the `file` of its segment. */
  mediaUrl(kind: 'image' | 'record', file: string): string | undefined {
    return this.mediaByFile.get(kind, file)?.url;
  }

  recalled(messageId: number): void {
    this.writing();
    this.markRecalled.run(messageId);
  }

  selfId(): number | undefined {
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'self_id'").get();
    return row === undefined ? undefined : Number(row.value);
  }

  setSelfId(selfId: number): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('self_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(selfId));
  }

  /** Open the transaction (once), committed at the end of the turn or {@link COMMIT_INTERVAL_MS} after the last commit. */
  private writing(): void {
    if (this.inTransaction) return;
    this.db.exec('BEGIN');
    this.inTransaction = true;
    const wait = this.lastCommit + COMMIT_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(this.commitSoon);
    else setTimeout(this.commitSoon, wait);
  }

  private readonly commitSoon = (): void => this.commit();

  private commit(): void {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    this.lastCommit = performance.now();
    if (this.db.open) this.db.exec('COMMIT');
  }

  close(): void {
    this.commit();
    if (this.db.open) this.db.close();
  }
}
