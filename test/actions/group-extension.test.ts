/**
 * The groups extension end to end: the exact bytes of its notices on a forward-WS event client and
 * of `get_group_honor_info` over HTTP (with a clock the test moves), and its state across a restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { ok, startTestApp } from '../helpers/app.js';
import { assertCanonical, WsClient } from '../events/helpers.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
/** 2024-03-01 12:00 in China. */
const T0 = Date.UTC(2024, 2, 1, 4, 0, 0);

describe('groups extension end to end', () => {
  it('its notices reach a forward-WS /event client as canonical bodies', async () => {
    const t = await startTestApp({ config: { use_ws: true }, now: () => T0 });
    const ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/event`);
    try {
      const time = T0 / 1000;
      const expect = async (action: string, params: Record<string, unknown>, body: string) => {
        const from = ws.inbox.mark();
        await ok(t, action, params);
        const frame = await ws.inbox.waitFor((e) => e.post_type === 'notice', from);
        assertCanonical(frame.body);
        assert.equal(frame.body, body, action);
      };
      await expect('set_group_card', { group_id: G.botOwner, user_id: U.carol, card: 'Carol ☆' },
        `{"card_new":"Carol ☆","card_old":"carol","group_id":${G.botOwner},"notice_type":"group_card","post_type":"notice","self_id":${BOT},"time":${time},"user_id":${U.carol}}`);
      await expect('set_group_special_title', { group_id: G.botOwner, user_id: U.dave, special_title: '话痨' },
        `{"group_id":${G.botOwner},"notice_type":"notify","post_type":"notice","self_id":${BOT},"sub_type":"title","time":${time},"title":"话痨","user_id":${U.dave}}`);
      await expect('set_group_whole_ban', { group_id: G.botAdmin },
        `{"duration":-1,"group_id":${G.botAdmin},"notice_type":"group_ban","operator_id":${BOT},"post_type":"notice","self_id":${BOT},"sub_type":"ban","time":${time},"user_id":0}`);
      await expect('send_poke', { group_id: G.botMember, user_id: U.grace },
        `{"group_id":${G.botMember},"notice_type":"notify","post_type":"notice","self_id":${BOT},"sender_id":${BOT},"sub_type":"poke","target_id":${U.grace},"time":${time},"user_id":${BOT}}`);
      const from = ws.inbox.mark();
      const id = t.app.backend.postMessage({ from: U.carol, groupId: G.botAdmin, message: [{ type: 'text', data: { text: 'gem' } }] }).messageId;
      t.app.backend.setEssenceAs(U.alice, id);
      const essence = await ws.inbox.waitFor((e) => e.notice_type === 'essence', from);
      assert.equal(essence.body, `{"group_id":${G.botAdmin},"message_id":${id},"notice_type":"essence","operator_id":${U.alice},"post_type":"notice","self_id":${BOT},"sender_id":${U.carol},"sub_type":"add","time":${time},"user_id":${U.carol}}`);
      await expect('set_group_leave', { group_id: G.botOwner, is_dismiss: true },
        `{"group_id":${G.botOwner},"notice_type":"group_decrease","operator_id":${BOT},"post_type":"notice","self_id":${BOT},"sub_type":"kick_me","time":${time},"user_id":${BOT}}`);
    } finally {
      ws.close();
      await t.close();
    }
  });

  it('get_group_honor_info: current_talkative and the lists, byte for byte', async () => {
    let now = T0;
    const t = await startTestApp({ now: () => now });
    try {
      const say = (from: number, n: number) => {
        for (let i = 0; i < n; i++) t.app.backend.postMessage({ from, groupId: G.botOwner, message: [{ type: 'text', data: { text: 'hi' } }] });
      };
      say(U.eve, 4);
      say(U.bob, 2);
      now += 86_400_000;
      const res = await t.call('get_group_honor_info', { group_id: G.botOwner, type: 'talkative' });
      const avatar = (id: number) => `https://q1.qlogo.cn/g?b=qq&nk=${id}&s=640`;
      assert.equal(res.text, `{"data":{"current_talkative":{"avatar":"${avatar(U.eve)}","day_count":1,"nickname":"Eve","user_id":${U.eve}},`
        + `"group_id":${G.botOwner},"talkative_list":[{"avatar":"${avatar(U.eve)}","description":"龙王1天","nickname":"Eve","user_id":${U.eve}}]},"retcode":0,"status":"ok"}`);
      const perf = await t.call('get_group_honor_info', { group_id: G.botOwner, type: 'performer' });
      assert.deepEqual(perf.body?.data, { group_id: G.botOwner, performer_list: [] }, 'no current_talkative outside talkative/all');
    } finally {
      await t.close();
    }
  });

  it('settings, essence, announcements, quotas and dismissal survive a restart', async () => {
    const t = await startTestApp({ now: () => T0 });
    try {
      await ok(t, 'set_group_name', { group_id: G.botAdmin, group_name: 'Kept' });
      await ok(t, '_send_group_notice', { group_id: G.botOwner, title: 'T', content: 'C' });
      const { message_id: id } = await ok<{ message_id: number }>(t, 'send_group_msg', { group_id: G.botOwner, message: '[CQ:at,qq=all] hi' });
      await ok(t, 'set_essence_msg', { message_id: id });
      await ok(t, 'set_group_special_title', { group_id: G.botOwner, user_id: U.eve, special_title: 'star' });
      await ok(t, 'set_group_leave', { group_id: G.botMember });
      await t.restart();
      assert.equal((await ok<{ group_name: string }>(t, 'get_group_info', { group_id: G.botAdmin })).group_name, 'Kept');
      assert.equal((await ok<unknown[]>(t, '_get_group_notice', { group_id: G.botOwner })).length, 1);
      assert.deepEqual((await ok<{ message_id: number }[]>(t, 'get_essence_msg_list', { group_id: G.botOwner })).map((e) => e.message_id), [id]);
      assert.equal((await ok<{ remain_at_all_count_for_uin: number }>(t, 'get_group_at_all_remain', { group_id: G.botOwner })).remain_at_all_count_for_uin, 9);
      assert.equal((await ok<{ title: string }>(t, 'get_group_member_info', { group_id: G.botOwner, user_id: U.eve })).title, 'star');
      assert.equal((await t.call('set_group_leave', { group_id: G.botMember })).body?.retcode, -16);
    } finally {
      await t.close();
    }
  });
});
