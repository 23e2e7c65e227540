/**
 * The world file: who exists, who is the bot's friend, which groups there are and who holds which
 * role. Validated with valibot; every problem is reported at once (structure first, then consistency).
 * Structural problems keep the wording they had since the first release (written out by the helpers
 * below; a value of the wrong type is worded as in the configuration, `protocol/invalid-input.ts`).
 */
import * as v from 'valibot';
import { expectedMessage } from '../../protocol/invalid-input.js';
import { isJsonObject } from '../../protocol/json.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `Invalid input: expected string, received number`. */
const expected = (type: string) => ({ input }: v.BaseIssue<unknown>) => expectedMessage(type, input);

/** An integer: a finite number, then an integer (either failure ends the checks), then in the safe range. */
const int = () => v.pipe(
  v.custom<number>((input) => typeof input === 'number' && Number.isFinite(input), expected('number')),
  v.custom<number>(Number.isInteger, 'Invalid input: expected int, received number'),
  v.check((n: number) => Number.isSafeInteger(n), ({ input }) =>
    (input > 0 ? `Too big: expected int to be <=${MAX_SAFE}` : `Too small: expected int to be >=${-MAX_SAFE}`)),
);
const POSITIVE = 'Too small: expected number to be >0';
const qq = v.pipe(int(), v.gtValue(0, POSITIVE), v.maxValue(MAX_SAFE, `Too big: expected number to be <=${MAX_SAFE}`));

const string = () => v.string(expected('string'));
const nonEmpty = () => v.pipe(string(), v.minLength(1, 'Too small: expected string to have >=1 characters'));
const oneOf = <const T extends readonly string[]>(options: T) =>
  v.picklist(options, `Invalid option: expected one of ${options.map((option) => `"${option}"`).join('|')}`);
const array = <S extends v.GenericSchema>(item: S) => v.array(item, expected('array'));

/**
 * An object (not an array) with the declared fields; a missing one gets the message its schema
 * gives `undefined`. Unknown keys are one problem at the object, after those of its fields.
 */
