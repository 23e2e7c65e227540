/** Friend requests and direct adds through the control surface (docs/qq-rules.md §5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSandbox, USERS } from '../../src/backend/sandbox/index.js';
import { assertKeys, cleanupDir, EVENT_KEYS, expectApiError, makeTempDir, notices, recordEvents, requests, text } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

describe('sandbox friend requests', () => {
  it('request/friend with comment and flag; approval emits friend_add and opens private chat', () => withSandbox(async ({ sb, clock }) => {
    const events = recordEvents(sb);
    const flag = sb.requestFriendAs(USERS.heidi, '我是 Heidi');
    assert.deepEqual(requests(events, 'friend'), [{
      post_type: 'request', request_type: 'friend', time: clock.seconds, self_id: sb.selfId, user_id: USERS.heidi, comment: '我是 Heidi', flag,
    }]);
    await expectApiError(() => sb.sendPrivateMessage(USERS.heidi, text('not yet')), 'NO_RELATIONSHIP');
    await sb.setFriendAddRequest(flag, true, 'H.');
    const [add] = notices(events, 'friend_add');
    assertKeys(add, EVENT_KEYS.friendAdd);
    assert.deepEqual(add, { post_type: 'notice', notice_type: 'friend_add', time: clock.seconds, self_id: sb.selfId, user_id: USERS.heidi });
    assert.deepEqual(sb.getWorld().friends.find((f) => f.userId === USERS.heidi), { userId: USERS.heidi, remark: 'H.' });
    assert.ok((await sb.sendPrivateMessage(USERS.heidi, text('hi friend'))).messageId > 0);
    assert.deepEqual(sb.listRequests().map((r) => [r.requestType, r.subType, r.groupId, r.state, r.handledBy]), [['friend', undefined, undefined, 'approved', sb.selfId]]);
  }));

  it('refuses friends, duplicates, the bot itself and unknown users', () => withSandbox(async ({ sb }) => {
    await expectApiError(() => sb.requestFriendAs(USERS.alice), 'OPERATION_FAILED', /already the bot's friend/);
    const flag = sb.requestFriendAs(USERS.dave);
    await expectApiError(() => sb.requestFriendAs(USERS.dave), 'OPERATION_FAILED', new RegExp(flag));
    await expectApiError(() => sb.requestFriendAs(sb.selfId), 'BAD_PARAMS');
    await expectApiError(() => sb.requestFriendAs(29999), 'USER_NOT_FOUND');
  }));

  it('a rejection leaves no friendship; a spent flag is FLAG_NOT_FOUND; the user may ask again', () => withSandbox(async ({ sb }) => {
    const flag = sb.requestFriendAs(USERS.dave, 'pls');
    const events = recordEvents(sb);
    await sb.setFriendAddRequest(flag, false, '');
    assert.deepEqual(events, []);
    assert.ok(!sb.getWorld().friends.some((f) => f.userId === USERS.dave));
    await expectApiError(() => sb.setFriendAddRequest(flag, true, ''), 'FLAG_NOT_FOUND', /already been rejected by the bot/);
    assert.notEqual(sb.requestFriendAs(USERS.dave), flag, 'a new request gets a new flag');
  }));

  it('approving after the user added the bot directly makes no second friend_add', () => withSandbox(async ({ sb }) => {
    const flag = sb.requestFriendAs(USERS.eve);
    const events = recordEvents(sb);
    sb.addFriend(USERS.eve, 'direct');
    await sb.setFriendAddRequest(flag, true, 'later');
    assert.equal(notices(events, 'friend_add').length, 1);
    assert.equal(sb.getWorld().friends.find((f) => f.userId === USERS.eve)?.remark, 'direct');
  }));

  it('a user adding the bot directly: friend_add; twice is OPERATION_FAILED', () => withSandbox(async ({ sb }) => {
    const events = recordEvents(sb);
    sb.addFriend(USERS.grace);
    assert.deepEqual(events.map((e) => [e['notice_type'], e['user_id']]), [['friend_add', USERS.grace]]);
    await expectApiError(() => sb.addFriend(USERS.grace), 'OPERATION_FAILED', /already the bot's friend/);
  }));
});

describe('sandbox requests across a restart', () => {
  it('a pending flag stays valid after the sandbox is reopened', async (t) => {
    const dir = makeTempDir();
    cleanupDir(t, dir);
    const first = openSandbox({ dataDir: dir });
    const flag = first.requestFriendAs(USERS.heidi, 'before');
    await first.close();
    const second = openSandbox({ dataDir: dir });
    try {
      const events = recordEvents(second);
      await second.setFriendAddRequest(flag, true, '');
      assert.deepEqual(events.map((e) => [e['notice_type'], e['user_id']]), [['friend_add', USERS.heidi]]);
      assert.equal(second.listRequests()[0]?.comment, 'before');
    } finally {
      await second.close();
    }
  });
});
