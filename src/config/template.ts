/**
 * The config file `cqhttpd init` writes: INI, a `[general]` section with every key of
 * {@link configSchema} at its default, each under a comment saying what it does. Keys and values
 * come from the schema, so the file cannot drift from it; {@link KEY_NOTES} must name every key
 * (the type checker sees to it). Loading the written file yields the defaults, with no warning.
 */
import { defaultConfig } from './load.js';
import { CONFIG_KEYS, DEFAULT_SELF_ID, type ConfigKey } from './schema.js';

/** One line on each key, for the template's comments (docs/config.md has the full story). */
export const KEY_NOTES: Readonly<Record<ConfigKey, string>> = {
  host: 'HTTP API listen address; 0.0.0.0 exposes it (then set access_token)',
  port: 'HTTP API port; 0 = any free port',
  use_http: 'serve the HTTP API',
  ws_host: 'forward WebSocket listen address',
  ws_port: 'forward WebSocket port; 0 = any free port',
  use_ws: 'serve the forward WebSocket (/ for API + events, /api, /event)',
  ws_reverse_url: 'reverse WebSocket URL (ws:// or wss://): the Universal client, and the fallback of the two below',
  ws_reverse_api_url: 'reverse WebSocket API client URL',
  ws_reverse_event_url: 'reverse WebSocket Event client URL',
  ws_reverse_reconnect_interval: 'milliseconds before a reverse WebSocket reconnects',
  ws_reverse_reconnect_on_code_1000: 'also reconnect after a normal (1000) close',
  ws_reverse_use_universal_client: 'force one Universal reverse connection',
  use_ws_reverse: 'connect the reverse WebSocket clients',
  post_url: 'HTTP POST events to this URL (http:// or https://); empty = no POST',
  post_timeout: 'seconds an HTTP POST may take; 0 = no limit',
  access_token: 'token the bot must present (Authorization: Bearer <token> or ?access_token=); empty = none',
  secret: 'HMAC-SHA1 key of the X-Signature header of HTTP POSTs; empty = unsigned',
  post_message_format: 'message format in events: string (CQ codes) or array (segments)',
  serve_data_files: "serve CoolQ's data files under GET /data/...",
  enable_cors: 'CORS headers and OPTIONS on the HTTP API',
  update_source: 'inert: update server',
  update_channel: 'inert: update channel',
  auto_check_update: 'inert: check for updates',
  auto_perform_update: 'inert: install updates',
  thread_pool_size: 'calls the _async action queue runs at once',
  server_thread_pool_size: 'inert: per-server thread pool',
  convert_unicode_emoji: "convert CoolQ's emoji codes to Unicode characters",
  event_filter: 'event filter file (JSON); empty = every event',
  enable_backward_compatibility: 'CQHTTP 3.x event shapes',
  show_log_console: "inert: CoolQ's log window",
  max_log_file_size: 'bytes of the log file before it is rotated',
  max_log_files: 'rotated log files kept',
  log_level: 'debug, info, warning, error or fatal',
  use_extension: 'inert: DLL extensions',
  disable_coolq_log: "inert: do not mirror logs into CoolQ's",
  online_status_detection_method: 'how get_status computes online: get_stranger_info or log_db',
  enable_heartbeat: 'emit heartbeat meta events',
  heartbeat_interval: 'milliseconds between heartbeats',
  enable_rate_limited_actions: 'accept <action>_rate_limited',
  rate_limit_interval: 'milliseconds of pause after each rate-limited call',
  self_id: "the bot's QQ number (also selects the [<self_id>] section); unset = the database's bot, else the world file's, else 10001000",
  data_dir: 'database, media and logs',
  world_file: 'JSON or YAML world seeded into an empty sandbox (docs/world.md); empty = the default world',
  sandbox_host: 'listen address of the sandbox control API',
  sandbox_port: 'port of the sandbox control API; 0 = any free port',
  sandbox_token: 'token the sandbox control API requires; empty = none',
  metrics: 'Prometheus metrics at GET /metrics of the control API (docs/metrics.md); false = not collected',
  backend: 'sandbox (the simulated QQ world), onebot (a real account behind an upstream OneBot v11 implementation) or milky (behind a Milky implementation); docs/bridge.md',
  upstream_url: "backend = onebot: ws:// or wss:// address of the upstream's forward WebSocket; backend = milky: the http:// or https:// base address of the Milky implementation",
  upstream_access_token: "the upstream's access token: sent as Authorization: Bearer, and required of an upstream that connects in reverse mode; empty = none",
  upstream_passthrough: "backend = onebot or milky: actions cqhttpd does not know that are passed to the upstream as they are, comma-separated; * = every one; empty = none",
  upstream_dialect: 'backend = onebot: auto (from get_version_info), napcat, llbot, lagrange, gocq or generic',
  upstream_mode: 'backend = onebot: forward (cqhttpd dials upstream_url) or reverse (the upstream dials cqhttpd)',
  upstream_listen_host: 'upstream_mode = reverse: listen address for the upstream',
  upstream_listen_port: 'upstream_mode = reverse: port for the upstream; 0 = any free port',
  upstream_listen_path: 'upstream_mode = reverse: the Universal path; <path>/api and <path>/event for an API + Event pair',
  upstream_event_transport: 'backend = milky: how events come from <upstream_url>/event: websocket, or sse (Server-Sent Events)',
  failure_details: 'add msg and wording to failed calls; false = 4.15\'s exact bytes',
  ws_reverse_authorization_scheme: 'Bearer, or Token as 4.15 sent it',
  max_body_size: 'largest HTTP request body, in bytes',
  max_header_size: 'largest request head (request line, query string, headers) on every HTTP listener, in bytes; bigger is 431',
  max_journal_size: 'bytes of parameters and answers the call journal (GET /api/calls) keeps; the oldest calls go first',
  max_stream_backlog_size: 'bytes a control API stream reader may fall behind before it is cut off',
  max_ws_frame_size: 'largest WebSocket frame, in bytes',
  max_queue_length: 'bound of the _async and _rate_limited queues and of events waiting to be POSTed',
  max_concurrent_posts: 'events POSTed at once; 1 = 4.15\'s one-at-a-time order',
  log_format: 'pretty (for people) or json (one object a line)',
  log_traffic: 'an info line per message received and sent, failed API call, and bot connection opened or closed',
  connections: 'more HTTP POST and reverse WebSocket connections: a JSON array, or [connection.<name>] sections (docs/config.md)',
  record: 'backend = onebot or milky: record what passes through the bridge to a cassette in <data_dir>/cassettes (docs/recording.md)',
  record_redact: 'pseudonyms for QQ numbers and names, no tokens, placeholders for media in cassettes; false = keep everything',
  record_max_size: 'bytes of one cassette file before the next part starts',
  record_max_files: 'cassette files kept in <data_dir>/cassettes, the oldest deleted first; 0 = no limit',
  allowed_file_dirs: 'directories file:// media may come from, comma-separated; empty = none',
  max_download_size: 'largest download or base64 payload, in bytes',
  download_timeout: 'seconds a download may take',
  allowed_url_schemes: 'schemes downloads may use (http, https)',
  max_download_redirects: 'redirects followed per download',
  max_concurrent_downloads: 'downloads running at once',
  allowed_download_hosts: 'host names, IP addresses or CIDR ranges media downloads may reach although not public (default: public addresses only)',
  ffmpeg_path: 'the ffmpeg executable, for voice records; empty = ffmpeg on PATH, else the build npm installs with cqhttpd',
  ffmpeg_timeout: 'seconds before ffmpeg is killed',
  media_base_url: 'base of the url of received images and files; empty = the HTTP API\'s address',
};

