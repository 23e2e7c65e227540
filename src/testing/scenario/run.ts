/**
 * Running one scenario's steps on a started {@link Sandbox}: substitute saved values, perform the
 * act, then hold the step's expectations (all at once by default, one after another with
 * `ordered: true`), report the bot's unconsumed messages per `extra`, save what is asked.
 * The first failing step ends the scenario.
 */
import { actOf, parseDuration, type Act } from '../acts.js';
import { callExpectation, eventExpectation, replyExpectation, type CallSpec, type ReplySpec } from '../expectations.js';
import { ExpectationFailure, quote, type Expectation, type Item } from '../inbox.js';
import type { FaultSpec, Sandbox } from '../sandbox.js';
import type { Ref, WorldCheck } from '../world.js';
import type { ExpectationSpec, Scenario, Step } from './schema.js';

export type Extra = 'ignore' | 'warn' | 'fail';

/** Why a scenario failed: the step (1-based) and what did not hold. */
export interface StepFailure {
  step: number;
  label: string;
  /** The expectations that did not hold (or the act's refusal), one line each. */
  messages: string[];
  /** The nearest actual item of the first failed expectation, as JSON. */
  nearest?: string;
}

export interface RunOutcome {
  failure?: StepFailure;
  warnings: string[];
}

interface Context {
  sb: Sandbox;
  vars: Map<string, unknown>;
  timeout: number;
  quiet: number;
  extra: Extra;
  warnings: string[];
}

/** Run every step; resolves with the first failure (if any) and the warnings. */
export async function runScenario(sb: Sandbox, scenario: Scenario): Promise<RunOutcome> {
  const options = scenario.options ?? {};
  if (options.seed !== undefined) await sb.seedFaults(options.seed);
  const ctx: Context = {
    sb, vars: new Map(), warnings: [],
    timeout: parseDuration(options.timeout) ?? sb.timeout,
    quiet: parseDuration(options.quiet) ?? sb.quiet,
    extra: options.extra ?? 'warn',
  };
  for (const [i, raw] of scenario.steps.entries()) {
    let label = describeStep(raw);
    try {
      // The act first: its saved values serve the step's own expectations.
      const { expect, ...act } = raw;
      const step = substitute(act, ctx.vars) as Step;
      label = describeStep(step);
      sb.trace.write('step', { step: i + 1, label });
      const messages = await runStep(ctx, step, () => (expect === undefined ? [] : (substitute(expect, ctx.vars) as NonNullable<Step['expect']>)), i + 1);
      if (messages.length > 0) {
        sb.trace.write('expect', { step: i + 1, ok: false, messages });
        return { failure: { step: i + 1, label, messages, ...nearestOf(messages) }, warnings: ctx.warnings };
      }
    } catch (err) {
      const message = (err as Error).message;
      sb.trace.write('expect', { step: i + 1, ok: false, messages: [message] });
      return { failure: { step: i + 1, label, messages: [message] }, warnings: ctx.warnings };
    }
  }
  return { warnings: ctx.warnings };
}

/** The failure lines of one step (empty = it passed). */
async function runStep(ctx: Context, step: Step, expectations: () => NonNullable<Step['expect']>, index: number): Promise<string[]> {
  const { sb } = ctx;
  const arm = sb.mark();
  const timeout = parseDuration(step.timeout) ?? ctx.timeout;
  const quiet = parseDuration(step.quiet) ?? ctx.quiet;
  // A fault beside another act lasts for this step only; a fault alone lasts until cleared.
  const faults = step.fault === undefined || step.fault === null ? [] : await setFaults(ctx, step.fault);
  const scoped = faults.length > 0 && (actOf(step as Record<string, unknown>) !== undefined || step.wait !== undefined || step.advance !== undefined || step.clear_faults !== undefined);
  try {
    return await actAndHold(ctx, step, expectations, index, arm, timeout, quiet);
  } finally {
    if (scoped) for (const id of faults) await sb.clearFaults(id).catch(() => undefined);
  }
}

/** Set a step's faults; resolves with their ids. */
async function setFaults(ctx: Context, spec: unknown): Promise<string[]> {
  const ids: string[] = [];
  for (const item of Array.isArray(spec) ? spec : [spec]) {
    const handle = await ctx.sb.fault(item as FaultSpec).catch((err: unknown) => {
      throw new Error(`the fault was refused: ${(err as Error).message}`);
    });
    ids.push(handle.id);
  }
  return ids;
}

