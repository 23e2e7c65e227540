/** What opening any bridge backend (`backend = onebot` or `milky`) takes, besides its own options. */
import type { Logger } from 'pino';

export interface BridgeOptions {
  /** cqhttpd's data directory (bridge.db lives there). */
  dataDir: string;
  /** Where the upstream is. */
  url: string;
  /** `upstream_access_token`. */
  accessToken: string;
  /** The configured `self_id`, if any: must match the upstream's account. */
  selfId: number | undefined;
  logger: Logger;
  /** How long starting waits for the upstream (default 5 s). */
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}
