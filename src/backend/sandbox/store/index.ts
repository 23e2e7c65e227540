/**
 * The sandbox's SQLite store: one database file in WAL mode, migrated on open, with the statements of
 * every table prepared once. Writes happen inside {@link Store.transaction}; with WAL and
 * `synchronous=NORMAL` a committed transaction is in the WAL file (the OS has it) before the call
 * returns, so it survives the process being killed (only a power loss can drop the last commits).
 */
import Database from 'better-sqlite3';
import { AnonymousRepo } from './anonymous.js';
import { FileRepo } from './files.js';
import { GroupRowCache } from './group-cache.js';
import { GroupRepo } from './groups.js';
import { GroupFsRepo } from './group-fs.js';
import { GroupExtrasRepo } from './group-extras.js';
import { MessageRepo } from './messages.js';
import { DiscussRepo } from './discusses.js';
import { ForwardRepo } from './forwards.js';
import { MessageExtrasRepo } from './message-extras.js';
import { SocialRepo } from './social.js';
import { migrate } from './migrations.js';
import { RequestRepo } from './requests.js';
import { UserRepo } from './users.js';

export type {
  AnonymousRow, FriendRow, GroupFileRow, GroupRow, MemberRow, MemberViewRow, MessageRow, PeerType,
  RequestKind, RequestRow, RequestState, RequestSubType, UserRow,
} from './rows.js';
export type { NewUser, UserChanges } from './users.js';
export type { NewGroup, NewMember } from './groups.js';
export type { NewMessage } from './messages.js';
export type { DiscussRow } from './discusses.js';
export type { ForwardRow, StoredNode } from './forwards.js';
export type { ProfileFields, ProfileRow } from './social.js';
export type { NewRequest } from './requests.js';
export type { NewGroupFile } from './files.js';
export type { FileViewRow, FolderRow, PrivateFileRow } from './group-fs.js';
export type { AnnouncementRow, EssenceViewRow, GroupSettingsRow, NumberedRequestRow, SpokenRow } from './group-extras.js';

/** How long a writer waits for a lock held by another connection before failing. */
const BUSY_TIMEOUT_MS = 5000;

/** An open sandbox database. */
export class Store {
  readonly users: UserRepo;
  readonly groups: GroupRepo;
  readonly messages: MessageRepo;
  readonly requests: RequestRepo;
  readonly files: FileRepo;
  readonly anonymous: AnonymousRepo;
  /** Groups extension (migration 4): settings, essence, announcements, @全体成员 quotas. */
  readonly groupExtras: GroupExtrasRepo;
  /** Messages extension (migration 3): discuss groups, forwards, history/read marks/reactions, likes and profile. */
  readonly discusses: DiscussRepo;
  readonly forwards: ForwardRepo;
  readonly messageExtras: MessageExtrasRepo;
  readonly social: SocialRepo;
  /** Files extension (migration 5): folders, files by folder, files sent to users. */
  readonly groupFs: GroupFsRepo;
  readonly #db: Database.Database;
  readonly #runImmediate: Database.Transaction<(fn: () => unknown) => unknown>;
  /** Cached `groups`/`members` rows; cleared by their writes and by every rollback. */
  readonly #groupRows = new GroupRowCache();

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#runImmediate = db.transaction((fn: () => unknown) => fn());
    this.users = new UserRepo(db);
    this.groups = new GroupRepo(db, this.#groupRows);
    this.messages = new MessageRepo(db);
    this.requests = new RequestRepo(db);
    this.files = new FileRepo(db);
    this.anonymous = new AnonymousRepo(db);
    this.groupFs = new GroupFsRepo(db);
    this.discusses = new DiscussRepo(db);
    this.forwards = new ForwardRepo(db);
    this.messageExtras = new MessageExtrasRepo(db);
    this.social = new SocialRepo(db);
    this.groupExtras = new GroupExtrasRepo(db, this.#groupRows);
  }

  /** Open (creating if needed) and migrate the database at `file`. */
  static open(file: string): Store {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MB of WAL instead of SQLite's ~4 MB: a checkpoint copies pages and
      // syncs both files inside the commit that triggers it, and at the default it cost a quarter of
      // the CPU of a busy send loop; hot pages (the newest leaf of each index) are copied once per
      // checkpoint instead of ten times. The WAL is truncated back to 16 MB after each one.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('journal_size_limit = 16777216');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      migrate(db);
      return new Store(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Run `fn` in one transaction: all of its writes commit together, or none on a throw. */
  /** Open a write transaction that several acts share (group commit); see {@link SandboxContext.actBatched}. */
  begin(): void {
    this.#db.exec('BEGIN IMMEDIATE');
  }

  /** Commit the shared transaction opened by {@link begin}. */
  commit(): void {
    this.#db.exec('COMMIT');
  }

  /** Roll the shared transaction back (after a failed commit). */
  rollback(): void {
    this.#forgetCaches();
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
  }

  transaction<T>(fn: () => T): T {
    // One better-sqlite3 wrapper for every call (building one per call cost ~5 % of a send).
    try {
      return this.#runImmediate.immediate(fn) as T;
    } catch (err) {
      this.#forgetCaches(); // rows read or written inside the rolled-back part may be gone
      throw err;
    }
  }

  /** After a rollback: what the caches learnt inside it may no longer be true. */
  #forgetCaches(): void {
    this.#groupRows.clear();
    this.messages.forgetSeqs();
  }

  /** The schema version (`PRAGMA user_version`). */
  schemaVersion(): number {
    return Number(this.#db.pragma('user_version', { simple: true }));
  }

  /** A pragma's current value (for diagnostics and tests). */
  pragma(name: string): unknown {
    return this.#db.pragma(name, { simple: true });
  }

  /** Whether the connection is open. */
  get isOpen(): boolean {
    return this.#db.open;
  }

  /** Checkpoint the WAL and close; idempotent. */
  close(): void {
    if (!this.#db.open) return;
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      // A failed checkpoint (another reader) loses nothing: the WAL is replayed on the next open.
      this.#db.close();
    }
  }
}
