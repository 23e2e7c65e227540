/**
 * The composition root: the only place that names concrete implementations (sandbox backend,
 * HTTP transport) and wires them to the core. Everything it opens, `close()` shuts in order.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { ALL_ACTIONS } from '../actions/index.js';
import { openSandbox, type SandboxBackend } from '../backend/sandbox/index.js';
import type { Config } from '../config/index.js';
import { createDispatcher, type Dispatcher } from '../core/dispatch.js';
import { ActionRegistry } from '../core/registry.js';
import { createHttpApiServer, type HttpApiServer } from '../transports/http/server.js';
import { readBuildInfo } from './build-info.js';

export interface Cqhttpd {
  readonly config: Readonly<Config>;
  readonly backend: SandboxBackend;
  readonly dispatcher: Dispatcher;
  /** Where the HTTP API listens, when `use_http` is on. */
  readonly http?: { host: string; port: number };
  close(): Promise<void>;
}

export interface StartOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** Injectable clock for the sandbox (tests). */
  now?: () => number;
}

export async function startCqhttpd({ config, logger, now }: StartOptions): Promise<Cqhttpd> {
  const dataDir = path.resolve(config.data_dir);
  const backend = openSandbox({
    dataDir,
    selfId: config.self_id,
    worldFile: config.world_file === '' ? undefined : path.resolve(config.world_file),
    logger: logger.child({ component: 'sandbox' }),
    ...(now ? { now } : {}),
  });
  let httpServer: HttpApiServer | undefined;
  const dispatcher = createDispatcher({
    registry: new ActionRegistry(ALL_ACTIONS),
    logger: logger.child({ component: 'dispatch' }),
    enableRateLimitedActions: config.enable_rate_limited_actions,
    rateLimitInterval: config.rate_limit_interval,
    workerPoolSize: config.thread_pool_size > 0 ? config.thread_pool_size : 4,
    maxQueueLength: config.max_queue_length,
    context: {
      backend,
      config,
      logger,
      build: readBuildInfo(),
      dataDir,
      health: () => ({
        ...dispatcher.health(),
        http: !config.use_http || httpServer?.server.listening === true,
      }),
    },
  });

  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of closers.splice(0).reverse()) {
      await step().catch((err: unknown) => logger.error({ err }, 'error while shutting down'));
    }
  };
  closers.push(() => backend.close());
  closers.push(() => dispatcher.close());

  try {
    let http: { host: string; port: number } | undefined;
    if (config.use_http) {
      httpServer = createHttpApiServer({
        dispatch: dispatcher.dispatch,
        logger: logger.child({ component: 'http' }),
        options: {
          host: config.host,
          port: config.port,
          accessToken: config.access_token,
          enableCors: config.enable_cors,
          maxBodySize: config.max_body_size,
          failureDetails: config.failure_details,
        },
      });
      const server = httpServer;
      http = await server.listen();
      closers.push(() => server.close());
      logger.info(`HTTP API listening on http://${http.host}:${http.port}${config.access_token ? ' (access_token required)' : ''}`);
    }
    return { config, backend, dispatcher, ...(http ? { http } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
