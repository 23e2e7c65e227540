/**
 * The fault object (docs/testing.md "Fault injection"): what `POST /api/faults` takes, what a
 * scenario's `fault:` step holds and what `sandbox.fault()` sends — one target (an action, an event
 * kind, a connection, or a named profile), one effect, and how often. Checked here, with every
 * problem listed at its key, by the engine (src/core/faults/) and by the scenario loader alike.
 */
import * as v from 'valibot';

export const FAULT_EFFECTS = ['fail', 'delay', 'timeout', 'shadow_drop', 'duplicate', 'drop', 'half_open', 'heartbeat_stop', 'burst', 'refuse'] as const;
export type FaultEffect = (typeof FAULT_EFFECTS)[number];

export const FAULT_PROFILES = ['gocq-risk-control', 'napcat-send-timeout', 'kicked-offline', 'stall-then-burst', 'flaky-network'] as const;
export type FaultProfile = (typeof FAULT_PROFILES)[number];

/** Which effects each kind of target takes. */
export const EFFECTS_BY_TARGET = {
  action: ['fail', 'delay', 'timeout', 'shadow_drop'],
  event: ['delay', 'duplicate', 'burst', 'shadow_drop'],
  connection: ['drop', 'half_open', 'heartbeat_stop', 'refuse'],
} as const satisfies Record<string, readonly FaultEffect[]>;

export type FaultTarget = keyof typeof EFFECTS_BY_TARGET;

/** Call channels a fault can be limited to (default: every channel of the bot, not the console's). */
export const FAULT_CHANNELS = ['http', 'ws', 'ws_reverse', 'quick_operation', 'console'] as const;
/** Connection transports: the HTTP API server, forward WS, reverse WS, HTTP POST receivers. */
export const FAULT_TRANSPORTS = ['http', 'ws', 'ws_reverse', 'http_post'] as const;
export type FaultTransport = (typeof FAULT_TRANSPORTS)[number];

/** The longest any fault holds something (a delay, a hang, a burst window, a refusal): 10 minutes. */
export const MAX_FAULT_MS = 600_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;

/** A duration (ms as a number, or `"800ms"`, `"10s"`, `"2m"`) in ms, or null. */
export function faultMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = DURATION.exec(value);
  return m === null ? null : Number(m[1]) * (UNITS[m[2] as string] as number);
}

const duration = v.pipe(
  v.union([v.number(), v.string()], 'expected a duration: ms, or a text like "800ms", "10s", "2m"'),
  v.check((x) => {
    const ms = faultMs(x);
    return ms !== null && ms <= MAX_FAULT_MS;
  }, 'expected a duration from 0 to 10m: ms, or a text like "800ms", "10s", "2m"'),
);
const oneOrMany = <T extends v.GenericSchema<string>>(item: T) => v.union([item, v.pipe(v.array(item), v.minLength(1))]);
const name = v.pipe(v.string(), v.minLength(1));

/** The fault object's keys (unknown ones are problems). */
const ENTRIES = {
  // target (exactly one of action, event, connection, profile)
  action: v.optional(oneOrMany(name)),
  params: v.optional(v.record(v.string(), v.unknown(), 'params: expected an object (a subset of the call\'s parameters)')),
  contains: v.optional(v.string()),
  channel: v.optional(oneOrMany(v.picklist(FAULT_CHANNELS))),
  event: v.optional(v.record(v.string(), v.unknown(), 'expected an object: a subset of the event, e.g. {post_type: notice, notice_type: group_increase}')),
  connection: v.optional(v.object({
    transport: v.optional(v.picklist(FAULT_TRANSPORTS)),
    role: v.optional(name),
  }, 'expected {transport?, role?}')),
  profile: v.optional(v.picklist(FAULT_PROFILES, `expected one of the profiles: ${FAULT_PROFILES.join(', ')}`)),
  // effect and its settings
  effect: v.optional(v.picklist(FAULT_EFFECTS, `expected one of: ${FAULT_EFFECTS.join(', ')}`)),
  retcode: v.optional(v.pipe(v.number(), v.integer())),
  status: v.optional(v.picklist(['failed', 'async', 'ok'])),
  msg: v.optional(v.string()),
  wording: v.optional(v.string()),
  execute: v.optional(v.boolean()),
  duration: v.optional(duration),
  code: v.optional(v.pipe(v.number(), v.integer(), v.check((c) => c === 1000 || (c >= 1001 && c <= 1014 && c !== 1004 && c !== 1005 && c !== 1006) || (c >= 3000 && c <= 4999), 'expected a WebSocket close code a server may send: 1000-1014 (not 1004-1006) or 3000-4999'))),
  reason: v.optional(v.pipe(v.string(), v.maxLength(120))),
  notice: v.optional(v.record(v.string(), v.unknown())),
  count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  // how often
  probability: v.optional(v.pipe(v.number(), v.minValue(0, 'probability is from 0 to 1'), v.maxValue(1, 'probability is from 0 to 1'))),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
};
const KNOWN = Object.keys(ENTRIES);

