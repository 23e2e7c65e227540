/**
 * The expectation kinds over what the sandbox stream reports: `reply` (a message the bot sent),
 * `call` (an API call in the journal) and `event` (an event the sandbox emitted to the bot). Each
 * spec becomes an {@link Expectation} for the inbox. Ids are numbers here; names are resolved by
 * the caller (the scenario runner resolves `world` names).
 */
import type { Expectation } from './inbox.js';
import { closeness, matches } from './match.js';

/** What a reply must look like; every field optional, all given must match. */
export interface ReplySpec {
  /** Plain text (the text segments joined): exact, `/regex/` or a matcher object. */
  text?: unknown;
  /** The segment array (`[{type, data}]`), matched as in docs/testing.md "Matchers". */
  segments?: unknown;
  /** The CQ-code form of the message. */
  raw?: unknown;
  /** Sent to this group. */
  group_id?: number;
  /** Sent privately to this user. */
  user_id?: number;
  /** The message @-mentions this user (`"all"` for @all). */
  at?: number | 'all';
  /** The message quotes (replies to) this message id, or any message with `true`. */
  quote?: number | true;
  /** Sent by this bot account (with several bots in the world; docs/testing.md#several-bots). */
  bot?: number;
}

/** What a call must look like. */
export interface CallSpec {
  action?: unknown;
  /** A subset of the parameters the bot sent. */
  params?: unknown;
  retcode?: unknown;
  /** `ok` (retcode 0), `async` (1) or `failed` (anything else). */
  status?: 'ok' | 'async' | 'failed';
  /** `http`, `ws`, `ws_reverse`, … */
  channel?: unknown;
  /** Made by this bot account (with several bots in the world). */
  bot?: number;
}

type Data = Record<string, unknown>;

const segmentsOf = (data: Data): { type?: unknown; data?: Record<string, unknown> }[] =>
  Array.isArray(data['message']) ? (data['message'] as { type?: unknown; data?: Record<string, unknown> }[]) : [];

/** The text segments of a stored message, joined. */
export function plainText(data: Data): string {
  return segmentsOf(data)
    .filter((s) => s.type === 'text')
    .map((s) => String(s.data?.['text'] ?? ''))
    .join('');
}

/** A reply as the matchers see it: the stored message plus `text`. */
function replyView(data: Data): Data {
  return { ...data, text: plainText(data), segments: data['message'], raw: data['raw_message'] };
}

function replyChecks(spec: ReplySpec): ((data: Data) => boolean)[] {
  const checks: ((data: Data) => boolean)[] = [];
  for (const key of ['text', 'segments', 'raw'] as const) {
    if (spec[key] !== undefined) checks.push((d) => matches(spec[key], replyView(d)[key]));
  }
  if (spec.bot !== undefined) checks.push((d) => Number(d['user_id']) === spec.bot);
  if (spec.group_id !== undefined) checks.push((d) => Number(d['group_id']) === Number(spec.group_id));
  if (spec.user_id !== undefined) checks.push((d) => d['group_id'] === undefined && d['discuss_id'] === undefined && Number(d['target_id']) === Number(spec.user_id));
  if (spec.at !== undefined) checks.push((d) => segmentsOf(d).some((s) => s.type === 'at' && String(s.data?.['qq']) === String(spec.at)));
  if (spec.quote !== undefined) {
    checks.push((d) => segmentsOf(d).some((s) => s.type === 'reply' && (spec.quote === true || String(s.data?.['id']) === String(spec.quote))));
  }
  return checks;
}

/** A `reply` expectation. */
export function replyExpectation(spec: ReplySpec, after?: number): Expectation {
  const checks = replyChecks(spec);
  return {
    kind: 'reply',
    describe: `reply ${JSON.stringify(spec)}`,
    test: (d) => checks.every((check) => check(d)),
    score: (d) => (checks.length === 0 ? 1 : checks.filter((check) => check(d)).length / checks.length),
    ...(after !== undefined ? { after } : {}),
  };
}

const statusOf = (retcode: unknown): string => (retcode === 0 ? 'ok' : retcode === 1 ? 'async' : 'failed');

/** A `call` expectation. */
export function callExpectation(spec: CallSpec, after?: number): Expectation {
  const subset: Record<string, unknown> = {};
  for (const key of ['action', 'params', 'retcode', 'channel'] as const) if (spec[key] !== undefined) subset[key] = spec[key];
  const view = (d: Data): Data => ({ ...d, status: statusOf(d['retcode']) });
  if (spec.status !== undefined) subset['status'] = spec.status;
  if (spec.bot !== undefined) subset['self_id'] = spec.bot;
  return {
    kind: 'call',
    describe: `call ${JSON.stringify(spec)}`,
    test: (d) => matches(subset, view(d)),
    score: (d) => closeness(subset, view(d)),
    ...(after !== undefined ? { after } : {}),
  };
}

/** An `event` expectation: a subset of the OneBot event object (delivered to `bot`, when given). */
export function eventExpectation(spec: unknown, after?: number, bot?: number): Expectation {
  if (bot !== undefined) spec = { ...(spec as Record<string, unknown>), self_id: bot };
  return {
    kind: 'event',
    describe: `event ${JSON.stringify(spec)}`,
    test: (d) => matches(spec, d),
    score: (d) => closeness(spec, d),
    ...(after !== undefined ? { after } : {}),
  };
}