/** The step's act, then its expectations (the failure lines; empty = it passed). */
async function actAndHold(ctx: Context, step: Step, expectations: () => NonNullable<Step['expect']>, index: number, arm: number, timeout: number, quiet: number): Promise<string[]> {
  const { sb } = ctx;
  if (step.clear_faults !== undefined) await sb.clearFaults(step.clear_faults === true ? undefined : step.clear_faults);
  else if (step.wait !== undefined) await new Promise((resolve) => setTimeout(resolve, parseDuration(step.wait) ?? 0));
  else if (step.advance !== undefined) await sb.advance(step.advance);
  else if (actOf(step as Record<string, unknown>) !== undefined) {
    const answer = await sb.act(step as Act).catch((err: unknown) => {
      throw new Error(`the act was refused: ${(err as Error).message}`);
    });
    saveFrom(ctx, step.save, answer);
  }
  const chat = await defaultChat(ctx, step);
  const failures: ExpectationFailure[] = [];
  const expects = expectations();
  if (step.ordered === true) {
    let after = arm;
    for (const spec of expects) {
      const result = await hold(ctx, spec, chat, after, timeout, quiet).catch((err: unknown) => err as Error);
      if (result instanceof Error) {
        failures.push(asFailure(result));
        break;
      }
      if (result !== undefined) after = result.seq;
    }
  } else {
    const results = await Promise.allSettled(expects.map((spec) => hold(ctx, spec, chat, arm, timeout, quiet)));
    for (const r of results) if (r.status === 'rejected') failures.push(asFailure(r.reason as Error));
  }
  const extra = sb.unconsumed('reply').filter((item) => item.seq > arm);
  sb.unconsumed();
  const messages = failures.map((f) => f.message);
  if (extra.length > 0 && ctx.extra !== 'ignore') {
    const text = `${extra.length} unconsumed bot message${extra.length === 1 ? '' : 's'}: ${extra.map(quote).join('; ')}`;
    if (ctx.extra === 'fail') messages.push(text);
    else ctx.warnings.push(`step ${index}: ${text}`);
  }
  sb.trace.write('expect', { step: index, ok: messages.length === 0, expectations: expects.length, unconsumed: extra.length });
  return messages;
}

/** Hold one expectation; resolves with the matched item (undefined for world/none). */
async function hold(ctx: Context, spec: ExpectationSpec, chat: Partial<ReplySpec>, after: number, timeout: number, quiet: number): Promise<Item | undefined> {
  const { sb } = ctx;
  let item: Item | undefined;
  // Which bot it is about: `bot:` (a QQ number or name), else with several bots the first.
  const bot = await sb.botId(spec.bot);
  const about = bot === undefined ? {} : { bot };
  if (spec.reply !== undefined) {
    item = await sb.expect(replyExpectation({ ...(await replySpec(ctx, spec.reply, chat)), ...about }, after), { timeout });
  } else if (spec.call !== undefined) {
    const call = typeof spec.call === 'string' ? { action: spec.call } : spec.call;
    const exp = callExpectation({ ...callSpec(call), ...about }, after);
    for (let i = 0; i < (typeof spec.call === 'string' ? 1 : (spec.call.times ?? 1)); i++) item = await sb.expect(exp, { timeout });
  } else if (spec.event !== undefined) {
    item = await sb.expect(eventExpectation(spec.event, after, bot), { timeout });
  } else if (spec.world !== undefined) {
    await sb.expectWorld(worldCheck(spec.world), { timeout });
  } else if (spec.none !== undefined) {
    const none = spec.none;
    const exps: Expectation[] = [];
    if (none.reply !== undefined || (none.call === undefined && none.event === undefined)) exps.push(replyExpectation({ ...(await replySpec(ctx, none.reply ?? {}, {})), ...about }, after));
    if (none.call !== undefined) exps.push(callExpectation({ ...callSpec(typeof none.call === 'string' ? { action: none.call } : none.call), ...about }, after));
    if (none.event !== undefined) exps.push(eventExpectation(none.event, after, bot));
    await Promise.all(exps.map((exp) => sb.none(exp, quiet)));
  }
  if (item !== undefined) saveFrom(ctx, spec.save, item.data);
  return item;
}

/** Where the bot is expected to answer when a reply names no place: the step's chat. */
async function defaultChat(ctx: Context, step: Step): Promise<Partial<ReplySpec>> {
  if (step.say !== undefined) {
    if (step.private === true || step.in === undefined) return step.as === undefined ? {} : { user_id: await ctx.sb.world.user(step.as) };
    return { group_id: await ctx.sb.world.group(step.in) };
  }
  if (step.join !== undefined) return { group_id: await ctx.sb.world.group(step.join) };
  if (step.whole_ban !== undefined) return { group_id: await ctx.sb.world.group(step.whole_ban) };
  if (step.raw_event !== undefined) {
    const e = step.raw_event;
    if (e['group_id'] !== undefined) return { group_id: Number(e['group_id']) };
    if (e['message_type'] === 'private' && e['user_id'] !== undefined) return { user_id: Number(e['user_id']) };
  }
  if (step.in !== undefined) return { group_id: await ctx.sb.world.group(step.in) };
  return {};
}

