/**
 * Memory: cqhttpd's resident set (RSS, from /proc) idle after start on a fresh sandbox; with a
 * million stored messages (after start and a few seconds of mixed load); and its drift over a
 * soak of mixed load paced at 5 000 req/s (5 minutes; 15 s with --quick). The bare node:http
 * baseline's idle RSS is shown for reference.
 */
import type { BenchCase, BenchContext, CaseOutcome, Row } from '../lib/context.js';
import { freePort, sleep } from '../lib/net.js';
import type { RunningProcess } from '../lib/proc.js';
import { AUTH, startBaseline, startCqhttpd } from '../lib/server.js';
import { median, stat, type Stat } from '../lib/stats.js';
import { buildRequest, runHttpLoad } from '../load/http.js';
import type { HttpLoadResult } from '../load/http.js';

const MB = 1024 * 1024;
const SOAK_RATE = 5000;
/**
 * How long after start the idle RSS is read (full mode; 20 s with --quick). A start leaves V8's
 * young generation grown to its maximum (≈ 7 MB more resident) until its memory reducer runs,
 * 8 s or more after a full collection, and at a time that differs from one start to the next.
 */
const IDLE_SETTLE_MS = 30_000;
const IDLE_SETTLE_QUICK_MS = 20_000;
/** Fresh servers whose idle RSS is measured (the median is the figure). */
const IDLE_STARTS = 3;
const MIN_JUDGED_SOAK_MS = 60_000;

/** The mixed load: 20 requests, reads and writes in the proportions of a busy bot. */
export function mixedRequests(port: number): Buffer[] {
  const auth = { Authorization: AUTH };
  const json = { ...auth, 'Content-Type': 'application/json' };
  const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };
  const get = (p: string) => buildRequest('GET', p, port, auth);
  const send = (text: string) => buildRequest('POST', '/send_group_msg', port, json, JSON.stringify({ group_id: 100001, message: text }));
  const out: Buffer[] = [];
  for (let i = 0; i < 8; i++) out.push(get('/get_login_info'));
  out.push(send('早上好 [CQ:face,id=14]'), send('[CQ:at,qq=20001] the deploy finished, see https://example.com/a?b=1&amp;c=2'));
  out.push(send('收到'), send('ok, merging now &#91;CI green&#93;'));
  for (let i = 0; i < 3; i++) out.push(get('/get_group_member_info?group_id=100001&user_id=20001'));
  out.push(get('/get_group_list'), get('/get_group_list'));
  out.push(buildRequest('POST', '/get_stranger_info', port, form, 'user_id=20002'), buildRequest('POST', '/get_stranger_info', port, form, 'user_id=20003'));
  out.push(get('/get_status'));
  return out;
}

const RETCODE_0 = Buffer.from('"retcode":0');

/** Run the mixed load at `rate` while sampling RSS every `everyMs`. */
async function mixedLoad(proc: RunningProcess, port: number, rate: number, durationMs: number, everyMs: number): Promise<{ load: HttpLoadResult; rss: { t: number; rss: number }[] }> {
  const requests = mixedRequests(port);
  const rss: { t: number; rss: number }[] = [];
  const t0 = performance.now();
  const timer = setInterval(() => rss.push({ t: performance.now() - t0, rss: proc.rss() }), everyMs);
  try {
    const load = await runHttpLoad({
      port, connections: 32, rate, durationMs,
      request: (seq) => requests[seq % requests.length],
      check: (status, body) => status === 200 && body.includes(RETCODE_0),
    });
    return { load, rss };
  } finally {
    clearInterval(timer);
  }
}

async function idleRss(proc: RunningProcess, settleMs: number): Promise<number> {
  await sleep(settleMs);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(proc.rss());
    await sleep(200);
  }
  return median(samples) / MB;
}

const one = (v: number) => ({ median: v, min: v, max: v, n: 1 });

/** Least-squares slope of RSS over time, in MB per minute. */
function slopeMbPerMin(samples: readonly { t: number; rss: number }[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mr = samples.reduce((a, s) => a + s.rss, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.rss - mr);
    den += (s.t - mt) ** 2;
  }
  return (num / den / MB) * 60_000;
}

