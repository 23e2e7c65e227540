/**
 * A sandbox holding a million stored messages, made fast: the measured cqhttpd seeds its default
 * world once (started and stopped), then the sandbox's own store (the built `Store`, so the schema
 * is always the current one) appends the messages in big transactions — realistic ones from the
 * corpus, spread over the three groups and three private conversations of the default world.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext } from './context.js';
import { generateCorpus } from './corpus.js';
import { startCqhttpd } from './server.js';

type StoreModule = typeof import('../../src/backend/sandbox/store/index.js');

const SELF_ID = 10001000;
const GROUP_IDS = [100001, 100002, 100003];
const FRIEND_IDS = [20001, 20002, 20003];
const USER_IDS = [20001, 20002, 20003, 20004, 20005, 20006, 20007];
const BATCH = 50_000;

/** Fill `dir` with a seeded sandbox and `count` stored messages; resolves with `dir`. */
export async function prefill(ctx: BenchContext, dir: string, count: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const seeder = await startCqhttpd(ctx, { dataDir: dir, label: 'cqhttpd (seeding)', profile: false });
  await seeder.stop();

  const storeFile = path.join(path.dirname(ctx.prepared.cli), 'backend', 'sandbox', 'store', 'index.js');
  const { Store } = (await import(pathToFileURL(storeFile).href)) as StoreModule;
  const corpus = generateCorpus(10_000, 0.3, 99).map((m) => ({ segments: JSON.stringify(m.segments), raw: m.cq }));
  const store = Store.open(path.join(dir, 'sandbox.db'));
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const step = (30 * 24 * 3600 * 1000) / count;
  try {
    for (let done = 0; done < count; done += BATCH) {
      const end = Math.min(count, done + BATCH);
      store.transaction(() => {
        for (let i = done; i < end; i++) {
          const m = corpus[i % corpus.length];
          const group = i % 4 !== 3;
          const peerId = group ? GROUP_IDS[i % 3] : FRIEND_IDS[i % 3];
          const senderId = group ? (i % 5 === 0 ? SELF_ID : USER_IDS[i % USER_IDS.length]) : i % 2 === 0 ? SELF_ID : peerId;
          store.messages.insert({ peerType: group ? 'group' : 'private', peerId, senderId, timeMs: Math.floor(start + i * step), segments: m.segments, rawMessage: m.raw });
        }
      });
    }
  } finally {
    store.close();
  }
  ctx.log(`  pre-filled ${count} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}
