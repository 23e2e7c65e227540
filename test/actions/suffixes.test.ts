import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GROUPS } from '../../src/backend/sandbox/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { enable_rate_limited_actions: 'true', rate_limit_interval: 300, access_token: 'kSLuTF2GC2Q4q4ugm3' } });
});
after(() => t.close());

const auth = { authorization: 'Bearer kSLuTF2GC2Q4q4ugm3' };
const texts = () => t.app.backend.listMessages({ groupId: GROUPS.botOwner }).map((m) => m.rawMessage);
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('the README example: GET with query parameters and a token', async () => {
  const res = await t.get(`send_group_msg?group_id=${GROUPS.botOwner}&message=hello&access_token=kSLuTF2GC2Q4q4ugm3`);
  assert.equal(res.status, 200);
  assert.equal(res.body?.retcode, 0);
  assert.equal(texts().at(-1), 'hello');
  assert.equal((await t.get(`send_group_msg?group_id=${GROUPS.botOwner}&message=hello`)).status, 401);
  assert.equal((await t.get(`send_group_msg?group_id=${GROUPS.botOwner}&message=hello`, { authorization: 'Bearer nope' })).status, 403);
});

test('_async answers {"data":null,"retcode":1,"status":"async"} at once and the send happens', async () => {
  const res = await t.call('send_group_msg_async', { group_id: GROUPS.botOwner, message: 'async hello' }, auth);
  assert.equal(res.text, '{"data":null,"retcode":1,"status":"async"}');
  await until(() => texts().includes('async hello'));
  assert.equal((await t.call('no_such_action_async', {}, auth)).body?.retcode, 1);
  assert.equal((await t.call('send_group_msg_async_async', {}, auth)).status, 404);
});

test('_rate_limited sends in order, one every rate_limit_interval ms', async () => {
  const started = Date.now();
  for (let i = 1; i <= 3; i++) {
    const res = await t.call('send_group_msg_rate_limited', { group_id: GROUPS.botOwner, message: `limited ${i}` }, auth);
    assert.equal(res.body?.status, 'async');
  }
  // Answered at once: the third send waits two intervals behind the first, so it cannot have run yet
  // (a state check, not a clock check: a loaded machine may take long over the three requests).
  assert.ok(!texts().includes('limited 3'), 'answered before the queue could have run them');
  await until(() => texts().includes('limited 3'));
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 580, `two pauses of 300 ms between three sends (${elapsed} ms)`);
  const order = texts().filter((x) => x.startsWith('limited'));
  assert.deepEqual(order, ['limited 1', 'limited 2', 'limited 3']);
  const times = t.app.backend.listMessages({ groupId: GROUPS.botOwner }).filter((m) => m.rawMessage.startsWith('limited'));
  assert.equal(times.length, 3);
});

test('_rate_limited is 404 when enable_rate_limited_actions is off', async () => {
  const plain = await startTestApp();
  try {
    assert.equal((await plain.call('send_group_msg_rate_limited', { group_id: GROUPS.botOwner, message: 'x' })).status, 404);
  } finally {
    await plain.close();
  }
});
