/**
 * The backend contract: behaviour every `Backend` must show, expressed through the port alone plus a
 * description of the world it was set up with. Run it with {@link runBackendContract} from each
 * backend's test file (the sandbox today, bridges later).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../src/backend/port.js';
import { ApiError } from '../../src/protocol/errors.js';
import { contractAnonymous } from './contract-anonymous.js';
import { contractModeration } from './contract-moderation.js';
import { contractRecall } from './contract-recall.js';
import { contractRequests } from './contract-requests.js';
import { withSubject } from './contract-subject.js';
import type { ContractGroup, ContractWorld, MakeSubject } from './contract-subject.js';
import { expectApiError, text } from './helpers.js';

export type { ContractGroup, ContractStimuli, ContractSubject, ContractWorld, MakeSubject } from './contract-subject.js';
export { withSubject } from './contract-subject.js';

/** Register the whole contract suite for the backend `name`. */
export function runBackendContract(name: string, make: MakeSubject): void {
  describe(`backend contract: ${name}`, () => {
    contractInfo(make);
    contractMessaging(make);
    contractModeration(make);
    contractRecall(make);
    contractRequests(make);
    contractAnonymous(make);
  });
}

const ROLE_OF_BOT: Record<keyof ContractWorld['groups'], Role> = { botOwner: 'owner', botAdmin: 'admin', botMember: 'member' };

function contractInfo(make: MakeSubject): void {
  describe('information', () => {
    it('reports the login and the groups the bot is in, with consistent member counts', () => withSubject(make, async ({ backend, world }) => {
      const login = await backend.getLoginInfo();
      assert.equal(login.userId, backend.selfId);
      assert.ok(login.nickname.length > 0);
      const list = await backend.getGroupList();
      for (const g of Object.values(world.groups)) {
        const listed = list.find((x) => x.groupId === g.groupId);
        assert.ok(listed, `group ${g.groupId} is missing from getGroupList`);
        const members = await backend.getGroupMemberList(g.groupId);
        const info = await backend.getGroupInfo(g.groupId, false);
        assert.equal(info.memberCount, members.length);
        assert.equal(listed.memberCount, members.length);
        assert.ok(info.maxMemberCount >= info.memberCount);
      }
    }));

    it('reports every role as the world says', () => withSubject(make, async ({ backend, world }) => {
      for (const [key, g] of Object.entries(world.groups) as [keyof ContractWorld['groups'], ContractGroup][]) {
        assert.equal((await backend.getGroupMemberInfo(g.groupId, backend.selfId, false)).role, ROLE_OF_BOT[key]);
        assert.equal((await backend.getGroupMemberInfo(g.groupId, g.owner, false)).role, 'owner');
        for (const a of g.admins) assert.equal((await backend.getGroupMemberInfo(g.groupId, a, false)).role, 'admin');
        for (const m of g.members) assert.equal((await backend.getGroupMemberInfo(g.groupId, m, true)).role, 'member');
        const byId = new Map((await backend.getGroupMemberList(g.groupId)).map((m) => [m.userId, m]));
        assert.equal(byId.get(g.owner)?.role, 'owner');
        assert.equal(byId.size, 1 + g.admins.length + g.members.length + (g.owner === backend.selfId ? 0 : 1));
      }
    }));

    it('answers INVALID_DATA for what the bot cannot see', () => withSubject(make, async ({ backend, world }) => {
      await expectApiError(() => backend.getGroupInfo(world.unknownGroup, false), 'INVALID_DATA', new RegExp(String(world.unknownGroup)));
      await expectApiError(() => backend.getGroupMemberList(world.unknownGroup), 'INVALID_DATA');
      await expectApiError(() => backend.getGroupMemberInfo(world.groups.botOwner.groupId, world.stranger, false), 'INVALID_DATA', new RegExp(String(world.stranger)));
      await expectApiError(() => backend.getStrangerInfo(world.unknownUser, false), 'INVALID_DATA');
      const stranger = await backend.getStrangerInfo(world.stranger, false);
      assert.equal(stranger.userId, world.stranger);
      assert.ok(['male', 'female', 'unknown'].includes(stranger.sex));
    }));

    it('a failed read is a rejected promise, never a synchronous throw (the port may answer reads synchronously)', () => withSubject(make, async ({ backend, world }) => {
      const calls: [string, () => unknown][] = [
        ['getGroupInfo', () => backend.getGroupInfo(world.unknownGroup, false)],
        ['getGroupMemberList', () => backend.getGroupMemberList(world.unknownGroup)],
        ['getGroupMemberInfo', () => backend.getGroupMemberInfo(world.groups.botOwner.groupId, world.stranger, false)],
        ['getStrangerInfo', () => backend.getStrangerInfo(world.unknownUser, false)],
      ];
      for (const [name, call] of calls) {
        let pending: unknown;
        assert.doesNotThrow(() => { pending = call(); }, `${name} threw synchronously`);
        assert.ok(pending instanceof Promise, `${name} answered a failure without a promise`);
        await assert.rejects(pending, (err: unknown) => err instanceof ApiError && err.code === 'INVALID_DATA', name);
      }
    }));

    it('lists friends but not strangers', () => withSubject(make, async ({ backend, world }) => {
      const ids = (await backend.getFriendList()).map((f) => f.userId);
      assert.ok(ids.includes(world.friend));
      assert.ok(!ids.includes(world.stranger));
      assert.ok(!ids.includes(world.tempPeer));
    }));
  });
}

