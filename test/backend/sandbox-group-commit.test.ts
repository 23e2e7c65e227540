/** Group commit: sends of one event-loop turn share a commit, yet each answer means "durable". */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GROUPS, openSandbox } from '../../src/backend/sandbox/index.js';
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
