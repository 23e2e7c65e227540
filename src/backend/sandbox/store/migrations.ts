/**
 * Schema migrations for the sandbox database. The schema version is SQLite's `PRAGMA user_version`;
 * migration `i` (0-based) takes the database from version `i` to `i + 1`. Append new migrations at the
 * end; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';
import { filesExtension } from './migrations/files.js';
import { groupsExtension } from './migrations/groups.js';
import { messagesPeerTypeCheck } from './migrations/message-check.js';
import { messagesExtension } from './migrations/messages.js';

/** One schema step; runs inside a transaction together with the version bump. */
export type Migration = (db: Database) => void;

const initialSchema: Migration = (db) => {
  db.exec(`
    CREATE TABLE users (
      user_id   INTEGER PRIMARY KEY CHECK (user_id > 0),
      nickname  TEXT    NOT NULL,
      sex       TEXT    NOT NULL DEFAULT 'unknown' CHECK (sex IN ('male', 'female', 'unknown')),
      age       INTEGER NOT NULL DEFAULT 0,
      area      TEXT    NOT NULL DEFAULT '',
      level     INTEGER NOT NULL DEFAULT 1
    ) STRICT;

    -- The bot account: exactly one row; the bot is also a row of users.
    CREATE TABLE account (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      self_id    INTEGER NOT NULL REFERENCES users (user_id),
      created_at INTEGER NOT NULL
    ) STRICT;

    -- The bot's friends.
    CREATE TABLE friendships (
      user_id INTEGER PRIMARY KEY REFERENCES users (user_id),
      remark  TEXT    NOT NULL DEFAULT '',
      since   INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE groups (
      group_id          INTEGER PRIMARY KEY CHECK (group_id > 0),
      group_name        TEXT    NOT NULL,
      max_member_count  INTEGER NOT NULL DEFAULT 200,
      whole_ban         INTEGER NOT NULL DEFAULT 0 CHECK (whole_ban IN (0, 1)),
      anonymous_enabled INTEGER NOT NULL DEFAULT 0 CHECK (anonymous_enabled IN (0, 1)),
      created_at        INTEGER NOT NULL
    ) STRICT;

    -- The group's owner is the member whose role is 'owner' (one per group, enforced below).
    CREATE TABLE members (
      group_id          INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      user_id           INTEGER NOT NULL REFERENCES users (user_id),
      role              TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
      card              TEXT    NOT NULL DEFAULT '',
      title             TEXT    NOT NULL DEFAULT '',
      title_expire_time INTEGER NOT NULL DEFAULT 0,
      join_time         INTEGER NOT NULL,
      last_sent_time    INTEGER NOT NULL DEFAULT 0,
      muted_until       INTEGER NOT NULL DEFAULT 0,
      level             TEXT    NOT NULL DEFAULT '1',
      PRIMARY KEY (group_id, user_id)
    ) STRICT;
    CREATE UNIQUE INDEX members_one_owner ON members (group_id) WHERE role = 'owner';
    CREATE INDEX members_by_user ON members (user_id);

    -- People kicked with reject_add_request: their join requests are refused for good.
    CREATE TABLE blocked_requesters (
      group_id   INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      user_id    INTEGER NOT NULL,
      blocked_at INTEGER NOT NULL,
      PRIMARY KEY (group_id, user_id)
    ) STRICT;

    -- AUTOINCREMENT: ids are never reused, even after the newest row is gone (sqlite_sequence).
    CREATE TABLE messages (
      message_id   INTEGER PRIMARY KEY AUTOINCREMENT CHECK (message_id BETWEEN 1 AND 2147483647),
      peer_type    TEXT    NOT NULL CHECK (peer_type IN ('group', 'private')),
      peer_id      INTEGER NOT NULL,
      seq          INTEGER NOT NULL,
      sender_id    INTEGER NOT NULL REFERENCES users (user_id),
      time_ms      INTEGER NOT NULL,
      segments     TEXT    NOT NULL,
      raw_message  TEXT    NOT NULL,
      recalled     INTEGER NOT NULL DEFAULT 0 CHECK (recalled IN (0, 1)),
      recalled_by  INTEGER,
      recalled_at_ms INTEGER,
      UNIQUE (peer_type, peer_id, seq)
    ) STRICT;
  `);
};