function contractMessaging(make: MakeSubject): void {
  describe('sending', () => {
    it('gives positive, increasing message ids', () => withSubject(make, async ({ backend, world }) => {
      const ids: number[] = [];
      for (const g of Object.values(world.groups)) ids.push((await backend.sendGroupMessage(g.groupId, text(`hi ${g.groupId}`))).messageId);
      ids.push((await backend.sendPrivateMessage(world.friend, text('hi friend'))).messageId);
      for (const id of ids) assert.ok(Number.isInteger(id) && id > 0 && id <= 2147483647, `bad id ${id}`);
      assert.deepEqual([...ids].sort((a, b) => a - b), ids);
      assert.equal(new Set(ids).size, ids.length);
    }));

    it('refuses a group the bot is not in (-9)', () => withSubject(make, async ({ backend, world }) => {
      await expectApiError(() => backend.sendGroupMessage(world.unknownGroup, text('x')), 'NOT_IN_GROUP', new RegExp(String(world.unknownGroup)));
    }));

    it('sends privately to a friend and to a group co-member, not to a stranger (-23) or an unknown user (-10)', () => withSubject(make, async ({ backend, world }) => {
      assert.ok((await backend.sendPrivateMessage(world.friend, text('a'))).messageId > 0);
      assert.ok((await backend.sendPrivateMessage(world.tempPeer, text('b'))).messageId > 0);
      await expectApiError(() => backend.sendPrivateMessage(world.stranger, text('c')), 'NO_RELATIONSHIP', new RegExp(String(world.stranger)));
      await expectApiError(() => backend.sendPrivateMessage(world.unknownUser, text('d')), 'USER_NOT_FOUND');
    }));

    it('enforces 4500 code points of text and 50 images (-3)', () => withSubject(make, async ({ backend, world }) => {
      const g = world.groups.botOwner.groupId;
      assert.ok((await backend.sendGroupMessage(g, text('😀'.repeat(4500)))).messageId > 0, 'astral characters count once');
      await expectApiError(() => backend.sendGroupMessage(g, text('x'.repeat(4501))), 'MESSAGE_EMPTY_OR_TOO_LONG', /4501/);
      const image = { type: 'image', data: { file: 'a.jpg' } };
      assert.ok((await backend.sendGroupMessage(g, Array.from({ length: 50 }, () => image))).messageId > 0);
      await expectApiError(() => backend.sendGroupMessage(g, Array.from({ length: 51 }, () => image)), 'MESSAGE_EMPTY_OR_TOO_LONG', /51 images/);
      await expectApiError(() => backend.sendPrivateMessage(world.friend, text('y'.repeat(4501))), 'MESSAGE_EMPTY_OR_TOO_LONG');
    }));
  });
}
