/**
 * The `onebot` backend against a small fake upstream (a real `ws` server) that drifts like real
 * ones: ids as strings, an action that never answers, a dropped connection, a token to check.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { silentLogger } from '../../../src/app/logger.js';
import { openOnebot } from '../../../src/backend/onebot/index.js';
import type { BackendEvent } from '../../../src/backend/port.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { until } from '../../helpers/wait.js';
import { startFakeUpstream } from './fake-upstream.js';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-bridge-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('string ids become integers, an unanswered call fails at its deadline, the token is sent', async (t) => {
  const upstream = await startFakeUpstream((frame) => {
    if (frame.action === 'get_login_info') return { user_id: '123456789', nickname: 'real bot' };
    if (frame.action === 'get_group_member_info') return { group_id: '42', user_id: String(frame.params['user_id']), role: 'admin', join_time: '1700000000', nickname: 'n' };
    if (frame.action === 'send_group_msg') return { message_id: '7a4c-msg' };
    return undefined; // everything else hangs
  }, { t });
  const backend = await openOnebot({ dataDir: tempDir(t), url: upstream.url, accessToken: 'tok', selfId: undefined, logger: silentLogger(), callTimeoutMs: 200 });
  t.after(() => backend.close());
  assert.equal(backend.selfId, 123456789);
  assert.deepEqual(upstream.auth, ['Bearer tok']);
  const member = await backend.getGroupMemberInfo(42, 7, false);
  assert.equal(member.groupId, 42);
  assert.equal(member.userId, 7);
  assert.equal(member.joinTime, 1700000000);
  assert.equal(member.role, 'admin');

  const sent = await backend.sendGroupMessage(42, [{ type: 'text', data: { text: 'hi' } }]);
  assert.equal(sent.messageId, 1);
  assert.equal((await backend.sendGroupMessage(42, [{ type: 'text', data: { text: 'again' } }])).messageId, 1, 'the same upstream id maps to the same message_id');

  const started = Date.now();
  await assert.rejects(Promise.resolve(backend.getGroupInfo(42, false)), (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_TIMEOUT');
  assert.ok(Date.now() - started < 1000);
  // get_msg hangs upstream too, and cqhttpd has no copy of this message: the deadline answers.
  await assert.rejects(backend.getMessage(sent.messageId), (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_TIMEOUT');
});

test('events: string ids as integers, message ids mapped (quoted replies too), meta events dropped; a copy serves get_msg', async (t) => {
  let hang = false;
  const upstream = await startFakeUpstream((frame) => {
    if (frame.action === 'get_login_info') return { user_id: 123456789, nickname: 'real bot' };
    return hang ? undefined : { message_id: frame.params['message_id'], message: 'fresh', post_type: 'message', message_type: 'group' };
  }, { t });
  const backend = await openOnebot({ dataDir: tempDir(t), url: upstream.url, accessToken: '', selfId: 123456789, logger: silentLogger(), callTimeoutMs: 200 });
  t.after(() => backend.close());
  assert.deepEqual(upstream.auth, [undefined]);
  const events: BackendEvent[] = [];
  backend.onEvent((event) => events.push(event));
  backend.ready();
  upstream.push({ post_type: 'meta_event', meta_event_type: 'heartbeat', self_id: 123456789, time: 1 });
  upstream.push({
    post_type: 'message', message_type: 'group', sub_type: 'normal', message_id: 'u-1', group_id: '42', user_id: '7', self_id: '123456789', time: '1700000000',
    message: [{ type: 'text', data: { text: 'first' } }], raw_message: 'first', font: 0, sender: { user_id: 7 },
  });
  upstream.push({
    post_type: 'message', message_type: 'group', sub_type: 'normal', message_id: -99, group_id: 42, user_id: 7, self_id: 123456789, time: 1700000001,
    message: '[CQ:reply,id=u-1]second', raw_message: '[CQ:reply,id=u-1]second', font: 0, sender: { user_id: 7 },
  });
  upstream.push({ post_type: 'notice', notice_type: 'group_recall', group_id: '42', user_id: '7', operator_id: '7', message_id: -99, self_id: 123456789, time: 1700000002 });
  await until(() => events.length === 3);
  assert.deepEqual(events.map((e) => e['message_id']), [1, 2, 2]);
  assert.equal(events[0]!['group_id'], 42);
  assert.equal(events[0]!['self_id'], 123456789);
  assert.equal(events[0]!['time'], 1700000000);
  assert.deepEqual(events[1]!['message'], [{ type: 'reply', data: { id: '1' } }, { type: 'text', data: { text: 'second' } }]);

  // Answered by the upstream when it can, from cqhttpd's copy when it hangs; recalled → not found.
  assert.deepEqual((await backend.getMessage(1)).message, [{ type: 'text', data: { text: 'fresh' } }]);
  hang = true;
  assert.deepEqual((await backend.getMessage(1)).message, [{ type: 'text', data: { text: 'fresh' } }]);
  await assert.rejects(backend.getMessage(2), (err: unknown) => err instanceof ApiError && err.code === 'MESSAGE_NOT_FOUND');
});

test('a dropped upstream: calls in flight and new calls fail at once, then it reconnects by itself', async (t) => {
  const upstream = await startFakeUpstream((frame) => (frame.action === 'get_login_info' ? { user_id: 5, nickname: 'b' } : frame.action === 'get_friend_list' ? [] : undefined), { t });
  const backend = await openOnebot({ dataDir: tempDir(t), url: upstream.url, accessToken: '', selfId: undefined, logger: silentLogger(), minBackoffMs: 50, maxBackoffMs: 100 });
  t.after(() => backend.close());
  const inFlight = Promise.resolve(backend.getGroupInfo(1, false)); // never answered
  await new Promise((resolve) => setTimeout(resolve, 20));
  upstream.drop();
  await assert.rejects(inFlight, (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_OFFLINE');
  await until(() => !backend.isOnline(), 1000);
  await assert.rejects(Promise.resolve(backend.getFriendList()), (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_OFFLINE');
  await until(() => backend.isOnline(), 3000);
  assert.deepEqual(await backend.getFriendList(), []);
  assert.equal(upstream.auth.length, 2);
});

test('starting with the upstream away: self_id or the data directory\'s last bot, else a clear refusal', async (t) => {
  const dir = tempDir(t);
  const away = 'ws://127.0.0.1:9/'; // discard port: nothing listens
  await assert.rejects(openOnebot({ dataDir: dir, url: away, accessToken: '', selfId: undefined, logger: silentLogger(), connectTimeoutMs: 200 }), /set self_id or start the upstream first/);
  const offline = await openOnebot({ dataDir: dir, url: away, accessToken: '', selfId: 777, logger: silentLogger(), connectTimeoutMs: 200 });
  assert.equal(offline.selfId, 777);
  assert.equal(offline.isOnline(), false);
  await assert.rejects(Promise.resolve(offline.getLoginInfo()), (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_OFFLINE');
  await assert.rejects(offline.getForwardMessage('x'), (err: unknown) => err instanceof ApiError && err.code === 'BACKEND_OFFLINE');
  await offline.close();
  const again = await openOnebot({ dataDir: dir, url: away, accessToken: '', selfId: undefined, logger: silentLogger(), connectTimeoutMs: 200 });
  assert.equal(again.selfId, 777);
  await again.close();
});