/** Requests (friend, group join, group invitation), group files and anonymous identities. */
const requestsFilesAnonymous: Migration = (db) => {
  db.exec(`
    -- A request the bot (or a group's admins) may answer. flag: opaque, unique, never reused.
    -- kind 'friend' has sub_type '' and no group; 'group' is 'add' (user_id applies) or 'invite'
    -- (user_id invites the bot). state moves once, from 'pending' to 'approved' or 'rejected'.
    CREATE TABLE requests (
      flag       TEXT    PRIMARY KEY,
      kind       TEXT    NOT NULL CHECK (kind IN ('friend', 'group')),
      sub_type   TEXT    NOT NULL CHECK (sub_type IN ('', 'add', 'invite')),
      group_id   INTEGER REFERENCES groups (group_id) ON DELETE CASCADE,
      user_id    INTEGER NOT NULL REFERENCES users (user_id),
      comment    TEXT    NOT NULL DEFAULT '',
      state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
      created_at INTEGER NOT NULL,
      handled_by INTEGER,
      handled_at INTEGER,
      -- the remark (friend approved) or the reason (group rejected) given when handled
      answer     TEXT    NOT NULL DEFAULT '',
      CHECK ((kind = 'friend') = (sub_type = '' AND group_id IS NULL))
    ) STRICT;
    CREATE INDEX requests_pending ON requests (kind, user_id, group_id) WHERE state = 'pending';

    -- Group files (docs/extensions.md §7.0). Folders live in the root only; '/' is the root itself.
    CREATE TABLE group_files (
      file_id        TEXT    PRIMARY KEY,
      group_id       INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      folder_id      TEXT    NOT NULL DEFAULT '/',
      busid          INTEGER NOT NULL DEFAULT 102,
      name           TEXT    NOT NULL,
      size           INTEGER NOT NULL CHECK (size >= 0),
      uploader       INTEGER NOT NULL REFERENCES users (user_id),
      upload_time    INTEGER NOT NULL,
      modify_time    INTEGER NOT NULL,
      dead_time      INTEGER NOT NULL DEFAULT 0,
      download_times INTEGER NOT NULL DEFAULT 0,
      content        BLOB
    ) STRICT;
    CREATE INDEX group_files_by_group ON group_files (group_id, folder_id);

    -- A member's anonymous identity in a group: stable id, pool name, opaque flag, its own mute.
    CREATE TABLE anonymous_identities (
      anon_id      INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id     INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      user_id      INTEGER NOT NULL REFERENCES users (user_id),
      name         TEXT    NOT NULL,
      flag         TEXT    NOT NULL UNIQUE,
      banned_until INTEGER NOT NULL DEFAULT 0,
      UNIQUE (group_id, user_id)
    ) STRICT;

    -- Set for a message its author sent anonymously (sender_id stays the real author).
    ALTER TABLE messages ADD COLUMN anon_id INTEGER REFERENCES anonymous_identities (anon_id);
  `);
};

/** Every migration, in order. The database's `user_version` is how many have run. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  requestsFilesAnonymous,
  messagesExtension, // 3: stored forwards, history reads, likes, discuss groups (migrations/messages.ts)
  groupsExtension, // 4: essence, honors, notices, group settings (migrations/groups.ts)
  filesExtension, // 5: group file folders and file bytes (migrations/files.ts)
  messagesPeerTypeCheck, // 6: messages.peer_type's CHECK without an IN list (migrations/message-check.ts)
];

/**
 * Bring `db` up to the newest schema. Each step and its version bump commit together, so a crash
 * mid-way leaves a consistent version. Refuses a database written by a newer cqhttpd.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > migrations.length) {
    throw new Error(`the sandbox database has schema version ${current}, newer than this cqhttpd knows (${migrations.length}); upgrade cqhttpd or use another data_dir`);
  }
  for (let version = current; version < migrations.length; version++) {
    const step = migrations[version];
    if (step === undefined) break;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}
