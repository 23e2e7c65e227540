/**
 * The friends area (docs/qq-rules.md §5, docs/extensions.md §9): `send_like` per QQ day (UTC+8) and its
 * limits, `delete_friend` and what it changes, `set_qq_profile` (only the fields given), and
 * `get_online_clients`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GROUPS, MAX_LIKES_PER_DAY, MAX_STRANGERS_LIKED_PER_DAY, USERS } from '../../src/backend/sandbox/index.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;

describe('send_like', () => {
  // 23:59:00 in Beijing (15:59 UTC): QQ's day ends a minute later.
  let clock = Date.UTC(2026, 0, 1, 15, 59, 0);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: () => clock });
  });
  after(() => t.close());

  test('10 likes per user per QQ day; the 11th fails -30 and gives nothing; a new day at midnight UTC+8', async () => {
    await ok(t, 'send_like', { user_id: USERS.alice }); // times defaults to 1
    await ok(t, 'send_like', { user_id: USERS.alice, times: '9' });
    assert.equal(t.app.backend.likesToday(USERS.alice), MAX_LIKES_PER_DAY);
    const over = await t.call('send_like', { user_id: USERS.alice });
    assert.equal(over.body?.retcode, -30);
    assert.match(over.body?.wording ?? '', /10 of 10/);
    assert.equal(t.app.backend.likesToday(USERS.alice), MAX_LIKES_PER_DAY);
    assert.equal((await t.call('send_like', { user_id: USERS.alice, times: 11 })).body?.retcode, -30);
    await ok(t, 'send_like', { user_id: USERS.bob, times: 10 }); // others have their own quota
    clock += 60_000; // 00:00 Beijing
    assert.equal(t.app.backend.likesToday(USERS.alice), 0);
    await ok(t, 'send_like', { user_id: USERS.alice, times: 10 });
  });

  test('non-friends who share a group can be liked, at most 50 different ones a day; strangers and unknown users cannot', async () => {
    clock += 86_400_000;
    const sb = t.app.backend;
    const strangers = Array.from({ length: MAX_STRANGERS_LIKED_PER_DAY + 1 }, (_, i) => 40_000 + i);
    for (const id of strangers) {
      sb.createUser({ userId: id, nickname: `s${id}` });
      sb.addMember({ groupId: GROUPS.botOwner, userId: id });
    }
    for (const id of strangers.slice(0, MAX_STRANGERS_LIKED_PER_DAY)) await ok(t, 'send_like', { user_id: id });
    await ok(t, 'send_like', { user_id: strangers[0], times: 2 }); // one already liked today is not a new one
    assert.equal((await t.call('send_like', { user_id: strangers.at(-1) })).body?.retcode, -30);
    await ok(t, 'send_like', { user_id: USERS.carol }); // friends are not counted
    assert.equal((await t.call('send_like', { user_id: USERS.heidi })).body?.retcode, -23);
    assert.equal((await t.call('send_like', { user_id: 29_999 })).body?.retcode, -10);
    assert.equal((await t.call('send_like', { user_id: BOT })).body?.retcode, 100);
    assert.equal((await t.call('send_like', { user_id: USERS.bob, times: -1 })).body?.retcode, 100);
    assert.equal((await t.call('send_like', {})).body?.retcode, 100);
  });
});

describe('delete_friend, set_qq_profile, get_online_clients', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('delete_friend ends the friendship: gone from the list, private messages need a shared group again', async () => {
    t.app.backend.addFriend(USERS.heidi);
    await ok(t, 'send_private_msg', { user_id: USERS.heidi, message: 'hi friend' });
    await ok(t, 'delete_friend', { id: USERS.heidi }); // go-cqhttp's spelling
    const friends = await ok<{ user_id: number }[]>(t, 'get_friend_list');
    assert.equal(friends.some((f) => f.user_id === USERS.heidi), false);
    assert.equal((await t.call('send_private_msg', { user_id: USERS.heidi, message: 'hi?' })).body?.retcode, -23);
    assert.equal((await t.call('delete_friend', { user_id: USERS.heidi })).body?.retcode, -23);
    // Carol shares groups with the bot: after unfriending, a temporary session remains.
    await ok(t, 'delete_friend', { user_id: String(USERS.carol) });
    await ok(t, 'send_private_msg', { user_id: USERS.carol, message: 'still here' });
    const incoming = t.app.backend.postMessage({ from: USERS.carol, message: [{ type: 'text', data: { text: 'hi' } }] });
    assert.equal((await ok<{ sub_type: string }>(t, 'get_msg', { message_id: incoming.messageId })).sub_type, 'group');
  });

  test('set_qq_profile changes only what is given; the nickname shows everywhere; empty or over 36 bytes → 100', async () => {
    await ok(t, 'set_qq_profile', { company: 'cqhttpd', email: 'bot@example.com' });
    assert.deepEqual(t.app.backend.getBotProfile(), { nickname: 'cqhttpd-bot', company: 'cqhttpd', email: 'bot@example.com', college: '', personalNote: '' });
    await ok(t, 'set_qq_profile', { nickname: '十二个汉字的机器人昵称呀', personal_note: 'beep' });
    assert.deepEqual(t.app.backend.getBotProfile(), { nickname: '十二个汉字的机器人昵称呀', company: 'cqhttpd', email: 'bot@example.com', college: '', personalNote: 'beep' });
    assert.equal((await ok<{ nickname: string }>(t, 'get_login_info')).nickname, '十二个汉字的机器人昵称呀');
    assert.equal((await ok<{ nickname: string }>(t, 'get_group_member_info', { group_id: GROUPS.botOwner, user_id: BOT })).nickname, '十二个汉字的机器人昵称呀');
    assert.equal((await t.call('set_qq_profile', { nickname: '   ' })).body?.retcode, 100);
    assert.equal((await t.call('set_qq_profile', { nickname: '十三个汉字的机器人昵称呀呀' })).body?.retcode, 100);
    assert.equal(t.app.backend.getBotProfile().nickname, '十二个汉字的机器人昵称呀', 'a refused change changes nothing');
    await ok(t, 'set_qq_profile', {}); // nothing given: nothing changes
  });

  test('get_online_clients: go-cqhttp\'s {clients: []} (the sandbox account has no other device)', async () => {
    const res = await t.call('get_online_clients', { no_cache: 'true' });
    assert.equal(res.text, '{"data":{"clients":[]},"retcode":0,"status":"ok"}');
  });
});
