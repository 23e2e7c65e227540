/**
 * `npm run bench`: cqhttpd's speed and memory, each speed as a ratio against a bare baseline
 * measured in the same run. See docs/performance.md.
 *
 *   node --import tsx bench/run.ts [--quick] [--only <case>[,<case>…]] [--profile] [--no-build]
 *                                  [--server <cli.js>] [--soak <s>] [--no-pin] [--markdown] [--out <file>] [--list]
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bridge } from './cases/bridge.js';
import { cqcodes } from './cases/cqcode.js';
import { fanout } from './cases/fanout.js';
import { consoleCost } from './cases/console-cost.js';
import { consoleFanout } from './cases/console-fanout.js';
import { httpRead } from './cases/http-read.js';
import { httpWrite } from './cases/http-write.js';
import { memory } from './cases/memory.js';
import { metricsCost } from './cases/metrics-cost.js';
import { roundTrip } from './cases/roundtrip.js';
import { startup } from './cases/startup.js';
import { wsApi } from './cases/ws-api.js';
import { prepare } from './lib/build.js';
import { FULL, QUICK } from './lib/context.js';
import type { BenchCase, BenchContext, CaseResult } from './lib/context.js';
import { prefill } from './lib/prefill.js';
import { machineInfo, setUpPinning } from './lib/proc.js';
import { formatProfile } from './lib/profile.js';
import type { ProfileSummary } from './lib/profile.js';
import { formatMarkdown, formatTable, formatVerdicts, writeJson } from './report.js';
import type { Report } from './report.js';

const CASES: readonly BenchCase[] = [httpRead, httpWrite, wsApi, fanout, roundTrip, cqcodes, memory, startup, metricsCost, consoleCost, consoleFanout, bridge];

const HELP = `usage: npm run bench -- [options]

  --quick            short runs (under 2 minutes in all)
  --only <ids>       run only these cases (comma-separated): ${CASES.map((c) => c.id).join(', ')}
  --profile          run cqhttpd with --cpu-prof and summarise where its CPU time went
  --no-build         measure dist/cli.js as built (default: a snapshot build of src/)
  --server <cli.js>  measure this build instead (e.g. a patched copy, for an A/B comparison)
  --no-pin           do not pin servers and load generator to separate cores with taskset
  --markdown         also print the table as Markdown (for docs/performance.md)
  --out <file>       where to write the JSON results (default bench/results.json)
  --soak <seconds>   length of the memory soak (default 300; 10 with --quick)
  --list             list the cases and exit`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      server: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      out: { type: 'string' },
      soak: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.list) {
    for (const c of CASES) console.log(`${c.id.padEnd(12)} ${c.title}`);
    return 0;
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let selected = CASES;
  if (values.only !== undefined) {
    const ids = values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = ids.filter((id) => !CASES.some((c) => c.id === id));
    if (unknown.length > 0) {
      console.error(`unknown case(s): ${unknown.join(', ')}; known: ${CASES.map((c) => c.id).join(', ')}`);
      return 2;
    }
    selected = CASES.filter((c) => ids.includes(c.id));
  }

  const started = performance.now();
  const quick = values.quick;
  const scale = { ...(quick ? QUICK : FULL) };
  if (values.soak !== undefined) {
    const seconds = Number(values.soak);
    if (!Number.isFinite(seconds) || seconds < 5 || seconds > 3600) {
      console.error('--soak: a number of seconds from 5 to 3600');
      return 2;
    }
    scale.soakMs = seconds * 1000;
  }
  // Stop by itself whatever happens: a hung case must not keep load running.
  const watchdog = setTimeout(() => {
    console.error('bench: overall time limit reached; aborting');
    process.exit(3);
  }, (quick ? 6 * 60_000 : 45 * 60_000) + scale.soakMs);
  watchdog.unref();

  const machine = machineInfo();
  const pinning = setUpPinning(!values['no-pin']);
  console.log(`cqhttpd bench (${quick ? 'quick' : 'full'}) — ${machine.nproc} cores, ${machine.cpu}, node ${machine.node}`);
  console.log(`pinning: ${pinning.note}`);
  const prepared = await prepare(root, values['no-build'], values.server);
  console.log(`server: ${prepared.note}`);

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-bench-'));
  const profiles: Report['profiles'] = [];
  let prefilled: Promise<string> | undefined;
  const ctx: BenchContext = {
    root, quick, scale, profile: values.profile, prepared, pinning, tmpDir,
    log: (message) => console.log(message),
    addProfile(label: string, summary: ProfileSummary, file: string) {
      profiles.push({ label, file, summary });
      console.log(formatProfile(label, summary));
    },
    prefilledDataDir() {
      prefilled ??= prefill(ctx, path.join(tmpDir, 'prefilled'), scale.messages);
      return prefilled;
    },
  };

  const results: CaseResult[] = [];
  try {
    for (const c of selected) {
      console.log(`\n== ${c.id}: ${c.title}`);
      const t0 = performance.now();
      const loadBefore = os.loadavg()[0];
      let result: CaseResult;
      try {
        const outcome = await c.run(ctx);
        result = { id: c.id, title: c.title, durationMs: performance.now() - t0, ...outcome };
      } catch (err) {
        const message = err instanceof Error ? err.stack ?? err.message : String(err);
        result = { id: c.id, title: c.title, durationMs: performance.now() - t0, status: 'error', reason: message, rows: [], notes: [] };
      }
      result.loadavg = { before: loadBefore, after: os.loadavg()[0] };
      if (Math.max(loadBefore, result.loadavg.after) > machine.nproc + 1) {
        result.notes.push(`the machine was busy (load average ${loadBefore.toFixed(1)} → ${result.loadavg.after.toFixed(1)} on ${machine.nproc} cores, the benchmark itself adding about 2): other processes took CPU from the server and the load generator, so throughputs and latencies are unreliable; the "server CPU per request" rows are the most robust figures`);
      }
      if (result.status !== 'ok') console.log(`  ${result.status}: ${result.reason ?? ''}`);
      for (const note of result.notes) console.log(`  note: ${note}`);
      console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      results.push(result);
    }
  } finally {
    if (values.profile && profiles.length > 0) {
      // Keep the raw profiles (open them in Chrome DevTools → Performance, or speedscope).
      const keep = path.join(os.tmpdir(), `cqhttpd-bench-profiles-${Date.now()}`);
      mkdirSync(keep, { recursive: true });
      for (const [i, p] of profiles.entries()) {
        const dest = path.join(keep, `${String(i + 1).padStart(2, '0')}-${p.label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
        renameSync(p.file, dest);
        p.file = dest;
      }
      console.log(`\nCPU profiles kept in ${keep}`);
    }
    rmSync(tmpDir, { recursive: true, force: true });
  }

  const report: Report = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine,
    build: prepared.note,
    pinning: pinning.note,
    cases: results,
    profiles,
    durationMs: performance.now() - started,
  };
  const out = values.out === undefined ? path.join(root, 'bench', 'results.json') : path.resolve(values.out);
  writeJson(out, report);
  console.log(`\n${formatTable(results)}\n`);
  if (values.markdown) console.log(`${formatMarkdown(results)}\n`);
  console.log(`targets:\n${formatVerdicts(results)}`);
  console.log(`\nresults written to ${path.relative(process.cwd(), out) || out} (${(report.durationMs / 1000).toFixed(0)} s in all)`);
  return results.some((r) => r.status === 'error') ? 1 : 0;
}

process.exit(await main());
