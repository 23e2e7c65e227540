/**
 * Opens a bridge backend (`backend = onebot` or `milky`, docs/bridge.md) from the configuration.
 * Each is `import()`ed only when configured: the sandbox needs neither, nor their sockets.
 */
import type { Logger } from 'pino';
import type { MilkyOptions } from '../backend/milky/index.js';
import type { OnebotOptions } from '../backend/onebot/index.js';
import type { Backend } from '../backend/port.js';
import type { Config } from '../config/index.js';
import { createTokenCheck } from '../core/auth.js';

/** `tap` (the recorder) sees the bridge's traffic, OneBot or Milky. */
export async function openBridge(config: Readonly<Config>, dataDir: string, logger: Logger, tap?: OnebotOptions['tap'] & MilkyOptions['tap']): Promise<Backend> {
  const common = { dataDir, url: config.upstream_url, accessToken: config.upstream_access_token, selfId: config.self_id, logger: logger.child({ component: 'upstream' }) };
  if (config.backend === 'milky') {
    const { openMilky } = await import('../backend/milky/index.js');
    return openMilky({ ...common, eventTransport: config.upstream_event_transport, ...(tap !== undefined ? { tap } : {}) });
  }
  const { openOnebot } = await import('../backend/onebot/index.js');
  return openOnebot({
    ...common,
    dialect: config.upstream_dialect,
    ...(tap !== undefined ? { tap } : {}),
    ...(config.upstream_mode === 'reverse'
      ? {
        reverse: {
          host: config.upstream_listen_host, port: config.upstream_listen_port, path: config.upstream_listen_path,
          checkToken: createTokenCheck(config.upstream_access_token),
        },
      }
      : {}),
  });
}
