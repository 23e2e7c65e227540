/** Opens sandboxes on temp dirs for the tests, and describes the default world for the contract. */
import { openSandbox } from '../../src/backend/sandbox/index.js';
import type { SandboxBackend, SandboxOptions } from '../../src/backend/sandbox/index.js';
import { DEFAULT_SELF_ID, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import type { ContractSubject, ContractWorld } from './contract.js';
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

/** A fresh default-world sandbox as a contract subject. */
export async function makeSandboxSubject(): Promise<ContractSubject> {
  const t = openTestSandbox();
  return { backend: t.sb, world: defaultContractWorld(), advanceSeconds: (s) => t.clock.advanceSeconds(s), dispose: () => t.dispose() };
}