/** Keys written commented out: setting them changes behaviour beyond their default value. */
const COMMENTED_OUT: ReadonlySet<ConfigKey> = new Set(['self_id', 'connections']);

/** Where each part of the schema starts, with its heading. */
const HEADINGS: Partial<Record<ConfigKey, string>> = {
  host: 'CQHTTP 4.15 keys',
  self_id: "cqhttpd's own keys",
  record: 'recording the bridge (docs/recording.md)',
  allowed_file_dirs: 'media (docs/media.md)',
};

/** A default as INI writes it: INI has no quoting, so strings are bare and lists comma-separated. */
function iniValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The commented INI text of every key at its default. */
export function configTemplate(): string {
  const defaults: Record<string, unknown> = { ...defaultConfig(), self_id: DEFAULT_SELF_ID };
  const lines = [
    '; cqhttpd configuration: every key at its default (written by `cqhttpd init`).',
    '; Comments are whole lines starting with ; or #. INI has no inline comments: anything after',
    '; the = is the value, a trailing "# ..." included. Values are not quoted.',
    "; 'inert' keys are read for 4.15 compatibility and change nothing.",
    '; Precedence: defaults < this file < CQHTTP_<KEY> environment variables < command-line flags.',
    '; Every key: docs/config.md. Per-bot overrides go in a [<self_id>] section below [general].',
    '',
    '[general]',
    '',
    '; several bot accounts in one sandbox world, each with its own [<self_id>] section (ports, tokens,',
    '; connections…); the first is the world\'s own bot (docs/config.md#several-bots)',
    '; bots = 10001000, 10002000',
  ];
  for (const key of CONFIG_KEYS) {
    const heading = HEADINGS[key];
    if (heading !== undefined) lines.push('', `; ---- ${heading} ----`);
    lines.push('', `; ${KEY_NOTES[key]}`);
    const value = iniValue(defaults[key]);
    const line = value === '' ? `${key} =` : `${key} = ${value}`;
    lines.push(COMMENTED_OUT.has(key) ? `; ${line}` : line);
  }
  return `${lines.join('\n')}\n`;
}