export const memory: BenchCase = {
  id: 'memory',
  title: 'Memory — RSS idle, with 1M stored messages, drift over a soak at 5 000 req/s',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const rows: Row[] = [];

    // Idle: fresh servers (each seeds the default world), measured 2 s after start and again once
    // settled (≥ 20 s: V8's memory reducer shrinks the heap of an idle process after ~10 s). One
    // start differs from the next by up to ±4 MB (when V8's collections and its worker threads'
    // allocations happened), so three are started side by side and the median is the figure.
    // The wait overlaps with building the million-message sandbox.
    const settleMs = ctx.quick ? IDLE_SETTLE_QUICK_MS : IDLE_SETTLE_MS;
    const fresh = await Promise.all(Array.from({ length: IDLE_STARTS }, (_, i) => startCqhttpd(ctx, { label: `cqhttpd idle ${i + 1}`, profile: false })));
    const basePort = await freePort();
    const base = await startBaseline(ctx, 'baseline http', ctx.prepared.baselines.http, { port: basePort, routes: {}, contentType: 'text/plain' }, basePort);
    let idleEarly: Stat;
    let idle: Stat;
    let baseIdle: number;
    let dir: string;
    try {
      idleEarly = stat(await Promise.all(fresh.map((f) => idleRss(f.proc, 2000))));
      dir = await ctx.prefilledDataDir();
      const settleUntil = Math.max(...fresh.map((f) => f.proc.readyAt)) + settleMs;
      if (performance.now() < settleUntil) await sleep(settleUntil - performance.now());
      const [settled, baseSettled] = await Promise.all([Promise.all(fresh.map((f) => idleRss(f.proc, 0))), idleRss(base, 0)]);
      idle = stat(settled);
      baseIdle = baseSettled;
    } finally {
      await Promise.all(fresh.map((f) => f.stop()));
      await base.stop();
    }
    const mb = (s: Stat) => `${s.median.toFixed(1)} MB (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
    notes.push(`idle RSS of ${IDLE_STARTS} fresh starts: ${mb(idleEarly)} 2 s after start, ${mb(idle)} once settled (${settleMs / 1000} s after start)`);
    rows.push({ metric: `RSS idle (settled, ${settleMs / 1000} s; median of ${IDLE_STARTS} starts)`, unit: 'MB', value: idle, baseline: one(baseIdle), target: '≤ 70 MB', met: idle.median <= 70 });
    rows.push({ metric: 'RSS idle 2 s after start', unit: 'MB', value: idleEarly });

    const big = await startCqhttpd(ctx, { dataDir: dir, label: 'cqhttpd memory (1M messages)' });
    try {
      const atStart = await idleRss(big.proc, 1000);
      const warm = await mixedLoad(big.proc, big.port, 2000, ctx.quick ? 2000 : 10_000, 250);
      const loaded = Math.max(atStart * MB, ...warm.rss.map((s) => s.rss)) / MB;
      notes.push(`1M messages: RSS ${atStart.toFixed(1)} MB after start, ${loaded.toFixed(1)} MB peak under ${warm.load.rps.toFixed(0)} req/s of mixed load`);
      rows.push({ metric: `RSS with ${(ctx.scale.messages / 1e6).toFixed(1)}M stored messages`, unit: 'MB', value: one(loaded), target: '≤ 200 MB', met: loaded <= 200 });

      ctx.log(`  soak: ${SOAK_RATE} req/s mixed for ${ctx.scale.soakMs / 1000} s`);
      const cpu0 = big.proc.cpu();
      const soak = await mixedLoad(big.proc, big.port, SOAK_RATE, ctx.scale.soakMs, 1000);
      const serverCpu = (big.proc.cpu() - cpu0) / (soak.load.durationMs / 1000);
      const span = soak.load.durationMs;
      const inRange = (from: number, to: number) => soak.rss.filter((s) => s.t >= from * span && s.t <= to * span).map((s) => s.rss);
      const ref = median(inRange(0.2, 0.3));
      const end = median(inRange(0.9, 1.01));
      const drift = ((end - ref) / ref) * 100;
      const all = stat(soak.rss.map((s) => s.rss / MB));
      const late = soak.rss.filter((s) => s.t >= span / 2);
      notes.push(`soak RSS trend over the second half: ${slopeMbPerMin(late).toFixed(2)} MB/min (≈ 0 when memory has levelled off)`);
      notes.push(`soak: ${soak.load.rps.toFixed(0)} req/s achieved of ${SOAK_RATE} (${soak.load.bad} bad, ${soak.load.errors} errors, ${soak.load.dropped} dropped), p99 ${soak.load.latency.p99.toFixed(2)} ms, server core ${(serverCpu * 100).toFixed(0)}%`);
      notes.push(`soak RSS: ${(ref / MB).toFixed(1)} MB at 20–30 % of the soak → ${(end / MB).toFixed(1)} MB in the last 10 % (min ${all.min.toFixed(1)}, max ${all.max.toFixed(1)} MB)`);
      if (soak.load.firstBad !== undefined) notes.push(`soak: first bad answer: ${soak.load.firstBad}`);
      // A short soak sees the heap ramp up, not a drift: the target is judged on soaks of a minute or more.
      const judged = ctx.scale.soakMs >= MIN_JUDGED_SOAK_MS;
      if (!judged) notes.push(`soak of ${ctx.scale.soakMs / 1000} s: too short to judge a drift (the heap is still ramping up); the target is checked on soaks of ${MIN_JUDGED_SOAK_MS / 1000} s or more (full mode: 300 s)`);
      rows.push({ metric: `RSS drift over ${ctx.scale.soakMs / 1000} s soak`, unit: '%', value: one(drift), target: judged ? '≤ 10 %' : '≤ 10 % (not judged: soak < 60 s)', ...(judged ? { met: drift <= 10 } : {}) });
      rows.push({ metric: `soak throughput (mixed, paced at ${SOAK_RATE}/s)`, unit: 'req/s', value: one(soak.load.rps) });
      return { status: 'ok', rows, notes, raw: { idle, baseIdle, atStart, loaded, soak: { rss: soak.rss, rps: soak.load.rps, latency: soak.load.latency, bad: soak.load.bad, dropped: soak.load.dropped, serverCpu } } };
    } finally {
      await big.stop();
    }
  },
};
