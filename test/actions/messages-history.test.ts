/**
 * History and read marks (docs/extensions.md §5.5–5.7, D4): pages of the newest `count` messages up to
 * an anchor, oldest first, anchor included — Koishi's `getMessageList(before)` flow —, recalled
 * messages left out, NapCat's message_id anchors, and `mark_msg_as_read`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/index.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;
const text = (t: string): Segment[] => [{ type: 'text', data: { text: t } }];
interface Item { message_id: number; message_seq: number; real_id: number; raw_message: string; post_type: string; user_id: number; message: unknown }

describe('message history', () => {
  let t: TestApp;
  /** message ids of "m1" … "m30" in Bot Workshop (the bot is an admin there). */
  const ids: number[] = [];
  before(async () => {
    t = await startTestApp({ config: { post_message_format: 'array' } });
    for (let i = 1; i <= 30; i++) {
      const from = i % 3 === 0 ? BOT : i % 3 === 1 ? USERS.bob : USERS.dave;
      ids.push(from === BOT
        ? (await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: GROUPS.botAdmin, message: `m${i}` })).message_id
        : t.app.backend.postMessage({ from, groupId: GROUPS.botAdmin, message: text(`m${i}`) }).messageId);
    }
  });
  after(() => t.close());

  const page = async (params: Record<string, unknown>) => (await ok<{ messages: Item[] }>(t, 'get_group_msg_history', { group_id: GROUPS.botAdmin, ...params })).messages;
  const texts = (items: Item[]) => items.map((m) => m.raw_message);

  test('default: the 20 newest, oldest first, each event-shaped with real_id = message_seq', async () => {
    const items = await page({});
    assert.deepEqual(texts(items), Array.from({ length: 20 }, (_, i) => `m${i + 11}`));
    for (const m of items) assert.equal(m.real_id, m.message_seq);
    assert.deepEqual(items.map((m) => m.post_type).slice(0, 3), ['message', 'message_sent', 'message'], 'the bot\'s own are message_sent');
  });

  test('Koishi getMessageList(before): get_msg(before).message_seq, then history up to it — before included, last', async () => {
    const before = ids[14]!; // "m15"
    const { message_seq } = await ok<{ message_seq: number }>(t, 'get_msg', { message_id: before });
    const items = await page({ message_seq, count: 5 });
    assert.deepEqual(texts(items), ['m11', 'm12', 'm13', 'm14', 'm15']);
    assert.equal(items.at(-1)?.message_id, before);
    // The next older page, anchored at the oldest seen: overlaps by exactly the anchor.
    const older = await page({ message_seq: items[0]!.message_seq, count: 5 });
    assert.deepEqual(texts(older), ['m7', 'm8', 'm9', 'm10', 'm11']);
    // Near the beginning the page is short.
    assert.deepEqual(texts(await page({ message_seq: 2, count: 5 })), ['m1', 'm2']);
  });

  test('a known message_id beyond the last seq is accepted as the anchor (NapCat); reverse order; count capped at 100', async () => {
    // Quiet Corner's first messages get seqs 1, 2 but message ids above 30 (ids count every conversation).
    const first = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botMember, message: text('q1') });
    t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botMember, message: text('q2') });
    assert.ok(first.messageId > 2);
    const quiet = async (message_seq: number) => texts((await ok<{ messages: Item[] }>(t, 'get_group_msg_history', { group_id: GROUPS.botMember, message_seq })).messages);
    assert.deepEqual(await quiet(first.messageId), ['q1'], 'the message_id names q1');
    assert.deepEqual(await quiet(1), ['q1'], 'seq 1 is q1 too');
    assert.deepEqual(await quiet(1_000_000), ['q1', 'q2'], 'an anchor past the end that is no message of this group: everything up to it');
    assert.deepEqual(texts(await page({ count: 3, reverse_order: true })), ['m30', 'm29', 'm28']);
    assert.deepEqual(texts(await page({ count: 3, reverseOrder: 'true' })), ['m30', 'm29', 'm28']);
    assert.equal((await page({ count: 1000 })).length, 30);
    assert.equal((await page({ message_seq: '' })).length, 20, 'an empty message_seq means the newest');
  });

  test('recalled messages are left out; the page still holds count messages', async () => {
    await ok(t, 'delete_msg', { message_id: ids[29] }); // the bot's own "m30"
    t.app.backend.recallAs(BOT, ids[28]!); // Dave's "m29", as an admin
    assert.deepEqual(texts(await page({ count: 3 })), ['m26', 'm27', 'm28']);
  });

  test('string format: each item\'s message is a CQ string', async () => {
    const strict = await startTestApp();
    try {
      strict.app.backend.postMessage({ from: USERS.alice, groupId: GROUPS.botOwner, message: [{ type: 'face', data: { id: '1' } }, ...text('[x]')] });
      const items = (await ok<{ messages: Item[] }>(strict, 'get_group_msg_history', { group_id: GROUPS.botOwner })).messages;
      assert.equal(items.at(-1)?.message, '[CQ:face,id=1]&#91;x&#93;');
    } finally {
      await strict.close();
    }
  });

  test('friend history: both directions, oldest first; temp peers too; strangers -23, unknown users -10', async () => {
    t.app.backend.postMessage({ from: USERS.alice, message: text('hi bot') });
    await ok(t, 'send_private_msg', { user_id: USERS.alice, message: 'hi Alice' });
    t.app.backend.postMessage({ from: USERS.alice, message: text('how are you') });
    const items = (await ok<{ messages: (Item & { target_id?: number })[] }>(t, 'get_friend_msg_history', { user_id: USERS.alice, count: 10 })).messages;
    assert.deepEqual(texts(items), ['hi bot', 'hi Alice', 'how are you']);
    assert.deepEqual(items.map((m) => m.post_type), ['message', 'message_sent', 'message']);
    assert.equal(items[1]?.target_id, USERS.alice);
    assert.deepEqual(items.map((m) => m.message_seq), [1, 2, 3]);
    await ok(t, 'send_private_msg', { user_id: USERS.dave, message: 'temp' });
    assert.deepEqual(texts((await ok<{ messages: Item[] }>(t, 'get_friend_msg_history', { user_id: USERS.dave })).messages), ['temp']);
    assert.equal((await t.call('get_friend_msg_history', { user_id: USERS.heidi })).body?.retcode, -23);
    assert.equal((await t.call('get_friend_msg_history', { user_id: 29_999 })).body?.retcode, -10);
    assert.equal((await t.call('get_friend_msg_history', {})).body?.retcode, 100);
  });

  test('a group the bot left: -9; count 0 or negative: 100', async () => {
    assert.equal((await t.call('get_group_msg_history', { group_id: GROUPS.botAdmin, count: 0 })).body?.retcode, 100);
    assert.equal((await t.call('get_group_msg_history', { group_id: GROUPS.botAdmin, count: -5 })).body?.retcode, 100);
    t.app.backend.kickAs(USERS.alice, GROUPS.botAdmin, BOT);
    assert.equal((await t.call('get_group_msg_history', { group_id: GROUPS.botAdmin })).body?.retcode, -9);
    assert.equal((await t.call('get_msg', { message_id: ids[0] })).body?.retcode, 100, 'its messages are out of sight too');
  });
});

