/**
 * Every act a person can do, from the test API (`sb.act`) and as scenario steps (the engine in this
 * process): each one's event as the bot receives it and its effect on the world; raw events; the
 * control API's refusals; `wait` and `save`; and requests lapsing on the virtual clock. No bot is
 * needed: the stream reports every event the sandbox sends, connected bot or not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ControlError, startSandbox, type Sandbox } from '../../src/testing/index.js';
import { parseScenarios } from '../../src/testing/scenario/load.js';
import { runScenario } from '../../src/testing/scenario/run.js';

const LOUNGE = 100001; // the bot owns it
const WORKSHOP = 100002; // the bot is admin
const QUIET = 100003; // the bot is a plain member

describe('acts from the test API', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ timeout: 2000, quiet: 200 });
  });
  after(() => sb.close());

  test('say in a group and privately, recall', async () => {
    const { message_id } = await sb.say('hi all', { as: 'Carol', in: 'Sandbox Lounge' });
    await sb.expectEvent({ post_type: 'message', message_type: 'group', group_id: LOUNGE, user_id: 20003, message_id });
    await sb.say('psst', { as: 'Alice', private: true });
    await sb.expectEvent({ post_type: 'message', message_type: 'private', user_id: 20001, raw_message: 'psst' });
    await sb.act({ recall: message_id, as: 'Carol' });
    await sb.expectEvent({ notice_type: 'group_recall', message_id, operator_id: 20003 });
    await sb.expectWorld({ message: { id: message_id, recalled: true } });
  });

  test('poke in a group and privately', async () => {
    await sb.act({ poke: 'Dave', as: 'Carol', in: LOUNGE });
    await sb.expectEvent({ notice_type: 'notify', sub_type: 'poke', group_id: LOUNGE, user_id: 20003, target_id: 20004 });
    await sb.act({ poke: 'self', as: 'Alice' });
    await sb.expectEvent({ notice_type: 'notify', sub_type: 'poke', user_id: 20001, target_id: sb.connection.selfId, group_id: '$absent' });
  });

  test('join (by themselves, brought in), leave, kick with a block', async () => {
    await sb.act({ join: 'Sandbox Lounge', as: 'Heidi' });
    await sb.expectEvent({ notice_type: 'group_increase', group_id: LOUNGE, user_id: 20008 });
    await sb.act({ leave: LOUNGE, as: 'Heidi' });
    await sb.expectEvent({ notice_type: 'group_decrease', sub_type: 'leave', group_id: LOUNGE, user_id: 20008 });
    await sb.act({ join: LOUNGE, as: 'Heidi', inviter: 'Alice' });
    await sb.expectEvent({ notice_type: 'group_increase', sub_type: 'invite', user_id: 20008, operator_id: 20001 });
    await sb.act({ kick: 'Heidi', in: LOUNGE, as: 'Alice', block: true });
    await sb.expectEvent({ notice_type: 'group_decrease', sub_type: 'kick', user_id: 20008, operator_id: 20001 });
    await sb.expectWorld({ member: { group: LOUNGE, user: 'Heidi', present: false } });
    await assert.rejects(sb.act({ request: 'join', as: 'Heidi', in: LOUNGE }), ControlError);
  });

  test('mute and lift', async () => {
    await sb.act({ mute: 'Eve', in: LOUNGE, as: 'Alice', duration: 60 });
    await sb.expectEvent({ notice_type: 'group_ban', sub_type: 'ban', user_id: 20005, duration: 60 });
    await sb.expectWorld({ member: { group: LOUNGE, user: 'Eve', muted: true } });
    await sb.act({ mute: 'Eve', in: LOUNGE, as: 'Alice', duration: 0 });
    await sb.expectEvent({ notice_type: 'group_ban', sub_type: 'lift_ban', user_id: 20005 });
  });

  test('requests: friend, join, invitation of the bot — each with its flag', async () => {
    const friend = await sb.act({ request: 'friend', as: 'Grace', comment: 'hello' });
    await sb.expectEvent({ post_type: 'request', request_type: 'friend', user_id: 20007, comment: 'hello', flag: friend['flag'] });
    const join = await sb.act({ request: 'join', as: 'Frank', in: LOUNGE, comment: 'let me in' });
    await sb.expectEvent({ request_type: 'group', sub_type: 'add', group_id: LOUNGE, user_id: 20006, flag: join['flag'] });
    const group = (await sb.control('POST', '/api/groups', { group_id: 200001, group_name: 'Elsewhere', owner_id: 20001 })) as { group_id: number };
    const invite = await sb.act({ request: 'invite', as: 'Alice', in: group.group_id });
    await sb.expectEvent({ request_type: 'group', sub_type: 'invite', group_id: group.group_id, user_id: 20001, flag: invite['flag'] });
  });

  test('upload, by size and by content', async () => {
    await sb.act({ upload: 'notes.pdf', as: 'Alice', in: WORKSHOP, size: 1234 });
    await sb.expectEvent({ notice_type: 'group_upload', group_id: WORKSHOP, user_id: 20001, file: { name: 'notes.pdf', size: 1234, busid: 102 } });
    await sb.act({ upload: 'hello.txt', as: 'Alice', in: WORKSHOP, content: 'hello' });
    await sb.expectEvent({ notice_type: 'group_upload', file: { name: 'hello.txt', size: 5 } });
  });

  test('a raw event reaches the bot as given, time and self_id filled in when absent', async () => {
    const answer = await sb.act({ raw_event: { post_type: 'notice', notice_type: 'offline_file', user_id: 20001, file: { name: 'a.txt', size: 3, url: 'http://x/a.txt' } } });
    const event = await sb.expectEvent({ notice_type: 'offline_file', file: { name: 'a.txt' } });
    assert.deepEqual(event, answer['event']);
    assert.equal(event['self_id'], sb.connection.selfId);
    assert.ok(Math.abs(Number(event['time']) - Date.now() / 1000) < 5);
    await sb.act({ raw_event: { post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: 'connect', time: 1, self_id: 42 } });
    assert.deepEqual(await sb.expectEvent({ meta_event_type: 'lifecycle' }), { post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: 'connect', time: 1, self_id: 42 });
    for (const body of [{}, { event: [] }, { event: { notice_type: 'x' } }, { event: { post_type: '' } }]) {
      await assert.rejects(sb.control('POST', '/api/events', body), (err: unknown) => err instanceof ControlError && err.status === 400 && /event/.test(err.message));
    }
  });

  test('react, essence, card, title, admin, whole-group ban, an admin answering a join request, lucky king, honour, anonymous speech', async () => {
    const { message_id } = await sb.say('worth keeping', { as: 'Carol', in: WORKSHOP });
    await sb.act({ react: message_id, as: 'Dave', emoji: 76 });
    await sb.expectEvent({ notice_type: 'group_msg_emoji_like', message_id, user_id: 20004, is_add: true, likes: [{ emoji_id: '76', count: 1 }] });
    await sb.act({ essence: message_id, as: 'Alice' });
    await sb.expectEvent({ notice_type: 'essence', sub_type: 'add', message_id, operator_id: 20001 });
    await sb.act({ card: 'Dave', in: WORKSHOP, as: 'Alice', value: 'dave the builder' });
    await sb.expectEvent({ notice_type: 'group_card', group_id: WORKSHOP, user_id: 20004, card_new: 'dave the builder' });
    await sb.act({ title: 'Dave', in: WORKSHOP, as: 'Alice', value: 'builder' });
    await sb.expectEvent({ notice_type: 'notify', sub_type: 'title', user_id: 20004, title: 'builder' });
    await sb.expectWorld({ member: { group: WORKSHOP, user: 'Dave', card: 'dave the builder', title: 'builder' } });
    await sb.act({ admin: 'Dave', in: WORKSHOP, as: 'Alice' });
    await sb.expectEvent({ notice_type: 'group_admin', sub_type: 'set', group_id: WORKSHOP, user_id: 20004 });
    await sb.act({ admin: 'Dave', in: WORKSHOP, as: 'Alice', enable: false });
    await sb.expectEvent({ notice_type: 'group_admin', sub_type: 'unset', user_id: 20004 });
    await sb.act({ whole_ban: 'Bot Workshop', as: 'Alice' });
    await sb.expectEvent({ notice_type: 'group_ban', group_id: WORKSHOP, user_id: 0, duration: -1 });
    await sb.act({ whole_ban: WORKSHOP, as: 'Alice', enable: false });
    await sb.expectEvent({ notice_type: 'group_ban', group_id: WORKSHOP, user_id: 0, duration: 0 });
    const { flag } = (await sb.act({ request: 'join', as: 'Heidi', in: QUIET })) as { flag: string };
    await sb.expectNone({ event: { request_type: 'group', user_id: 20008 } }, { quiet: 100 }); // only admins see join requests
    await sb.act({ answer: flag, as: 'Bob' });
    await sb.expectEvent({ notice_type: 'group_increase', sub_type: 'approve', group_id: QUIET, user_id: 20008, operator_id: 20002 });
    await sb.act({ lucky_king: 'Dave', in: WORKSHOP, as: 'Alice' });
    await sb.expectEvent({ notice_type: 'notify', sub_type: 'lucky_king', group_id: WORKSHOP, user_id: 20001, target_id: 20004 });
    await sb.act({ honor: 'talkative', in: WORKSHOP, as: 'Dave' });
    await sb.expectEvent({ notice_type: 'notify', sub_type: 'honor', honor_type: 'talkative', user_id: 20004 });
    await sb.control('POST', `/api/groups/${WORKSHOP}/anonymous`, { operator: 20001 });
    await sb.act({ say: 'guess who', as: 'Carol', in: WORKSHOP, anonymous: true });
    await sb.expectEvent({ message_type: 'group', sub_type: 'anonymous', raw_message: 'guess who', anonymous: { name: '$any' } });
  });

  test('a refused act says why', async () => {
    await assert.rejects(sb.act({ kick: 'Alice', in: QUIET, as: 'Carol' }), (err: unknown) => err instanceof ControlError && /Carol|20003/.test(err.message));
  });
});

describe('acts as scenario steps', () => {
  test('every act, wait and save, run by the scenario engine', async () => {
    const sb = await startSandbox({ timeout: 2000, quiet: 200 });
    try {
      const [loaded] = parseScenarios(`
scenario: every act
steps:
  - say: hi
    as: Carol
    in: Sandbox Lounge
    save: { said: message_id }
    expect:
      - event: { message_type: group, message_id: "\${said}" }
  - recall: \${said}
    as: Carol
    expect:
      - event: { notice_type: group_recall, message_id: "\${said}" }
  - poke: Dave
    as: Carol
    in: Sandbox Lounge
    expect:
      - event: { sub_type: poke, target_id: 20004 }
  - join: Bot Workshop
    as: Heidi
    expect:
      - event: { notice_type: group_increase, group_id: 100002, user_id: 20008 }
  - leave: Bot Workshop
    as: Heidi
    expect:
      - event: { notice_type: group_decrease, sub_type: leave, user_id: 20008 }
  - kick: Frank
    in: Bot Workshop
    as: Alice
    expect:
      - event: { notice_type: group_decrease, sub_type: kick, user_id: 20006 }
      - world: { member: { group: Bot Workshop, user: Frank, present: false } }
  - mute: Dave
    in: Bot Workshop
    as: Alice
    duration: 2m
    expect:
      - event: { notice_type: group_ban, user_id: 20004, duration: 120 }
  - request: friend
    as: Grace
    comment: hi
    save: { flag: flag }
    expect:
      - event: { request_type: friend, flag: "\${flag}" }
  - request: join
    as: Heidi
    in: Bot Workshop
    expect:
      - event: { request_type: group, sub_type: add, user_id: 20008 }
  - upload: plan.txt
    as: Alice
    in: Bot Workshop
    content: the plan
    expect:
      - event: { notice_type: group_upload, file: { name: plan.txt, size: 8 } }
  - say: keep this
    as: Carol
    in: Bot Workshop
    save: { kept: message_id }
  - essence: \${kept}
    as: Alice
    expect:
      - event: { notice_type: essence, sub_type: add, message_id: "\${kept}" }
  - react: \${kept}
    as: Dave
    emoji: 128077
    expect:
      - event: { notice_type: group_msg_emoji_like, message_id: "\${kept}", likes: [{ emoji_id: "128077", count: 1 }] }
  - card: Carol
    in: Bot Workshop
    as: Alice
    value: carol the admin
    expect:
      - world: { member: { group: Bot Workshop, user: Carol, card: carol the admin } }
  - title: Carol
    in: Bot Workshop
    as: Alice
    value: star
    expect:
      - event: { sub_type: title, title: star }
  - admin: Dave
    in: Bot Workshop
    as: Alice
    expect:
      - world: { member: { group: Bot Workshop, user: Dave, role: admin } }
  - honor: performer
    in: Bot Workshop
    as: Carol
    expect:
      - event: { sub_type: honor, honor_type: performer, user_id: 20003 }
  - lucky_king: Carol
    in: Bot Workshop
    as: Alice
    expect:
      - event: { sub_type: lucky_king, target_id: 20003 }
  - whole_ban: Bot Workshop
    as: Alice
    enable: false
    expect:
      - event: { notice_type: group_ban, user_id: 0, duration: 0 }
  - raw_event: { post_type: notice, notice_type: group_card, group_id: 100002, user_id: 20001, card_new: boss, card_old: "" }
    expect:
      - event: { notice_type: group_card, card_new: boss, self_id: 10001000 }
  - wait: 150ms
  - name: nothing more
    expect:
      - none: { event: { request_type: friend } }
`, 'acts.yaml');
      assert.ok(loaded);
      const started = Date.now();
      const outcome = await runScenario(sb, loaded.scenario);
      assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
      assert.ok(Date.now() - started >= 150);
    } finally {
      await sb.close();
    }
  });
});

describe('raw_event in a scenario file', () => {
  test('needs an object with post_type, each problem at its line', () => {
    assert.throws(() => parseScenarios('scenario: x\nsteps:\n  - raw_event: { notice_type: x }\n  - raw_event: ping\n    as: Carol\n', 'x.yaml'), (err: unknown) => {
      const problems = (err as { problems: string[] }).problems;
      assert.deepEqual(problems, [
        'x.yaml:3: steps[0].raw_event: a raw event needs post_type (message, notice, request or meta_event)',
        'x.yaml:4: steps[1].raw_event: expected an event object (post_type, …)',
      ]);
      return true;
    });
  });
});

describe('requests lapse on the virtual clock', () => {
  test('unanswered for 7 days: listed expired, answering is FLAG_NOT_FOUND, the person may ask again', async () => {
    const sb = await startSandbox();
    try {
      const { flag } = (await sb.act({ request: 'friend', as: 'Grace' })) as { flag: string };
      await assert.rejects(sb.act({ request: 'friend', as: 'Grace' }), /already has a pending friend request/);
      await sb.advance('6d');
      const listed = async () => ((await sb.control('GET', '/api/requests')) as { requests: { flag: string; state: string }[] }).requests.find((r) => r.flag === flag)?.state;
      assert.equal(await listed(), 'pending');
      await sb.advance('1d');
      assert.equal(await listed(), 'expired');
      const answer = await sb.control('POST', '/api/call', { action: 'set_friend_add_request', params: { flag, approve: true } });
      assert.deepEqual([answer['retcode'], answer['msg']], [100, 'FLAG_NOT_FOUND']);
      assert.match(String(answer['wording']), /has expired: it was left unanswered for 7 days/);
      const again = (await sb.act({ request: 'friend', as: 'Grace' })) as { flag: string };
      assert.notEqual(again.flag, flag);
      const join = (await sb.act({ request: 'join', as: 'Heidi', in: WORKSHOP })) as { flag: string };
      await sb.advance('8d');
      const late = await sb.control('POST', '/api/call', { action: 'set_group_add_request', params: { flag: join.flag, sub_type: 'add', approve: true } });
      assert.equal(late['msg'], 'FLAG_NOT_FOUND');
      await sb.expectWorld({ member: { group: WORKSHOP, user: 'Heidi', present: false } }, { timeout: 200 });
    } finally {
      await sb.close();
    }
  });
});
