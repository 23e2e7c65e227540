/**
 * `.handle_quick_operation` over WebSockets with a received event as its context (§6.9.1), and the
 * call journal (`GET /api/calls` on the control port) recording the bot's calls from every channel:
 * `http`, `ws`, `ws_reverse` and `quick_operation` (an HTTP POST answer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BotServer, control, like, PostReceiver, reply, reverseUp, SELF_ID, textMsg, WsClient, type BotConnection, type Json } from './helpers.js';

interface CallRow { action: string; params: Json; retcode: number; duration: number; channel: string; time: number }

describe('.handle_quick_operation over WebSockets, and the call journal', () => {
  let t: TestApp;
  let post: PostReceiver;
  let bot: BotServer;
  let uni: BotConnection;
  let events: WsClient;
  let api: WsClient;
  const started = Date.now();
  const sb = () => t.app.backend;
  const botSaid = (ref: { groupId: number } | { userId: number }) => sb().listMessages(ref).filter((m) => m.userId === SELF_ID).map((m) => m.rawMessage);
  const journal = async () => (await control(t.app.sandbox.port, 'GET', '/api/calls')).json.calls as CallRow[];

  before(async () => {
    [post, bot] = await Promise.all([PostReceiver.start(), BotServer.start()]);
    t = await startTestApp({
      config: { use_ws: true, post_url: post.url(), use_ws_reverse: true, ws_reverse_url: bot.url(), ws_reverse_reconnect_interval: 50, post_message_format: 'array' },
    });
    const ws = `ws://127.0.0.1:${t.app.ws!.port}`;
    [events, api, uni] = await Promise.all([WsClient.open(`${ws}/event`), WsClient.open(`${ws}/api`), bot.connected('Universal')]);
    await reverseUp(t);
  });

  after(async () => {
    events?.close();
    api?.close();
    await t?.close();
    await Promise.all([post?.close(), bot?.stop()]);
  });

  it('forward /api: a group event from /event as context → the reply is stored with the at prefix', async () => {
    const mark = events.inbox.mark();
    sb().postMessage({ from: 20003, groupId: 100001, message: textMsg('ws ping') });
    const context = (await events.inbox.waitFor(like({ raw_message: 'ws ping' }), mark)).json;
    const answer = await api.call('.handle_quick_operation', { context, operation: { reply: 'ws pong' } });
    assert.deepEqual({ ...answer, echo: null }, { data: null, echo: null, retcode: 0, status: 'ok' });
    assert.equal(botSaid({ groupId: 100001 }).at(-1), '[CQ:at,qq=20003] ws pong');
  });

  it('forward /api: ban and delete from the same context act on the sandbox', async () => {
    const mark = events.inbox.mark();
    const { messageId } = sb().postMessage({ from: 20005, groupId: 100001, message: textMsg('spam') });
    const context = (await events.inbox.waitFor(like({ message_id: messageId }), mark)).json;
    await api.call('.handle_quick_operation', { context, operation: { delete: true, ban: true, ban_duration: 90 } });
    assert.equal(sb().listMessages({ groupId: 100001 }).find((m) => m.messageId === messageId)?.recalled, true);
    const ban = await events.inbox.waitFor(like({ notice_type: 'group_ban', user_id: 20005 }), mark);
    assert.deepEqual([ban.json.duration, ban.json.operator_id], [90, SELF_ID]);
  });

  it('reverse Universal: a private event received on the socket, answered on the same socket', async () => {
    const mark = uni.inbox.mark();
    sb().postMessage({ from: 20002, message: textMsg('rev ping') });
    const context = (await uni.inbox.waitFor(like({ raw_message: 'rev ping' }), mark)).json;
    assert.equal((await bot.call(uni, '.handle_quick_operation', { context, operation: { reply: [{ type: 'text', data: { text: 'rev pong' } }] } })).retcode, 0);
    assert.deepEqual(botSaid({ userId: 20002 }), ['rev pong']);
  });

  it('bad parameters are answered 100; nothing is sent', async () => {
    const n = botSaid({ groupId: 100001 }).length;
    const answer = await api.call('.handle_quick_operation', { context: 'not an object', operation: { reply: 'x' } });
    assert.equal(answer.retcode, 100);
    assert.equal(botSaid({ groupId: 100001 }).length, n);
  });

  it('GET /api/calls lists the calls of every channel with action, params, retcode, duration, channel', async () => {
    // http: one success and one failure
    assert.equal((await t.call('get_group_member_info', { group_id: 100001, user_id: 20001 })).body?.retcode, 0);
    const failed = await t.call('send_group_msg', { group_id: 424242, message: 'hello?' });
    assert.notEqual(failed.body?.retcode, 0);
    // ws_reverse and ws
    await bot.call(uni, 'get_login_info');
    await api.call('get_friend_list');
    // quick_operation: an HTTP POST answer
    post.respond = (req) => (req.json.raw_message === 'post ping' ? reply({ reply: 'post pong' }) : { status: 204 });
    const mark = events.inbox.mark();
    sb().postMessage({ from: 20001, message: textMsg('post ping') });
    await events.inbox.waitFor(like({ raw_message: 'post ping' }), mark); // pushed after the quick operation ran
    assert.equal(botSaid({ userId: 20001 }).at(-1), 'post pong');

    const calls = await journal();
    const find = (action: string, channel: string) => calls.find((c) => c.action === action && c.channel === channel);
    const member = find('get_group_member_info', 'http');
    assert.ok(member, JSON.stringify(calls.map((c) => [c.action, c.channel])));
    assert.deepEqual(Object.keys(member).sort(), ['action', 'channel', 'data', 'duration', 'id', 'params', 'retcode', 'self_id', 'time']);
    assert.deepEqual(member.params, { group_id: 100001, user_id: 20001 });
    assert.equal(member.retcode, 0);
    const refused = find('send_group_msg', 'http')!;
    assert.equal(refused.retcode, failed.body?.retcode);
    assert.equal(refused.params.group_id, 424242);
    assert.equal(find('get_login_info', 'ws_reverse')?.retcode, 0);
    assert.equal(find('get_friend_list', 'ws')?.retcode, 0);
    assert.equal(find('.handle_quick_operation', 'ws')?.retcode, 0);
    assert.equal(find('.handle_quick_operation', 'ws_reverse')?.retcode, 0);
    assert.equal(find('.handle_quick_operation', 'ws')!.params.operation !== undefined, true);
    const quick = calls.filter((c) => c.channel === 'quick_operation');
    assert.deepEqual(quick.map((c) => c.action), ['.handle_quick_operation']);
    assert.deepEqual(quick[0]!.params.operation, { reply: 'post pong' });
    assert.equal((quick[0]!.params.context as Json).raw_message, 'post ping');
    // The reply itself is a nested call: send_msg with the event as parameters, channel `internal`.
    const sent = calls.filter((c) => c.action === 'send_msg' && c.params.raw_message === 'post ping');
    assert.equal(sent.length, 1);
    assert.deepEqual([sent[0]!.channel, sent[0]!.retcode, sent[0]!.params.message], ['internal', 0, [{ type: 'text', data: { text: 'post pong' } }]]);

    for (const c of calls) {
      assert.ok(typeof c.duration === 'number' && c.duration >= 0 && c.duration < 5000, `${c.action} duration ${c.duration}`);
      assert.ok(c.time >= started - 1000 && c.time <= Date.now() + 1000, `${c.action} time`);
      assert.ok(['http', 'ws', 'ws_reverse', 'quick_operation', 'internal'].includes(c.channel), c.channel);
    }
    // Newest last: the POST's quick operation came after the HTTP call.
    assert.ok(calls.indexOf(quick[0]!) > calls.indexOf(member));
  });
});
