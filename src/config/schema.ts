/**
 * The one configuration schema: every CQHTTP 4.15 key (docs/protocol.md §9.2) with its code
 * default — except `host`/`ws_host`, which default to `127.0.0.1` (decision P1) — plus
 * cqhttpd's own keys. Values are coerced from strings as in §5 (INI and environment values are
 * always strings). Types are derived from this schema, never declared twice.
 *
 * Fields made *lenient* by {@link lenient} replace an invalid value by their fallback (the loader
 * reports a warning), as the original did for `post_message_format`, bad URLs and strings given as
 * non-strings. Every other invalid value is an error. Missing keys take each field's default.
 */
import * as v from 'valibot';
import { coerceBoolean, coerceChoice, coerceInteger } from './coerce.js';
import { connectionsSchema } from './connections.js';
import { expectedMessage } from '../protocol/invalid-input.js';
import { coerced, integerIn } from './schema-parts.js';
import { allowEntryProblem } from '../media/address-policy.js';

/** Bot QQ number in the sandbox when neither the configuration, the database nor the world file names one. */
export const DEFAULT_SELF_ID = 10001000;

/** The strict schema inside each lenient field, for {@link strictSchemaOf}. */
const strictSchemas = new WeakMap<v.GenericSchema, v.GenericSchema>();

/** `strict`, but an invalid value becomes `fallback` instead of an error; so does a missing one. */
function lenient<T>(strict: v.GenericSchema<unknown, T>, fallback: T) {
  const field = v.optional(v.fallback(strict, fallback), fallback);
  strictSchemas.set(field, strict);
  return field;
}

/** The schema a lenient field (of {@link configSchema}'s entries) checks before falling back; `undefined` for other fields. */
export const strictSchemaOf = (field: v.GenericSchema): v.GenericSchema | undefined => strictSchemas.get(field);

/** An integer in [min, max], read like `get_integer`. */
function integer(fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  const error = max === Number.MAX_SAFE_INTEGER ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`;
  return v.optional(coerced((value) => coerceInteger(value, fallback), integerIn(error, min, max)), fallback);
}

/**
 * An integer ≥ `min` with no default: unset (or blank) stays `undefined`, so that whoever reads it
 * can tell "not configured" from a value (`self_id`: then the world file or the database decides).
 */
function optionalInteger(min: number) {
  const coerce = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : coerceInteger(value, 0));
  return v.optional(coerced(coerce, v.optional(integerIn(`must be an integer ≥ ${min}`, min))));
}

/** A TCP port; 0 asks the OS for an ephemeral port (useful in tests). */
const port = (fallback: number) => integer(fallback, 0, 65535);

/** A boolean, read like `get_bool`. */
function boolean(fallback: boolean) {
  const inner = v.boolean('must be a boolean (true/false, yes/no or 1/0)');
  return v.optional(coerced((value) => coerceBoolean(value, fallback), inner), fallback);
}

/** A string, read strictly like `get_string`: a non-string is ignored (fallback, with a warning). */
const string = (fallback: string) => lenient(v.string('must be a string'), fallback);

/** Empty, or a URL starting with `<scheme>://` (case-insensitive); anything else is ignored with a warning, as the original. */
function url(schemes: readonly string[]) {
  const pattern = new RegExp(`^(?:$|(?:${schemes.join('|')})://)`, 'i');
  const error = `must be empty or a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`;
  return lenient(v.pipe(v.string(error), v.regex(pattern, error)), '');
}

/** Empty, or a URL starting with `<scheme>://` that parses; anything else is an error (not ignored: a bridge must not start half-configured). */
function strictUrl(schemes: readonly string[]) {
  const error = `must be empty or a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`;
  const valid = (text: string) => text === '' || (schemes.some((scheme) => text.toLowerCase().startsWith(`${scheme}://`)) && URL.canParse(text));
  return v.optional(v.pipe(v.string(error), v.check(valid, error)), '');
}

/** One of `choices`, accepted case-insensitively and returned in canonical spelling; else an error. */
function choice<const T extends readonly [string, ...string[]]>(choices: T, fallback: T[number]) {
  const inner = v.picklist(choices, `must be one of: ${choices.join(', ')}`);
  return v.optional(coerced((value) => coerceChoice(value, choices), inner), fallback);
}

/** One of `choices` (exact spelling); anything else is ignored with a warning, like the original. */
function lenientChoice<const T extends readonly [string, ...string[]]>(choices: T, fallback: T[number]) {
  return lenient(v.picklist(choices, `must be one of: ${choices.join(', ')}`), fallback);
}

/** A key the original had but cqhttpd does not act on: an invalid value falls back (with a warning) rather than failing. */
const inert = lenient;

/** A list item that is not a string: `Invalid input: expected string, received number`. */
const notAString = ({ input }: v.StringIssue) => expectedMessage('string', input);

/** A list of strings: a JSON array, or one string of `,`-separated entries (blank entries dropped; a blank string = default). */
function list(fallback: readonly string[], item: v.GenericSchema<string> = v.string(notAString)) {
  const split = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === '') return [...fallback];
    if (text.startsWith('[')) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return value;
      }
    }
    return text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  };
  const inner = v.array(item, 'must be a JSON array of strings or a comma-separated string');
  return v.optional(coerced(split, inner), () => [...fallback]);
}

