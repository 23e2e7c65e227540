/** Opens sandboxes on temp dirs for the tests, and describes the default world for the contract. */
import { openSandbox } from '../../src/backend/sandbox/index.js';
import type { SandboxBackend, SandboxOptions } from '../../src/backend/sandbox/index.js';
import { DEFAULT_SELF_ID, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { ContractStimuli, ContractSubject, ContractWorld } from './contract.js';
import { FakeClock, makeTempDir, removeDir } from './helpers.js';

/** An open sandbox on a fresh temp dir with a fake clock. */
export interface TestSandbox {
  sb: SandboxBackend;
  dir: string;
  clock: FakeClock;
  dispose(): Promise<void>;
}

/** Open a sandbox on a fresh temp dir (default world unless `options` say otherwise). */
export function openTestSandbox(options: Partial<SandboxOptions> = {}): TestSandbox {
  const dir = options.dataDir ?? makeTempDir();
  const clock = new FakeClock();
  const sb = openSandbox({ now: clock.now, ...options, dataDir: dir });
  return {
    sb, dir, clock,
    async dispose() {
      await sb.close();
      removeDir(dir);
    },
  };
}

/** The default world as the contract sees it. */
export function defaultContractWorld(selfId: number = DEFAULT_SELF_ID): ContractWorld {
  const u = USERS;
  return {
    groups: {
      botOwner: { groupId: GROUPS.botOwner, owner: selfId, admins: [u.alice, u.bob], members: [u.carol, u.dave, u.eve] },
      botAdmin: { groupId: GROUPS.botAdmin, owner: u.alice, admins: [u.carol], members: [u.bob, u.dave, u.frank] },
      botMember: { groupId: GROUPS.botMember, owner: u.bob, admins: [u.alice, u.dave], members: [u.carol, u.eve, u.grace] },
    },
    friend: u.alice,
    tempPeer: u.dave,
    stranger: u.heidi,
    unknownUser: 29999,
    unknownGroup: 199999,
  };
}

/** A group the bot is not in, made on demand for invitations (owner Heidi). */
export const FOREIGN_GROUP = 300001;

/** The contract's stimuli, acted out on the sandbox's control surface. */
export function sandboxStimuli(sb: SandboxBackend): ContractStimuli {
  return {
    async requestFriend(userId, comment) {
      sb.requestFriendAs(userId, comment);
    },
    async applyToJoin(userId, groupId, comment) {
      sb.applyToJoinAs(userId, groupId, comment);
    },
    async inviteBot() {
      sb.createGroup({ groupId: FOREIGN_GROUP, groupName: 'Elsewhere', ownerId: USERS.heidi });
      sb.inviteBotAs(USERS.heidi, FOREIGN_GROUP, 'come help');
      return { groupId: FOREIGN_GROUP, inviterId: USERS.heidi };
    },
    async setAnonymous(groupId, enable) {
      const owner = sb.getWorld().groups.find((g) => g.groupId === groupId)?.members.find((m) => m.role === 'owner')?.userId ?? 0;
      sb.setAnonymousAs(owner, groupId, enable);
    },
    async speakAnonymously(userId, groupId, message) {
      sb.postAnonymousMessage({ from: userId, groupId, message: [{ type: 'text', data: { text: message } }] });
    },
  };
}

/** A fresh default-world sandbox as a contract subject. */
export async function makeSandboxSubject(): Promise<ContractSubject> {
  const t = openTestSandbox();
  return {
    backend: t.sb, world: defaultContractWorld(), stimuli: sandboxStimuli(t.sb),
    advanceSeconds: (s) => t.clock.advanceSeconds(s), dispose: () => t.dispose(),
  };
}

/** Run `fn` on a fresh default-world sandbox, disposing of it afterwards. */
export async function withSandbox(fn: (t: TestSandbox) => Promise<void> | void, options: Partial<SandboxOptions> = {}): Promise<void> {
  const t = openTestSandbox(options);
  try {
    await fn(t);
  } finally {
    await t.dispose();
  }
}
