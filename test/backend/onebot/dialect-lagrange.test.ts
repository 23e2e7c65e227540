/**
 * The Lagrange.OneBot dialect against a fake Lagrange.OneBot (its v1 wire shapes from its public
 * source): an unknown action answered 404 without a message is unsupported; messages lose
 * `message_style` and get a string `sender.level`; a `reaction` notice becomes cqhttpd's
 * `group_msg_emoji_like`; a friend poke names the poker; `group_upload` keeps 4.15's file fields.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringifySorted } from '../../../src/protocol/json.js';
import { startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { Failure, startFakeUpstream, type Call } from './fake-upstream.js';

const SELF = 1919810001;
const GROUP = 100001;
const ERIN = 20005;
const LG_ID = -1932410773; // Lagrange's ids: int32 hashes, negative ones included

function lagrange(call: Call): unknown {
  switch (call.action) {
    case 'get_version_info': return { app_name: 'Lagrange.OneBot', app_version: '0.0.3', protocol_version: 'v11', nt_protocol: 'Linux | 3.2.15' };
    case 'get_login_info': return { user_id: SELF, nickname: 'lagrange' };
    case 'set_group_card': return new Failure(-1, '');
    default: return new Failure(404, '');
  }
}

test('Lagrange.OneBot: messages, reactions, pokes and uploads in cqhttpd\'s shapes; 404 is unsupported', async (t) => {
  const upstream = await startFakeUpstream(lagrange, { t, failures: 'bare' });
  const bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: upstream.url, use_ws: true } });
  t.after(() => bridge.close());
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();

  upstream.push({
    time: 1765000200, self_id: SELF, post_type: 'message', message_type: 'group', sub_type: 'normal', message_id: LG_ID, group_id: GROUP, user_id: ERIN,
    anonymous: null, message: [{ type: 'at', data: { qq: String(SELF), name: '@lagrange' } }, { type: 'text', data: { text: ' ping' } }],
    raw_message: '[CQ:at,qq=1919810001,name=@lagrange] ping', font: 0,
    sender: { user_id: ERIN, nickname: 'erin', card: '', sex: 'unknown', age: 0, area: '', level: 3, role: 'member', title: '' },
    message_style: { bubble_id: 0, pendant_id: 0, font_id: 0, font_effect_id: 0, is_cs_font_effect_enabled: false, bubble_diy_text_id: 0 },
  });
  const cq = `[CQ:at,qq=${SELF}] ping`;
  assert.equal(await bot.next(), stringifySorted({
    anonymous: null, font: 0, group_id: GROUP, message: cq, message_id: 1, message_type: 'group', post_type: 'message', raw_message: cq, self_id: SELF,
    sender: { age: 0, area: '', card: '', level: '3', nickname: 'erin', role: 'member', sex: 'unknown', title: '', user_id: ERIN },
    sub_type: 'normal', time: 1765000200, user_id: ERIN,
  }));

  const base = { time: 1765000201, self_id: SELF, post_type: 'notice' };
  upstream.push({ ...base, notice_type: 'reaction', group_id: GROUP, message_id: LG_ID, operator_id: ERIN, sub_type: 'add', code: '66', count: 2 });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'group_msg_emoji_like', group_id: GROUP, user_id: ERIN, message_id: 1, likes: [{ emoji_id: '66', count: 2 }], is_add: true }));
  upstream.push({ ...base, notice_type: 'notify', sub_type: 'poke', sender_id: ERIN, user_id: ERIN, target_id: SELF, action: '戳了戳', suffix: '', action_img_url: 'https://x/p.png' });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'notify', sub_type: 'poke', user_id: ERIN, sender_id: ERIN, target_id: SELF }));
  upstream.push({ ...base, notice_type: 'group_upload', group_id: GROUP, user_id: ERIN, file: { id: '/abc', name: 'a.txt', size: 3, busid: 102, url: 'https://x/a.txt' } });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'group_upload', group_id: GROUP, user_id: ERIN, file: { id: '/abc', name: 'a.txt', size: 3, busid: 102 } }));
  upstream.push({ ...base, notice_type: 'group_recall', group_id: GROUP, user_id: ERIN, operator_id: ERIN, message_id: LG_ID, tip: '' });
  assert.equal(await bot.next(), stringifySorted({ ...base, notice_type: 'group_recall', group_id: GROUP, user_id: ERIN, operator_id: ERIN, message_id: 1 }));

  const unknown = await bridge.call('set_group_anonymous', { group_id: GROUP, enable: false });
  assert.equal(unknown.body?.retcode, 1404);
  assert.equal(unknown.body?.msg, 'UNSUPPORTED');
  const card = await bridge.call('set_group_card', { group_id: GROUP, user_id: ERIN, card: 'E' });
  assert.equal(card.body?.retcode, -1, 'Lagrange\'s -1 is kept');
});
