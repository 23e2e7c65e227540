/**
 * Several bot accounts in one sandbox world (`bots`, docs/config.md#several-bots), over real
 * forward WebSockets: two bots in one group each receive the other's message as a group message
 * event from their own point of view, answer as themselves, and have their calls journalled apart.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Peer } from '../transports/ws/harness.js';

const A = 10001000;
const B = 10002000;
const GROUP = 100001;
const B_TOKEN = 'second-bot-token';

let t: TestApp;
let a: Peer;
let b: Peer;
let control: string;

type Frame = Record<string, unknown>;

/** The next frame of `peer` that `pick` accepts (others are skipped), parsed. */
async function nextWhere(peer: Peer, pick: (frame: Frame) => boolean): Promise<Frame> {
  for (;;) {
    const frame = JSON.parse(await peer.next()) as Frame;
    if (pick(frame)) return frame;
  }
}

/** Call over the socket and wait for the answer carrying `echo` (events may come in between). */
async function call(peer: Peer, action: string, params: Frame, echo: string): Promise<Frame> {
  peer.ws.send(JSON.stringify({ action, params, echo }));
  return nextWhere(peer, (frame) => frame['echo'] === echo);
}

const isGroupMessage = (frame: Frame) => frame['post_type'] === 'message' && frame['message_type'] === 'group';

before(async () => {
  t = await startTestApp({ config: { use_ws: true, bots: [A, { self_id: B, access_token: B_TOKEN }] } });
  control = `http://127.0.0.1:${t.app.sandbox.port}`;
  // The second account is created as a user of the world; it joins the first bot's group as a member.
  const joined = await fetch(`${control}/api/groups/${GROUP}/members`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: B }) });
  assert.equal(joined.status, 200, await joined.text());
  const [first, second] = t.instance.bots;
  assert.ok(first?.ws && second?.ws, 'each bot has its own forward WebSocket');
  assert.notEqual(first.ws.port, second.ws.port);
  a = await Peer.open(`ws://127.0.0.1:${first.ws.port}/`);
  b = await Peer.open(`ws://127.0.0.1:${second.ws.port}/?access_token=${B_TOKEN}`);
});

after(async () => {
  a?.close();
  b?.close();
  await t?.close();
});

test('each socket is its own bot: lifecycle connect and get_login_info carry its self_id', async () => {
  assert.equal((await nextWhere(a, (f) => f['meta_event_type'] === 'lifecycle'))['self_id'], A);
  assert.equal((await nextWhere(b, (f) => f['meta_event_type'] === 'lifecycle'))['self_id'], B);
  assert.deepEqual((await call(a, 'get_login_info', {}, 'a-login'))['data'], { nickname: 'cqhttpd-bot', user_id: A });
  assert.deepEqual((await call(b, 'get_login_info', {}, 'b-login'))['data'], { nickname: `bot ${B}`, user_id: B });
  // Its groups are its own: the second bot is only in the group it joined, as a plain member.
  const groups = (await call(b, 'get_group_list', {}, 'b-groups'))['data'] as Frame[];
  assert.deepEqual(groups.map((g) => g['group_id']), [GROUP]);
  const me = (await call(b, 'get_group_member_info', { group_id: GROUP, user_id: B }, 'b-me'))['data'] as Frame;
  assert.equal(me['role'], 'member');
  // Its token is its own: the second bot's socket closes a connection without it (as 4.15 did), the first's does not ask.
  const anonymous = await Peer.open(`ws://127.0.0.1:${t.instance.bots[1]?.ws?.port}/`);
  assert.equal((await anonymous.closed).code, 1000);
  assert.deepEqual(anonymous.frames, ['authorization failed']);
});

test('two bots in one group each receive the other\'s message as a group message event', async () => {
  const fromA = await call(a, 'send_group_msg', { group_id: GROUP, message: 'hello from A' }, 'a-send');
  assert.equal(fromA['retcode'], 0);
  const seenByB = await nextWhere(b, isGroupMessage);
  assert.equal(seenByB['self_id'], B);
  assert.equal(seenByB['user_id'], A);
  assert.equal(seenByB['group_id'], GROUP);
  assert.equal(seenByB['raw_message'], 'hello from A');
  assert.equal(seenByB['message_id'], (fromA['data'] as Frame)['message_id']);
  assert.equal((seenByB['sender'] as Frame)['role'], 'owner');

  const fromB = await call(b, 'send_group_msg', { group_id: GROUP, message: 'hi A, B here' }, 'b-send');
  assert.equal(fromB['retcode'], 0);
  const seenByA = await nextWhere(a, isGroupMessage);
  assert.equal(seenByA['self_id'], A);
  assert.equal(seenByA['user_id'], B);
  assert.equal(seenByA['raw_message'], 'hi A, B here');
  assert.equal((seenByA['sender'] as Frame)['role'], 'member');

  // A person's message reaches both, each addressed to its own bot; neither gets its own message back.
  const said = await fetch(`${control}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 20003, group_id: GROUP, message: 'hi bots' }) });
  assert.equal(said.status, 200);
  const [toA, toB] = await Promise.all([nextWhere(a, isGroupMessage), nextWhere(b, isGroupMessage)]);
  assert.deepEqual([toA['self_id'], toA['user_id'], toA['raw_message']], [A, 20003, 'hi bots']);
  assert.deepEqual([toB['self_id'], toB['user_id'], toB['raw_message']], [B, 20003, 'hi bots']);
  assert.deepEqual((await a.quiet(100)).map((f) => JSON.parse(f) as Frame).filter(isGroupMessage), []);
  assert.deepEqual((await b.quiet(0)).map((f) => JSON.parse(f) as Frame).filter(isGroupMessage), []);
});

test('each connection says which bot it serves', async () => {
  const { connections } = (await (await fetch(`${control}/api/connections`)).json()) as { connections: Frame[] };
  const open = connections.filter((c) => c['state'] === 'open').map((c) => [c['transport'], c['self_id']]);
  assert.deepEqual(open.sort(), [['ws', A], ['ws', B]]);
});

test('each bot\'s calls are journalled apart: self_id on every call, ?self_id= keeps one bot\'s', async () => {
  const list = async (query: string) => ((await (await fetch(`${control}/api/calls${query}`)).json()) as { calls: Frame[] }).calls;
  const all = await list('');
  const ofA = await list(`?self_id=${A}`);
  const ofB = await list(`?self_id=${B}`);
  assert.ok(ofA.length > 0 && ofB.length > 0);
  assert.equal(ofA.length + ofB.length, all.length);
  assert.ok(ofA.every((c) => c['self_id'] === A));
  assert.ok(ofB.every((c) => c['self_id'] === B));
  const sent = (calls: Frame[]) => calls.filter((c) => c['action'] === 'send_group_msg').map((c) => (c['params'] as Frame)['message']);
  assert.deepEqual(sent(ofA), ['hello from A']);
  assert.deepEqual(sent(ofB), ['hi A, B here']);
  assert.deepEqual(ofB.map((c) => c['action']).slice(0, 3), ['get_login_info', 'get_group_list', 'get_group_member_info']);
});
