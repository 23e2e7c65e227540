/**
 * The scenario file's shape (docs/testing.md "Scenario format"), validated with valibot; every
 * problem is reported at once with its path (the loader adds line numbers). The JSON Schema shipped
 * in docs/scenario.schema.json is generated from this (`npm run docs:scenario-schema`).
 */
import * as v from 'valibot';
import { faultStep } from './fault-step.js';

const DURATION = /^\s*\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*$/;

/** A duration: milliseconds as a number, or a text like `800ms`, `2s`, `10m`, `1h`. */
const duration = v.union([
  v.pipe(v.number(), v.minValue(0)),
  v.pipe(v.string(), v.regex(DURATION, 'a duration is a number of ms or a text like "800ms", "2s", "10m"')),
], 'expected a duration: a number of ms or a text like "800ms", "2s", "10m"');

/** A user or a group: an id, or a name in the world (a user's nickname, a group's name). */
const ref = v.union([v.pipe(v.number(), v.integer(), v.minValue(1)), v.pipe(v.string(), v.minLength(1))], 'expected an id (number) or a name (text)');

/** Names saved for later steps: `{name: "path.in.the.item"}`; later strings use `${name}`. */
const save = v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a saved name is letters, digits and _')), v.pipe(v.string(), v.minLength(1)));

/** Keys reserved for what this version does not do yet: a clear message instead of "unknown key". */
const NOT_YET: Readonly<Record<string, string>> = {
};

/** Unknown keys of an object, each its own problem at that key. */
function noUnknownKeys<T extends object>(known: readonly string[]) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      addIssue({
        message: NOT_YET[key] ?? `unknown key "${key}"`,
        path: [{ type: 'object', origin: 'value', input: value, key, value: value[key] }],
      });
    }
  });
}

/** A missing required key is named; anything else is not an object. */
const objectMessage = (issue: v.BaseIssue<unknown>): string =>
  issue.input === undefined && issue.expected?.startsWith('"') === true ? 'required but missing' : 'expected an object';

/** Exactly one of `keys` is given. */
function exactlyOneOf<T extends object>(keys: readonly string[], what: string) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value as Record<string, unknown>;
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length === 0) addIssue({ message: `${what} needs one of: ${keys.join(', ')}` });
    else if (present.length > 1) addIssue({ message: `${what} takes only one of ${present.join(', ')}` });
  });
}

/** An object with these keys and no others (each unknown key is a problem); `exactlyOne` of the listed keys when given. */
function closed<const E extends v.ObjectEntries>(entries: E, exactlyOne?: readonly (keyof E & string)[], what = 'this') {
  type Out = v.InferOutput<v.LooseObjectSchema<E, string>>;
  const object = v.pipe(v.looseObject(entries, objectMessage), noUnknownKeys<Out>(Object.keys(entries)));
  return exactlyOne === undefined ? object : v.pipe(object, exactlyOneOf<Out>(exactlyOne, what));
}

const replySpec = closed({
  text: v.optional(v.unknown()),
  segments: v.optional(v.unknown()),
  raw: v.optional(v.unknown()),
  to: v.optional(ref),
  private: v.optional(v.boolean()),
  at: v.optional(ref),
  quote: v.optional(v.union([v.number(), v.string(), v.literal(true)])),
});