/** The configuration schema. Unknown keys are stripped (the loader warns about them). */
export const configSchema = v.object({
  // --- CQHTTP 4.15 (§9.2) -------------------------------------------------------------------
  host: string('127.0.0.1'),
  port: port(5700),
  use_http: boolean(true),
  ws_host: string('127.0.0.1'),
  ws_port: port(6700),
  use_ws: boolean(false),
  ws_reverse_url: url(['ws', 'wss']),
  ws_reverse_api_url: url(['ws', 'wss']),
  ws_reverse_event_url: url(['ws', 'wss']),
  ws_reverse_reconnect_interval: integer(3000, 0),
  ws_reverse_reconnect_on_code_1000: boolean(true),
  ws_reverse_use_universal_client: boolean(false),
  use_ws_reverse: boolean(false),
  post_url: url(['http', 'https']),
  post_timeout: integer(0, 0),
  access_token: string(''),
  secret: string(''),
  post_message_format: lenientChoice(['string', 'array'], 'string'),
  serve_data_files: boolean(false),
  enable_cors: boolean(false),
  update_source: string('global'),
  update_channel: string('stable'),
  auto_check_update: inert(boolean(false), false),
  auto_perform_update: inert(boolean(false), false),
  thread_pool_size: inert(integer(4, 0), 4),
  server_thread_pool_size: inert(integer(4, 0), 4),
  convert_unicode_emoji: boolean(true),
  event_filter: string(''),
  enable_backward_compatibility: boolean(false),
  show_log_console: inert(boolean(true), true),
  max_log_file_size: integer(6291456, 1),
  max_log_files: integer(1, 0),
  log_level: choice(['debug', 'info', 'warning', 'error', 'fatal'], 'info'),
  use_extension: inert(boolean(false), false),
  disable_coolq_log: inert(boolean(true), true),
  online_status_detection_method: lenientChoice(['get_stranger_info', 'log_db'], 'get_stranger_info'),
  enable_heartbeat: boolean(false),
  heartbeat_interval: integer(15000, 1),
  enable_rate_limited_actions: boolean(false),
  rate_limit_interval: integer(500, 0),
  // --- cqhttpd additions --------------------------------------------------------------------
  // Unset: the sandbox database's bot, else the world file's `self_id`, else DEFAULT_SELF_ID.
  self_id: optionalInteger(1),
  data_dir: string('./data'),
  world_file: string(''),
  sandbox_host: string('127.0.0.1'),
  sandbox_port: port(5800),
  sandbox_token: string(''),
  metrics: boolean(true),
  // --- the bridge (docs/bridge.md, decision P15) ----------------------------------------------
  backend: choice(['sandbox', 'onebot', 'milky'], 'sandbox'),
  upstream_url: strictUrl(['ws', 'wss', 'http', 'https']),
  upstream_access_token: string(''),
  upstream_passthrough: list([], v.pipe(v.string(notAString), v.regex(/^(\*|[A-Za-z0-9_.]{1,100})$/, 'must be an action name or *'))),
  upstream_dialect: choice(['auto', 'napcat', 'llbot', 'lagrange', 'gocq', 'generic'], 'auto'),
  upstream_mode: choice(['forward', 'reverse'], 'forward'),
  upstream_listen_host: string('127.0.0.1'),
  upstream_listen_port: port(6701),
  upstream_listen_path: v.optional(v.pipe(v.string('must be a string'), v.regex(/^\/[\x21-\x7e]*$/, 'must be a path starting with /')), '/'),
  upstream_event_transport: choice(['websocket', 'sse'], 'websocket'),
  failure_details: boolean(true),
  ws_reverse_authorization_scheme: choice(['Bearer', 'Token'], 'Bearer'),
  max_body_size: integer(10485760, 1),
  max_header_size: integer(65536, 1024),
  max_journal_size: integer(16777216, 65536),
  max_stream_backlog_size: integer(8388608, 65536),
  max_ws_frame_size: integer(10485760, 1),
  max_queue_length: integer(10000, 1),
  max_concurrent_posts: integer(16, 1),
  log_format: choice(['pretty', 'json'], 'pretty'),
  log_traffic: boolean(true),
  connections: connectionsSchema,
  // --- recording the bridge (docs/recording.md) ---------------------------------------------
  record: boolean(false),
  record_redact: boolean(true),
  record_max_size: integer(67108864, 65536),
  record_max_files: integer(8, 0),
  // --- cqhttpd media (docs/media.md) --------------------------------------------------------
  allowed_file_dirs: list([], v.pipe(v.string(notAString), v.minLength(1, 'a directory must not be empty'))),
  max_download_size: integer(20971520, 1),
  download_timeout: integer(30, 1),
  allowed_url_schemes: list(['http', 'https'], v.pipe(v.string(notAString), v.regex(/^https?$/i, 'only http and https are supported'))),
  max_download_redirects: integer(5, 0),
  max_concurrent_downloads: integer(4, 1),
  allowed_download_hosts: list([], v.pipe(v.string(notAString), v.check((entry) => allowEntryProblem(entry) === undefined, 'must be a host name, an IP address or a CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, media.local)'))),
  ffmpeg_path: string(''),
  ffmpeg_timeout: integer(60, 1),
  media_base_url: url(['http', 'https']),
});

