/**
 * The LLBot dialect against a fake LLBot (LuckyLilliaBot, `app_name` "LLOneBot", its wire shapes
 * from its public source): a private message with NT extras reaches the bot in cqhttpd's exact
 * shape; failures say `message` (kept as the wording); pokes and their recall, group dismissal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringifySorted } from '../../../src/protocol/json.js';
import { startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { Failure, startFakeUpstream, type Call } from './fake-upstream.js';

const SELF = 2854200001;
const GROUP = 100001;
const DAVE = 20004;

function llbot(call: Call): unknown {
  switch (call.action) {
    case 'get_version_info': return { app_name: 'LLOneBot', protocol_version: 'v11', app_version: '6.6.0' };
    case 'get_login_info': return { user_id: SELF, nickname: 'lucky' };
    case 'send_private_msg': return { message_id: 431 };
    case 'set_group_kick': return new Failure(1200, '机器人不是管理员');
    default: return new Failure(1404, `${call.action} API 不存在`);
  }
}

test('LLBot: detected; a private message, pokes, a poke withdrawn and a dissolved group reach the bot in cqhttpd\'s shapes', async (t) => {
  const upstream = await startFakeUpstream(llbot, { t, failures: 'nt' });
  const bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: upstream.url, use_ws: true, post_message_format: 'array' } });
  t.after(() => bridge.close());
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();

  upstream.push({
    self_id: SELF, user_id: DAVE, time: 1765000100, message_id: 430, message_seq: 430, real_id: 430, real_seq: '88',
    message_type: 'private', sender: { user_id: DAVE, nickname: 'dave', card: '' }, raw_message: '[CQ:record,file=a.amr,path=/tmp/a.amr,url=http://x/a,file_size=10]',
    font: 14, sub_type: 'friend', message: [{ type: 'record', data: { file: 'a.amr', path: '/tmp/a.amr', url: 'http://x/a', file_size: '10' } }],
    message_format: 'array', post_type: 'message',
  });
  const record = [{ type: 'record', data: { file: 'a.amr', url: 'http://x/a' } }];
  assert.equal(await bot.next(), stringifySorted({
    font: 14, message: record, message_id: 1, message_type: 'private', post_type: 'message', raw_message: '[CQ:record,file=a.amr,url=http://x/a]',
    self_id: SELF, sender: { age: 0, nickname: 'dave', sex: 'unknown', user_id: DAVE }, sub_type: 'friend', time: 1765000100, user_id: DAVE,
  }));

  const base = { time: 1765000101, self_id: SELF, post_type: 'notice' };
  for (const subType of ['poke', 'poke_recall']) {
    upstream.push({ ...base, notice_type: 'notify', sub_type: subType, target_id: SELF, user_id: DAVE, raw_info: [{ col: '1', nm: '', type: 'qq' }] });
    assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'notify', sub_type: subType, user_id: DAVE, sender_id: DAVE, target_id: SELF }));
  }
  upstream.push({ ...base, notice_type: 'group_dismiss', group_id: GROUP, user_id: DAVE });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'group_dismiss', group_id: GROUP, user_id: DAVE }));

  const sent = await bridge.call('send_private_msg', { user_id: DAVE, message: [{ type: 'text', data: { text: 'hey' } }] });
  assert.deepEqual(sent.body?.data, { message_id: 2 });
  const kick = await bridge.call('set_group_kick', { group_id: GROUP, user_id: DAVE });
  assert.equal(kick.body?.retcode, 103);
  assert.equal(kick.body?.msg, 'UPSTREAM_FAILED');
  assert.match(kick.body?.wording ?? '', /retcode 1200: 机器人不是管理员/);
  const unknown = await bridge.call('set_group_anonymous', { group_id: GROUP, enable: false });
  assert.equal(unknown.body?.msg, 'UNSUPPORTED');
  assert.match(unknown.body?.wording ?? '', /API 不存在/);
});