/** Settings that belong to some effects only. */
const SETTINGS: Readonly<Record<string, readonly FaultEffect[]>> = {
  retcode: ['fail'], status: ['fail'], msg: ['fail'], wording: ['fail'], execute: ['fail'],
  duration: ['fail', 'delay', 'timeout', 'burst', 'refuse'], code: ['drop'], reason: ['drop'], notice: ['drop'], count: ['burst'],
  params: ['fail', 'delay', 'timeout', 'shadow_drop'], contains: ['fail', 'delay', 'timeout', 'shadow_drop'], channel: ['fail', 'delay', 'timeout', 'shadow_drop'],
};

type Issue = { message: string; key?: string };

/** The problems across keys: one target, an effect it takes, settings that belong to the effect. */
function crossCheck(value: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const key of Object.keys(value)) if (!KNOWN.includes(key)) issues.push({ key, message: `unknown key "${key}"` });
  const targets = (['action', 'event', 'connection', 'profile'] as const).filter((k) => value[k] !== undefined);
  if (targets.length === 0) issues.push({ message: 'a fault needs a target: one of action, event, connection (or a profile)' });
  if (targets.length > 1) issues.push({ message: `a fault has one target; this one has ${targets.join(', ')}` });
  if (targets.length !== 1) return issues;
  const effect = value['effect'] as FaultEffect | undefined;
  if (targets[0] === 'profile') {
    for (const key of Object.keys(value)) {
      if (KNOWN.includes(key) && !['profile', 'probability', 'times'].includes(key)) issues.push({ key, message: 'a profile takes only probability and times beside it' });
    }
    return issues;
  }
  if (effect === undefined) {
    issues.push({ key: 'effect', message: `required but missing: one of ${FAULT_EFFECTS.join(', ')}` });
    return issues;
  }
  if (!(FAULT_EFFECTS as readonly string[]).includes(effect)) return issues; // the effect's own problem says it
  const target = targets[0] as FaultTarget;
  if (!(EFFECTS_BY_TARGET[target] as readonly string[]).includes(effect)) {
    issues.push({ key: 'effect', message: `${target === 'connection' ? 'a' : 'an'} ${target} fault takes ${EFFECTS_BY_TARGET[target].join(', ')}, not ${effect}` });
  }
  for (const [key, effects] of Object.entries(SETTINGS)) {
    if (value[key] !== undefined && !effects.includes(effect)) issues.push({ key, message: `does not apply to ${effect}` });
  }
  if (effect === 'delay' && value['duration'] === undefined) issues.push({ key: 'duration', message: 'required but missing: how long to delay' });
  if (effect === 'refuse' && value['duration'] === undefined) issues.push({ key: 'duration', message: 'required but missing: how long to refuse connections' });
  if (effect === 'fail' && value['retcode'] === undefined) issues.push({ key: 'retcode', message: 'required but missing: the retcode the call answers' });
  if (effect === 'fail' && (value['retcode'] === 0 || value['retcode'] === 1)) issues.push({ key: 'retcode', message: 'a failure\'s retcode is not 0 (ok) or 1 (async)' });
  return issues;
}

/** The fault object's schema: typed keys, then the checks across keys (each problem at its key). */
export const faultSchema = v.pipe(
  v.looseObject(ENTRIES, 'expected a fault object: {action|event|connection|profile, effect, …}'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value as Record<string, unknown>;
    for (const issue of crossCheck(value)) {
      addIssue({
        message: issue.message,
        ...(issue.key !== undefined ? { path: [{ type: 'object', origin: 'value', input: value, key: issue.key, value: value[issue.key] }] } : {}),
      });
    }
  }),
);

export type FaultInput = v.InferOutput<typeof faultSchema>;

/** One problem of a fault object: what is wrong, and the keys leading to it (none: the object itself). */
export interface FaultProblem {
  message: string;
  keys: (string | number)[];
}

/**
 * Every problem of a fault object: the typed keys' and those across keys — all of them even when a
 * key has the wrong type (valibot skips the checks across keys then).
 */
export function faultProblems(input: unknown): { fault?: FaultInput; problems: FaultProblem[] } {
  const parsed = v.safeParse(faultSchema, input, { abortEarly: false });
  if (parsed.success) return { fault: parsed.output, problems: [] };
  const problems = parsed.issues.map((issue) => ({ message: issue.message, keys: (issue.path ?? []).map((item) => item.key as string | number) }));
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    for (const issue of crossCheck(input as Record<string, unknown>)) problems.push({ message: issue.message, keys: issue.key === undefined ? [] : [issue.key] });
  }
  const seen = new Set<string>();
  return { problems: problems.filter((p) => !seen.has(`${p.keys.join('.')}: ${p.message}`) && Boolean(seen.add(`${p.keys.join('.')}: ${p.message}`))) };
}

/** Check a fault object: the input, or every problem as `key: message`. */
export function checkFault(input: unknown): { ok: true; fault: FaultInput } | { ok: false; problems: string[] } {
  const { fault, problems } = faultProblems(input);
  if (fault !== undefined) return { ok: true, fault };
  return { ok: false, problems: problems.map((p) => (p.keys.length > 0 ? `${p.keys.join('.')}: ${p.message}` : p.message)) };
}
