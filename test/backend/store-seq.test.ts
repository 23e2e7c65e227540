/** Each conversation numbers its messages 1, 2, 3… without gaps, whatever rolls back (store/messages.ts). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { Store, type NewMessage } from '../../src/backend/sandbox/store/index.js';
import { cleanupDir, makeTempDir } from './helpers.js';

const to = (peerType: 'group' | 'private', peerId: number, text: string): NewMessage => ({
  peerType, peerId, senderId: 1, timeMs: 0, segments: JSON.stringify([{ type: 'text', data: { text } }]), rawMessage: text,
});

it('seq counts per conversation; a rolled-back insert leaves no gap; a reopened store continues', (t) => {
  const dir = makeTempDir();
  cleanupDir(t, dir);
  const file = join(dir, 'sandbox.db');
  let store = Store.open(file);
  store.transaction(() => store.users.insert({ userId: 1, nickname: 'one' }));
  const insert = (m: NewMessage) => store.transaction(() => store.messages.insert(m));
  const a = insert(to('group', 7, 'a'));
  const b = insert(to('group', 7, 'b'));
  const p = insert(to('private', 7, 'p'));
  assert.deepEqual([a.seq, b.seq, p.seq], [1, 2, 1], 'a group and a private peer of the same number are two conversations');
  assert.ok(b.message_id > a.message_id && p.message_id > b.message_id);
  assert.deepEqual(store.messages.get(b.message_id)?.seq, 2, 'the answered id is the stored row');

  assert.throws(() => store.transaction(() => {
    store.messages.insert(to('group', 7, 'rolled back'));
    throw new Error('the act fails after its insert');
  }), /after its insert/);
  assert.equal(insert(to('group', 7, 'c')).seq, 3, 'no gap after a rolled-back savepoint');

  store.begin(); // a group commit that fails as a whole
  store.transaction(() => store.messages.insert(to('group', 7, 'in the failed batch')));
  store.rollback();
  assert.equal(insert(to('group', 7, 'd')).seq, 4, 'no gap after a rolled-back batch');
  store.close();

  store = Store.open(file);
  assert.equal(insert(to('group', 7, 'e')).seq, 5, 'a new store reads the last seq from the database');
  assert.deepEqual(store.messages.ofPeer('group', 7).map((m) => [m.seq, m.raw_message]), [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'e']]);
  store.close();
});