describe('mark_msg_as_read', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('by message_id: the conversation is read up to it; the mark never moves back', async () => {
    const a = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('1') });
    const b = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('2') });
    assert.equal(t.app.backend.readSeq({ groupId: GROUPS.botOwner }), 0);
    await ok(t, 'mark_msg_as_read', { message_id: b.messageId });
    assert.equal(t.app.backend.readSeq({ groupId: GROUPS.botOwner }), 2);
    await ok(t, 'mark_msg_as_read', { message_id: a.messageId });
    assert.equal(t.app.backend.readSeq({ groupId: GROUPS.botOwner }), 2);
  });

  test('by group_id / user_id: read to the newest; failures 100 / -9 / -23', async () => {
    t.app.backend.postMessage({ from: USERS.bob, message: text('x') });
    t.app.backend.postMessage({ from: USERS.bob, message: text('y') });
    await ok(t, 'mark_msg_as_read', { user_id: USERS.bob });
    assert.equal(t.app.backend.readSeq({ userId: USERS.bob }), 2);
    t.app.backend.postMessage({ from: USERS.dave, groupId: GROUPS.botMember, message: text('z') });
    await ok(t, 'mark_msg_as_read', { group_id: GROUPS.botMember });
    assert.equal(t.app.backend.readSeq({ groupId: GROUPS.botMember }), 1);
    assert.equal((await t.call('mark_msg_as_read', {})).body?.retcode, 100);
    assert.equal((await t.call('mark_msg_as_read', { message_id: 2_000_000_000 })).body?.retcode, 100);
    assert.equal((await t.call('mark_msg_as_read', { group_id: 424_242 })).body?.retcode, -9);
    assert.equal((await t.call('mark_msg_as_read', { user_id: USERS.heidi })).body?.retcode, -23);
  });
});