type ReplyYaml = string | { text?: unknown; segments?: unknown; raw?: unknown; to?: Ref | undefined; private?: boolean | undefined; at?: Ref | undefined; quote?: number | string | true | undefined };

async function replySpec(ctx: Context, yaml: ReplyYaml, chat: Partial<ReplySpec>): Promise<ReplySpec> {
  if (typeof yaml === 'string') return { text: yaml, ...chat };
  const out: ReplySpec = {};
  for (const key of ['text', 'segments', 'raw'] as const) if (yaml[key] !== undefined) out[key] = yaml[key];
  if (yaml.private === true) {
    const user = yaml.to ?? undefined;
    if (user !== undefined) out.user_id = await ctx.sb.world.user(user);
    else if (chat.user_id !== undefined) out.user_id = chat.user_id;
    else throw new Error('a private reply needs `to` (the user) when the step has no private chat');
  } else if (yaml.to !== undefined) out.group_id = await ctx.sb.world.group(yaml.to);
  else Object.assign(out, chat);
  if (yaml.at !== undefined) out.at = yaml.at === 'all' ? 'all' : await ctx.sb.world.user(yaml.at);
  if (yaml.quote !== undefined) out.quote = yaml.quote === true ? true : Number(yaml.quote);
  return out;
}

function callSpec(yaml: { action?: unknown; params?: unknown; retcode?: unknown; status?: 'ok' | 'async' | 'failed' | undefined; channel?: unknown }): CallSpec {
  const out: CallSpec = {};
  if (yaml.action !== undefined) out.action = yaml.action;
  if (yaml.params !== undefined) out.params = yaml.params;
  if (yaml.retcode !== undefined) out.retcode = yaml.retcode;
  if (yaml.status !== undefined) out.status = yaml.status;
  if (yaml.channel !== undefined) out.channel = yaml.channel;
  return out;
}

function worldCheck(yaml: NonNullable<ExpectationSpec['world']>): WorldCheck {
  if (yaml.member !== undefined) return { member: dropUndefined(yaml.member) } as WorldCheck;
  if (yaml.message !== undefined) return { message: { ...dropUndefined(yaml.message), id: Number(yaml.message.id) } } as WorldCheck;
  return { friend: dropUndefined(yaml.friend ?? { user: 0 }) } as WorldCheck;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function saveFrom(ctx: Context, save: Record<string, string> | undefined, data: Record<string, unknown>): void {
  for (const [name, path] of Object.entries(save ?? {})) {
    const value = path.split('.').reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), data);
    if (value === undefined) throw new Error(`save: ${name}: nothing at "${path}" in ${JSON.stringify(data).slice(0, 300)}`);
    ctx.vars.set(name, value);
    ctx.sb.trace.write('save', { name, value });
  }
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replace `${name}` in every string: a whole-string reference keeps the saved value's type. */
export function substitute(value: unknown, vars: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    const lookup = (name: string): unknown => {
      if (!vars.has(name)) throw new Error(`\${${name}} was never saved (save: {${name}: …} in an earlier step)`);
      return vars.get(name);
    };
    if (whole !== null) return lookup(whole[1] as string);
    return value.replace(VAR, (_, name: string) => String(lookup(name)));
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

/** `say "ping" as Carol in 100001`, `wait 500ms`, `expect` … — how a step is named in reports. */
export function describeStep(step: Step): string {
  if (step.name !== undefined) return step.name;
  const act = actOf(step as Record<string, unknown>) ?? (step.wait !== undefined ? 'wait' : step.advance !== undefined ? 'advance' : step.clear_faults !== undefined ? 'clear_faults' : undefined);
  if (act === undefined) return step.fault !== undefined ? `fault ${JSON.stringify(step.fault)}` : 'expect';
  const value = (step as Record<string, unknown>)[act];
  const text = JSON.stringify(value);
  const parts = [`${act} ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`];
  if (step.as !== undefined) parts.push(`as ${step.as}`);
  if (step.in !== undefined) parts.push(`in ${step.in}`);
  if (step.private === true) parts.push('privately');
  return parts.join(' ');
}

function asFailure(err: Error): ExpectationFailure {
  return err instanceof ExpectationFailure ? err : new ExpectationFailure(err.message, '', undefined);
}

function nearestOf(messages: string[]): { nearest?: string } {
  const m = /; nearest: (.*)$/.exec(messages[0] ?? '');
  return m === null ? {} : { nearest: m[1] as string };
}
