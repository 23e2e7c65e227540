/**
 * `resolveConnections`: every event connection the configuration asks for — the flat 4.15
 * `post_url` and `ws_reverse_*` settings, then the items of `connections` — with unset fields
 * taken from the flat keys, so transports need not know about fallbacks.
 */
import type { HttpPostConnectionConfig, WsReverseConnectionConfig } from './connections.js';
import type { Config } from './schema.js';

/** How a connection shapes its events (structurally the core's `EventFormat`). */
export interface ResolvedEventFormat {
  /** `post_message_format`. */
  readonly messageFormat: 'string' | 'array';
  /** `enable_backward_compatibility`. */
  readonly backwardCompatibility: boolean;
}

interface ResolvedCommon {
  /** For logs: `post_url`, `ws_reverse`, the item's `name`, or `connections[<i>]`. */
  readonly name: string;
  readonly format: ResolvedEventFormat;
  /**
   * The connection's effective event filter file: its own `event_filter`, else the flat
   * `event_filter` (`""` = none). It replaces the flat filter for this connection; it is not added to it.
   */
  readonly eventFilter: string;
}

/** An HTTP POST receiver. */
export interface ResolvedHttpPost extends ResolvedCommon {
  readonly type: 'http_post';
  readonly url: string;
  /** HMAC-SHA1 key of `X-Signature`; `""` = unsigned. */
  readonly secret: string;
  /** Total request timeout in seconds; 0 = none. */
  readonly timeout: number;
}

/** One socket a reverse-WebSocket connection dials (§3.5 roles). */
export interface ReverseClient {
  readonly role: 'Universal' | 'API' | 'Event';
  readonly url: string;
}

/** A reverse WebSocket connection: one Universal socket, or separate API and/or Event sockets. */
export interface ResolvedWsReverse extends ResolvedCommon {
  readonly type: 'ws_reverse';
  /** Never empty. An API-only connection has no Event client and receives no events. */
  readonly clients: readonly ReverseClient[];
  /** Sent as `Authorization: <scheme> <token>` when not empty. */
  readonly accessToken: string;
  readonly authorizationScheme: 'Bearer' | 'Token';
  /** Milliseconds. */
  readonly reconnectInterval: number;
  readonly reconnectOnCode1000: boolean;
}

/** A resolved event connection. */
export type ResolvedConnection = ResolvedHttpPost | ResolvedWsReverse;

/** The configuration fields `resolveConnections` reads. */
export type ConnectionSettings = Pick<Config,
  | 'connections' | 'post_url' | 'secret' | 'post_timeout' | 'post_message_format' | 'event_filter'
  | 'enable_backward_compatibility' | 'use_ws_reverse' | 'ws_reverse_url' | 'ws_reverse_api_url'
  | 'ws_reverse_event_url' | 'ws_reverse_use_universal_client' | 'access_token'
  | 'ws_reverse_authorization_scheme' | 'ws_reverse_reconnect_interval' | 'ws_reverse_reconnect_on_code_1000'>;

/**
 * Decision P3: one Universal client, unless an API or Event URL is given and Universal is not
 * forced; then an API client (`apiUrl`, else `url`) and an Event client (`eventUrl`, else `url`).
 * Empty URLs create no client.
 */
export function reverseClients(url: string, apiUrl: string, eventUrl: string, forceUniversal: boolean): ReverseClient[] {
  const split = (apiUrl !== '' || eventUrl !== '') && !forceUniversal;
  if (!split) return url === '' ? [] : [{ role: 'Universal', url }];
  const clients: ReverseClient[] = [];
  if ((apiUrl || url) !== '') clients.push({ role: 'API', url: apiUrl || url });
  if ((eventUrl || url) !== '') clients.push({ role: 'Event', url: eventUrl || url });
  return clients;
}

/** Format and filter of an item, falling back to the flat keys. */
function commonOf(item: HttpPostConnectionConfig | WsReverseConnectionConfig, name: string, config: ConnectionSettings): ResolvedCommon {
  return {
    name: item.name ?? name,
    format: {
      messageFormat: item.post_message_format ?? config.post_message_format,
      backwardCompatibility: item.enable_backward_compatibility ?? config.enable_backward_compatibility,
    },
    eventFilter: item.event_filter ?? config.event_filter,
  };
}

function httpPost(item: HttpPostConnectionConfig, name: string, config: ConnectionSettings): ResolvedHttpPost {
  return {
    type: 'http_post',
    ...commonOf(item, name, config),
    url: item.url,
    secret: item.secret ?? config.secret,
    timeout: item.timeout ?? config.post_timeout,
  };
}

function wsReverse(item: WsReverseConnectionConfig, name: string, config: ConnectionSettings): ResolvedWsReverse {
  return {
    type: 'ws_reverse',
    ...commonOf(item, name, config),
    clients: reverseClients(item.url ?? '', item.api_url ?? '', item.event_url ?? '', item.use_universal_client ?? false),
    accessToken: item.access_token ?? config.access_token,
    authorizationScheme: item.authorization_scheme ?? config.ws_reverse_authorization_scheme,
    reconnectInterval: item.reconnect_interval ?? config.ws_reverse_reconnect_interval,
    reconnectOnCode1000: item.reconnect_on_code_1000 ?? config.ws_reverse_reconnect_on_code_1000,
  };
}

/**
 * Every HTTP POST and reverse-WebSocket connection, HTTP POST first, each group in order: the
 * flat 4.15 one (`post_url` when set; the `ws_reverse_*` keys when `use_ws_reverse` is on and
 * they name at least one URL), then the `connections` items of that type in list order.
 * Unset item fields take the flat keys' values, except the URLs and `use_universal_client`
 * (an item's role follows from its own URLs, decision P3).
 */
export function resolveConnections(config: ConnectionSettings): ResolvedConnection[] {
  const posts: ResolvedHttpPost[] = [];
  const sockets: ResolvedWsReverse[] = [];
  if (config.post_url !== '') posts.push(httpPost({ type: 'http_post', url: config.post_url }, 'post_url', config));
  if (config.use_ws_reverse) {
    const flat = wsReverse({ type: 'ws_reverse' }, 'ws_reverse', config);
    const clients = reverseClients(config.ws_reverse_url, config.ws_reverse_api_url, config.ws_reverse_event_url, config.ws_reverse_use_universal_client);
    if (clients.length > 0) sockets.push({ ...flat, clients });
  }
  config.connections.forEach((item, index) => {
    const name = `connections[${index}]`;
    if (item.type === 'http_post') posts.push(httpPost(item, name, config));
    else sockets.push(wsReverse(item, name, config));
  });
  return [...posts, ...sockets];
}