const callSpec = closed({
  action: v.optional(v.unknown()),
  params: v.optional(v.unknown()),
  retcode: v.optional(v.unknown()),
  status: v.optional(v.picklist(['ok', 'async', 'failed'])),
  channel: v.optional(v.unknown()),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

const worldSpec = closed({
  member: v.optional(closed({
    group: ref, user: ref, present: v.optional(v.boolean()), role: v.optional(v.picklist(['owner', 'admin', 'member'])),
    card: v.optional(v.string()), title: v.optional(v.string()), muted: v.optional(v.boolean()),
  })),
  message: v.optional(closed({ id: v.union([v.number(), v.string()]), exists: v.optional(v.boolean()), recalled: v.optional(v.boolean()) })),
  friend: v.optional(closed({ user: ref, present: v.optional(v.boolean()) })),
}, ['member', 'message', 'friend'], 'a world expectation');

const noneSpec = closed({
  reply: v.optional(replySpec),
  call: v.optional(v.union([v.string(), callSpec])),
  event: v.optional(v.record(v.string(), v.unknown())),
});

export const EXPECT_KINDS = ['reply', 'call', 'event', 'world', 'none'] as const;

const expectation = closed({
  reply: v.optional(v.union([v.string(), replySpec])),
  call: v.optional(v.union([v.string(), callSpec])),
  event: v.optional(v.record(v.string(), v.unknown())),
  world: v.optional(worldSpec),
  none: v.optional(noneSpec),
  save: v.optional(save),
  bot: v.optional(ref),
}, EXPECT_KINDS, 'an expectation');

export const STEP_ACTS = ['say', 'recall', 'poke', 'join', 'leave', 'kick', 'mute', 'request', 'upload', 'raw_event', 'react', 'essence', 'card', 'title', 'admin', 'whole_ban', 'answer', 'lucky_king', 'honor', 'wait', 'advance', 'clear_faults'] as const;

/** A raw event: any object with a `post_type` text (the sandbox fills `time` and `self_id` when absent). */
export const rawEventField = v.pipe(
  v.record(v.string(), v.unknown(), 'expected an event object (post_type, …)'),
  v.check((event) => typeof event['post_type'] === 'string' && event['post_type'] !== '', 'a raw event needs post_type (message, notice, request or meta_event)'),
);

const step = v.pipe(
  closed({
    name: v.optional(v.string()),
    say: v.optional(v.union([v.string(), v.array(v.record(v.string(), v.unknown()))])),
    recall: v.optional(v.union([v.number(), v.string()])),
    poke: v.optional(ref),
    join: v.optional(ref),
    leave: v.optional(ref),
    kick: v.optional(ref),
    mute: v.optional(ref),
    request: v.optional(v.picklist(['friend', 'join', 'invite'])),
    upload: v.optional(v.pipe(v.string(), v.minLength(1))),
    raw_event: v.optional(rawEventField),
    react: v.optional(v.union([v.number(), v.string()])),
    essence: v.optional(v.union([v.number(), v.string()])),
    card: v.optional(ref),
    title: v.optional(ref),
    admin: v.optional(ref),
    whole_ban: v.optional(ref),
    answer: v.optional(v.pipe(v.string(), v.minLength(1))),
    lucky_king: v.optional(ref),
    honor: v.optional(v.picklist(['talkative', 'performer', 'emotion'])),
    wait: v.optional(duration),
    advance: v.optional(duration),
    clear_faults: v.optional(v.union([v.literal(true), v.pipe(v.string(), v.minLength(1))], 'expected true (every fault) or a fault id')),
    fault: v.optional(faultStep),
    as: v.optional(ref),
    in: v.optional(ref),
    private: v.optional(v.boolean()),
    auto_escape: v.optional(v.boolean()),
    anonymous: v.optional(v.boolean()),
    emoji: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    enable: v.optional(v.boolean()),
    value: v.optional(v.string()),
    approve: v.optional(v.boolean()),
    reason: v.optional(v.string()),
    duration: v.optional(v.union([v.number(), v.string()])),
    block: v.optional(v.boolean()),
    inviter: v.optional(ref),
    role: v.optional(v.picklist(['admin', 'member'])),
    comment: v.optional(v.string()),
    size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    content: v.optional(v.string()),
    expect: v.optional(v.array(expectation)),
    ordered: v.optional(v.boolean()),
    timeout: v.optional(duration),
    quiet: v.optional(duration),
    save: v.optional(save),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value as Record<string, unknown>;
    const acts = STEP_ACTS.filter((key) => value[key] !== undefined);
    if (acts.length > 1) addIssue({ message: `a step does one thing; this one has ${acts.join(', ')}` });
    if (acts.length === 0 && value['expect'] === undefined && value['fault'] === undefined) addIssue({ message: `a step needs an act (${STEP_ACTS.join(', ')}), a fault or an expect list` });
  }),
);

/** The `world` key: a world file's content (checked when the sandbox starts; its JSON Schema is docs/world.schema.json). */
export const worldField = v.record(v.string(), v.unknown(), 'expected a world object (users, groups…)');

export const scenarioSchema = closed({
  scenario: v.pipe(v.string('expected the scenario\'s name (text)'), v.minLength(1)),
  world: v.optional(worldField),
  options: v.optional(closed({
    timeout: v.optional(duration),
    quiet: v.optional(duration),
    seed: v.optional(v.pipe(v.number(), v.integer())),
    extra: v.optional(v.picklist(['ignore', 'warn', 'fail'])),
  })),
  skip: v.optional(v.union([v.boolean(), v.string()])),
  bots: v.optional(v.array(v.pipe(v.number('expected a QQ number'), v.integer(), v.minValue(1)), 'expected a list of QQ numbers')),
  steps: v.pipe(v.array(step, 'expected a list of steps'), v.minLength(1, 'a scenario needs at least one step')),
});

export type Scenario = v.InferOutput<typeof scenarioSchema>;
export type Step = Scenario['steps'][number];
export type ExpectationSpec = NonNullable<Step['expect']>[number];
