/**
 * Formats per channel (§7.6, §7.7): the flat `post_message_format` beside `connections` items with
 * their own format and backward-compatibility mode. `message` is a CQ string or a segment array,
 * `raw_message` never changes, channels sharing a format get the same bytes, and the 3.x shapes
 * apply only where asked (quick operations still work on them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Segment } from '../../src/message/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { assertCanonical, BotServer, KEYS, keysOf, like, PostReceiver, reply, reverseUp, WsClient, type Inbox, type Json } from './helpers.js';

describe('message formats and backward compatibility per channel', () => {
  let t: TestApp;
  let flat: PostReceiver; // flat post_url: array
  let str: PostReceiver; // connections[0]: string
  let compat: PostReceiver; // connections[1]: string + 3.x shapes
  let bot: BotServer; // connections[2]: reverse Universal, array (flat) + 3.x shapes
  let fwd: WsClient; // forward `/`: the flat format (array)
  const sb = () => t.app.backend;

  before(async () => {
    [flat, str, compat, bot] = await Promise.all([PostReceiver.start(), PostReceiver.start(), PostReceiver.start(), BotServer.start()]);
    t = await startTestApp({
      config: {
        post_url: flat.url(),
        post_message_format: 'array',
        use_ws: true,
        connections: [
          { type: 'http_post', url: str.url(), post_message_format: 'string' },
          { type: 'http_post', url: compat.url(), post_message_format: 'string', enable_backward_compatibility: true },
          { type: 'ws_reverse', url: bot.url('/'), enable_backward_compatibility: true, reconnect_interval: 50 },
        ],
      },
    });
    fwd = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
    await bot.connected('Universal');
    await reverseUp(t);
  });

  after(async () => {
    fwd?.close();
    await t?.close();
    await Promise.all([flat, str, compat].map((r) => r?.close()).concat(bot?.stop()));
  });

  /** Run `act`, then the event matching `match` from each inbox (bodies checked canonical). */
  async function deliver(act: () => unknown, match: Json, inboxes: Inbox[]): Promise<{ body: string; json: Json }[]> {
    const marks = inboxes.map((i) => i.mark());
    await act();
    const frames = await Promise.all(inboxes.map((inbox, i) => inbox.waitFor(like(match), marks[i])));
    for (const f of frames) assertCanonical(f.body);
    return frames;
  }

  it('array vs string `message`; `raw_message` unchanged; same format → same bytes', async () => {
    const segments: Segment[] = [{ type: 'text', data: { text: 'a&b [x], ' } }, { type: 'face', data: { id: '14' } }, { type: 'text', data: { text: ' end' } }];
    const [a, ws, s] = await deliver(() => sb().postMessage({ from: 20003, groupId: 100001, message: segments }),
      { message_type: 'group', user_id: 20003 }, [flat.inbox, fwd.inbox, str.inbox]);
    assert.equal(a!.body, ws!.body, 'flat POST and forward WS share the flat format');
    assert.deepEqual(a!.json.message, [
      { data: { text: 'a&b [x], ' }, type: 'text' }, { data: { id: '14' }, type: 'face' }, { data: { text: ' end' }, type: 'text' },
    ]);
    assert.equal(s!.json.message, 'a&amp;b &#91;x&#93;, [CQ:face,id=14] end');
    assert.equal(a!.json.raw_message, 'a&amp;b &#91;x&#93;, [CQ:face,id=14] end');
    assert.equal(s!.json.raw_message, a!.json.raw_message);
    // Apart from `message`, the two formats are the same event.
    assert.deepEqual({ ...a!.json, message: null }, { ...s!.json, message: null });
    assert.deepEqual(Object.keys(s!.json), [...KEYS.group]);
  });

  it('private messages follow each channel format too', async () => {
    const [a, s] = await deliver(() => sb().postMessage({ from: 20001, message: [{ type: 'face', data: { id: '1' } }] }),
      { message_type: 'private', user_id: 20001 }, [flat.inbox, str.inbox]);
    assert.deepEqual(a!.json.message, [{ data: { id: '1' }, type: 'face' }]);
    assert.equal(s!.json.message, '[CQ:face,id=1]');
    assert.equal(a!.json.raw_message, '[CQ:face,id=1]');
  });

  it('3.x group messages: `anonymous` is a name string, plus `anonymous_flag`', async () => {
    const [c, r, s] = await deliver(() => sb().postMessage({ from: 20002, groupId: 100002, message: [{ type: 'text', data: { text: 'old' } }] }),
      { message_type: 'group', user_id: 20002 }, [compat.inbox, bot.inbox, str.inbox]);
    assert.deepEqual(Object.keys(c!.json), [...KEYS.group.slice(0, 1), 'anonymous_flag', ...KEYS.group.slice(1)]);
    assert.deepEqual([c!.json.anonymous, c!.json.anonymous_flag], ['', '']);
    assert.equal(c!.json.message, 'old', 'the compat POST keeps its string format');
    assert.deepEqual(r!.json.message, [{ data: { text: 'old' }, type: 'text' }], 'the compat reverse WS keeps the flat array format');
    assert.equal(s!.json.anonymous, null, 'a 4.x channel is untouched');

    sb().setAnonymousAs(20001, 100001, true);
    const [anon, plain] = await deliver(() => sb().postAnonymousMessage({ from: 20003, groupId: 100001, message: [{ type: 'text', data: { text: 'boo' } }] }),
      { message_type: 'group', sub_type: 'anonymous' }, [compat.inbox, str.inbox]);
    const identity = plain!.json.anonymous as Json;
    assert.deepEqual(keysOf(identity), KEYS.anonymous);
    assert.deepEqual([anon!.json.anonymous, anon!.json.anonymous_flag], [identity.name, identity.flag]);
  });

  it('3.x notices: `post_type: "event"` and `event` instead of `notice_type`; requests: `message` instead of `comment`', async () => {
    const [c, r, s] = await deliver(() => sb().banAs(20001, 100001, 20005, 60), { sub_type: 'ban', user_id: 20005 }, [compat.inbox, bot.inbox, str.inbox]);
    for (const old of [c!, r!]) {
      assert.equal(old.json.post_type, 'event');
      assert.equal(old.json.event, 'group_ban');
      assert.equal('notice_type' in old.json, false);
      assert.deepEqual(Object.keys(old.json), ['duration', 'event', 'group_id', 'operator_id', 'post_type', 'self_id', 'sub_type', 'time', 'user_id']);
    }
    assert.equal(c!.body, r!.body, 'notices have no `message`: compat bodies agree across formats');
    assert.deepEqual(Object.keys(s!.json), [...KEYS.group_ban]);

    const [cr, sr] = await deliver(() => sb().requestFriendAs(20006, 'add me'), { request_type: 'friend' }, [compat.inbox, str.inbox]);
    assert.deepEqual(Object.keys(cr!.json), ['flag', 'message', 'post_type', 'request_type', 'self_id', 'time', 'user_id']);
    assert.equal(cr!.json.message, 'add me');
    assert.deepEqual(Object.keys(sr!.json), [...KEYS.requestFriend]);
  });

  it('3.x meta events are unchanged (connect on the compat reverse socket)', () => {
    const connect = bot.inbox.events(like({ sub_type: 'connect' }));
    assert.ok(connect.length > 0);
    assert.deepEqual(Object.keys(connect[0]!.json), [...KEYS.lifecycle]);
    assert.equal(connect[0]!.json.post_type, 'meta_event');
    const enable = compat.inbox.events(like({ sub_type: 'enable' }));
    assert.equal(enable.length, 1);
    assert.equal(enable[0]!.body, flat.inbox.events(like({ sub_type: 'enable' }))[0]!.body);
  });

  it('a quick reply answered to a 3.x-shaped event still works', async () => {
    compat.respond = (req) => (req.json.message === 'compat ping' ? reply({ reply: 'compat pong' }) : { status: 204 });
    const marks = str.inbox.mark();
    sb().postMessage({ from: 20003, groupId: 100001, message: [{ type: 'text', data: { text: 'compat ping' } }] });
    // The flat and `connections` POSTs all run before the WS pushes; wait for the forward push.
    await fwd.inbox.waitFor(like({ raw_message: 'compat ping' }));
    await str.inbox.waitFor(like({ raw_message: 'compat ping' }), marks);
    const sent = sb().listMessages({ groupId: 100001 }).filter((m) => m.userId === t.app.backend.selfId);
    assert.deepEqual(sent.map((m) => m.rawMessage), ['[CQ:at,qq=20003] compat pong']);
  });
});
