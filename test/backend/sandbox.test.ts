/** The sandbox backend: the shared contract, and the shape of the default world. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SELF_ID, FRIENDS, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { runBackendContract } from './contract.js';
import { defaultContractWorld, makeSandboxSubject, openTestSandbox } from './sandbox-fixture.js';

runBackendContract('sandbox', makeSandboxSubject);

describe('sandbox default world', () => {
  it('seeds the bot, eight users, three friends and three groups', async () => {
    const t = openTestSandbox();
    try {
      const w = t.sb.getWorld();
      assert.equal(w.selfId, DEFAULT_SELF_ID);
      assert.equal(t.sb.selfId, 10001000);
      assert.equal(w.bot.nickname, 'cqhttpd-bot');
      assert.deepEqual(w.users.map((u) => u.userId), Object.values(USERS));
      assert.equal(new Set(w.users.map((u) => u.nickname)).size, w.users.length, 'nicknames are distinct');
      assert.equal(new Set(w.users.map((u) => u.age)).size, w.users.length, 'ages are distinct');
      assert.deepEqual(new Set(w.users.map((u) => u.sex)), new Set(['male', 'female', 'unknown']));
      assert.deepEqual(w.friends.map((f) => f.userId), [...FRIENDS]);
      assert.deepEqual(w.groups.map((g) => g.groupId), [GROUPS.botOwner, GROUPS.botAdmin, GROUPS.botMember]);
    } finally {
      await t.dispose();
    }
  });

  it('matches the contract description role by role, with an owner, admins and members in every group', async () => {
    const t = openTestSandbox();
    try {
      const expected = defaultContractWorld();
      for (const g of t.sb.getWorld().groups) {
        const d = Object.values(expected.groups).find((x) => x.groupId === g.groupId);
        assert.ok(d);
        const byRole = (r: string): number[] => g.members.filter((m) => m.role === r && m.userId !== DEFAULT_SELF_ID).map((m) => m.userId).sort();
        assert.deepEqual(g.members.filter((m) => m.role === 'owner').map((m) => m.userId), [d.owner]);
        assert.deepEqual(byRole('admin'), [...d.admins].sort());
        assert.deepEqual(byRole('member'), [...d.members].sort());
        assert.ok(byRole('admin').length >= 1 && byRole('member').length >= 2);
        assert.ok(g.members.some((m) => m.userId === DEFAULT_SELF_ID), 'the bot is in every default group');
      }
    } finally {
      await t.dispose();
    }
  });

  it('seeds the default world for another selfId when asked', async () => {
    const t = openTestSandbox({ selfId: 424242 });
    try {
      assert.equal(t.sb.selfId, 424242);
      assert.equal((await t.sb.getLoginInfo()).userId, 424242);
      assert.equal((await t.sb.getGroupMemberInfo(GROUPS.botOwner, 424242, false)).role, 'owner');
      await assert.rejects(async () => t.sb.getGroupMemberInfo(GROUPS.botOwner, DEFAULT_SELF_ID, false));
    } finally {
      await t.dispose();
    }
  });
});
