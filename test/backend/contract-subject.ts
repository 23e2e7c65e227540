/** The contract's fixture types: a backend plus a description of the world it was set up with. */
import type { Backend } from '../../src/backend/port.js';

/** A group of the fixture; the id lists leave the bot out. */
export interface ContractGroup {
  groupId: number;
  /** The owner (the bot's id in the group the bot owns). */
  owner: number;
  admins: readonly number[];
  members: readonly number[];
}

/** What the backend's world holds, as far as the contract needs to know. */
export interface ContractWorld {
  /** Groups where the bot is owner, admin, plain member; each has at least one admin and member besides the bot. */
  groups: { botOwner: ContractGroup; botAdmin: ContractGroup; botMember: ContractGroup };
  /** A friend of the bot. */
  friend: number;
  /** A non-friend who shares a group with the bot (temporary sessions allowed). */
  tempPeer: number;
  /** An existing user who is neither a friend nor in a group with the bot. */
  stranger: number;
  /** Ids that exist nowhere. */
  unknownUser: number;
  unknownGroup: number;
}

/**
 * What the other people in the world do, for the cases the bot can only react to (requests,
 * anonymous messages). Each resolves once the backend has emitted the resulting event, if any.
 */
export interface ContractStimuli {
  /** `userId`, not yet the bot's friend, asks to become one. */
  requestFriend(userId: number, comment: string): Promise<void>;
  /** `userId`, no member of `groupId`, applies to join it. */
  applyToJoin(userId: number, groupId: number, comment: string): Promise<void>;
  /** Someone invites the bot into a group it is not in; tells which group and who invited. */
  inviteBot(): Promise<{ groupId: number; inviterId: number }>;
  /** The group's owner switches anonymous chat. */
  setAnonymous(groupId: number, enable: boolean): Promise<void>;
  /** `userId`, a member, speaks anonymously (anonymous chat must be on). */
  speakAnonymously(userId: number, groupId: number, text: string): Promise<void>;
}

/** One freshly set-up backend. */
export interface ContractSubject {
  backend: Backend;
  world: ContractWorld;
  /** Absent when the backend cannot be driven from the other side (those cases are skipped). */
  stimuli?: ContractStimuli;
  /** Move the backend's clock; absent when it runs on real time (time-limit cases are skipped). */
  advanceSeconds?: (seconds: number) => void;
  dispose(): Promise<void>;
}

/** Makes a fresh subject for each test case. */
export type MakeSubject = () => Promise<ContractSubject>;

/** Run `fn` on a fresh subject and dispose of it afterwards. */
export async function withSubject(make: MakeSubject, fn: (s: ContractSubject) => Promise<void>): Promise<void> {
  const s = await make();
  try {
    await fn(s);
  } finally {
    await s.dispose();
  }
}