/** The validated configuration. */
export type Config = v.InferOutput<typeof configSchema>;

/** A configuration key. */
export type ConfigKey = keyof Config;

/** Every configuration key, in schema order. */
export const CONFIG_KEYS = Object.keys(configSchema.entries) as ConfigKey[];

/**
 * Problems between keys (each key being valid on its own): a bridge backend needs its upstream.
 */
export function crossKeyProblems(config: Readonly<Config>): string[] {
  const problems: string[] = [];
  const scheme = config.upstream_url.toLowerCase().replace(/:.*$/s, '');
  if (config.backend === 'onebot' && config.upstream_mode === 'forward') {
    if (config.upstream_url === '') problems.push('backend = "onebot" needs upstream_url: the ws:// or wss:// address of the upstream\'s forward WebSocket (or upstream_mode = reverse, docs/bridge.md)');
    else if (scheme !== 'ws' && scheme !== 'wss') problems.push('backend = "onebot": upstream_url must be the ws:// or wss:// address of the upstream\'s forward WebSocket (docs/bridge.md)');
  }
  if (config.backend === 'milky') {
    if (config.upstream_url === '') problems.push('backend = "milky" needs upstream_url: the http:// or https:// base address of the Milky implementation (docs/bridge.md)');
    else if (scheme !== 'http' && scheme !== 'https') problems.push('backend = "milky": upstream_url must be the http:// or https:// base address of the Milky implementation (docs/bridge.md)');
  }
  return problems;
}

/** Keys of the original that cqhttpd accepts but does not act on. */
export const INERT_KEYS: readonly ConfigKey[] = [
  'update_source', 'update_channel', 'auto_check_update', 'auto_perform_update', 'thread_pool_size',
  'server_thread_pool_size', 'show_log_console', 'use_extension', 'disable_coolq_log',
];

/**
 * Keys that are not configuration but are known and ignored without a warning: the generated
 * file's `$schema`, and each DLL extension's `<name>.enable` switch (with `use_extension`).
 */
export function isIgnoredKey(key: string): boolean {
  return key === '$schema' || /^[A-Za-z0-9_-]+\.enable$/.test(key);
}

/** Hints for keys people write by mistake: 3.x names and OneBot v11's dotted reference names. */
export const KEY_HINTS: Readonly<Record<string, string>> = {
  use_filter: 'removed in 4.x; use event_filter (a filter file path)',
  'http.enable': 'OneBot v11 reference name; cqhttpd reads use_http',
  'http.host': 'OneBot v11 reference name; cqhttpd reads host',
  'http.port': 'OneBot v11 reference name; cqhttpd reads port',
  'http_post.enable': 'OneBot v11 reference name; HTTP POST is on whenever post_url is set',
  'http_post.url': 'OneBot v11 reference name; cqhttpd reads post_url',
  'http_post.timeout': 'OneBot v11 reference name; cqhttpd reads post_timeout',
  'http_post.secret': 'OneBot v11 reference name; cqhttpd reads secret',
  'ws.enable': 'OneBot v11 reference name; cqhttpd reads use_ws',
  'ws.host': 'OneBot v11 reference name; cqhttpd reads ws_host',
  'ws.port': 'OneBot v11 reference name; cqhttpd reads ws_port',
  'ws_reverse.enable': 'OneBot v11 reference name; cqhttpd reads use_ws_reverse',
  'ws_reverse.url': 'OneBot v11 reference name; cqhttpd reads ws_reverse_url',
  'ws_reverse.api_url': 'OneBot v11 reference name; cqhttpd reads ws_reverse_api_url',
  'ws_reverse.event_url': 'OneBot v11 reference name; cqhttpd reads ws_reverse_event_url',
  'ws_reverse.use_universal_client': 'OneBot v11 reference name; cqhttpd reads ws_reverse_use_universal_client',
  'ws_reverse.reconnect_interval': 'OneBot v11 reference name; cqhttpd reads ws_reverse_reconnect_interval',
  'auth.access_token': 'OneBot v11 reference name; cqhttpd reads access_token',
  'event.message_format': 'OneBot v11 reference name; cqhttpd reads post_message_format',
  'heartbeat.enable': 'OneBot v11 reference name; cqhttpd reads enable_heartbeat',
  'heartbeat.interval': 'OneBot v11 reference name; cqhttpd reads heartbeat_interval',
  'api.rate_limit_interval': 'OneBot v11 reference name; cqhttpd reads rate_limit_interval',
};
