/**
 * The sandbox's messages extension below the API: migration 3 over an older database, discuss
 * groups on the control surface, forwards users send, reactions' events, and the small rules
 * (QQ's day, which emoji ids are reactions).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GROUPS, isReactionEmoji, qqDay, USERS } from '../../src/backend/sandbox/index.js';
import { migrate, MIGRATIONS } from '../../src/backend/sandbox/store/migrations.js';
import { Store } from '../../src/backend/sandbox/store/index.js';
import { cleanupDir, expectApiError, makeTempDir, recordEvents, text } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

const BOT = 10001000;

describe('sandbox migration 3 (messages extension)', () => {
  it('rebuilds messages in place: rows kept, ids never reissued, discuss peers allowed', (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const file = join(dir, 'v2.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.exec(`INSERT INTO users (user_id, nickname) VALUES (1, 'a');
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message) VALUES ('group', 5, 1, 1, 0, '[]', 'kept');
      INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message, recalled, recalled_by) VALUES ('private', 1, 1, 1, 0, '[]', 'gone', 1, 1);
      UPDATE sqlite_sequence SET seq = 41 WHERE name = 'messages';`);
    assert.throws(() => db.exec(`INSERT INTO messages (peer_type, peer_id, seq, sender_id, time_ms, segments, raw_message) VALUES ('discuss', 9, 1, 1, 0, '[]', 'x')`), /CHECK/);
    db.close();
    const store = Store.open(file);
    try {
      assert.equal(store.schemaVersion(), MIGRATIONS.length);
      assert.equal(store.messages.get(1)?.raw_message, 'kept');
      assert.equal(store.messages.get(2)?.recalled, 1);
      const row = store.messages.insert({ peerType: 'discuss', peerId: 9, senderId: 1, timeMs: 0, segments: '[]', rawMessage: 'new' });
      assert.equal(row.message_id, 42, 'the AUTOINCREMENT counter survived the rebuild');
      assert.equal(row.seq, 1);
      assert.equal(store.pragma('foreign_key_check'), undefined, 'no dangling references (no row reported)');
    } finally {
      store.close();
    }
  });
});

describe('sandbox discuss groups and forwards on the control surface', () => {
  it('createDiscuss: ids count up; duplicates, unknown users and empty lists are refused', () => withSandbox(async ({ sb }) => {
    assert.equal(sb.createDiscuss({ memberIds: [BOT, USERS.alice] }), 1_000_000_001);
    assert.equal(sb.createDiscuss({ memberIds: [USERS.bob], name: 'Bob alone' }), 1_000_000_002);
    assert.equal(sb.createDiscuss({ discussId: 77, memberIds: [USERS.bob] }), 77);
    await expectApiError(() => sb.createDiscuss({ discussId: 77, memberIds: [USERS.bob] }), 'OPERATION_FAILED');
    await expectApiError(() => sb.createDiscuss({ memberIds: [29_999] }), 'USER_NOT_FOUND');
    await expectApiError(() => sb.createDiscuss({ memberIds: [] }), 'BAD_PARAMS');
    await expectApiError(() => sb.postDiscussMessage({ from: USERS.carol, discussId: 77, message: text('x') }), 'USER_NOT_FOUND');
    await expectApiError(() => sb.postDiscussMessage({ from: USERS.carol, discussId: 5, message: text('x') }), 'INVALID_TARGET');
    await expectApiError(() => sb.leaveDiscussAs(USERS.carol, 77), 'USER_NOT_FOUND');
    await expectApiError(() => sb.inviteToDiscussAs(USERS.bob, 77, USERS.bob), 'OPERATION_FAILED');
    const events = recordEvents(sb);
    sb.postDiscussMessage({ from: USERS.bob, discussId: 77, message: text('the bot is not here') });
    assert.equal(events.length, 0);
    assert.equal(sb.listMessages({ discussId: 77 })[0]?.discussId, 77);
  }));

  it('a forward a friend sends privately reaches the bot; a stranger cannot send one', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    const node = { kind: 'custom' as const, userId: USERS.alice, nickname: 'Alice', time: 1, content: { kind: 'message' as const, message: text('x') } };
    const sent = sb.postForwardMessage({ from: USERS.alice, nodes: [node] });
    assert.equal(events[0]?.message_type, 'private');
    assert.deepEqual(events[0]?.message, [{ type: 'forward', data: { id: sent.forwardId } }]);
    assert.equal((await sb.getForwardMessage(sent.forwardId)).messageType, 'private');
    await expectApiError(() => sb.postForwardMessage({ from: USERS.heidi, nodes: [node] }), 'NO_RELATIONSHIP');
    await expectApiError(() => sb.postForwardMessage({ from: USERS.frank, groupId: GROUPS.botOwner, nodes: [node] }), 'USER_NOT_FOUND');
  }));

  it('reactions the bot cannot see emit nothing; a member\'s reaction to a message in its group does', () => withSandbox(async ({ sb }) => {
    sb.createGroup({ groupId: 300_010, groupName: 'Far', ownerId: USERS.heidi });
    const far = sb.postMessage({ from: USERS.heidi, groupId: 300_010, message: text('x') });
    const events = recordEvents(sb);
    sb.reactAs(USERS.heidi, far.messageId, '76');
    assert.equal(events.length, 0);
    await expectApiError(() => sb.setMessageEmojiLike(far.messageId, '76', true), 'MESSAGE_NOT_FOUND');
    const near = sb.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('y') });
    sb.reactAs(USERS.alice, near.messageId, '76');
    assert.equal(events.at(-1)?.notice_type, 'group_msg_emoji_like');
  }));
});

describe('small rules', () => {
  it('qqDay turns at midnight Beijing time (16:00 UTC)', () => {
    const before = Date.UTC(2026, 0, 1, 15, 59, 59) / 1000;
    assert.equal(qqDay(before + 1), qqDay(before) + 1);
    assert.equal(qqDay(Date.UTC(2026, 0, 1, 0, 0, 0) / 1000), qqDay(before));
  });

  it('isReactionEmoji: face ids 0–999 and emoji code points only', () => {
    for (const id of ['0', '76', '999', '128077', '9728', '127881']) assert.equal(isReactionEmoji(id), true, id);
    for (const id of ['', '01', '1000', '65536', '1114112', 'x', '7.5', '-3']) assert.equal(isReactionEmoji(id), false, id);
  });
});
