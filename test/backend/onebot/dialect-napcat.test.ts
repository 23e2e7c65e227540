/**
 * The NapCat dialect against a fake NapCat (its wire shapes and quirks as its public source has
 * them): detected from `get_version_info`, a bot on the bridge sees cqhttpd's exact event bytes and
 * answers — string ids, NT extras, segment data and failure codes normalised; a `get_msg` NapCat
 * no longer remembers answered from the bridge's store; forcing the generic dialect shows the
 * difference.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { silentLogger } from '../../../src/app/logger.js';
import { openOnebot } from '../../../src/backend/onebot/index.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { stringifySorted } from '../../../src/protocol/json.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { Failure, startFakeUpstream, type Call, type Frame } from './fake-upstream.js';

const SELF = 3889000001;
const GROUP = 100001;
const CAROL = 20003;
const NT_ID = 1284756291; // NapCat's short ids: int32 hashes

/** NapCat as its source answers: version, login, an NT-flavoured member, sends, and its failures. */
function napcat(call: Call): unknown {
  switch (call.action) {
    case 'get_version_info': return { app_name: 'NapCat.Onebot', protocol_version: 'v11', app_version: '4.8.0' };
    case 'get_login_info': return { user_id: SELF, nickname: 'nt bot' };
    case 'get_group_member_info': return {
      group_id: GROUP, user_id: CAROL, nickname: 'carol', card: 'Carol', sex: 'female', age: 20, join_time: 1700000000, last_sent_time: 1765000000,
      level: '12', qq_level: 40, role: 'admin', title: '', area: '', unfriendly: false, title_expire_time: 0, card_changeable: true,
      shut_up_timestamp: 0, is_robot: false, qage: 9,
    };
    case 'send_group_msg': return { message_id: 99887766 };
    case 'get_msg': return new Failure(1200, '消息不存在');
    case 'set_group_ban': return new Failure(1400, 'Key: duration, Message: Expected number');
    default: return new Failure(1404, `${call.action} API 不存在`);
  }
}

/** A group message as NapCat posts it (array format, NT extras, string ids, rich segment data). */
const groupMessage: Frame = {
  self_id: SELF, user_id: String(CAROL), time: 1765000000, message_id: NT_ID, message_seq: NT_ID, real_id: NT_ID, real_seq: '5012',
  message_type: 'group', sender: { user_id: CAROL, nickname: 'carol', card: 'Carol', role: 'admin' },
  raw_message: '[CQ:image,file=abc.jpg,sub_type=0,url=https://multimedia.nt.qq.com.cn/download?appid=1407,file_size=12345][CQ:face,id=14] hi',
  font: 14, sub_type: 'normal',
  message: [
    { type: 'image', data: { summary: '', file: 'abc.jpg', sub_type: 0, url: 'https://multimedia.nt.qq.com.cn/download?appid=1407', file_size: '12345' } },
    { type: 'face', data: { id: '14', raw: { faceIndex: 14, faceText: '/微笑' }, resultId: null, chainCount: null } },
    { type: 'text', data: { text: ' hi' } },
  ],
  message_format: 'array', post_type: 'message', group_id: GROUP, group_name: 'test group',
};

async function bridgeOver(t: TestContext, url: string, config: Record<string, unknown> = {}): Promise<TestApp> {
  const bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: url, use_ws: true, ...config } });
  t.after(() => bridge.close());
  return bridge;
}

async function eventPeer(t: TestContext, bridge: TestApp): Promise<Peer> {
  const peer = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => peer.close());
  await peer.next(); // lifecycle connect
  return peer;
}

test('detected from get_version_info; a NapCat group message reaches the bot in cqhttpd\'s exact shape', async (t) => {
  const upstream = await startFakeUpstream(napcat, { t, failures: 'nt' });
  const bridge = await bridgeOver(t, upstream.url);
  assert.ok(upstream.calls.some((c) => c.action === 'get_version_info'));
  const bot = await eventPeer(t, bridge);

  upstream.push({ time: 1765000001, self_id: SELF, post_type: 'meta_event', meta_event_type: 'heartbeat', status: { online: true, good: true }, interval: 30000 });
  upstream.push(groupMessage);
  const cq = '[CQ:image,file=abc.jpg,url=https://multimedia.nt.qq.com.cn/download?appid=1407][CQ:face,id=14] hi';
  assert.equal(await bot.next(), stringifySorted({
    anonymous: null, font: 14, group_id: GROUP, message: cq, message_id: 1, message_type: 'group', post_type: 'message', raw_message: cq,
    self_id: SELF, sender: { age: 0, area: '', card: 'Carol', level: '', nickname: 'carol', role: 'admin', sex: 'unknown', title: '', user_id: CAROL },
    sub_type: 'normal', time: 1765000000, user_id: CAROL,
  }));

  // NapCat no longer has it (its memory map): the bridge answers get_msg from its own copy.
  const msg = await bridge.call('get_msg', { message_id: 1 });
  assert.equal(msg.body?.retcode, 0, msg.text);
  assert.equal((msg.body?.data as { raw_message: string }).raw_message, cq);
  assert.deepEqual(upstream.calls.filter((c) => c.action === 'get_msg').map((c) => c.params['message_id']), [NT_ID]);

  // A quoted reply goes up with NapCat's id and comes back as the bridge's.
  const sent = await bridge.call('send_group_msg', { group_id: GROUP, message: '[CQ:reply,id=1]noted' });
  assert.deepEqual(sent.body?.data, { message_id: 2 });
  const up = upstream.calls.find((c) => c.action === 'send_group_msg')!;
  assert.deepEqual(up.params['message'], [{ type: 'reply', data: { id: String(NT_ID) } }, { type: 'text', data: { text: 'noted' } }]);
});

