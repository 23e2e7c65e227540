/**
 * Measuring cqhttpd against its baseline in the same run: both warmed up, then measured runs
 * alternated (A B B A A B …) so that a noisy neighbour hurts both alike; each run also records
 * how busy the server's core and the load generator's core were.
 */
import type { BenchContext, Row } from './context.js';
import type { RunningProcess } from './proc.js';
import { stat } from './stats.js';
import type { Stat } from './stats.js';

/** One measured run of one subject. */
export interface RunFigures {
  /** Throughput (good answers or events per second). */
  rate: number;
  p50: number;
  p99: number;
  /** Server CPU used during the run, in cores (0…1 on a pinned server). */
  serverCpu: number;
  /** Load generator CPU, in cores. */
  loadCpu: number;
  /** Anything wrong (bad answers, errors). */
  bad: number;
  firstBad?: string;
}

export interface Subject {
  name: string;
  proc: RunningProcess;
  /** One run of `durationMs`. */
  run(durationMs: number): Promise<Omit<RunFigures, 'serverCpu'>>;
}

/** Run `subject` once, adding the server's CPU use. */
export async function measure(subject: Subject, durationMs: number): Promise<RunFigures> {
  const cpu0 = subject.proc.cpu();
  const t0 = performance.now();
  const figures = await subject.run(durationMs);
  const serverCpu = (subject.proc.cpu() - cpu0) / ((performance.now() - t0) / 1000);
  return { ...figures, serverCpu };
}

/** Warm both up, then `runs` alternated measured runs of each. */
export async function alternate(ctx: BenchContext, a: Subject, b: Subject): Promise<{ a: RunFigures[]; b: RunFigures[] }> {
  const { runs, runMs, warmupMs } = ctx.scale;
  ctx.log(`  warm-up ${a.name} and ${b.name} (${warmupMs} ms each)`);
  await a.run(warmupMs);
  await b.run(Math.max(500, warmupMs / 2));
  const out = { a: [] as RunFigures[], b: [] as RunFigures[] };
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    for (const s of order) {
      const f = await measure(s, runMs);
      (s === a ? out.a : out.b).push(f);
      ctx.log(`  run ${i + 1}/${runs} ${s.name.padEnd(10)} ${f.rate.toFixed(0).padStart(7)}/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  server CPU ${(f.serverCpu * 100).toFixed(0)}%  load CPU ${(f.loadCpu * 100).toFixed(0)}%${f.bad > 0 ? `  BAD ${f.bad}` : ''}`);
    }
  }
  return out;
}

/** The ratio of medians, rounded to 3 decimals. */
export function ratioOf(value: Stat, baseline: Stat): number {
  return round3(value.median / baseline.median);
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Ratios of runs measured back to back (a[i] / b[i]): their median is the headline ratio (a slow
 * drift of the machine's load cancels out within a pair), min and max its spread.
 */
export function pairRatios(a: readonly number[], b: readonly number[]): Stat {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) ratios.push(a[i] / b[i]);
  const s = stat(ratios);
  return { median: round3(s.median), min: round3(s.min), max: round3(s.max), n: s.n };
}

/**
 * Rows for a throughput comparison: rate (with ratio and target), p50 and p99 (for both), and
 * notes on saturation and bad answers.
 */
export function comparisonRows(label: string, unit: string, runs: { a: RunFigures[]; b: RunFigures[] }, minRatio: number, notes: string[]): Row[] {
  const rate = stat(runs.a.map((r) => r.rate));
  const baseRate = stat(runs.b.map((r) => r.rate));
  const pairs = pairRatios(runs.a.map((r) => r.rate), runs.b.map((r) => r.rate));
  const ratio = pairs.median;
  const rows: Row[] = [
    { metric: `${label} ${unit}`, unit, value: rate, baseline: baseRate, ratio, ratioRange: pairs, target: `≥ ${minRatio}×`, met: ratio >= minRatio },
    { metric: `${label} p50`, unit: 'ms', value: stat(runs.a.map((r) => r.p50)), baseline: stat(runs.b.map((r) => r.p50)) },
    { metric: `${label} p99`, unit: 'ms', value: stat(runs.a.map((r) => r.p99)), baseline: stat(runs.b.map((r) => r.p99)) },
    costRow(`${label} server CPU/${unit.replace(/\/s$/, '')}`, runs),
  ];
  const cpu = (list: RunFigures[], key: 'serverCpu' | 'loadCpu'): string => `${(stat(list.map((r) => r[key])).median * 100).toFixed(0)}%`;
  notes.push(`${label}: server core busy ${cpu(runs.a, 'serverCpu')} (cqhttpd) / ${cpu(runs.b, 'serverCpu')} (baseline); load generator core ${cpu(runs.a, 'loadCpu')} / ${cpu(runs.b, 'loadCpu')}`);
  const saturated = stat(runs.b.map((r) => r.loadCpu)).median >= 0.9;
  if (saturated) {
    notes.push(`${label}: the load generator was near 100% of its core during the baseline runs, so the baseline figure is a lower bound and the true ratio may be lower than ${ratio}`);
  }
  const bad = runs.a.reduce((n, r) => n + r.bad, 0);
  if (bad > 0) notes.push(`${label}: ${bad} bad answers from cqhttpd (first: ${runs.a.find((r) => r.firstBad !== undefined)?.firstBad ?? '?'})`);
  const baseBad = runs.b.reduce((n, r) => n + r.bad, 0);
  if (baseBad > 0) notes.push(`${label}: ${baseBad} bad answers from the baseline`);
  return rows;
}

/**
 * Server CPU time per unit of work (µs), with the baseline's cost over cqhttpd's as the ratio:
 * the same sense as a throughput ratio, but insensitive to other processes taking the server's
 * core away (a shared machine) and to a saturated load generator.
 */
export function costRow(metric: string, runs: { a: RunFigures[]; b: RunFigures[] }): Row {
  const cost = (r: RunFigures): number => (r.serverCpu / r.rate) * 1e6;
  const value = stat(runs.a.map(cost));
  const baseline = stat(runs.b.map(cost));
  const pairs = pairRatios(runs.b.map(cost), runs.a.map(cost));
  return { metric, unit: 'µs', value, baseline, ratio: pairs.median, ratioRange: pairs };
}
