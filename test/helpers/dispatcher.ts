/**
 * A real dispatcher over test actions, for transport tests: it records every call it receives
 * (with a copy of its params) before dispatching it. No backend: the context is empty.
 */
import pino from 'pino';
import type { Action } from '../../src/core/action.js';
import type { ActionContext } from '../../src/core/context.js';
import { createDispatcher, type Dispatcher } from '../../src/core/dispatch.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { Channel, Dispatch } from '../../src/core/result.js';

export interface ReceivedCall { action: string; params: Record<string, unknown>; channel: Channel }

export function recordingDispatcher(actions: readonly Action[]): {
  dispatcher: Dispatcher;
  dispatch: Dispatch;
  calls: ReceivedCall[];
  close: () => Promise<void>;
} {
  const dispatcher = createDispatcher({
    registry: new ActionRegistry(actions),
    logger: pino({ level: 'silent' }),
    enableRateLimitedActions: false,
    rateLimitInterval: 10,
    workerPoolSize: 2,
    maxQueueLength: 100,
    context: {} as Omit<ActionContext, 'call'>,
  });
  const calls: ReceivedCall[] = [];
  const dispatch: Dispatch = (action, params, channel) => {
    calls.push({ action, params: { ...params }, channel });
    return dispatcher.dispatch(action, params, channel);
  };
  return { dispatcher, dispatch, calls, close: () => dispatcher.close() };
}
