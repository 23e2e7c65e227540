/** The SQLite store: pragmas, schema version, durability and message ids across restarts. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { GROUPS, openSandbox, USERS } from '../../src/backend/sandbox/index.js';
import { migrate, MIGRATIONS } from '../../src/backend/sandbox/store/migrations.js';
import { Store } from '../../src/backend/sandbox/store/index.js';
import { cleanupDir, expectApiError, FakeClock, makeTempDir, text } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

describe('sandbox store', () => {
  it('opens in WAL mode (checkpoint every 10 000 pages) with foreign keys and the newest schema version', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const store = Store.open(join(dir, 'x.db'));
    try {
      assert.equal(store.pragma('journal_mode'), 'wal');
      assert.equal(store.pragma('foreign_keys'), 1);
      assert.equal(store.pragma('synchronous'), 1); // NORMAL
      assert.equal(store.pragma('wal_autocheckpoint'), 10000, 'checkpoints every ~40 MB of WAL');
      assert.equal(store.pragma('journal_size_limit'), 16777216);
      assert.ok(Number(store.pragma('busy_timeout')) > 0);
      assert.equal(store.schemaVersion(), MIGRATIONS.length);
    } finally {
      store.close();
    }
  });

  it('runs pending migrations in order and refuses a database from a newer schema', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'x.db');
    Store.open(file).close();
    const db = new Database(file);
    try {
      const extra = [...MIGRATIONS, (d: Database.Database) => d.exec('CREATE TABLE later (x INTEGER) STRICT')];
      assert.equal(migrate(db, extra), MIGRATIONS.length + 1);
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length + 1);
      assert.equal(migrate(db, extra), MIGRATIONS.length + 1, 'a second run changes nothing');
    } finally {
      db.close();
    }
    assert.throws(() => Store.open(file), new RegExp(`schema version ${MIGRATIONS.length + 1}, newer than this cqhttpd knows`));
  });

  it('message ids stay unique and increasing across a restart, and old ones can still be recalled', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const clock = new FakeClock();
    const first = openSandbox({ dataDir: dir, now: clock.now });
    const a = await first.sendGroupMessage(GROUPS.botOwner, text('before restart'));
    const b = first.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('carol before') });
    await first.close();
    await first.close(); // idempotent
    assert.equal(first.isOnline(), false);

    const second = openSandbox({ dataDir: dir, now: clock.now });
    try {
      const c = await second.sendGroupMessage(GROUPS.botOwner, text('after restart'));
      assert.ok(a.messageId > 0 && b.messageId > a.messageId && c.messageId > b.messageId);
      assert.deepEqual(second.listMessages({ groupId: GROUPS.botOwner }).map((m) => m.seq), [1, 2, 3]);
      await second.deleteMessage(b.messageId); // the bot owns the group: recalls a member's message from before the restart
      await second.deleteMessage(a.messageId);
      assert.deepEqual(second.listMessages({ groupId: GROUPS.botOwner }).map((m) => m.recalled), [true, true, false]);
      assert.equal(second.getWorld().groups.length, 3, 'the world is not seeded twice');
    } finally {
      await second.close();
    }
  });

  it('a committed send survives kill -9 of the process', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'send-then-die.ts'), dir], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.signal, 'SIGKILL', `child did not die by SIGKILL: ${child.stderr}`);
    const id = Number(child.stdout.trim());
    assert.ok(id > 0, `child printed no id: ${child.stdout} ${child.stderr}`);
    const sb = openSandbox({ dataDir: dir });
    try {
      const log = sb.listMessages({ groupId: GROUPS.botOwner });
      assert.deepEqual(log.map((m) => [m.messageId, m.rawMessage]), [[id, 'survive kill -9']]);
    } finally {
      void sb.close();
    }
  });

  it('a database belongs to one bot: reopening with another selfId fails clearly', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    await openSandbox({ dataDir: dir }).close();
    assert.throws(() => openSandbox({ dataDir: dir, selfId: 555 }), /belongs to bot 10001000, not 555/);
    const again = openSandbox({ dataDir: dir, selfId: 10001000 });
    assert.equal(again.selfId, 10001000);
    await again.close();
  });

  it('message ids are never reused, even for an unknown id after recalls', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const sb = openSandbox({ dataDir: dir });
    try {
      const ids = new Set<number>();
      for (let i = 0; i < 20; i++) ids.add((await sb.sendPrivateMessage(USERS.alice, text(`m${i}`))).messageId);
      assert.equal(ids.size, 20);
      await expectApiError(() => sb.deleteMessage(Math.max(...ids) + 1), 'MESSAGE_NOT_FOUND');
    } finally {
      await sb.close();
    }
  });

  it('message ids stop at the int32 limit instead of wrapping or going negative', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const sb = openSandbox({ dataDir: dir });
    await sb.sendPrivateMessage(USERS.alice, text('first'));
    await sb.close();
    const db = new Database(join(dir, 'sandbox.db'));
    db.prepare("UPDATE sqlite_sequence SET seq = 2147483646 WHERE name = 'messages'").run();
    db.close();
    const again = openSandbox({ dataDir: dir });
    try {
      assert.equal((await again.sendPrivateMessage(USERS.alice, text('last'))).messageId, 2147483647);
      await expectApiError(() => again.sendPrivateMessage(USERS.alice, text('one too many')), 'OPERATION_FAILED', /int32/);
      assert.equal(again.listMessages({ userId: USERS.alice }).length, 2);
    } finally {
      await again.close();
    }
  });
});
