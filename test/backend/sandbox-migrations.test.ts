/** Migration 2 (requests, group files, anonymous identities) over a database written by migration 1, and migration 6 (a CHECK rewritten in place). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS } from '../../src/backend/sandbox/store/migrations.js';
import { Store } from '../../src/backend/sandbox/store/index.js';
import { cleanupDir, makeTempDir } from './helpers.js';

describe('sandbox migration 2', () => {
  it('upgrades a version-1 database in place, keeping its messages', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'old.db');
    const db = new Database(file);
    const first = MIGRATIONS[0];
    assert.ok(first);
    migrate(db, [first]);
    db.exec(`INSERT INTO users (user_id, nickname) VALUES (1, 'a');
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message) VALUES ('private', 1, 1, 1, 0, '[]', 'x');`);
    db.close();
    const store = Store.open(file);
    try {
      assert.equal(store.schemaVersion(), MIGRATIONS.length, 'every later migration ran too');
      assert.equal(store.messages.get(1)?.anon_id, null);
      assert.equal(store.messages.get(1)?.raw_message, 'x');
      assert.deepEqual(store.requests.all(), []);
      assert.deepEqual(store.files.ofGroup(1), []);
    } finally {
      store.close();
    }
  });

  it('the requests table refuses inconsistent kinds', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const store = Store.open(join(dir, 'x.db'));
    try {
      store.users.insert({ userId: 7, nickname: 'x' });
      assert.throws(() => store.requests.insert({ flag: 'f', kind: 'friend', subType: 'add', groupId: null, userId: 7, comment: '', createdAt: 0 }), /CHECK constraint/);
      store.requests.insert({ flag: 'g', kind: 'friend', subType: '', groupId: null, userId: 7, comment: '', createdAt: 0 });
      assert.equal(store.requests.resolve('g', 'approved', 1, 5, 'ok'), true);
      assert.equal(store.requests.resolve('g', 'rejected', 1, 6, ''), false, 'a request is answered once');
      assert.equal(store.requests.get('g')?.state, 'approved');
    } finally {
      store.close();
    }
  });
});

describe('sandbox migration 6', () => {
  it('rewrites messages.peer_type\'s CHECK in place: rows kept, the same values accepted and refused, no temporary index per insert', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'v5.db');
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, 5));
    db.exec(`INSERT INTO users (user_id, nickname) VALUES (1, 'a');
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message) VALUES ('discuss', 9, 1, 1, 0, '[]', 'kept');`);
    const insert = "INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message) VALUES (?, 1, 2, 1, 0, '[]', 'x')";
    const ephemeral = (): number => (db.prepare(`EXPLAIN ${insert}`).all('group') as { opcode: string }[]).filter((op) => op.opcode === 'OpenEphemeral').length;
    assert.equal(ephemeral(), 1, 'before: the IN list is a temporary index');
    migrate(db);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      assert.equal(ephemeral(), 0, 'after: three comparisons');
      assert.equal(db.prepare('SELECT raw_message FROM messages WHERE message_id = 1').pluck().get(), 'kept');
      assert.throws(() => db.prepare(insert).run('channel'), /CHECK constraint failed/);
      db.prepare(insert).run('private');
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      assert.throws(() => db.prepare('UPDATE sqlite_schema SET sql = sql').run(), /may not be modified/, 'the connection is defensive again');
    } finally {
      db.close();
    }
  });
});
