/**
 * Event filters through the real app (§10): the §10.4 examples as filter files (one `connections`
 * receiver each), the flat `event_filter` on the flat channels (meta events included), a
 * connection's own filter replacing it, and broken or missing filter files suppressing everything
 * on the channels that use them. A reverse socket with `event_filter: ""` is the sync point: it is
 * pushed after every POST of the same event has been answered (§1.2).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BotServer, like, PostReceiver, reverseUp, tempFile, textMsg, WsClient, type Inbox, type Json } from './helpers.js';

const EXAMPLES: Record<string, unknown> = {
  bang: { raw_message: { '.regex': '^!!' } },
  groupNotAnonymous: { message_type: 'group', anonymous: { '.eq': null } },
  privateOrGroups: { '.or': [{ message_type: 'private' }, { message_type: 'group', group_id: { '.in': [100002] }, anonymous: { '.eq': null } }] },
  compound: {
    '.or': [
      { message_type: 'private', user_id: { '.not': { '.in': [20002, 20003] }, '.neq': 20004 } },
      { message_type: { '.regex': 'group|discuss' }, '.or': [{ group_id: 100002 }, { raw_message: { '.contains': '通知' } }] },
    ],
  },
  keepMeta: { '.or': [{ post_type: 'meta_event' }, { raw_message: { '.regex': '^!!' } }] },
};

const opened: { close(): Promise<void> }[] = [];
after(() => Promise.all(opened.splice(0).reverse().map((c) => c.close())));

async function receivers(n: number): Promise<PostReceiver[]> {
  const list = await Promise.all(Array.from({ length: n }, () => PostReceiver.start()));
  opened.push(...list);
  return list;
}
async function botServer(): Promise<BotServer> {
  const bot = await BotServer.start();
  opened.push({ close: () => bot.stop() });
  return bot;
}
async function app(config: Json): Promise<TestApp> {
  const t = await startTestApp({ config: { ws_reverse_reconnect_interval: 50, ...config } });
  opened.push(t);
  return t;
}

/** Markers of the message events an inbox received (raw_message), in order. */
const seen = (inbox: Inbox) => inbox.events(like({ post_type: 'message' })).map((f) => f.json.raw_message);
const metas = (inbox: Inbox) => inbox.events(like({ post_type: 'meta_event' })).map((f) => f.json.sub_type ?? f.json.meta_event_type);

