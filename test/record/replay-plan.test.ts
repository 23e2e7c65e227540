/**
 * How `cqhttpd replay` reads a cassette: turns split at user-side events (not at what the bot
 * caused), the world seeded from events and answers, each event's control API request, and the
 * comparison of calls (ids by order of appearance, CQ strings as segments, numbers as text).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCassette } from '../../src/record/index.js';
import { Canon, diffTurn, normaliseCall } from '../../src/testing/replay/diff.js';
import { planOf } from '../../src/testing/replay/plan.js';
import { injection, WorldSeed } from '../../src/testing/replay/world.js';

const BOT = 1000001;
const ANN = 1000002;
const BEN = 1000003;
const G = 900000001;

const lines = [
  { type: 'header', format: 'cqhttpd-cassette', version: 1, upstream: { kind: 'onebot' }, self_id: BOT, redacted: true, part: 1 },
  { type: 'call', data: { action: 'get_login_info', params: {}, retcode: 0, data: { user_id: BOT, nickname: `nickname-${BOT}` }, channel: 'ws' } },
  { type: 'call', data: { action: 'get_group_member_list', params: { group_id: G }, retcode: 0, channel: 'http', data: [
    { group_id: G, user_id: ANN, nickname: `nickname-${ANN}`, role: 'owner', card: `card-${ANN}` },
    { group_id: G, user_id: BOT, nickname: `nickname-${BOT}`, role: 'admin', card: '' },
  ] } },
  { type: 'upstream', dir: 'in', data: { post_type: 'message', message_type: 'group', group_id: G, user_id: ANN, message_id: 'up-1', message: 'ping' } },
  { type: 'event', data: { post_type: 'message', message_type: 'group', sub_type: 'normal', group_id: G, user_id: ANN, message_id: 7, raw_message: 'ping', message: [{ type: 'text', data: { text: 'ping' } }], sender: { user_id: ANN, nickname: `nickname-${ANN}`, role: 'owner' } } },
  { type: 'call', data: { action: 'send_group_msg', params: { group_id: G, message: '[CQ:reply,id=7]pong' }, retcode: 0, data: { message_id: 8 }, channel: 'ws' } },
  { type: 'call', data: { action: 'set_group_ban', params: { group_id: G, user_id: BEN, duration: 60 }, retcode: 0, data: null, channel: 'ws' } },
  // The bot's own doing: no new turn.
  { type: 'event', data: { post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: G, user_id: BEN, operator_id: BOT, duration: 60 } },
  { type: 'call', data: { action: 'get_status', params: {}, retcode: 0, data: {}, channel: 'internal' } },
  { type: 'event', data: { post_type: 'notice', notice_type: 'group_increase', sub_type: 'approve', group_id: G, user_id: 1000004, operator_id: ANN } },
  { type: 'call', data: { action: 'send_group_msg', params: { group_id: G, message: 'welcome' }, retcode: 0, data: { message_id: 9 }, channel: 'ws' } },
  { type: 'event', data: { post_type: 'notice', notice_type: 'group_recall', group_id: G, user_id: ANN, operator_id: ANN, message_id: 7 } },
];
const cassette = parseCassette(lines.map((l, i) => JSON.stringify({ t: i, time: i, ...l })).join('\n'));

describe('a cassette as a replay plan', () => {
  it('splits turns at user-side events only and keeps the bots\' calls (not cqhttpd\'s own)', () => {
    const plan = planOf(cassette);
    assert.equal(plan.selfId, BOT);
    assert.deepEqual(plan.turns.map((t) => t.calls.map((c) => c.action)), [
      ['get_login_info', 'get_group_member_list'],
      ['send_group_msg', 'set_group_ban'],
      ['send_group_msg'],
      [],
    ]);
    assert.equal(plan.turns[1]?.label, `group message from ${ANN} in ${G}: "ping"`);
    assert.equal(plan.turns[1]?.frames[0]?.['message_id'], 'up-1');
  });

  it('seeds the world: roles from answers and events, the bot in its group, late joiners left out', () => {
    const world = WorldSeed.of(BOT, cassette.lines).world() as { self_id: number; bot: { nickname: string }; users: { user_id: number }[]; groups: { group_id: number; members: { user_id: number; role: string; card: string }[] }[] };
    assert.equal(world.self_id, BOT);
    assert.equal(world.bot.nickname, `nickname-${BOT}`);
    assert.deepEqual(world.groups.map((g) => g.group_id), [G]);
    const members = Object.fromEntries(world.groups[0]!.members.map((m) => [m.user_id, m]));
    assert.equal(members[ANN]?.role, 'owner');
    assert.equal(members[ANN]?.card, `card-${ANN}`);
    assert.equal(members[BOT]?.role, 'admin');
    assert.equal(members[BEN]?.role, 'member');
    assert.equal(members[1000004], undefined, 'joins during the replay');
    assert.ok(world.users.some((u) => u.user_id === 1000004));
    assert.ok(!world.users.some((u) => u.user_id === BOT));
  });

  it('turns events into control API requests, recalls pointing at the replay\'s message', () => {
    const plan = planOf(cassette);
    const ids = new Map<number, number>([[7, 42]]);
    assert.deepEqual(injection(plan.turns[1]!.event!, ids), { method: 'POST', path: '/api/messages', body: { from: ANN, message: [{ type: 'text', data: { text: 'ping' } }], group_id: G } });
    assert.deepEqual(injection(plan.turns[2]!.event!, ids), { method: 'POST', path: `/api/groups/${G}/members`, body: { user_id: 1000004 } });
    assert.deepEqual(injection(plan.turns[3]!.event!, ids), { method: 'POST', path: '/api/recall', body: { operator: ANN, message_id: 42 } });
    assert.match(String(injection({ post_type: 'notice', notice_type: 'group_admin', sub_type: 'set', group_id: G, user_id: ANN }, ids)), /not re-injected/);
  });
});

describe('comparing calls', () => {
  it('names message ids by first appearance, reads CQ strings as segments and numbers as text', () => {
    const a = new Canon();
    const b = new Canon();
    a.of(7);
    b.of(42);
    const recorded = [normaliseCall({ action: 'send_group_msg', params: { group_id: G, message: '[CQ:reply,id=7]pong' } }, a, undefined)];
    const same = [normaliseCall({ action: 'send_group_msg', params: { group_id: String(G), message: [{ type: 'reply', data: { id: '42' } }, { type: 'text', data: { text: 'pong' } }], echo: 3 } }, b, undefined)];
    assert.deepEqual(diffTurn(recorded, same), []);
  });

  it('reports changed parameters, missing and extra calls', () => {
    const c = new Canon();
    const n = (action: string, params: Record<string, unknown>) => normaliseCall({ action, params }, c, undefined);
    assert.deepEqual(diffTurn(
      [n('send_group_msg', { group_id: G, message: 'pong' }), n('set_group_ban', { group_id: G, user_id: BEN, duration: 60 })],
      [n('send_group_msg', { group_id: G, message: 'pang' }), n('set_group_kick', { group_id: G, user_id: BEN })],
    ), [
      'changed send_group_msg: params.message[0].data.text: "pong" → "pang"',
      `missing set_group_ban {"group_id":${G},"user_id":${BEN},"duration":60}`,
      `extra set_group_kick {"group_id":${G},"user_id":${BEN}}`,
    ]);
  });
});
