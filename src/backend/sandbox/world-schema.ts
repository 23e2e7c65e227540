/**
 * The world file: who exists, who is the bot's friend, which groups there are and who holds which
 * role. Validated with zod; every problem is reported at once (structure first, then consistency).
 */
import { z } from 'zod';

const qq = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

const userSchema = z.strictObject({
  user_id: qq,
  nickname: z.string().min(1),
  sex: z.enum(['male', 'female', 'unknown']).optional(),
  age: z.int().min(0).max(255).optional(),
  area: z.string().optional(),
});

const memberSchema = z.strictObject({
  user_id: qq,
  role: z.enum(['owner', 'admin', 'member']),
  card: z.string().refine((s) => utf8Bytes(s) <= 60, 'a group card is at most 60 UTF-8 bytes').optional(),
  title: z.string().refine((s) => utf8Bytes(s) <= 18, 'a special title is at most 18 UTF-8 bytes').optional(),
});

const groupSchema = z.strictObject({
  group_id: qq,
  group_name: z.string().min(1),
  max_member_count: z.int().positive().optional(),
  members: z.array(memberSchema).min(1),
});

/** The world file's shape (snake_case, as written by people). */
export const worldSchema = z.strictObject({
  self_id: qq.optional(),
  bot: z.strictObject({ nickname: z.string().min(1) }),
  users: z.array(userSchema),
  friends: z.array(z.strictObject({ user_id: qq, remark: z.string().optional() })).default([]),
  groups: z.array(groupSchema).default([]),
});

/** A validated world. */
export type WorldSpec = z.infer<typeof worldSchema>;

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
 * Validate `data` as a world. `selfIdOverride` (the sandbox's `selfId` option) takes precedence over
 * the file's `self_id`; the result's `self_id` is the effective one.
 * @throws WorldFileError listing every problem
 */
export function parseWorld(data: unknown, source: string, selfIdOverride?: number, defaultSelfId = 10001000): WorldSpec & { self_id: number } {
  const parsed = worldSchema.safeParse(data);
  if (!parsed.success) {
    throw new WorldFileError(source, parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`));
  }
  const selfId = selfIdOverride ?? parsed.data.self_id ?? defaultSelfId;
  const problems = consistencyProblems(parsed.data, selfId);
  if (problems.length > 0) throw new WorldFileError(source, problems);
  return { ...parsed.data, self_id: selfId };
}
