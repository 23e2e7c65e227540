/** Group commit: sends of one event-loop turn share a commit, yet each answer means "durable". */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { pino } from 'pino';
import { SandboxContext } from '../../src/backend/sandbox/context.js';
import { Hub } from '../../src/backend/sandbox/hub.js';
import { GROUPS, openSandbox } from '../../src/backend/sandbox/index.js';
import { Store } from '../../src/backend/sandbox/store/index.js';
import { cleanupDir, makeTempDir, text } from './helpers.js';

it('sends of one turn get ordered ids, their events before their answers, and survive a reopen', async (t) => {
  const dir = makeTempDir();
  try {
    const sb = openSandbox({ dataDir: dir });
    const announced: number[] = [];
    sb.onMessage((m) => announced.push(m.messageId));
    const seenAtAnswer: number[] = [];
    const send = (i: number): Promise<number> => sb.sendGroupMessage(GROUPS.botOwner, text(`batched ${i}`)).then((sent) => {
      seenAtAnswer.push(announced.length);
      return sent.messageId;
    });
    const sends = Array.from({ length: 5 }, (_, i) => send(i));
    // Queued in the middle of the batch: it fails when the batch runs, and the others still commit.
    const failing = assert.rejects(sb.sendGroupMessage(424242, text('nowhere')), (err: { code?: string }) => err.code === 'NOT_IN_GROUP', 'a failing act rejects alone');
    for (let i = 5; i < 10; i++) sends.push(send(i));
    const ids = await Promise.all(sends);
    await failing;
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids follow the call order');
    assert.equal(new Set(ids).size, 10);
    assert.deepEqual(announced, ids, 'announced in order');
    assert.ok(seenAtAnswer.every((n) => n === 10), 'every message of the batch is announced (after the commit) before any answer');
    // A control-surface act in the same turn commits the pending batch first, keeping the order.
    const pending = sb.sendGroupMessage(GROUPS.botOwner, text('before the user'));
    sb.postMessage({ from: 20003, groupId: GROUPS.botOwner, message: text('user reply') });
    await pending;
    const raws = sb.listMessages({ groupId: GROUPS.botOwner }).map((m) => m.rawMessage);
    assert.deepEqual(raws.slice(-2), ['before the user', 'user reply']);
    await sb.close();
    const again = openSandbox({ dataDir: dir });
    assert.equal(again.listMessages({ groupId: GROUPS.botOwner }).length, 12, 'every answered send is on disk');
    await again.close();
  } finally {
    cleanupDir(t, dir);
  }
});

it('an act that fails after writing is undone alone: the batch runs again with a savepoint per act', async (t) => {
  const dir = makeTempDir();
  cleanupDir(t, dir);
  const store = Store.open(join(dir, 'sandbox.db'));
  const log = pino({ level: 'silent' });
  const ctx = new SandboxContext({ store, selfId: 1, rules: { allowTempSessions: true }, log, hub: new Hub(log, 'event'), messages: new Hub(log, 'stored message'), now: Date.now });
  try {
    const runs: string[] = [];
    const addUser = (userId: number, fail = false) => ctx.actBatched(() => {
      runs.push(`${userId}`);
      store.users.insert({ userId, nickname: `user ${userId}` });
      if (fail) throw new Error(`user ${userId}: fails after its insert`);
      return userId;
    });
    const first = [addUser(101), addUser(102, true), addUser(103)];
    const settled = await Promise.allSettled(first);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /102: fails after its insert/);
    assert.deepEqual(runs, ['101', '102', '101', '102', '103'], 'unguarded until the failure, then the whole batch again, guarded');
    assert.deepEqual([101, 102, 103].map((id) => store.users.get(id)?.nickname), ['user 101', undefined, 'user 103'], 'only the failing act is undone');

    runs.length = 0; // the next batch starts guarded: no second run even when an act fails
    const next = await Promise.allSettled([addUser(104, true), addUser(105)]);
    assert.deepEqual(next.map((s) => s.status), ['rejected', 'fulfilled']);
    assert.deepEqual(runs, ['104', '105']);
    assert.equal(store.users.get(104), undefined);
  } finally {
    store.close();
  }
});
