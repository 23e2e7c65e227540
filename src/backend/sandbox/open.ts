/** Opening a sandbox: the database, the world seeded into it once, and the objects that share it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { BackendEvent } from '../port.js';
import { SandboxContext } from './context.js';
import { Hub } from './hub.js';
import type { MediaUrlResolver } from './media-links.js';
import { SandboxBackend } from './sandbox.js';
import { seedWorld } from './seed.js';
import { Store } from './store/index.js';
import type { MessageRow } from './store/index.js';
import { DEFAULT_SELF_ID, defaultWorld, readWorldFile } from './world.js';

/** How to open a sandbox. */
export interface SandboxOptions {
  /** Directory for `sandbox.db` (created if missing). */
  dataDir: string;
  /**
   * The configured bot: a new world is seeded for it (a world file naming another bot is an error);
   * an existing database must belong to it. Unset: the database's bot, else the world file's
   * `self_id`, else 10001000.
   */
  selfId?: number | undefined;
  /** A JSON/YAML world to seed instead of the default one (only into an empty database). */
  worldFile?: string | undefined;
  /** Clock in milliseconds (default `Date.now`); injectable for tests. */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
  /** Allow private messages to non-friends who share a group with the bot (default true). */
  allowTempSessions?: boolean | undefined;
  /** The `url` given to stored media segments (media-links.ts); default none. */
  mediaUrl?: MediaUrlResolver | undefined;
}

/**
 * Open the sandbox in `dataDir`, seeding the world (the world file, else the default one) if the
 * database is empty.
 * @throws WorldFileError when the world file is invalid; Error when the database belongs to another bot
 */
export function openSandbox(options: SandboxOptions): SandboxBackend {
  const log = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? Date.now;
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = join(options.dataDir, 'sandbox.db');
  const store = Store.open(dbFile);
  try {
    let selfId = store.users.selfId();
    if (selfId === undefined) {
      const world = options.worldFile !== undefined ? readWorldFile(options.worldFile, options.selfId) : defaultWorld(options.selfId ?? DEFAULT_SELF_ID);
      selfId = world.self_id;
      seedWorld(store, world, selfId, Math.floor(now() / 1000));
      log.info({ dbFile, selfId, worldFile: options.worldFile ?? '(default world)' }, 'sandbox world seeded');
    } else {
      if (options.selfId !== undefined && options.selfId !== selfId) {
        throw new Error(`the sandbox database ${dbFile} belongs to bot ${selfId}, not ${options.selfId}; use another data_dir or delete the file to start a new world`);
      }
      if (options.worldFile !== undefined) {
        log.warn(`world file ${options.worldFile} ignored: ${dbFile} already holds a world (bot ${selfId}); a world is seeded only into an empty database — to start over from the file, stop cqhttpd and delete ${dbFile}`);
      }
    }
    const hub = new Hub<BackendEvent>(log, 'event');
    const messages = new Hub<MessageRow>(log, 'stored message');
    const ctx = new SandboxContext({ store, selfId, rules: { allowTempSessions: options.allowTempSessions ?? true }, log, hub, messages, now, mediaUrl: options.mediaUrl });
    return new SandboxBackend(store, ctx, hub, messages, dbFile);
  } catch (err) {
    store.close();
    throw err;
  }
}
