import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FRIENDS, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { ok, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const MEMBER_KEYS = ['age', 'area', 'card', 'card_changeable', 'group_id', 'join_time', 'last_sent_time', 'level', 'nickname', 'role', 'sex', 'title', 'title_expire_time', 'unfriendly', 'user_id'];
const keys = (o: unknown) => Object.keys(o as object);

test('get_login_info: the bot account, sorted keys on the wire', async () => {
  const res = await t.get('get_login_info');
  assert.equal(res.status, 200);
  assert.equal(res.text, '{"data":{"nickname":"cqhttpd-bot","user_id":10001000},"retcode":0,"status":"ok"}');
});

test('get_stranger_info: four fields; numeric strings and no_cache coerced; unknown user → 102; missing → 100', async () => {
  const res = await t.get(`get_stranger_info?user_id=${USERS.alice}&no_cache=true`);
  assert.deepEqual(res.body?.data, { age: 24, nickname: 'Alice', sex: 'female', user_id: USERS.alice });
  assert.deepEqual(keys(res.body?.data), ['age', 'nickname', 'sex', 'user_id']);
  assert.equal((await t.call('get_stranger_info', { user_id: 99999 })).body?.retcode, 102);
  assert.equal((await t.call('get_stranger_info', {})).body?.retcode, 100);
  assert.equal((await t.call('get_stranger_info', { user_id: 'abc' })).body?.retcode, 100);
});

test('get_friend_list: {nickname, remark, user_id} for each friend', async () => {
  const friends = await ok<{ user_id: number; nickname: string; remark: string }[]>(t, 'get_friend_list');
  assert.deepEqual(friends.map((f) => f.user_id).sort(), [...FRIENDS].sort());
  for (const f of friends) assert.deepEqual(keys(f), ['nickname', 'remark', 'user_id']);
});

test('get_group_list and get_group_info: four fields with real counts', async () => {
  const groups = await ok<{ group_id: number; member_count: number }[]>(t, 'get_group_list');
  assert.deepEqual(groups.map((g) => g.group_id).sort(), [GROUPS.botOwner, GROUPS.botAdmin, GROUPS.botMember]);
  for (const g of groups) assert.deepEqual(keys(g), ['group_id', 'group_name', 'max_member_count', 'member_count']);
  const info = await ok<Record<string, unknown>>(t, 'get_group_info', { group_id: String(GROUPS.botOwner), no_cache: 'yes' });
  assert.deepEqual(info, { group_id: GROUPS.botOwner, group_name: 'Sandbox Lounge', max_member_count: 200, member_count: 6 });
  assert.equal((await t.call('get_group_info', { group_id: 424242 })).body?.retcode, 102);
  assert.equal((await t.call('get_group_info', {})).body?.retcode, 100);
});

test('get_group_member_info: the 15-field member object', async () => {
  const m = await ok<Record<string, unknown>>(t, 'get_group_member_info', { group_id: GROUPS.botOwner, user_id: USERS.alice });
  assert.deepEqual(keys(m), MEMBER_KEYS);
  assert.equal(m.role, 'admin');
  assert.equal(m.card, 'Alice | ops');
  assert.equal(m.nickname, 'Alice');
  assert.equal(typeof m.join_time, 'number');
  assert.equal(typeof m.unfriendly, 'boolean');
  const self = await ok<Record<string, unknown>>(t, 'get_group_member_info', { group_id: GROUPS.botOwner, user_id: 10001000 });
  assert.equal(self.role, 'owner');
  assert.equal((await t.call('get_group_member_info', { group_id: GROUPS.botOwner, user_id: USERS.frank })).body?.retcode, 102);
  assert.equal((await t.call('get_group_member_info', { group_id: 424242, user_id: USERS.alice })).body?.retcode, 102);
  assert.equal((await t.call('get_group_member_info', { group_id: GROUPS.botOwner })).body?.retcode, 100);
});

test('get_group_member_list: every member, each with the 15 fields', async () => {
  const list = await ok<{ user_id: number; role: string }[]>(t, 'get_group_member_list', { group_id: GROUPS.botMember });
  assert.equal(list.length, 7);
  for (const m of list) assert.deepEqual(keys(m), MEMBER_KEYS);
  assert.equal(list.filter((m) => m.role === 'owner').length, 1);
  assert.equal((await t.call('get_group_member_list', { group_id: 424242 })).body?.retcode, 102);
});