function strictObject<const E extends v.ObjectEntries>(entries: E) {
  // The object's only own issue: a declared field is missing (the custom schema refused non-objects).
  const missing = ({ path }: v.BaseIssue<unknown>): string => v.safeParse(entries[String(path?.[0]?.key)], undefined).issues?.[0].message ?? '';
  return v.pipe(
    v.custom<Record<string, unknown>>(isJsonObject, expected('object')),
    v.looseObject(entries, missing),
    v.rawCheck(({ dataset, addIssue }) => {
      const unknown = Object.keys(dataset.value as object).filter((key) => !Object.hasOwn(entries, key));
      if (unknown.length > 0) addIssue({ message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((key) => `"${key}"`).join(', ')}` });
    }),
    // Unknown keys were refused above: the output has the declared ones only.
    v.transform((value) => value as v.InferOutput<v.ObjectSchema<E, undefined>>),
  );
}

const userSchema = strictObject({
  user_id: qq,
  nickname: nonEmpty(),
  sex: v.optional(oneOf(['male', 'female', 'unknown'])),
  age: v.optional(v.pipe(int(), v.minValue(0, 'Too small: expected number to be >=0'), v.maxValue(255, 'Too big: expected number to be <=255'))),
  area: v.optional(string()),
});

const memberSchema = strictObject({
  user_id: qq,
  role: oneOf(['owner', 'admin', 'member']),
  card: v.optional(v.pipe(string(), v.check((s) => utf8Bytes(s) <= 60, 'a group card is at most 60 UTF-8 bytes'))),
  title: v.optional(v.pipe(string(), v.check((s) => utf8Bytes(s) <= 18, 'a special title is at most 18 UTF-8 bytes'))),
});

const groupSchema = strictObject({
  group_id: qq,
  group_name: nonEmpty(),
  max_member_count: v.optional(v.pipe(int(), v.gtValue(0, POSITIVE))),
  members: v.pipe(array(memberSchema), v.minLength(1, 'Too small: expected array to have >=1 items')),
});

/** The world file's shape (snake_case, as written by people). */
export const worldSchema = strictObject({
  /** Where an editor finds the JSON Schema (docs/world.schema.json); ignored by cqhttpd. */
  $schema: v.optional(string()),
  self_id: v.optional(qq),
  bot: strictObject({ nickname: nonEmpty() }),
  users: array(userSchema),
  friends: v.optional(array(strictObject({ user_id: qq, remark: v.optional(string()) })), () => []),
  groups: v.optional(array(groupSchema), () => []),
  /** Users that are further bot accounts of this world (docs/world.md#several-bots). */
  bots: v.optional(array(qq), () => []),
});

/** A validated world. */
export type WorldSpec = v.InferOutput<typeof worldSchema>;

/** A world file that does not validate; `problems` lists every one, as `path: message`. */
export class WorldFileError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`invalid sandbox world ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorldFileError';
    this.problems = problems;
  }
}

function duplicates(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** Consistency problems of a structurally valid world, given the bot's effective id. */
function consistencyProblems(w: WorldSpec, selfId: number): string[] {
  const problems: string[] = [];
  const userIds = new Set(w.users.map((u) => u.user_id));
  for (const id of duplicates(w.users.map((u) => u.user_id))) problems.push(`users: user_id ${id} appears more than once`);
  if (userIds.has(selfId)) problems.push(`users: user_id ${selfId} is the bot's own id; describe the bot under "bot"`);
  w.friends.forEach((f, i) => {
    if (f.user_id === selfId) problems.push(`friends[${i}]: the bot cannot be its own friend`);
    else if (!userIds.has(f.user_id)) problems.push(`friends[${i}]: user_id ${f.user_id} is not in users`);
  });
  for (const id of duplicates(w.friends.map((f) => f.user_id))) problems.push(`friends: user_id ${id} appears more than once`);
  w.bots.forEach((id, i) => {
    if (id === selfId) problems.push(`bots[${i}]: ${id} is the world's own bot; list only the other bot accounts`);
    else if (!userIds.has(id)) problems.push(`bots[${i}]: user_id ${id} is not in users`);
  });
  for (const id of duplicates(w.bots)) problems.push(`bots: user_id ${id} appears more than once`);
  for (const id of duplicates(w.groups.map((g) => g.group_id))) problems.push(`groups: group_id ${id} appears more than once`);
  w.groups.forEach((g, i) => {
    const at = `groups[${i}] (group ${g.group_id})`;
    const owners = g.members.filter((m) => m.role === 'owner').length;
    if (owners !== 1) problems.push(`${at}: a group needs exactly one owner, found ${owners}`);
    const max = g.max_member_count ?? 200;
    if (g.members.length > max) problems.push(`${at}: ${g.members.length} members exceed max_member_count ${max}`);
    for (const id of duplicates(g.members.map((m) => m.user_id))) problems.push(`${at}: member ${id} appears more than once`);
    g.members.forEach((m, j) => {
      if (m.user_id !== selfId && !userIds.has(m.user_id)) problems.push(`${at}.members[${j}]: user_id ${m.user_id} is not in users (nor the bot)`);
    });
  });
  return problems;
}

/**
 * Validate `data` as a world. The bot is `selfIdOverride` (the configured `self_id`, the sandbox's
 * `selfId` option), else the file's `self_id`, else `defaultSelfId`; when both the configuration and
 * the file name a bot and they differ, that is the one problem reported (a world is built around its
 * bot: every other check would fail for it). The result's `self_id` is the effective one.
 * @throws WorldFileError listing every problem
 */
export function parseWorld(data: unknown, source: string, selfIdOverride?: number, defaultSelfId = 10001000): WorldSpec & { self_id: number } {
  const parsed = v.safeParse(worldSchema, data);
  if (!parsed.success) {
    throw new WorldFileError(source, parsed.issues.map((i) => `${i.path !== undefined ? i.path.map((item) => String(item.key)).join('.') : '(top level)'}: ${i.message}`));
  }
  const own = parsed.output.self_id;
  if (selfIdOverride !== undefined && own !== undefined && own !== selfIdOverride) {
    throw new WorldFileError(source, [
      `self_id: the world is built around bot ${own}, but the configuration sets self_id = ${selfIdOverride}; unset self_id in the configuration (the world's bot is then used) or make the two agree`,
    ]);
  }
  const selfId = selfIdOverride ?? own ?? defaultSelfId;
  const problems = consistencyProblems(parsed.output, selfId);
  if (problems.length > 0) throw new WorldFileError(source, problems);
  return { ...parsed.output, self_id: selfId };
}
