/** Control API routes for fault injection (docs/sandbox-api.md "Faults"): list, add, clear, seed the dice. */
import type { FaultEngine } from '../../core/faults/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { ControlApi, Route } from './router.js';

function engine(api: ControlApi): FaultEngine {
  if (api.faults === undefined) throw new ApiError('OPERATION_FAILED', 'fault injection is not available on this control server');
  return api.faults;
}

/** `/api/faults`, `/api/faults/:id`, `/api/faults/reset`, `/api/faults/seed`. */
export const FAULT_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/faults', summary: 'the injected faults set now (with hits and times left) and the dice\'s seed', handler: (api) => engine(api).list() },
  {
    method: 'POST', path: '/api/faults', summary: 'inject a fault: {action|event|connection|profile, effect, …} (docs/testing.md); answers its id',
    handler: (api, { body }) => engine(api).add(body.all()),
  },
  {
    method: 'POST', path: '/api/faults/seed', summary: 'restart the dice of fault probabilities from {seed}',
    handler: (api, { body }) => {
      const seed = body.int('seed');
      engine(api).seed(seed);
      return { seed };
    },
  },
  { method: 'POST', path: '/api/faults/reset', summary: 'clear every fault (held events flushed, held sockets released)', handler: (api) => ({ cleared: engine(api).reset() }) },
  { method: 'DELETE', path: '/api/faults', summary: 'clear every fault (as POST /api/faults/reset)', handler: (api) => ({ cleared: engine(api).reset() }) },
  {
    method: 'DELETE', path: '/api/faults/:id', summary: 'clear one fault (a profile\'s id clears all its parts)',
    handler: (api, { params }) => {
      const id = params['id'] ?? '';
      if (!engine(api).remove(id)) throw new ApiError('INVALID_TARGET', `no fault ${JSON.stringify(id)} is set (GET /api/faults lists them)`);
      return {};
    },
  },
];
