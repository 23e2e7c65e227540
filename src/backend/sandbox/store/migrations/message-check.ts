/**
 * Migration 6: `messages.peer_type`'s CHECK without an `IN` list.
 *
 * SQLite evaluates `x IN (a, b, c)` with three or more constants by building a temporary index of
 * the list, once per statement run: for the message insert, the hottest statement of the sandbox,
 * that was a fifth of its cost (≈ 1.3 µs of 6). The same constraint written as a chain of `=` is
 * checked with three comparisons.
 *
 * A CHECK constraint changes nothing on disk, so the table is not rebuilt: its definition in
 * `sqlite_schema` is rewritten in place, SQLite's documented procedure for changing constraints
 * (https://www.sqlite.org/lang_altertable.html#otheralter). Every row satisfies the new
 * constraint, which accepts exactly what the old one did.
 */
import type { Migration } from '../migrations.js';

const OLD_CHECK = "CHECK (peer_type IN ('group', 'private', 'discuss'))";
const NEW_CHECK = "CHECK (peer_type = 'group' OR peer_type = 'private' OR peer_type = 'discuss')";

export const messagesPeerTypeCheck: Migration = (db) => {
  const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").pluck().get();
  if (typeof definition !== 'string' || !definition.includes(OLD_CHECK)) {
    throw new Error('schema migration 6: the messages table does not have the peer_type CHECK that migration 3 created');
  }
  const schemaVersion = Number(db.pragma('schema_version', { simple: true }));
  // better-sqlite3 opens connections in SQLite's defensive mode, which forbids writing sqlite_schema.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'messages'").run(definition.replace(OLD_CHECK, NEW_CHECK));
    db.pragma(`schema_version = ${schemaVersion + 1}`); // other connections re-read the schema
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  // The new definition must parse (a statement on the table re-reads it), or the step rolls back.
  db.prepare('SELECT message_id FROM messages LIMIT 0').all();
};
