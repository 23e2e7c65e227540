/** Migration 5: group file folders, and files the bot sends to users. */
import type { Migration } from '../migrations.js';

export const filesExtension: Migration = (db) => {
  db.exec(`
    -- A group's folders (docs/extensions.md §7.0): one level, in the root. Files name their folder in
    -- group_files.folder_id ('/' = the root); deleting a folder deletes its files (in code).
    CREATE TABLE group_file_folders (
      folder_id   TEXT    PRIMARY KEY,
      group_id    INTEGER NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
      name        TEXT    NOT NULL,
      creator     INTEGER NOT NULL REFERENCES users (user_id),
      create_time INTEGER NOT NULL,
      modify_time INTEGER NOT NULL,
      UNIQUE (group_id, name)
    ) STRICT;

    -- Files sent to a user (upload_private_file): QQ's offline files, with their bytes.
    CREATE TABLE private_files (
      file_id   TEXT    PRIMARY KEY,
      user_id   INTEGER NOT NULL REFERENCES users (user_id),
      sender_id INTEGER NOT NULL REFERENCES users (user_id),
      name      TEXT    NOT NULL,
      size      INTEGER NOT NULL CHECK (size >= 0),
      sent_at   INTEGER NOT NULL,
      content   BLOB
    ) STRICT;
    CREATE INDEX private_files_by_user ON private_files (user_id, sent_at);
  `);
};
