/**
 * The OpenAPI 3.1 document of the bot's HTTP API, generated from the action registry alone: one
 * path per action (`/{action}`, GET with query parameters, POST with a JSON or form body), the
 * parameters as JSON Schema (from each action's valibot schema), the `{data, retcode, status}`
 * envelope, and the Bearer access token. Pure: the same actions give the same document.
 * `npm run docs:openapi` writes it to docs/openapi.json; the control API serves it at `GET /openapi.json`.
 *
 * Parameters are decoded as the original reads them (strings recovered as numbers and booleans,
 * see params.ts), which valibot expresses as transforms @valibot/to-json-schema cannot see into:
 * the type of a decoded parameter is taken from its default (number → integer, boolean, string),
 * and an `id()` entry (required, non-zero) is listed as required.
 */
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import type { Action } from './action.js';
import { parameterNames } from './catalogue.js';
import { REQUIRED_ID } from './params.js';

type Loose = GenericSchema & { pipe?: readonly { kind: string; type: string; message?: unknown }[]; default?: unknown; entries?: Record<string, Loose> };

/** The JSON Schema of an action's parameter object (draft 2020-12 dialect, as OpenAPI 3.1 uses). */
export function parameterSchema(action: Action): JsonSchema {
  const schema = toJsonSchema(action.params, {
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      const s = valibotSchema as Loose;
      if (s.type !== 'optional') return undefined;
      const type = typeof s.default === 'number' ? 'integer' : typeof s.default === 'boolean' ? 'boolean' : typeof s.default === 'string' ? 'string' : undefined;
      return type === undefined ? { ...jsonSchema } : { ...jsonSchema, type };
    },
  });
  const { $schema: _draft, ...rest } = schema;
  const required = requiredNames(action);
  return { ...rest, type: 'object', required };
}

/** Entries that must be given: the `id()` ones. */
function requiredNames(action: Action): string[] {
  let root = action.params as Loose;
  while (root.pipe !== undefined && root.type !== 'optional') root = root.pipe[0] as unknown as Loose;
  const entries = root.entries ?? {};
  return parameterNames(action).filter((name) => entries[name]?.pipe?.some((item) => item.kind === 'validation' && item.message === REQUIRED_ID) === true);
}

const ENVELOPE: JsonSchema = {
  type: 'object',
  required: ['data', 'retcode', 'status'],
  properties: {
    data: { description: 'the answer; null on failures and for actions without one' },
    retcode: { type: 'integer', description: '0 ok, 1 accepted (async), anything else failed (docs/protocol.md)' },
    status: { type: 'string', enum: ['ok', 'async', 'failed'] },
    msg: { type: 'string', description: 'on failures: the error code name' },
    wording: { type: 'string', description: 'on failures: what went wrong, for people' },
  },
};

/** The document for `actions`, titled with this build's `version`. */
export function openApiDocument(actions: readonly Action[], version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const action of [...actions].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const schema = parameterSchema(action);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(schema.required ?? []);
    const common = { tags: [action.origin], description: `${action.summary} (from ${action.origin})`, responses: RESPONSES, 'x-origin': action.origin };
    paths[`/${action.name}`] = {
      get: {
        ...common, operationId: `${action.name}_get`, summary: action.summary,
        parameters: Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s })),
      },
      post: {
        ...common, operationId: action.name, summary: action.summary,
        requestBody: { required: false, content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cqhttpd HTTP API',
      version,
      description: 'The CoolQ HTTP API (CQHTTP 4.15 / OneBot v11) as cqhttpd serves it. Generated from the action registry; every action also exists with the `_async` suffix, and with `_rate_limited` when enabled. See docs/actions.md and docs/protocol.md.',
    },
    servers: [{ url: 'http://127.0.0.1:5700', description: 'the default `host` and `port`' }],
    security: [{ accessToken: [] }, {}],
    tags: [...new Set(actions.map((a) => a.origin))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { accessToken: { type: 'http', scheme: 'bearer', description: 'the `access_token` setting, as `Authorization: Bearer <token>` (or `?access_token=`); not needed when it is empty' } },
      schemas: { Envelope: ENVELOPE },
    },
  };
}

const envelopeRef = { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } };
const RESPONSES = {
  200: { description: 'the envelope; `retcode` tells success from failure', content: envelopeRef },
  401: { description: 'an access token is set and none was given' },
  403: { description: 'the access token is wrong' },
};

/** The document as written to docs/openapi.json (2-space indent, final newline). */
export function openApiText(actions: readonly Action[], version: string): string {
  return `${JSON.stringify(openApiDocument(actions, version), null, 2)}\n`;
}
