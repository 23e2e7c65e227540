/**
 * `npm run fuzz [-- --seconds N] [--runs N] [--seed N]`: the hostile-input fuzzer of
 * test/fuzz/hostile.ts for longer than `npm test` runs it (default 300 s). Exits 1 with the
 * counterexample (replay it with --seed) when the server died, reached its last-resort handler,
 * answered outside the documented statuses or envelope, or outgrew its RSS bound.
 */
import { parseArgs } from 'node:util';
import { runHostileFuzz } from '../test/fuzz/hostile.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } } });
const seconds = Number(values.seconds ?? (values.runs === undefined ? 300 : Infinity));
const runs = values.runs === undefined ? 1_000_000 : Number(values.runs);
const started = Date.now();
try {
  const report = await runHostileFuzz({
    runs,
    ...(Number.isFinite(seconds) ? { timeLimitMs: seconds * 1000 } : {}),
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    progress: (line) => console.log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${line}`),
  });
  console.log(`ok: ${report.runs} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s, peak server RSS ${(report.rssBytes / 2 ** 20).toFixed(0)} MiB, seed ${report.seed}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
