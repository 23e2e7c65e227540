/**
 * Every event kind the sandbox produces reaches every channel — HTTP POST, forward WS `/` and
 * `/event`, reverse Universal and reverse Event (split API/Event URLs) — with Appendix B's exact key
 * set (docs/extensions.md §4 for the v11 notices) and byte-identical, canonical bodies (P5).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { assertCanonical, BotServer, control, KEYS, keysOf, like, PostReceiver, reverseUp, SELF_ID, textMsg, WsClient, type Frame, type Inbox, type Json } from './helpers.js';

describe('every event over every channel', () => {
  let t: TestApp;
  let post: PostReceiver;
  let split: BotServer;
  let uni: BotServer;
  let root: WsClient;
  let event: WsClient;
  let api: WsClient;
  let inboxes: Inbox[];
  const sb = () => t.app.backend;

  before(async () => {
    post = await PostReceiver.start();
    split = await BotServer.start();
    uni = await BotServer.start();
    t = await startTestApp({
      config: {
        post_url: post.url('/events'),
        use_ws: true,
        use_ws_reverse: true,
        ws_reverse_api_url: split.url('/api'),
        ws_reverse_event_url: split.url('/event'),
        ws_reverse_reconnect_interval: 50,
        connections: [{ type: 'ws_reverse', url: uni.url('/universal') }],
      },
    });
    const ws = `ws://127.0.0.1:${t.app.ws!.port}`;
    [root, event, api] = await Promise.all([WsClient.open(`${ws}/`), WsClient.open(`${ws}/event`), WsClient.open(`${ws}/api`)]);
    const [eventConn] = await Promise.all([split.connected('Event'), split.connected('API'), uni.connected('Universal')]);
    await reverseUp(t);
    inboxes = [post.inbox, root.inbox, event.inbox, eventConn.inbox, uni.inbox];
  });

  after(async () => {
    for (const c of [root, event, api]) c?.close();
    await t?.close();
    await Promise.all([post?.close(), split?.stop(), uni?.stop()]);
  });

  /** Run `act`; the event matching `match` must reach all five channels, byte-identical, with `keys`. */
  async function everywhere(act: () => unknown, match: Json, keys: readonly string[]): Promise<Json> {
    const marks = inboxes.map((inbox) => inbox.mark());
    await act();
    const frames: Frame[] = await Promise.all(inboxes.map((inbox, i) => inbox.waitFor(like(match), marks[i])));
    const body = frames[0]!.body;
    frames.forEach((frame, i) => assert.equal(frame.body, body, `${inboxes[i]!.label} got the same bytes as POST`));
    assertCanonical(body);
    const json = frames[0]!.json;
    assert.deepEqual(Object.keys(json), [...keys], `key set of ${JSON.stringify(match)}`);
    assert.equal(json.self_id, SELF_ID);
    assert.ok(Number.isInteger(json.time) && (json.time as number) > 1_500_000_000);
    return json;
  }

  it('starts with the reverse clients announcing themselves (§3.5 headers)', () => {
    const roles = [...split.connections, ...uni.connections].map((c) => `${c.role} ${c.path}`).sort();
    assert.deepEqual(roles, ['API /api', 'Event /event', 'Universal /universal']);
    for (const c of [...split.connections, ...uni.connections]) {
      assert.equal(c.headers['x-self-id'], String(SELF_ID));
      assert.equal(c.headers['user-agent'], 'CQHttp/4.15.0');
      assert.equal(c.headers.authorization, undefined, 'no token configured → no Authorization');
    }
  });

  it('private messages: friend and temporary session', async () => {
    const friend = await everywhere(() => sb().postMessage({ from: 20001, message: textMsg('hello bot') }),
      { message_type: 'private', user_id: 20001, raw_message: 'hello bot' }, KEYS.private);
    assert.equal(friend.sub_type, 'friend');
    assert.equal(friend.message, 'hello bot');
    assert.deepEqual(keysOf(friend.sender), KEYS.privateSender);
    assert.deepEqual(friend.sender, { age: 24, nickname: 'Alice', sex: 'female', user_id: 20001 });
    const temp = await everywhere(() => sb().postMessage({ from: 20004, message: textMsg('psst') }),
      { message_type: 'private', user_id: 20004 }, KEYS.private);
    assert.equal(temp.sub_type, 'group');
  });

  it('group message through the control HTTP API, and an anonymous one', async () => {
    const port = t.app.sandbox.port;
    const e = await everywhere(async () => {
      const res = await control(port, 'POST', '/api/messages', { from: 20003, group_id: 100001, message: 'hi [CQ:face,id=14]' });
      assert.equal(res.status, 200);
      assert.ok(Number.isInteger(res.json.message_id));
    }, { message_type: 'group', group_id: 100001, user_id: 20003 }, KEYS.group);
    assert.equal(e.sub_type, 'normal');
    assert.equal(e.anonymous, null);
    assert.equal(e.message, 'hi [CQ:face,id=14]');
    assert.equal(e.raw_message, 'hi [CQ:face,id=14]');
    assert.deepEqual(keysOf(e.sender), KEYS.groupSender);
    assert.equal((e.sender as Json).role, 'member');

    sb().setAnonymousAs(20001, 100001, true);
    const anon = await everywhere(() => sb().postAnonymousMessage({ from: 20003, groupId: 100001, message: textMsg('guess who') }),
      { message_type: 'group', sub_type: 'anonymous' }, KEYS.group);
    assert.equal(anon.user_id, 80000000);
    assert.deepEqual(keysOf(anon.anonymous), KEYS.anonymous);
    assert.equal(typeof (anon.anonymous as Json).flag, 'string');
  });

  it('group_upload', async () => {
    const e = await everywhere(() => sb().uploadFileAs(20002, 100002, { name: 'notes.pdf', size: 123456 }),
      { notice_type: 'group_upload' }, KEYS.group_upload);
    assert.deepEqual(keysOf(e.file), KEYS.file);
    assert.deepEqual({ ...(e.file as Json), id: 'x' }, { busid: 102, id: 'x', name: 'notes.pdf', size: 123456 });
    assert.equal(e.user_id, 20002);
  });

  it('group_admin set and unset', async () => {
    for (const [enable, sub] of [[true, 'set'], [false, 'unset']] as const) {
      await everywhere(() => sb().setAdminAs(20002, 100003, 20007, enable),
        { notice_type: 'group_admin', sub_type: sub, group_id: 100003, user_id: 20007 }, KEYS.group_admin);
    }
  });

  it('group_ban ban, lift_ban, and the whole-group ban', async () => {
    const ban = await everywhere(() => sb().banAs(20001, 100001, 20005, 600),
      { notice_type: 'group_ban', sub_type: 'ban', user_id: 20005 }, KEYS.group_ban);
    assert.deepEqual([ban.operator_id, ban.duration], [20001, 600]);
    await everywhere(() => sb().banAs(20001, 100001, 20005, 0), { notice_type: 'group_ban', sub_type: 'lift_ban', user_id: 20005 }, KEYS.group_ban);
    const whole = await everywhere(() => sb().setWholeBanAs(20001, 100001, true),
      { notice_type: 'group_ban', sub_type: 'ban', user_id: 0 }, KEYS.group_ban);
    assert.equal(whole.duration, -1);
    await everywhere(() => sb().setWholeBanAs(20001, 100001, false),
      { notice_type: 'group_ban', sub_type: 'lift_ban', user_id: 0, duration: 0 }, KEYS.group_ban);
  });

  it('requests (friend, group add, group invite) and the notices that follow', async () => {
    const friend = await everywhere(() => sb().requestFriendAs(20006, 'hi, I am Frank'),
      { post_type: 'request', request_type: 'friend', user_id: 20006 }, KEYS.requestFriend);
    assert.equal(friend.comment, 'hi, I am Frank');
    let flag = '';
    const add = await everywhere(() => (flag = sb().applyToJoinAs(20008, 100001, 'let me in')),
      { request_type: 'group', sub_type: 'add', user_id: 20008 }, KEYS.requestGroup);
    assert.equal(add.flag, flag);
    const approved = await everywhere(() => sb().answerJoinRequestAs(20001, flag, true),
      { notice_type: 'group_increase', sub_type: 'approve', user_id: 20008 }, KEYS.group_increase);
    assert.deepEqual([approved.group_id, approved.operator_id], [100001, 20001]);
    const invited = await everywhere(() => sb().inviteAs(20001, 100001, 20007),
      { notice_type: 'group_increase', sub_type: 'invite', user_id: 20007 }, KEYS.group_increase);
    assert.equal(invited.operator_id, 20001);
    sb().createUser({ userId: 30001, nickname: 'Ivan' });
    sb().createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: 30001 });
    await everywhere(() => sb().inviteBotAs(30001, 200001, 'come help'),
      { request_type: 'group', sub_type: 'invite', user_id: 30001, group_id: 200001, comment: 'come help' }, KEYS.requestGroup);
    await everywhere(() => sb().addFriend(20005), { notice_type: 'friend_add', user_id: 20005 }, KEYS.friend_add);
  });

  it('group_recall and friend_recall', async () => {
    const g = sb().postMessage({ from: 20003, groupId: 100001, message: textMsg('oops') });
    const recall = await everywhere(() => sb().recallAs(20003, g.messageId),
      { notice_type: 'group_recall', message_id: g.messageId }, KEYS.group_recall);
    assert.deepEqual([recall.group_id, recall.user_id, recall.operator_id], [100001, 20003, 20003]);
    const p = sb().postMessage({ from: 20002, message: textMsg('wrong chat') });
    const friend = await everywhere(() => sb().recallAs(20002, p.messageId),
      { notice_type: 'friend_recall', message_id: p.messageId }, KEYS.friend_recall);
    assert.equal(friend.user_id, 20002);
  });

  it('notify: poke (group and friend), lucky_king, honor', async () => {
    const poke = await everywhere(() => sb().pokeAs(20003, SELF_ID, 100001),
      { notice_type: 'notify', sub_type: 'poke', group_id: 100001 }, KEYS.pokeGroup);
    assert.deepEqual([poke.user_id, poke.sender_id, poke.target_id], [20003, 20003, SELF_ID]);
    await everywhere(() => sb().pokeAs(20001, SELF_ID), { notice_type: 'notify', sub_type: 'poke', user_id: 20001 }, KEYS.pokeFriend);
    const king = await everywhere(() => sb().luckyKingAs(20001, 100001, 20005),
      { notice_type: 'notify', sub_type: 'lucky_king' }, KEYS.lucky_king);
    assert.deepEqual([king.user_id, king.target_id], [20001, 20005]);
    await everywhere(() => sb().awardHonor(100003, 20007, 'talkative'),
      { notice_type: 'notify', sub_type: 'honor', honor_type: 'talkative', user_id: 20007 }, KEYS.honor);
  });

  it('group_decrease: leave, kick, kick_me', async () => {
    const leave = await everywhere(() => sb().leaveAs(20005, 100001),
      { notice_type: 'group_decrease', sub_type: 'leave', user_id: 20005 }, KEYS.group_decrease);
    assert.equal(leave.operator_id, 20005);
    const kick = await everywhere(() => sb().kickAs(20001, 100001, 20004),
      { notice_type: 'group_decrease', sub_type: 'kick', user_id: 20004 }, KEYS.group_decrease);
    assert.equal(kick.operator_id, 20001);
    const me = await everywhere(() => sb().kickAs(20002, 100003, SELF_ID),
      { notice_type: 'group_decrease', sub_type: 'kick_me' }, KEYS.group_decrease);
    assert.deepEqual([me.group_id, me.operator_id, me.user_id], [100003, 20002, SELF_ID]);
  });

  it('API-only sockets (forward /api, reverse API) never receive events; no lifecycle leaks into the wrong channel', async () => {
    const apiConn = split.connections.find((c) => c.role === 'API')!;
    assert.deepEqual(api.inbox.events(), []);
    assert.deepEqual(apiConn.inbox.events(), []);
    // POST got enable (only), WS channels got connect (only).
    assert.deepEqual(post.inbox.events(like({ post_type: 'meta_event' })).map((f) => f.json.sub_type), ['enable']);
    for (const inbox of inboxes.slice(1)) {
      const meta = inbox.events(like({ post_type: 'meta_event' })).map((f) => f.json.sub_type);
      assert.ok(meta.length > 0 && meta.every((s) => s === 'connect'), `${inbox.label}: ${meta.join(',')}`);
    }
    // The API sockets still answer.
    assert.equal((await api.call('get_login_info')).retcode, 0);
    assert.equal((await split.call(apiConn, 'get_login_info')).retcode, 0);
  });
});
