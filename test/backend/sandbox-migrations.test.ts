/** Migration 2 (requests, group files, anonymous identities) over a database written by migration 1. */
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
