/** Group honors derived from stored messages, day by day (China days, UTC+8). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../src/backend/sandbox/index.js';
import type { Segment } from '../../src/message/segment.js';
import { expectApiError } from './helpers.js';
import type { FakeClock } from './helpers.js';
import { withSandbox } from './sandbox-fixture.js';

const G = GROUPS;
const U = USERS;
const DAY = 86_400;
/** 2023-11-15 10:00 in China (02:00 UTC), after the fixture's world was seeded; far from either midnight. */
const START_MS = Date.UTC(2023, 10, 15, 2, 0, 0);

const say = (sb: SandboxBackend, from: number, times: number, message: Segment[] = [{ type: 'text', data: { text: 'hi' } }]) => {
  for (let i = 0; i < times; i++) sb.postMessage({ from, groupId: G.botOwner, message });
};
const avatar = (id: number) => `https://q1.qlogo.cn/g?b=qq&nk=${id}&s=640`;

/** Run `days` days: `plan(dayIndex)` speaks on each, then the clock moves to the next day. */
function days(clock: FakeClock, count: number, plan: (day: number) => void): void {
  for (let d = 0; d < count; d++) {
    plan(d);
    clock.advanceSeconds(DAY);
  }
}

describe('sandbox honors', () => {
  it('龙王: most messages yesterday (ties to the lower QQ number), day_count, history; today does not count', () => withSandbox(async ({ sb, clock }) => {
    clock.ms = START_MS;
    days(clock, 3, (d) => {
      if (d === 0) say(sb, U.dave, 5);
      if (d === 1) { say(sb, U.carol, 3); say(sb, U.dave, 1); }
      if (d === 2) { say(sb, U.dave, 2); say(sb, U.carol, 2); }
    });
    say(sb, U.eve, 50); // today
    const h = await sb.getGroupHonors(G.botOwner);
    assert.deepEqual(h.currentTalkative, { userId: U.carol, nickname: 'Carol', avatar: avatar(U.carol), dayCount: 2 });
    assert.deepEqual(h.lists.talkative, [
      { userId: U.carol, nickname: 'Carol', avatar: avatar(U.carol), description: '龙王2天' },
      { userId: U.dave, nickname: 'Dave', avatar: avatar(U.dave), description: '龙王1天' },
    ]);
    clock.advanceSeconds(DAY);
    const next = await sb.getGroupHonors(G.botOwner);
    assert.equal(next.currentTalkative?.userId, U.eve, "today's talker is tomorrow's 龙王");
    assert.equal(next.currentTalkative?.dayCount, 1);
    clock.advanceSeconds(DAY);
    assert.equal((await sb.getGroupHonors(G.botOwner)).currentTalkative, undefined, 'nobody spoke yesterday');
  }));

  it('群聊之火 from 8 consecutive days up to yesterday, 群聊炽焰 from 30', () => withSandbox(async ({ sb, clock }) => {
    clock.ms = START_MS;
    days(clock, 31, (d) => {
      if (d >= 1) say(sb, U.alice, 1); // 30 days
      if (d >= 23) say(sb, U.bob, 1); // 8 days
      if (d >= 24) say(sb, U.eve, 1); // 7 days
      if (d >= 10 && d < 29) say(sb, U.dave, 1); // 19 days, ended two days ago
    });
    const h = await sb.getGroupHonors(G.botOwner);
    assert.deepEqual(h.lists.legend.map((x) => [x.userId, x.description]), [[U.alice, '连续发消息30天']]);
    assert.deepEqual(h.lists.performer.map((x) => [x.userId, x.description]), [[U.bob, '连续发消息8天']]);
    assert.deepEqual(h.lists.strong_newbie, []);
  }));

  it('快乐源泉: stickers on more than 3 consecutive days, more than 20 of them', () => withSandbox(async ({ sb, clock }) => {
    clock.ms = START_MS;
    const face: Segment[] = [{ type: 'face', data: { id: '14' } }];
    const sticker: Segment[] = [{ type: 'image', data: { file: 'a.gif', subType: '1' } }];
    const photo: Segment[] = [{ type: 'image', data: { file: 'a.jpg' } }];
    days(clock, 4, (d) => {
      say(sb, U.carol, 3, face);
      say(sb, U.carol, 3, sticker); // 6 a day, 24
      say(sb, U.dave, 5, face); // 20: not more than 20
      if (d >= 1) say(sb, U.eve, 10, face); // 3 days
      say(sb, U.alice, 10, photo); // photos are not stickers
    });
    const h = await sb.getGroupHonors(G.botOwner);
    assert.deepEqual(h.lists.emotion, [{ userId: U.carol, nickname: 'Carol', avatar: avatar(U.carol), description: '连续4天发表情，共24条' }]);
  }));

  it('only current members hold honors; anonymous messages count for nobody; the bot must be in the group', () => withSandbox(async ({ sb, clock }) => {
    clock.ms = START_MS;
    sb.setAnonymousAs(sb.selfId, G.botOwner, true);
    days(clock, 1, () => {
      say(sb, U.eve, 9);
      for (let i = 0; i < 20; i++) sb.postAnonymousMessage({ from: U.carol, groupId: G.botOwner, message: [{ type: 'text', data: { text: 'boo' } }] });
      say(sb, U.dave, 3);
    });
    assert.equal((await sb.getGroupHonors(G.botOwner)).currentTalkative?.userId, U.eve);
    await sb.setGroupKick(G.botOwner, U.eve, false);
    assert.equal((await sb.getGroupHonors(G.botOwner)).currentTalkative?.userId, U.dave, 'who left holds nothing');
    await expectApiError(() => sb.getGroupHonors(424242), 'INVALID_DATA');
    sb.createGroup({ groupId: 200001, groupName: 'Elsewhere', ownerId: U.heidi });
    await expectApiError(() => sb.getGroupHonors(200001), 'INVALID_DATA');
  }));
});
