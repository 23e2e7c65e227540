import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const BOT = 10001000;
let t: TestApp | undefined;
// A fresh world per test: these acts change it.
beforeEach(async () => {
  await t?.close();
  t = await startTestApp();
});
after(() => t?.close());

const app = () => t as TestApp;
const retcode = async (action: string, params: Record<string, unknown>) => (await app().call(action, params)).body?.retcode;
const member = (groupId: number, userId: number) => app().app.backend.getWorld().groups.find((g) => g.groupId === groupId)?.members.find((m) => m.userId === userId);

test('set_group_kick: owner kicks admins and members; the member is gone', async () => {
  assert.equal(await retcode('set_group_kick', { group_id: GROUPS.botOwner, user_id: USERS.carol }), 0);
  assert.equal(member(GROUPS.botOwner, USERS.carol), undefined);
  assert.equal(await retcode('set_group_kick', { group_id: GROUPS.botOwner, user_id: USERS.alice, reject_add_request: 'true' }), 0);
  assert.ok(app().app.backend.getWorld().groups.find((g) => g.groupId === GROUPS.botOwner)?.blocked.includes(USERS.alice));
});

test('set_group_kick: refusals map to QQ codes', async () => {
  const cases: [Record<string, unknown>, number][] = [
    [{ group_id: GROUPS.botAdmin, user_id: USERS.carol }, -39], // admin bot vs admin
    [{ group_id: GROUPS.botAdmin, user_id: USERS.alice }, -39], // admin bot vs owner
    [{ group_id: GROUPS.botMember, user_id: USERS.carol }, -39], // member bot
    [{ group_id: GROUPS.botOwner, user_id: BOT }, -39], // self
    [{ group_id: GROUPS.botOwner, user_id: USERS.frank }, -10], // not in group
    [{ group_id: 424242, user_id: USERS.alice }, -9],
    [{ group_id: GROUPS.botOwner }, 100],
  ];
  for (const [params, code] of cases) assert.equal(await retcode('set_group_kick', params), code, JSON.stringify(params));
  assert.equal(await retcode('set_group_kick', { group_id: GROUPS.botAdmin, user_id: USERS.bob }), 0, 'admin kicks a member');
});

test('set_group_ban: default 1800 s, 0 lifts, limits and roles', async () => {
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave }), 0);
  const until = member(GROUPS.botOwner, USERS.dave)?.mutedUntil ?? 0;
  assert.ok(until > Date.now() / 1000 + 1700 && until <= Date.now() / 1000 + 1801, `muted for ~1800 s (${until})`);
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave, duration: 0 }), 0);
  assert.ok((member(GROUPS.botOwner, USERS.dave)?.mutedUntil ?? 0) <= Date.now() / 1000);
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave, duration: 2591999 }), 0);
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave, duration: 2592000 }), 100);
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave, duration: -1 }), 100);
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.alice, duration: '60' }), 0, 'owner bans an admin');
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botAdmin, user_id: USERS.carol, duration: 60 }), -39, 'admin cannot ban admin');
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botAdmin, user_id: USERS.alice, duration: 60 }), -39, 'nobody bans the owner');
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botAdmin, user_id: USERS.bob, duration: 60 }), 0, 'admin bans a member');
  assert.equal(await retcode('set_group_ban', { group_id: GROUPS.botMember, user_id: USERS.carol, duration: 60 }), -39, 'member cannot ban');
});

test('set_group_admin: only the owner sets and revokes admins', async () => {
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botOwner, user_id: USERS.carol }), 0);
  assert.equal(member(GROUPS.botOwner, USERS.carol)?.role, 'admin');
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botOwner, user_id: USERS.carol, enable: 'no' }), 0);
  assert.equal(member(GROUPS.botOwner, USERS.carol)?.role, 'member');
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botAdmin, user_id: USERS.bob }), -39);
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botMember, user_id: USERS.carol }), -39);
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botOwner, user_id: USERS.frank }), -10);
  assert.equal(await retcode('set_group_admin', { group_id: GROUPS.botOwner }), 100);
});

test('acts emit the notices QQ would', async () => {
  const events: Record<string, unknown>[] = [];
  app().app.backend.onEvent((e) => events.push(e));
  await app().call('set_group_ban', { group_id: GROUPS.botOwner, user_id: USERS.dave, duration: 600 });
  await app().call('set_group_admin', { group_id: GROUPS.botOwner, user_id: USERS.eve });
  await app().call('set_group_kick', { group_id: GROUPS.botOwner, user_id: USERS.carol });
  assert.deepEqual(
    events.map((e) => [e.notice_type, e.sub_type, e.user_id]),
    [['group_ban', 'ban', USERS.dave], ['group_admin', 'set', USERS.eve], ['group_decrease', 'kick', USERS.carol]],
  );
  assert.equal(events[0]?.duration, 600);
  assert.equal(events[0]?.operator_id, BOT);
});
