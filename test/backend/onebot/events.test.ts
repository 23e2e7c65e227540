/**
 * Every event kind the sandbox emits, injected in the upstream's world, reaches a bot on the bridge
 * with the bytes a bot on the upstream gets directly — message ids aside (the bridge's own):
 * messages (private, group, anonymous, discuss), every notice (4.15's, the v11 recalls and
 * `notify`s, the go-cqhttp/NT-era ones) and both requests.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
const FOREIGN = 300001;
const text = (t: string) => [{ type: 'text', data: { text: t } }];

let upstream: TestApp;
let bridge: TestApp;

before(async () => {
  upstream = await startTestApp({ config: { use_ws: true } });
  bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${upstream.app.ws!.port}/`, use_ws: true } });
});

after(async () => {
  await bridge?.close();
  await upstream?.close();
});

/** Frames until none came for `quietMs`, meta events left out. */
async function drain(peer: Peer, quietMs = 400): Promise<string[]> {
  const frames: string[] = [];
  for (;;) {
    let frame: string;
    try {
      frame = await peer.next(quietMs);
    } catch {
      return frames;
    }
    if (!frame.includes('"post_type":"meta_event"')) frames.push(frame);
  }
}

/** Every kind of event the sandbox emits, acted out by the people of the default world. */
async function actEverything(sb: SandboxBackend, call: TestApp['call']): Promise<void> {
  const priv = sb.postMessage({ from: U.alice, message: text('psst') }).messageId;
  const group = sb.postMessage({ from: U.carol, groupId: G.botOwner, message: text('hi [CQ:face,id=14] & more') }).messageId;
  sb.postMessage({ from: U.dave, groupId: G.botOwner, message: [{ type: 'reply', data: { id: String(group) } }, ...text('quoted')] });
  const kept = sb.postMessage({ from: U.eve, groupId: G.botOwner, message: text('keep me') }).messageId;
  const discuss = sb.createDiscuss({ memberIds: [BOT, U.alice, U.bob] });
  sb.postDiscussMessage({ from: U.bob, discussId: discuss, message: text('in discuss') });
  sb.setAnonymousAs(BOT, G.botOwner, true);
  sb.postAnonymousMessage({ from: U.eve, groupId: G.botOwner, message: text('boo') });
  sb.recallAs(U.carol, group);
  sb.recallAs(U.alice, priv);
  sb.banAs(U.alice, G.botOwner, U.dave, 60);
  sb.setWholeBanAs(U.alice, G.botAdmin, true);
  sb.setWholeBanAs(U.alice, G.botAdmin, false);
  sb.setAdminAs(U.alice, G.botAdmin, U.bob, true);
  sb.kickAs(U.alice, G.botAdmin, U.frank);
  sb.leaveAs(U.dave, G.botAdmin);
  sb.inviteAs(U.alice, G.botAdmin, U.frank);
  const join = sb.applyToJoinAs(U.grace, G.botOwner, 'let me in');
  sb.answerJoinRequestAs(U.alice, join, true);
  const friend = sb.requestFriendAs(U.heidi, 'add me');
  assert.equal((await call('set_friend_add_request', { flag: friend, approve: true })).body?.retcode, 0);
  sb.createGroup({ groupId: FOREIGN, groupName: 'Elsewhere', ownerId: U.heidi });
  sb.inviteBotAs(U.heidi, FOREIGN, 'come help');
  sb.uploadFileAs(U.carol, G.botOwner, { name: 'notes.txt', size: 10 });
  sb.pokeAs(U.alice, BOT, G.botOwner);
  sb.pokeAs(U.alice, BOT);
  sb.luckyKingAs(U.alice, G.botOwner, U.bob);
  sb.awardHonor(G.botOwner, U.carol, 'talkative');
  sb.setCardAs(U.alice, G.botOwner, U.carol, 'Carol ☆');
  sb.setSpecialTitleAs(U.alice, G.botAdmin, U.bob, '话痨');
  sb.setEssenceAs(U.alice, kept, true);
  sb.reactAs(U.bob, kept, '76');
}

test('every event kind reaches a bot on the bridge with the upstream\'s own bytes, message ids aside', async () => {
  const direct = await Peer.open(`ws://127.0.0.1:${upstream.app.ws!.port}/event`);
  const bridged = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  try {
    await direct.next(); // lifecycle connect
    await bridged.next();
    await actEverything(upstream.app.backend, (action, params) => upstream.call(action, params));
    const want = await drain(direct);
    const got = await drain(bridged);
    const kinds = want.map((f) => { const e = JSON.parse(f) as Record<string, string>; return [e['post_type'], e['message_type'] ?? e['notice_type'] ?? e['request_type'], e['sub_type'] ?? ''].join('/'); });
    for (const kind of ['message/private/friend', 'message/group/normal', 'message/group/anonymous', 'message/discuss/', 'notice/group_recall/', 'notice/friend_recall/',
      'notice/group_ban/ban', 'notice/group_ban/lift_ban', 'notice/group_admin/set', 'notice/group_decrease/kick', 'notice/group_decrease/leave', 'notice/group_increase/invite',
      'notice/group_increase/approve', 'request/group/add', 'request/friend/', 'notice/friend_add/', 'request/group/invite', 'notice/group_upload/', 'notice/notify/poke',
      'notice/notify/lucky_king', 'notice/notify/honor', 'notice/group_card/', 'notice/notify/title', 'notice/essence/add', 'notice/group_msg_emoji_like/']) {
      assert.ok(kinds.includes(kind), `the sandbox emitted no ${kind} (${kinds.join(', ')})`);
    }
    const noIds = (frame: string) => frame.replace(/"message_id":\d+/g, '"message_id":0').replace(/\[CQ:reply,id=\d+\]/g, '[CQ:reply,id=0]');
    assert.deepEqual(got.map(noIds), want.map(noIds));
  } finally {
    direct.close();
    bridged.close();
  }
});
