/** The results: a table for the terminal (or Markdown for docs/performance.md) and bench/results.json. */
import { writeFileSync } from 'node:fs';
import type { CaseResult, Row } from './lib/context.js';
import type { ProfileSummary } from './lib/profile.js';
import type { Stat } from './lib/stats.js';

export interface Report {
  date: string;
  mode: 'quick' | 'full';
  machine: { nproc: number; cpu: string; node: string; platform: string };
  build: string;
  pinning: string;
  cases: CaseResult[];
  profiles: { label: string; file: string; summary: ProfileSummary }[];
  durationMs: number;
}

function num(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  if (unit === 'ms' || unit === 'µs') return v < 10 ? v.toFixed(2) : v.toFixed(1);
  if (unit === 'MB' || unit === 'MB/s' || unit === '%') return v.toFixed(1);
  if (unit === 's') return v.toFixed(3);
  if (Math.abs(v) >= 100) return Math.round(v).toString();
  return v.toFixed(2);
}

function cell(s: Stat | null | undefined, unit: string): string {
  if (s === undefined) return '';
  if (s === null || s.n === 0) return '—';
  if (s.n === 1 || s.min === s.max) return `${num(s.median, unit)} ${unit}`;
  return `${num(s.median, unit)} ${unit} (${num(s.min, unit)}–${num(s.max, unit)})`;
}

function met(row: Row): string {
  if (row.met === undefined) return '';
  return row.met ? 'met' : 'MISSED';
}

interface Line { case: string; metric: string; value: string; baseline: string; ratio: string; target: string; met: string }

function lines(cases: readonly CaseResult[]): Line[] {
  const out: Line[] = [];
  for (const c of cases) {
    if (c.status !== 'ok') {
      out.push({ case: c.id, metric: c.status === 'error' ? 'ERROR (see below)' : 'not available (see below)', value: '', baseline: '', ratio: '', target: '', met: '' });
      continue;
    }
    c.rows.forEach((row, i) => {
      out.push({
        case: i === 0 ? c.id : '',
        metric: row.metric,
        value: cell(row.value, row.unit),
        baseline: cell(row.baseline, row.unit),
        ratio: row.ratio === undefined ? '' : row.ratioRange !== undefined && row.ratioRange.n > 1 ? `${row.ratio.toFixed(2)}× (${row.ratioRange.min.toFixed(2)}–${row.ratioRange.max.toFixed(2)})` : `${row.ratio.toFixed(2)}×`,
        target: row.target ?? '',
        met: met(row),
      });
    });
  }
  return out;
}

const HEAD: Line = { case: 'case', metric: 'metric', value: 'cqhttpd median (min–max)', baseline: 'baseline median (min–max)', ratio: 'ratio (min–max)', target: 'target', met: '' };
const KEYS = ['case', 'metric', 'value', 'baseline', 'ratio', 'target', 'met'] as const;

/** A fixed-width table for the terminal. */
export function formatTable(cases: readonly CaseResult[]): string {
  const all = [HEAD, ...lines(cases)];
  const width = KEYS.map((k) => Math.max(...all.map((l) => l[k].length)));
  const fmt = (l: Line): string => KEYS.map((k, i) => l[k].padEnd(width[i])).join('  ').trimEnd();
  return [fmt(HEAD), width.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(fmt)].join('\n');
}

/** The same table in Markdown. */
export function formatMarkdown(cases: readonly CaseResult[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const row = (l: Line): string => `| ${KEYS.map((k) => esc(l[k])).join(' | ')} |`;
  return [row(HEAD), `|${KEYS.map(() => '---').join('|')}|`, ...lines(cases).map(row)].join('\n');
}

/** Targets met and missed, one line each. */
export function formatVerdicts(cases: readonly CaseResult[]): string {
  const out: string[] = [];
  for (const c of cases) {
    if (c.status !== 'ok') {
      out.push(`  ${c.id}: ${c.status}${c.reason !== undefined ? ` — ${c.reason.split('\n')[0]}` : ''}`);
      continue;
    }
    for (const r of c.rows) {
      if (r.met === undefined) continue;
      const actual = r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : r.value === null ? '—' : `${num(r.value.median, r.unit)} ${r.unit}`;
      out.push(`  ${r.met ? 'met    ' : 'MISSED '} ${c.id}: ${r.metric} = ${actual} (target ${r.target ?? ''})`);
    }
  }
  return out.join('\n');
}

/** Write results.json. */
export function writeJson(file: string, report: Report): void {
  writeFileSync(file, `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
}
