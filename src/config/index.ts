/** Configuration: schema, loader and errors (docs/config.md). */
export { configSchema, CONFIG_KEYS, DEFAULT_SELF_ID, INERT_KEYS, isIgnoredKey, KEY_HINTS } from './schema.js';
export type { Config, ConfigKey } from './schema.js';
export { defaultConfig, loadConfig } from './load.js';
export type { LoadOptions, LoadResult } from './load.js';
export { ConfigError } from './errors.js';
export { resolveConnections, reverseClients } from './resolve.js';
export type {
  ConnectionSettings, ResolvedConnection, ResolvedEventFormat, ResolvedHttpPost, ResolvedWsReverse, ReverseClient,
} from './resolve.js';
export type { ConnectionConfig, HttpPostConnectionConfig, WsReverseConnectionConfig } from './connections.js';