test('NapCat\'s answers and failures: extras dropped, 1400 is bad parameters, 1200 keeps its sentence, 1404 is unsupported', async (t) => {
  const upstream = await startFakeUpstream(napcat, { t, failures: 'nt' });
  const bridge = await bridgeOver(t, upstream.url);
  const member = await bridge.call('get_group_member_info', { group_id: GROUP, user_id: CAROL });
  assert.deepEqual(Object.keys(member.body?.data as object).sort(), [
    'age', 'area', 'card', 'card_changeable', 'group_id', 'join_time', 'last_sent_time', 'level', 'nickname', 'role', 'sex', 'title', 'title_expire_time', 'unfriendly', 'user_id',
  ]);
  const ban = await bridge.call('set_group_ban', { group_id: GROUP, user_id: CAROL, duration: 60 });
  assert.equal(ban.body?.retcode, 100);
  assert.equal(ban.body?.msg, 'BAD_PARAMS');
  assert.match(ban.body?.wording ?? '', /Expected number/);
  const discuss = await bridge.call('send_discuss_msg', { discuss_id: 5, message: 'x' });
  assert.equal(discuss.body?.retcode, 1404);
  assert.equal(discuss.body?.msg, 'UNSUPPORTED');
  const { message_id: sentId } = (await bridge.call('send_group_msg', { group_id: GROUP, message: 'x' })).body?.data as { message_id: number };
  const gone = await bridge.call('get_msg', { message_id: sentId });
  assert.equal(gone.body?.retcode, 103, 'no copy of a sent message: NapCat\'s failure, retcode 103');
  assert.match(gone.body?.wording ?? '', /1200: 消息不存在/);
});

test('NapCat\'s notices: pokes with sender_id and without raw_info, reactions on mapped ids, its own notices under their names', async (t) => {
  const upstream = await startFakeUpstream(napcat, { t, failures: 'nt' });
  const bridge = await bridgeOver(t, upstream.url);
  const bot = await eventPeer(t, bridge);
  const base = { time: 1765000002, self_id: SELF, post_type: 'notice' };
  upstream.push(groupMessage);
  await bot.next();
  upstream.push({ ...base, notice_type: 'notify', sub_type: 'poke', target_id: SELF, user_id: CAROL, group_id: GROUP, raw_info: [{ type: 'qq', uid: 'u_x' }, { txt: '戳了戳' }] });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'notify', sub_type: 'poke', group_id: GROUP, user_id: CAROL, sender_id: CAROL, target_id: SELF }));
  upstream.push({ ...base, notice_type: 'group_msg_emoji_like', group_id: GROUP, user_id: CAROL, message_id: NT_ID, likes: [{ emoji_id: '76', count: 1 }], is_add: true, message_seq: '5012' });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'group_msg_emoji_like', group_id: GROUP, user_id: CAROL, message_id: 1, likes: [{ emoji_id: '76', count: 1 }], is_add: true }));
  upstream.push({ ...base, notice_type: 'notify', sub_type: 'input_status', status_text: '对方正在输入...', event_type: 1, user_id: CAROL, group_id: 0 });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'notify', sub_type: 'input_status', status_text: '对方正在输入...', event_type: 1, user_id: CAROL }));
  upstream.push({ ...base, notice_type: 'bot_offline', user_id: SELF, tag: '被下线', message: '当前账号在其他设备登录' });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'bot_offline', user_id: SELF, tag: '被下线', message: '当前账号在其他设备登录' }));
});

test('upstream_dialect = generic leaves NapCat\'s segment data alone: the dialect is what cleans it', async (t) => {
  const upstream = await startFakeUpstream(napcat, { t, failures: 'nt' });
  const bridge = await bridgeOver(t, upstream.url, { upstream_dialect: 'generic', post_message_format: 'array' });
  assert.ok(!upstream.calls.some((c) => c.action === 'get_version_info'), 'a configured dialect is not detected');
  const bot = await eventPeer(t, bridge);
  upstream.push(groupMessage);
  const event = JSON.parse(await bot.next()) as Frame;
  assert.equal((event['message'] as { data: Frame }[])[0]!.data['file_size'], '12345');
  assert.equal((event['message'] as { data: Frame }[])[1]!.data['raw'], '{"faceIndex":14,"faceText":"/微笑"}');
});

test('a get_msg NapCat never answers is cut at the dialect\'s deadline and answered from the store', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-napcat-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const upstream = await startFakeUpstream((call) => (call.action === 'get_msg' ? undefined : napcat(call)), { t, failures: 'nt' });
  const backend = await openOnebot({ dataDir: dir, url: upstream.url, accessToken: '', selfId: undefined, logger: silentLogger(), callTimeoutMs: 400, dialect: 'napcat' });
  t.after(() => backend.close());
  const seen = new Promise((resolve) => backend.onEvent(resolve));
  backend.ready();
  upstream.push(groupMessage);
  await seen;
  const started = Date.now();
  assert.equal((await backend.getMessage(1)).message_id, 1);
  assert.ok(Date.now() - started < 1500);
  await assert.rejects(backend.getMessage(2), (err: unknown) => err instanceof ApiError && err.code === 'MESSAGE_NOT_FOUND');
});
