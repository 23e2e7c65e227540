/**
 * `set_msg_emoji_like` and the `group_msg_emoji_like` notice (docs/extensions.md §5.8, §4.11, D15): group
 * messages only, QQ faces or emoji code points, every change announced with the emoji's real count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/index.js';
import { like, WsClient } from '../events/helpers.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;
const text = (t: string): Segment[] => [{ type: 'text', data: { text: t } }];
const KEYS = ['group_id', 'is_add', 'likes', 'message_id', 'notice_type', 'post_type', 'self_id', 'time', 'user_id'];

describe('emoji reactions', () => {
  let t: TestApp;
  let ws: WsClient;
  before(async () => {
    t = await startTestApp({ config: { use_ws: true } });
    ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
  });
  after(async () => {
    ws.close();
    await t.close();
  });

  test('the bot\'s reaction and a member\'s: group_msg_emoji_like with the running count; removal is_add false; no-ops are silent', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('react to me') });
    let from = ws.inbox.mark();
    await ok(t, 'set_msg_emoji_like', { message_id: messageId, emoji_id: '128077' });
    const mine = (await ws.inbox.waitFor(like({ notice_type: 'group_msg_emoji_like' }), from)).json;
    assert.deepEqual(Object.keys(mine).sort(), KEYS);
    assert.deepEqual({ ...mine, time: 0 }, {
      group_id: GROUPS.botOwner, is_add: true, likes: [{ count: 1, emoji_id: '128077' }], message_id: messageId,
      notice_type: 'group_msg_emoji_like', post_type: 'notice', self_id: BOT, time: 0, user_id: BOT,
    });
    from = ws.inbox.mark();
    t.app.backend.reactAs(USERS.dave, messageId, '128077');
    const daves = (await ws.inbox.waitFor(like({ notice_type: 'group_msg_emoji_like' }), from)).json;
    assert.equal(daves.user_id, USERS.dave);
    assert.deepEqual(daves.likes, [{ count: 2, emoji_id: '128077' }]);
    from = ws.inbox.mark();
    await ok(t, 'set_msg_emoji_like', { message_id: messageId, emoji_id: 128077 }); // already set: nothing happens
    await ok(t, 'set_msg_emoji_like', { message_id: messageId, emoji_id: '76', set: false }); // never set: nothing happens
    await ok(t, 'set_msg_emoji_like', { message_id: messageId, emoji_id: '128077', set: 'false' });
    const removal = (await ws.inbox.waitFor(like({ notice_type: 'group_msg_emoji_like' }), from)).json;
    assert.equal(removal.is_add, false);
    assert.deepEqual(removal.likes, [{ count: 1, emoji_id: '128077' }]);
    assert.equal(ws.inbox.frames.slice(from).filter((f) => f.json.notice_type === 'group_msg_emoji_like').length, 1);
  });

  test('QQ faces (up to three digits) and emoji code points pass; other ids are refused with 100', async () => {
    const { messageId } = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('faces') });
    for (const emoji_id of ['76', 0, '65', '999', '9728', '128514']) await ok(t, 'set_msg_emoji_like', { message_id: messageId, emoji_id });
    // 1000 = U+03E8 and 99999999 are no emoji; the others are not ids at all.
    for (const emoji_id of ['1000', 'smile', '', '-1', '1.5', '99999999', undefined]) {
      const res = await t.call('set_msg_emoji_like', { message_id: messageId, emoji_id });
      assert.equal(res.body?.retcode, 100, `emoji_id ${String(emoji_id)} → ${res.text}`);
    }
  });

  test('only group messages the bot can see, not recalled; a member reacting outside the group is refused', async () => {
    const dm = t.app.backend.postMessage({ from: USERS.alice, message: text('dm') });
    assert.equal((await t.call('set_msg_emoji_like', { message_id: dm.messageId, emoji_id: 76 })).body?.retcode, 100);
    const gone = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('gone') });
    t.app.backend.recallAs(USERS.carol, gone.messageId);
    assert.equal((await t.call('set_msg_emoji_like', { message_id: gone.messageId, emoji_id: 76 })).body?.retcode, 100);
    assert.equal((await t.call('set_msg_emoji_like', { emoji_id: 76 })).body?.retcode, 100);
    t.app.backend.createGroup({ groupId: 300_003, groupName: 'Away', ownerId: USERS.heidi });
    const away = t.app.backend.postMessage({ from: USERS.heidi, groupId: 300_003, message: text('far') });
    assert.equal((await t.call('set_msg_emoji_like', { message_id: away.messageId, emoji_id: 76 })).body?.retcode, 100);
    const inOwner = t.app.backend.postMessage({ from: USERS.carol, groupId: GROUPS.botOwner, message: text('x') });
    assert.throws(() => t.app.backend.reactAs(USERS.frank, inOwner.messageId, '76'), { code: 'USER_NOT_FOUND' });
  });
});