describe('event filters', () => {
  it('the §10.4 examples, each a filter file of its own connection', async () => {
    const names = Object.keys(EXAMPLES);
    const posts = await receivers(names.length);
    const sync = await botServer();
    const t = await app({
      enable_heartbeat: true,
      heartbeat_interval: 60_000, // only the first, immediate heartbeat
      connections: [
        ...names.map((name, i) => ({ type: 'http_post', url: posts[i]!.url(), event_filter: tempFile(`${name}.json`, EXAMPLES[name]) })),
        { type: 'ws_reverse', url: sync.url(), event_filter: '' },
      ],
    });
    await reverseUp(t);
    const sb = t.app.backend;
    sb.setAnonymousAs(20001, 100002, true);
    const acts: [string, () => unknown][] = [
      ['!!cmd', () => sb.postMessage({ from: 20001, message: textMsg('!!cmd') })],
      ['hello from Bob', () => sb.postMessage({ from: 20002, message: textMsg('hello from Bob') })],
      ['hello from Dave', () => sb.postMessage({ from: 20004, message: textMsg('hello from Dave') })],
      ['!!group', () => sb.postMessage({ from: 20003, groupId: 100001, message: textMsg('!!group') })],
      ['workshop', () => sb.postMessage({ from: 20003, groupId: 100002, message: textMsg('workshop') })],
      ['通知: meeting', () => sb.postMessage({ from: 20005, groupId: 100001, message: textMsg('通知: meeting') })],
      ['anon', () => sb.postAnonymousMessage({ from: 20003, groupId: 100002, message: textMsg('anon') })],
      ['(ban)', () => sb.banAs(20001, 100002, 20006, 60)],
    ];
    for (const [, act] of acts) act();
    await sync.inbox.waitFor(like({ notice_type: 'group_ban' }));
    assert.equal(seen(sync.inbox).length, 7, 'the unfiltered socket saw every message');

    const expected: Record<string, string[]> = {
      bang: ['!!cmd', '!!group'],
      groupNotAnonymous: ['!!group', 'workshop', '通知: meeting'],
      privateOrGroups: ['!!cmd', 'hello from Bob', 'hello from Dave', 'workshop'],
      compound: ['!!cmd', 'workshop', '通知: meeting', 'anon'],
      keepMeta: ['!!cmd', '!!group'],
    };
    names.forEach((name, i) => {
      const inbox = posts[i]!.inbox;
      assert.deepEqual(seen(inbox), expected[name], name);
      assert.deepEqual(inbox.events(like({ post_type: 'notice' })), [], `${name}: the notice has none of the fields`);
      assert.deepEqual(metas(inbox), name === 'keepMeta' ? ['enable', 'heartbeat'] : [], `${name}: meta events`);
    });
  });

  it('the flat filter covers the flat channels and meta events; a connection filter replaces it', async () => {
    const [flat, own, none] = await receivers(3);
    const [uni, sync] = [await botServer(), await botServer()];
    const t = await app({
      event_filter: tempFile('group.json', { message_type: 'group' }),
      post_url: flat!.url(),
      use_ws_reverse: true,
      ws_reverse_url: uni.url(),
      connections: [
        { type: 'http_post', url: own!.url(), event_filter: tempFile('alice.json', { user_id: 20001 }) },
        { type: 'http_post', url: none!.url(), event_filter: '' },
        { type: 'ws_reverse', url: sync.url(), event_filter: '' },
      ],
    });
    await reverseUp(t);
    const sb = t.app.backend;
    sb.postMessage({ from: 20001, message: textMsg('a') });
    sb.postMessage({ from: 20003, groupId: 100001, message: textMsg('b') });
    sb.postMessage({ from: 20001, groupId: 100001, message: textMsg('c') });
    await sync.inbox.waitFor(like({ raw_message: 'c' }));
    await uni.inbox.waitFor(like({ raw_message: 'c' }));

    assert.deepEqual(seen(flat!.inbox), ['b', 'c']);
    assert.deepEqual(seen(uni.inbox), ['b', 'c']);
    assert.deepEqual(metas(flat!.inbox), [], '`enable` fails {"message_type":"group"}');
    assert.deepEqual(metas(uni.inbox), [], '`connect` fails it too');
    assert.deepEqual(seen(own!.inbox), ['a', 'c']);
    assert.deepEqual(seen(none!.inbox), ['a', 'b', 'c']);
    assert.deepEqual(metas(none!.inbox), ['enable']);
    assert.ok(metas(sync.inbox).includes('connect'));
  });

  it('a broken or missing filter file suppresses every event of its channels', async () => {
    const [broken, missing, invalidOp, fine] = await receivers(4);
    const sync = await botServer();
    const t = await app({
      event_filter: tempFile('broken.json', '{"message_type": "group",'),
      post_url: broken!.url(),
      use_ws: true,
      enable_heartbeat: true,
      heartbeat_interval: 60_000,
      connections: [
        { type: 'http_post', url: missing!.url(), event_filter: path.join(path.dirname(tempFile('x.json', {})), 'missing.json') },
        { type: 'http_post', url: invalidOp!.url(), event_filter: tempFile('op.json', { user_id: { '.bogus': 1 } }) },
        { type: 'http_post', url: fine!.url(), event_filter: tempFile('empty.json', {}) },
        { type: 'ws_reverse', url: sync.url(), event_filter: '' },
      ],
    });
    await reverseUp(t);
    const fwd = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/`);
    opened.push({ close: async () => fwd.close() });
    t.app.backend.postMessage({ from: 20003, groupId: 100001, message: textMsg('anything') });
    t.app.backend.requestFriendAs(20006, 'hi');
    await sync.inbox.waitFor(like({ request_type: 'friend' }));
    await fine!.inbox.waitFor(like({ request_type: 'friend' }));

    for (const r of [broken!, missing!, invalidOp!]) assert.deepEqual(r.inbox.frames, [], r.url());
    assert.deepEqual(fwd.inbox.frames, [], 'forward WS uses the broken flat filter: not even `connect`');
    assert.deepEqual(metas(fine!.inbox), ['enable', 'heartbeat'], 'an empty filter passes everything');
    assert.deepEqual(seen(fine!.inbox), ['anything']);
  });
});
