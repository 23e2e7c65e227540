/**
 * The cqhttpd key `connections`: extra event/API connections beside the flat 4.15 keys (whose
 * meaning does not change). In JSON it is an array; in INI each `[connection.<name>]` section is
 * one item (see `files.ts`); in the environment `CQHTTP_CONNECTIONS` holds the JSON array.
 *
 * Items are validated strictly (this key has no 4.15 history to stay lenient for): a wrong type,
 * a bad URL or an unknown field is an error naming `connections[<i>].<field>`. Values are coerced
 * from strings like the flat keys (INI values are always strings). Fields left unset stay
 * `undefined` here; {@link resolveConnections} (in `resolve.ts`) applies the flat keys' values.
 */
import { z } from 'zod';
import { coerceBoolean, coerceChoice, coerceInteger } from './coerce.js';

/** A blank string stands for "not set", as for the flat keys. */
const blankToUnset = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** An optional integer ≥ `min`, read like `get_integer`. */
function optionalInteger(min: number) {
  const error = `must be an integer ≥ ${min}`;
  const coerce = (value: unknown): unknown => coerceInteger(blankToUnset(value), 0);
  return z.preprocess(coerce, z.int({ error }).min(min, { error }).optional()).optional();
}

/** An optional boolean, read like `get_bool`. */
function optionalBoolean() {
  const coerce = (value: unknown): unknown => coerceBoolean(blankToUnset(value), false);
  return z.preprocess(coerce, z.boolean({ error: 'must be a boolean (true/false, yes/no or 1/0)' }).optional()).optional();
}

/** An optional string (strictly: a number is an error, not ignored). */
const optionalString = () => z.string({ error: 'must be a string' }).optional();

/** A URL starting with `<scheme>://` (case-insensitive); a blank string counts as missing. */
function url(schemes: readonly string[]) {
  const pattern = new RegExp(`^(?:${schemes.join('|')})://`, 'i');
  const error = `must be a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`;
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : error) }).regex(pattern, { error });
}

const requiredUrl = (schemes: readonly string[]) => z.preprocess(blankToUnset, url(schemes));
const optionalUrl = (schemes: readonly string[]) => z.preprocess(blankToUnset, url(schemes).optional()).optional();

/** An optional choice; `caseInsensitive` maps other spellings onto the canonical one. */
function optionalChoice<const T extends readonly [string, ...string[]]>(choices: T, caseInsensitive: boolean) {
  const coerce = (value: unknown): unknown => (caseInsensitive ? coerceChoice(blankToUnset(value), choices) : blankToUnset(value));
  return z.preprocess(coerce, z.enum(choices, { error: `must be one of: ${choices.join(', ')}` }).optional()).optional();
}

/** Unknown fields are errors, with a message naming them and the connection type. */
const strictError = (type: string) => (issue: z.core.$ZodRawIssue) =>
  issue.code === 'unrecognized_keys'
    ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} for a ${type} connection`
    : undefined;

/**
 * Cross-field checks run even when other fields of the value are invalid, so that every problem
 * is listed at once; they must therefore not trust the value's types.
 */
const ALWAYS = { when: () => true };

/** Fields every connection has. `name` only labels logs (INI: the section name). */
const common = {
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  post_message_format: optionalChoice(['string', 'array'], false),
  event_filter: optionalString(),
  enable_backward_compatibility: optionalBoolean(),
};

/** An HTTP POST receiver of events (with quick operations), like the flat `post_url`. */
const httpPostSchema = z.strictObject({
  type: z.literal('http_post'),
  url: requiredUrl(['http', 'https']),
  secret: optionalString(),
  timeout: optionalInteger(0),
  ...common,
}, { error: strictError('http_post') });

/** A reverse WebSocket, like the flat `ws_reverse_*` keys. */
const wsReverseSchema = z.strictObject({
  type: z.literal('ws_reverse'),
  url: optionalUrl(['ws', 'wss']),
  api_url: optionalUrl(['ws', 'wss']),
  event_url: optionalUrl(['ws', 'wss']),
  use_universal_client: optionalBoolean(),
  access_token: optionalString(),
  authorization_scheme: optionalChoice(['Bearer', 'Token'], true),
  reconnect_interval: optionalInteger(0),
  reconnect_on_code_1000: optionalBoolean(),
  ...common,
}, { error: strictError('ws_reverse') }).superRefine((item, ctx) => {
  if (item.url === undefined && item.api_url === undefined && item.event_url === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a ws_reverse connection needs url, api_url or event_url' });
  } else if (item.use_universal_client === true && item.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required when use_universal_client is true' });
  }
}, ALWAYS);

/** One item of `connections`. */
const connectionSchema = z.discriminatedUnion('type', [httpPostSchema, wsReverseSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "http_post" or "ws_reverse"' : 'must be an object'),
});

/** A string (INI `connections = …`, `CQHTTP_CONNECTIONS`) holds the JSON array; blank = none. */
function parseJsonString(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return [];
  try {
    return JSON.parse(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `must be a JSON array of connections: ${(error as Error).message}`, input: value });
    return z.NEVER;
  }
}

/** The item without the members that blank values left `undefined`. */
const withoutUnset = <T extends object>(item: T): T =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;

/** The `connections` key: a list of connection objects (default: none); names must be unique. */
export const connectionsSchema = z.preprocess(
  parseJsonString,
  z.array(connectionSchema, { error: 'must be a list (JSON array) of connections' }).superRefine((items: readonly unknown[], ctx) => {
    if (!Array.isArray(items)) return;
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const name = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
      if (typeof name !== 'string') return;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate connection name ${JSON.stringify(name)}` });
      seen.add(name);
    });
  }, ALWAYS).transform((items) => items.map(withoutUnset)),
).default([]);

/** One validated item of `connections`, fields unset where not given. */
export type ConnectionConfig = z.output<typeof connectionSchema>;
/** An `http_post` item of `connections`. */
export type HttpPostConnectionConfig = Extract<ConnectionConfig, { type: 'http_post' }>;
/** A `ws_reverse` item of `connections`. */
export type WsReverseConnectionConfig = Extract<ConnectionConfig, { type: 'ws_reverse' }>;
