/** What every case gets (the run's settings and shared services) and what it hands back. */
import type { Prepared } from './build.js';
import type { Pinning } from './proc.js';
import type { ProfileSummary } from './profile.js';
import type { Stat } from './stats.js';

/** Durations and repetitions, full or `--quick`. */
export interface Scale {
  /** Measured repetitions of each throughput figure (per server). */
  runs: number;
  /** Length of one measured run (ms). */
  runMs: number;
  /** Warm-up before the measured runs (ms), per server. */
  warmupMs: number;
  /** Messages pre-filled for the memory and start-up cases. */
  messages: number;
  /** Memory soak length (ms). */
  soakMs: number;
  /** Start-up repetitions. */
  startups: number;
  /** CQ-code corpus size. */
  corpus: number;
}

export const FULL: Scale = { runs: 5, runMs: 8000, warmupMs: 3000, messages: 1_000_000, soakMs: 300_000, startups: 5, corpus: 100_000 };
export const QUICK: Scale = { runs: 3, runMs: 1000, warmupMs: 700, messages: 1_000_000, soakMs: 10_000, startups: 3, corpus: 100_000 };

export interface BenchContext {
  /** The repository root. */
  root: string;
  quick: boolean;
  scale: Scale;
  /** Start cqhttpd with `--cpu-prof` and summarise the profiles. */
  profile: boolean;
  prepared: Prepared;
  pinning: Pinning;
  /** A temporary directory of this run (removed at the end). */
  tmpDir: string;
  log(message: string): void;
  /** Record a CPU profile summary of a server process. */
  addProfile(label: string, summary: ProfileSummary, file: string): void;
  /** A data directory whose sandbox holds `scale.messages` stored messages (built once per run). */
  prefilledDataDir(): Promise<string>;
}

/** One line of the results table. */
export interface Row {
  /** What is measured, e.g. "req/s (64 conns)". */
  metric: string;
  unit: string;
  /** cqhttpd's figure. */
  value: Stat | null;
  /** The bare baseline's figure in the same run. */
  baseline?: Stat | null;
  /** cqhttpd against the baseline (> 1: cqhttpd is better): the median of back-to-back run pairs. */
  ratio?: number;
  /** The spread of the pair ratios. */
  ratioRange?: Stat;
  /** The target, as text ("≥ 0.85×", "≤ 70 MB"). */
  target?: string;
  /** Whether the target is met (absent when there is none). */
  met?: boolean;
}

export type CaseStatus = 'ok' | 'not available' | 'error';

export interface CaseOutcome {
  status: CaseStatus;
  /** Why a case is not available or failed. */
  reason?: string;
  rows: Row[];
  /** Remarks for the report (load generator saturation, verifications…). */
  notes: string[];
  /** Raw per-run figures, for results.json. */
  raw?: unknown;
}

export interface CaseResult extends CaseOutcome {
  id: string;
  title: string;
  durationMs: number;
  /** 1-minute load average before and after the case (the benchmark itself adds about 2). */
  loadavg?: { before: number; after: number };
}

/** A benchmark case. */
export interface BenchCase {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<CaseOutcome>;
}

/** A case outcome for a missing feature of the server. */
export function notAvailable(reason: string, notes: string[] = []): CaseOutcome {
  return { status: 'not available', reason, rows: [], notes };
}
