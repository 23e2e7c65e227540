/** Control API routes for the bot's own API: its OpenAPI document, and calling an action as the bot (the console's API panel). */
import { encodeEnvelope } from '../../core/envelope.js';
import { ApiError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';
import type { Route } from './router.js';

/** The unknown-action answer, as the WebSocket API gives it (the HTTP API answers a bare 404). */
const UNKNOWN = Object.freeze({ data: null, retcode: 1404, status: 'failed', msg: 'UNKNOWN_ACTION', wording: 'no such action' });

/** `GET /openapi.json`, `POST /api/call`. */
export const CALL_ROUTES: readonly Route[] = [
  {
    method: 'GET', path: '/openapi.json', summary: 'the OpenAPI 3.1 document of the bot\'s HTTP API, generated from the action registry (docs/openapi.json)',
    handler: ({ openApi }) => openApi?.() ?? unavailable(),
  },
  {
    method: 'POST', path: '/api/call', world: false, summary: 'call an action as the bot: {action, params}; answers its envelope (journalled with channel "console")',
    handler: async ({ bot }, { body }) => {
      if (bot === undefined) return unavailable();
      const action = body.str('action');
      const params = body.has('params') ? body.raw('params') : {};
      if (!isJsonObject(params)) throw new ApiError('BAD_PARAMS', 'params must be a JSON object');
      const result = await bot.dispatch(action, params, 'console');
      return result === null ? UNKNOWN : JSON.parse(encodeEnvelope(result, undefined, true)) as unknown;
    },
  },
];

function unavailable(): never {
  throw new ApiError('OPERATION_FAILED', 'this control server was started without the bot\'s API');
}
