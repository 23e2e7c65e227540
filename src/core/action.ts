/**
 * One action = one declarative definition: wire name, parameter schema, handler. The registry built
 * from these definitions drives every transport, the suffixes, quick operations and the docs.
 */
import * as v from 'valibot';
import { ApiError } from '../protocol/errors.js';
import type { ActionContext } from './context.js';
import { describeIssues } from './params.js';

/** A registered action with its types erased; `run` validates and executes. */
export interface Action {
  readonly name: string;
  /** One line for `cqhttpd actions` and the docs. */
  readonly summary: string;
  /** Which catalogue the action comes from. */
  readonly origin: ActionOrigin;
  readonly params: v.GenericSchema;
  /** Validates and runs the handler: its value or promise; a failure may throw synchronously. */
  run(params: Record<string, unknown>, ctx: ActionContext): unknown;
}

export type ActionOrigin = 'cqhttp-4.15' | 'onebot-v11' | 'extension' | 'cqhttpd';

export interface ActionDefinition<S extends v.GenericSchema> {
  name: string;
  summary: string;
  origin?: ActionOrigin;
  params: S;
  handler: (params: v.InferOutput<S>, ctx: ActionContext) => unknown;
}

/** Define an action; parameter failures become `BAD_PARAMS` (retcode 100) with the schema's message. */
export function defineAction<S extends v.GenericSchema>(def: ActionDefinition<S>): Action {
  const { name, summary, params, handler } = def;
  return {
    name,
    summary,
    origin: def.origin ?? 'cqhttp-4.15',
    params,
    // Not `async`: the dispatcher awaits the result anyway, and a handler that throws at once is
    // caught there just the same (one promise and one microtask less per call).
    run(raw, ctx) {
      const parsed = v.safeParse(params, raw);
      if (!parsed.success) throw new ApiError('BAD_PARAMS', `${name}: ${describeIssues(parsed.issues)}`);
      return handler(parsed.output, ctx);
    },
  };
}
