/**
 * HTTP POST reporting through the real app (§3.3, §3.3.1, Appendix C.4): 4.15's headers and an
 * independently verified signature, every quick-operation field end to end against the sandbox,
 * answers that must do nothing, and §1.2's order (the POST and its quick operation finish before
 * the WebSocket push of the same event).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { like, PostReceiver, reply, SELF_ID, textMsg, WsClient, type Answer, type Frame, type Json, type PostRequest } from './helpers.js';

const SECRET = 'some-secret';
const sign = (body: string) => 'sha1=' + createHmac('sha1', SECRET).update(Buffer.from(body, 'utf8')).digest('hex');

describe('HTTP POST: headers, signature, quick operations', () => {
  let t: TestApp;
  let post: PostReceiver;
  let fwd: WsClient;
  const sb = () => t.app.backend;
  const botMessages = (ref: { groupId: number } | { userId: number }) => sb().listMessages(ref).filter((m) => m.userId === SELF_ID);

  before(async () => {
    post = await PostReceiver.start();
    t = await startTestApp({ config: { post_url: post.url('/cq?x=1'), secret: SECRET, use_ws: true } });
    fwd = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/event`);
  });

  after(async () => {
    fwd?.close();
    await t?.close();
    await post?.close();
  });

  /** Answer events matching `match` with `answer`; run `act`; resolve once the WS push of that event arrived. */
  async function exchange(answer: Answer, match: Json, act: () => unknown): Promise<{ req: PostRequest; ws: Frame }> {
    post.respond = (req) => (like(match)(req.json) ? answer : { status: 204 });
    const [pm, wm] = [post.inbox.mark(), fwd.inbox.mark()];
    await act();
    const ws = await fwd.inbox.waitFor(like(match), wm);
    const req = await post.request(like(match), pm);
    return { req, ws };
  }

  it('sends 4.15 headers and an X-Signature that verifies with HMAC-SHA1(secret, body)', async () => {
    const enable = await post.request(like({ sub_type: 'enable' }));
    const { req } = await exchange({ status: 204 }, { raw_message: '你好～ &amp; more' }, () => sb().postMessage({ from: 20001, message: textMsg('你好～ & more') }));
    for (const r of [enable, req]) {
      assert.equal(r.method, 'POST');
      assert.equal(r.url, '/cq?x=1');
      assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
      assert.equal(r.headers['x-self-id'], String(SELF_ID));
      assert.equal(r.headers['user-agent'], 'CQHttp/4.15.0');
      assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body, 'utf8')));
      assert.match(String(r.headers['x-signature']), /^sha1=[0-9a-f]{40}$/);
      assert.equal(r.headers['x-signature'], sign(r.body));
    }
  });

  it('reproduces the Appendix C.4 signature vector exactly', async () => {
    const receiver = await PostReceiver.start();
    const fixed = await startTestApp({ now: () => 1_590_000_000_000, config: { post_url: receiver.url(), secret: SECRET } });
    try {
      const enable = await receiver.request(like({ sub_type: 'enable' }));
      assert.equal(enable.body, '{"_post_method":1,"meta_event_type":"lifecycle","post_type":"meta_event","self_id":10001000,"sub_type":"enable","time":1590000000}');
      assert.equal(enable.headers['x-signature'], 'sha1=e28e371f635cabbff3fa3eb43e5f1ad5c4fbb871');
    } finally {
      await fixed.close();
      await receiver.close();
    }
  });

  it('private reply; the POST (answered late) and its reply complete before the WS push (§1.2)', async () => {
    const storedAtPush: number[] = [];
    const onPush = () => storedAtPush.push(botMessages({ userId: 20001 }).length);
    fwd.ws.on('message', onPush);
    const before = botMessages({ userId: 20001 }).length;
    const { req, ws } = await exchange({ ...reply({ reply: 'pong' }), delayMs: 150 }, { raw_message: 'ping' },
      () => sb().postMessage({ from: 20001, message: textMsg('ping') }));
    fwd.ws.off('message', onPush);
    assert.ok(req.answeredAt !== undefined && ws.at >= req.answeredAt, `WS push at ${ws.at} before the POST answer at ${req.answeredAt}`);
    assert.ok(ws.at - req.at >= 140, 'the push waited for the slow POST');
    assert.deepEqual(botMessages({ userId: 20001 }).slice(before).map((m) => m.rawMessage), ['pong']);
    assert.equal(storedAtPush.at(-1), before + 1, 'the reply was stored when the push arrived');
  });

  it('group reply: `[CQ:at,qq=…] ` prefix by default, none with at_sender false, auto_escape honoured', async () => {
    const cases: [Json, string][] = [
      [{ reply: 'pong' }, '[CQ:at,qq=20003] pong'],
      [{ reply: 'pong', at_sender: false }, 'pong'],
      [{ reply: '[CQ:face,id=1]', auto_escape: true, at_sender: false }, '&#91;CQ:face,id=1&#93;'],
      [{ reply: [{ type: 'face', data: { id: '1' } }] }, '[CQ:at,qq=20003] [CQ:face,id=1]'],
    ];
    for (const [i, [operation, expected]] of cases.entries()) {
      const n = botMessages({ groupId: 100001 }).length;
      await exchange(reply(operation), { raw_message: `g${i}` }, () => sb().postMessage({ from: 20003, groupId: 100001, message: textMsg(`g${i}`) }));
      assert.deepEqual(botMessages({ groupId: 100001 }).slice(n).map((m) => m.rawMessage), [expected], JSON.stringify(operation));
    }
  });

  it('delete recalls the message (group_recall by the bot follows)', async () => {
    let id = 0;
    const { ws } = await exchange(reply({ delete: true }), { raw_message: 'delete me' },
      () => (id = sb().postMessage({ from: 20003, groupId: 100001, message: textMsg('delete me') }).messageId));
    assert.equal(ws.json.message_id, id);
    assert.equal(sb().listMessages({ groupId: 100001 }).find((m) => m.messageId === id)?.recalled, true);
    await fwd.inbox.waitFor(like({ notice_type: 'group_recall', message_id: id, operator_id: SELF_ID, user_id: 20003 }));
  });

  it('ban with ban_duration, ban with the default 1800 s, and kick', async () => {
    await exchange(reply({ ban: true, ban_duration: 60 }), { raw_message: 'spam 1' }, () => sb().postMessage({ from: 20004, groupId: 100001, message: textMsg('spam 1') }));
    const ban = await fwd.inbox.waitFor(like({ notice_type: 'group_ban', user_id: 20004, operator_id: SELF_ID }));
    assert.equal(ban.json.duration, 60);
    const m = fwd.inbox.mark();
    await exchange(reply({ ban: true, ban_duration: '120' }), { raw_message: 'spam 2' }, () => sb().postMessage({ from: 20005, groupId: 100001, message: textMsg('spam 2') }));
    assert.equal((await fwd.inbox.waitFor(like({ notice_type: 'group_ban', user_id: 20005 }), m)).json.duration, 120, 'string digits are read');
    sb().banAs(SELF_ID, 100001, 20005, 0);
    await exchange(reply({ ban: true }), { raw_message: 'spam 3' }, () => sb().postMessage({ from: 20005, groupId: 100001, message: textMsg('spam 3') }));
    assert.equal((await fwd.inbox.waitFor(like({ notice_type: 'group_ban', sub_type: 'ban', user_id: 20005, duration: 1800 }), m)).json.operator_id, SELF_ID);

    await exchange(reply({ kick: true }), { raw_message: 'bye' }, () => sb().postMessage({ from: 20003, groupId: 100001, message: textMsg('bye') }));
    await fwd.inbox.waitFor(like({ notice_type: 'group_decrease', sub_type: 'kick', user_id: 20003, operator_id: SELF_ID }));
    const lounge = sb().getWorld().groups.find((g) => g.groupId === 100001)!;
    assert.equal(JSON.stringify(lounge).includes('20003'), false, 'Carol is no longer a member');
  });

  it('friend request: approve true makes a friend (friend_add follows); approve "true" is ignored', async () => {
    await exchange(reply({ approve: true, remark: 'Frankie' }), { request_type: 'friend', user_id: 20006 }, () => sb().requestFriendAs(20006, 'hi'));
    await fwd.inbox.waitFor(like({ notice_type: 'friend_add', user_id: 20006 }));
    assert.ok(sb().getWorld().friends.some((f) => f.userId === 20006));

    const m = fwd.inbox.mark();
    let flag = '';
    await exchange(reply({ approve: 'true' }), { request_type: 'friend', user_id: 20007 }, () => (flag = sb().requestFriendAs(20007, 'me too')));
    assert.equal(sb().listRequests().find((r) => r.flag === flag)?.state, 'pending');
    assert.equal(sb().getWorld().friends.some((f) => f.userId === 20007), false);
    assert.deepEqual(fwd.inbox.events(like({ notice_type: 'friend_add' }), m), []);
  });

  it('group join request: approve true lets them in (group_increase approve by the bot)', async () => {
    let flag = '';
    await exchange(reply({ approve: true }), { request_type: 'group', sub_type: 'add', user_id: 20008 }, () => (flag = sb().applyToJoinAs(20008, 100001, 'pls')));
    const joined = await fwd.inbox.waitFor(like({ notice_type: 'group_increase', user_id: 20008 }));
    assert.deepEqual([joined.json.sub_type, joined.json.operator_id, joined.json.group_id], ['approve', SELF_ID, 100001]);
    assert.equal(sb().listRequests().find((r) => r.flag === flag)?.state, 'approved');
  });

  it('non-2xx, non-JSON, non-object and empty answers do nothing', async () => {
    const answers: Answer[] = [
      { status: 500, body: '{"reply":"x","at_sender":false}' },
      { status: 404, body: '{"reply":"x","at_sender":false}' },
      { status: 200, body: 'reply: x' },
      { status: 200, body: '["reply","x"]' },
      { status: 200, body: '"x"' },
      { status: 200, body: '' },
      { status: 204 },
    ];
    const calls = t.app.calls.list().length;
    const n = botMessages({ groupId: 100001 }).length;
    for (const [i, answer] of answers.entries()) {
      await exchange(answer, { raw_message: `nothing ${i}` }, () => sb().postMessage({ from: 20001, groupId: 100001, message: textMsg(`nothing ${i}`) }));
    }
    assert.equal(botMessages({ groupId: 100001 }).length, n);
    assert.deepEqual(t.app.calls.list().slice(calls).map((c) => c.action), []);
    // Control: the same path with a 200 JSON object does reply.
    await exchange(reply({ reply: 'x', at_sender: false }), { raw_message: 'something' }, () => sb().postMessage({ from: 20001, groupId: 100001, message: textMsg('something') }));
    assert.equal(botMessages({ groupId: 100001 }).length, n + 1);
  });
});
