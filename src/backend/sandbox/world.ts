/**
 * The sandbox's world: the default one seeded into an empty database, and the loader for a world file
 * (JSON, or YAML for `.yaml`/`.yml`) that replaces it. A world is seeded **once**, into an empty
 * database; later starts keep what the database holds (a world file given then is ignored with a
 * warning — delete `sandbox.db` to reseed). docs/world.md describes the file; docs/world.schema.json
 * is its JSON Schema, generated from `worldSchema`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { parseWorld, WorldFileError } from './world-schema.js';
import type { WorldSpec } from './world-schema.js';

/** `yaml` is loaded on the first YAML world file only (it costs ~1 MB of heap at every start otherwise). */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** The bot's QQ number when nothing else says. */
export const DEFAULT_SELF_ID = 10001000;

/** The default world's groups, named by the bot's role in each. */
export const GROUPS = Object.freeze({
  /** "Sandbox Lounge": the bot is the owner. */
  botOwner: 100001,
  /** "Bot Workshop": the bot is an admin. */
  botAdmin: 100002,
  /** "Quiet Corner": the bot is a plain member. */
  botMember: 100003,
} as const);

/** The default world's people. */
export const USERS = Object.freeze({
  alice: 20001,
  bob: 20002,
  carol: 20003,
  dave: 20004,
  eve: 20005,
  frank: 20006,
  grace: 20007,
  /** Neither a friend nor in any group: private messages to Heidi fail with NO_RELATIONSHIP. */
  heidi: 20008,
} as const);

/** The bot's friends in the default world (Alice, Bob, Carol). Everyone else in a group is temp-session only. */
export const FRIENDS: readonly number[] = Object.freeze([USERS.alice, USERS.bob, USERS.carol]);

/** The default world for a bot with id `selfId`. */
export function defaultWorld(selfId: number = DEFAULT_SELF_ID): WorldSpec & { self_id: number } {
  const u = USERS;
  return {
    self_id: selfId,
    bot: { nickname: 'cqhttpd-bot' },
    users: [
      { user_id: u.alice, nickname: 'Alice', sex: 'female', age: 24, area: 'Shanghai' },
      { user_id: u.bob, nickname: 'Bob', sex: 'male', age: 31, area: 'Beijing' },
      { user_id: u.carol, nickname: 'Carol', sex: 'female', age: 19, area: 'Chengdu' },
      { user_id: u.dave, nickname: 'Dave', sex: 'male', age: 42, area: 'Guangzhou' },
      { user_id: u.eve, nickname: 'Eve', sex: 'female', age: 27, area: 'Hangzhou' },
      { user_id: u.frank, nickname: 'Frank', sex: 'male', age: 35, area: 'Shenzhen' },
      { user_id: u.grace, nickname: 'Grace', sex: 'unknown', age: 22, area: 'Wuhan' },
      { user_id: u.heidi, nickname: 'Heidi', sex: 'female', age: 29, area: 'Nanjing' },
    ],
    friends: [
      { user_id: u.alice, remark: 'Alice (ops)' },
      { user_id: u.bob },
      { user_id: u.carol, remark: 'Carol' },
    ],
    groups: [
      {
        group_id: GROUPS.botOwner, group_name: 'Sandbox Lounge', max_member_count: 200,
        members: [
          { user_id: selfId, role: 'owner', title: 'host' },
          { user_id: u.alice, role: 'admin', card: 'Alice | ops' },
          { user_id: u.bob, role: 'admin' },
          { user_id: u.carol, role: 'member', card: 'carol' },
          { user_id: u.dave, role: 'member' },
          { user_id: u.eve, role: 'member' },
        ],
      },
      {
        group_id: GROUPS.botAdmin, group_name: 'Bot Workshop', max_member_count: 500,
        members: [
          { user_id: u.alice, role: 'owner' },
          { user_id: selfId, role: 'admin', card: 'bot' },
          { user_id: u.carol, role: 'admin' },
          { user_id: u.bob, role: 'member' },
          { user_id: u.dave, role: 'member' },
          { user_id: u.frank, role: 'member' },
        ],
      },
      {
        group_id: GROUPS.botMember, group_name: 'Quiet Corner', max_member_count: 200,
        members: [
          { user_id: u.bob, role: 'owner' },
          { user_id: u.alice, role: 'admin' },
          { user_id: u.dave, role: 'admin' },
          { user_id: selfId, role: 'member' },
          { user_id: u.carol, role: 'member' },
          { user_id: u.eve, role: 'member' },
          { user_id: u.grace, role: 'member' },
        ],
      },
    ],
    bots: [],
  };
}

/**
 * Read and validate a world file: YAML when the name ends in `.yaml`/`.yml`, JSON otherwise.
 * @throws WorldFileError listing every problem (including unreadable or unparsable files)
 */
export function readWorldFile(file: string, selfIdOverride?: number): WorldSpec & { self_id: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WorldFileError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  const ext = extname(file).toLowerCase();
  let data: unknown;
  try {
    data = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new WorldFileError(file, [`not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON'}: ${(err as Error).message}`]);
  }
  return parseWorld(data, file, selfIdOverride, DEFAULT_SELF_ID);
}

export { parseWorld, WorldFileError, worldSchema } from './world-schema.js';
export type { WorldSpec } from './world-schema.js';
