/**
 * Migration 3: discuss groups (decision P10) and what the message extensions keep — stored forward
 * contents, read marks, emoji reactions, the per-day like counters and the bot's extra profile fields.
 *
 * `messages.peer_type` gains `'discuss'`. SQLite cannot alter a CHECK constraint, so the table is
 * rebuilt (create, copy, drop, rename — SQLite's documented procedure); the AUTOINCREMENT counter is
 * carried over so that no `message_id` is ever issued twice. Nothing references `messages` yet.
 */
import type { Migration } from '../migrations.js';

export const messagesExtension: Migration = (db) => {
  db.exec(`
    CREATE TABLE messages_v3 (
      message_id   INTEGER PRIMARY KEY AUTOINCREMENT CHECK (message_id BETWEEN 1 AND 2147483647),
      peer_type    TEXT    NOT NULL CHECK (peer_type IN ('group', 'private', 'discuss')),
      peer_id      INTEGER NOT NULL,
      seq          INTEGER NOT NULL,
      sender_id    INTEGER NOT NULL REFERENCES users (user_id),
      time_ms      INTEGER NOT NULL,
      segments     TEXT    NOT NULL,
      raw_message  TEXT    NOT NULL,
      recalled     INTEGER NOT NULL DEFAULT 0 CHECK (recalled IN (0, 1)),
      recalled_by  INTEGER,
      recalled_at_ms INTEGER,
      anon_id      INTEGER REFERENCES anonymous_identities (anon_id),
      UNIQUE (peer_type, peer_id, seq)
    ) STRICT;
    INSERT INTO messages_v3 (message_id, peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, recalled, recalled_by, recalled_at_ms, anon_id)
      SELECT message_id, peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, recalled, recalled_by, recalled_at_ms, anon_id FROM messages;
    -- The counter of the old table (never below its largest id) becomes the new table's.
    DELETE FROM sqlite_sequence WHERE name = 'messages_v3';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_v3', seq FROM sqlite_sequence WHERE name = 'messages';
    DROP TABLE messages;
    ALTER TABLE messages_v3 RENAME TO messages;

    -- Discuss groups (讨论组): no owner, no roles; anyone in one may speak, invite, leave.
    CREATE TABLE discusses (
      discuss_id   INTEGER PRIMARY KEY CHECK (discuss_id > 0),
      discuss_name TEXT    NOT NULL,
      created_at   INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE discuss_members (
      discuss_id INTEGER NOT NULL REFERENCES discusses (discuss_id) ON DELETE CASCADE,
      user_id    INTEGER NOT NULL REFERENCES users (user_id),
      joined_at  INTEGER NOT NULL,
      PRIMARY KEY (discuss_id, user_id)
    ) STRICT;
    CREATE INDEX discuss_members_by_user ON discuss_members (user_id);

    -- A forward card's content (docs/extensions.md §5): opaque id (the QQ "resid"), where it was first
    -- sent, and its nodes as JSON [{user_id, nickname, time, content: segments}]. A nested forward is
    -- its own row; its parent node's content is one forward segment naming it.
    CREATE TABLE forwards (
      forward_id TEXT    PRIMARY KEY,
      peer_type  TEXT    NOT NULL CHECK (peer_type IN ('group', 'private')),
      peer_id    INTEGER NOT NULL,
      created_by INTEGER NOT NULL REFERENCES users (user_id),
      created_at INTEGER NOT NULL,
      nodes      TEXT    NOT NULL
    ) STRICT;

    -- How far the bot has read each conversation (mark_msg_as_read), as a seq.
    CREATE TABLE read_marks (
      peer_type TEXT    NOT NULL CHECK (peer_type IN ('group', 'private', 'discuss')),
      peer_id   INTEGER NOT NULL,
      seq       INTEGER NOT NULL,
      marked_at INTEGER NOT NULL,
      PRIMARY KEY (peer_type, peer_id)
    ) STRICT;

    -- Emoji reactions to group messages (set_msg_emoji_like, group_msg_emoji_like).
    CREATE TABLE message_reactions (
      message_id INTEGER NOT NULL,
      emoji_id   TEXT    NOT NULL,
      user_id    INTEGER NOT NULL REFERENCES users (user_id),
      reacted_at INTEGER NOT NULL,
      PRIMARY KEY (message_id, emoji_id, user_id)
    ) STRICT;

    -- Likes the bot gave (send_like), per target and QQ day (UTC+8).
    CREATE TABLE likes_given (
      user_id INTEGER NOT NULL REFERENCES users (user_id),
      day     INTEGER NOT NULL,
      times   INTEGER NOT NULL CHECK (times > 0),
      PRIMARY KEY (user_id, day)
    ) STRICT;

    -- Profile fields beyond the nickname (set_qq_profile).
    CREATE TABLE profiles (
      user_id       INTEGER PRIMARY KEY REFERENCES users (user_id),
      company       TEXT NOT NULL DEFAULT '',
      email         TEXT NOT NULL DEFAULT '',
      college       TEXT NOT NULL DEFAULT '',
      personal_note TEXT NOT NULL DEFAULT ''
    ) STRICT;
  `);
};
