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
import * as v from 'valibot';
import { coerceBoolean, coerceChoice, coerceInteger } from './coerce.js';
import { coerced, integerIn } from './schema-parts.js';
import { isJsonObject } from '../protocol/json.js';

/** A blank string stands for "not set", as for the flat keys. */
const blankToUnset = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** An optional integer ≥ `min`, read like `get_integer`. */
function optionalInteger(min: number) {
  const coerce = (value: unknown): unknown => coerceInteger(blankToUnset(value), 0);
  return v.optional(coerced(coerce, v.optional(integerIn(`must be an integer ≥ ${min}`, min))));
}

/** An optional boolean, read like `get_bool`. */
function optionalBoolean() {
  const coerce = (value: unknown): unknown => coerceBoolean(blankToUnset(value), false);
  return v.optional(coerced(coerce, v.optional(v.boolean('must be a boolean (true/false, yes/no or 1/0)'))));
}

/** An optional string (strictly: a number is an error, not ignored). */
const optionalString = () => v.optional(v.string('must be a string'));

/** A URL starting with `<scheme>://` (case-insensitive); a blank string counts as missing. */
function url(schemes: readonly string[]) {
  const pattern = new RegExp(`^(?:${schemes.join('|')})://`, 'i');
  const error = `must be a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`;
  return v.pipe(v.string((issue) => (issue.input === undefined ? 'is required' : error)), v.regex(pattern, error));
}

const requiredUrl = (schemes: readonly string[]) => coerced(blankToUnset, url(schemes));
const optionalUrl = (schemes: readonly string[]) => v.optional(coerced(blankToUnset, v.optional(url(schemes))));

/** An optional choice; `caseInsensitive` maps other spellings onto the canonical one. */
function optionalChoice<const T extends readonly [string, ...string[]]>(choices: T, caseInsensitive: boolean) {
  const coerce = (value: unknown): unknown => (caseInsensitive ? coerceChoice(blankToUnset(value), choices) : blankToUnset(value));
  return v.optional(coerced(coerce, v.optional(v.picklist(choices, `must be one of: ${choices.join(', ')}`))));
}

/** The issue path of `item.key`, for a cross-field rule. */
const fieldPath = (item: Record<string, unknown>, key: string): [v.ObjectPathItem] =>
  [{ type: 'object', origin: 'value', input: item, key, value: item[key] }];

/** A cross-field rule of a connection: it must not trust the types, as fields may be invalid. */
type Rule = (item: Record<string, unknown>, addIssue: (issue: { message: string; path?: [v.ObjectPathItem] }) => void) => void;

/**
 * A connection object of one `type`. Unknown fields are errors, one message naming them all and
 * the type, after the fields' own problems; then `rule` runs, even when fields are invalid, so that
 * every problem is listed at once.
 */
function connection<const E extends v.ObjectEntries>(type: string, entries: E, rule?: Rule) {
  return v.pipe(
    // The object's only own message: a required field (url) is missing; `type` was checked by the variant.
    v.looseObject(entries, 'is required'),
    v.rawCheck(({ dataset, addIssue }) => {
      const item = dataset.value as Record<string, unknown>;
      const unknown = Object.keys(item).filter((key) => !Object.hasOwn(entries, key));
      if (unknown.length > 0) {
        const names = unknown.map((key) => JSON.stringify(key)).join(', ');
        addIssue({ message: `unknown field${unknown.length === 1 ? '' : 's'} ${names} for a ${type} connection` });
      }
      rule?.(item, addIssue);
    }),
    // Unknown fields were refused above: the output has the declared ones only.
    v.transform((item) => item as v.InferOutput<v.ObjectSchema<E, undefined>>),
  );
}

/** Fields every connection has. `name` only labels logs (INI: the section name). */
const common = {
  name: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'))),
  post_message_format: optionalChoice(['string', 'array'], false),
  event_filter: optionalString(),
  enable_backward_compatibility: optionalBoolean(),
};

/** An HTTP POST receiver of events (with quick operations), like the flat `post_url`. */
const httpPostSchema = connection('http_post', {
  type: v.literal('http_post'),
  url: requiredUrl(['http', 'https']),
  secret: optionalString(),
  timeout: optionalInteger(0),
  ...common,
});

/** A reverse WebSocket, like the flat `ws_reverse_*` keys. */
const wsReverseSchema = connection('ws_reverse', {
  type: v.literal('ws_reverse'),
  url: optionalUrl(['ws', 'wss']),
  api_url: optionalUrl(['ws', 'wss']),
  event_url: optionalUrl(['ws', 'wss']),
  use_universal_client: optionalBoolean(),
  access_token: optionalString(),
  authorization_scheme: optionalChoice(['Bearer', 'Token'], true),
  reconnect_interval: optionalInteger(0),
  reconnect_on_code_1000: optionalBoolean(),
  ...common,
}, (item, addIssue) => {
  if (item.url === undefined && item.api_url === undefined && item.event_url === undefined) {
    addIssue({ message: 'a ws_reverse connection needs url, api_url or event_url' });
  } else if (item.use_universal_client === true && item.url === undefined) {
    addIssue({ path: fieldPath(item, 'url'), message: 'is required when use_universal_client is true' });
  }
});

/** One item of `connections`. */
const connectionSchema = v.pipe(
  v.custom<Record<string, unknown>>(isJsonObject, 'must be an object'),
  v.variant('type', [httpPostSchema, wsReverseSchema], 'must be "http_post" or "ws_reverse"'),
);

/** A string (INI `connections = …`, `CQHTTP_CONNECTIONS`) holds the JSON array; blank = none. */
const parseJsonString = v.rawTransform<unknown, unknown>(({ dataset: { value }, addIssue, NEVER }) => {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return [];
  try {
    return JSON.parse(value);
  } catch (error) {
    addIssue({ message: `must be a JSON array of connections: ${(error as Error).message}` });
    return NEVER;
  }
});

/** The item without the members that blank values left `undefined`. */
const withoutUnset = <T extends object>(item: T): T =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;

/** The `connections` key: a list of connection objects (default: none); names must be unique. */
export const connectionsSchema = v.optional(v.pipe(
  v.unknown(),
  parseJsonString,
  v.array(connectionSchema, 'must be a list (JSON array) of connections'),
  // Names must be unique; checked even when items are invalid (every problem is listed at once).
  v.rawCheck(({ dataset: { value }, addIssue }) => {
    const items: unknown = value;
    if (!Array.isArray(items)) return;
    const seen = new Set<string>();
    items.forEach((item: unknown, index) => {
      if (!isJsonObject(item) || typeof item.name !== 'string') return;
      if (seen.has(item.name)) {
        const path: [v.ArrayPathItem, v.ObjectPathItem] = [{ type: 'array', origin: 'value', input: items, key: index, value: item }, ...fieldPath(item, 'name')];
        addIssue({ path, message: `duplicate connection name ${JSON.stringify(item.name)}` });
      }
      seen.add(item.name);
    });
  }),
  v.transform((items) => items.map(withoutUnset)),
), () => []);

/** One validated item of `connections`, fields unset where not given. */
export type ConnectionConfig = v.InferOutput<typeof connectionSchema>;
/** An `http_post` item of `connections`. */
export type HttpPostConnectionConfig = Extract<ConnectionConfig, { type: 'http_post' }>;
/** A `ws_reverse` item of `connections`. */
export type WsReverseConnectionConfig = Extract<ConnectionConfig, { type: 'ws_reverse' }>;
