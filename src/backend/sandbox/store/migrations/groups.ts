/** Migration 4: tables for essence messages, announcements, @全体成员 quotas and group settings (introduction, portrait, dismissal). */
import type { Migration } from '../migrations.js';

export const groupsExtension: Migration = (db) => {
  db.exec(`
    -- What a group has beyond its core row. A group without a row here has the defaults.
    -- A dismissed group keeps its row (messages still name it) but has no members and takes none.
    CREATE TABLE group_settings (
      group_id        INTEGER PRIMARY KEY REFERENCES groups (group_id) ON DELETE CASCADE,
      introduction    TEXT    NOT NULL DEFAULT '',
      -- sha256 of the portrait's bytes (base64://) or of the name it was given by; '' = default portrait
      portrait_hash   TEXT    NOT NULL DEFAULT '',
      portrait_set_by INTEGER,
      portrait_set_at INTEGER,
      dismissed_by    INTEGER,
      dismissed_at    INTEGER
    ) STRICT;

    -- Essence messages (精华消息): a group message is essence while it has a row here and is not recalled.
    CREATE TABLE essence_messages (
      message_id  INTEGER PRIMARY KEY REFERENCES messages (message_id),
      group_id    INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      operator_id INTEGER NOT NULL REFERENCES users (user_id),
      set_at      INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX essence_by_group ON essence_messages (group_id, set_at);

    -- Group announcements (群公告). fid: QQ-style 32 hex digits, unique, never reused.
    CREATE TABLE group_announcements (
      announcement_id INTEGER PRIMARY KEY AUTOINCREMENT,
      fid             TEXT    NOT NULL UNIQUE,
      group_id        INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      author_id       INTEGER NOT NULL REFERENCES users (user_id),
      title           TEXT    NOT NULL,
      content         TEXT    NOT NULL,
      published_at    INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX announcements_by_group ON group_announcements (group_id, published_at);

    -- Every @全体成员 an admin or the owner sent, for the daily quotas (days are China days, UTC+8).
    CREATE TABLE at_all_uses (
      group_id INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      user_id  INTEGER NOT NULL REFERENCES users (user_id),
      used_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX at_all_uses_by_group ON at_all_uses (group_id, used_at);
  `);
};
