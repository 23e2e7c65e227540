/**
 * Start-up: from spawning `node <cli>` to the HTTP API accepting a TCP connection, on a sandbox
 * holding a million stored messages (and, for reference, on an empty data directory, where the
 * world is seeded first). The bare node:http baseline's start is shown beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchCase, BenchContext, CaseOutcome, Row } from '../lib/context.js';
import { freePort } from '../lib/net.js';
import { startBaseline, startCqhttpd } from '../lib/server.js';
import { stat } from '../lib/stats.js';

export const startup: BenchCase = {
  id: 'startup',
  title: 'Start-up — process start to listening, sandbox with 1M stored messages',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const dir = await ctx.prefilledDataDir();
    const n = ctx.scale.startups;
    const big: number[] = [];
    const empty: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < n; i++) {
      const cq = await startCqhttpd(ctx, { dataDir: dir, label: 'cqhttpd startup', profile: false });
      big.push(cq.proc.readyAt - cq.proc.spawnedAt);
      await cq.stop();

      const fresh = mkdtempSync(path.join(ctx.tmpDir, 'empty-'));
      const cq2 = await startCqhttpd(ctx, { dataDir: fresh, label: 'cqhttpd startup (empty)', profile: false });
      empty.push(cq2.proc.readyAt - cq2.proc.spawnedAt);
      await cq2.stop();
      rmSync(fresh, { recursive: true, force: true });

      const port = await freePort();
      const b = await startBaseline(ctx, 'baseline http', ctx.prepared.baselines.http, { port, routes: {}, contentType: 'text/plain' }, port);
      base.push(b.readyAt - b.spawnedAt);
      await b.stop();
      ctx.log(`  run ${i + 1}/${n}: 1M ${big[i].toFixed(0)} ms, empty ${empty[i].toFixed(0)} ms, bare node:http ${base[i].toFixed(0)} ms`);
    }
    const bigStat = stat(big);
    const rows: Row[] = [
      { metric: `start → listening, ${(ctx.scale.messages / 1e6).toFixed(1)}M messages`, unit: 'ms', value: bigStat, baseline: stat(base), target: '≤ 1000 ms', met: bigStat.median <= 1000 },
      { metric: 'start → listening, empty data dir', unit: 'ms', value: stat(empty), baseline: stat(base) },
    ];
    notes.push('baseline column: a bare node:http server process (node start-up itself)');
    return { status: 'ok', rows, notes, raw: { big, empty, base } };
  },
};
