/**
 * The bridge's cost: a cqhttpd sandbox as the upstream (forward WebSocket), a second cqhttpd with
 * `backend = onebot` in front of it. Calls: `send_group_msg` frames paced at 2 000/s on one
 * WebSocket `/api`, in alternate runs straight to the upstream and through the bridge. Events:
 * group messages posted through the upstream's control API at 2 000/s, received at once by a
 * WebSocket `/event` on the upstream and one on the bridge. The added latency is the bridge's
 * percentile minus the direct one. The bridge has the server core; the upstream shares the load
 * generator's.
 */
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { notAvailable } from '../lib/context.js';
import { sleep, waitForPort } from '../lib/net.js';
import { AUTH, startCqhttpd, TOKEN } from '../lib/server.js';
import { Samples, stat } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';
import { CONTROL_PATH, DeliveryLog, EVENT_GROUP_ID, probeControl, readMarker } from '../load/events.js';
import { buildRequest, runHttpLoad } from '../load/http.js';
import { openWs, readEcho } from '../load/ws.js';
import type { RawWs } from '../load/ws.js';

const RATE = 2000;
const TICK_MS = 5;
const RETCODE_0 = Buffer.from('"retcode":0');

interface Paced { latency: LatencySummary; ok: number; bad: number; firstBad?: string }

/** `send_group_msg` frames at `RATE`/s for `durationMs` on one connection; latency from when each was due. */
async function pacedCalls(port: number, durationMs: number): Promise<Paced> {
  const count = Math.ceil((RATE * durationMs) / 1000);
  const due = new Float64Array(count);
  const samples = new Samples();
  let ok = 0;
  let bad = 0;
  let answered = 0;
  let firstBad: string | undefined;
  const ws = await openWs(port, '/api', { Authorization: AUTH }, (buf, start, end) => {
    const echo = readEcho(buf, start, end);
    if (echo < 0 || echo >= count) return;
    answered++;
    samples.add(performance.now() - (due[echo] as number));
    const at = buf.indexOf(RETCODE_0, start);
    if (at !== -1 && at < end) ok++;
    else {
      bad++;
      firstBad ??= buf.toString('utf8', start, Math.min(end, start + 300));
    }
  });
  try {
    const t0 = performance.now();
    let sent = 0;
    while (sent < count) {
      const shouldHave = Math.min(count, Math.floor(((performance.now() - t0) * RATE) / 1000) + 1);
      for (; sent < shouldHave; sent++) {
        due[sent] = t0 + (sent * 1000) / RATE;
        ws.send(Buffer.from(`{"action":"send_group_msg","params":{"group_id":${EVENT_GROUP_ID},"message":"bridge bench ${sent}"},"echo":${sent}}`));
      }
      await sleep(TICK_MS);
    }
    const until = performance.now() + 5000;
    while (answered < count && performance.now() < until) await sleep(10);
  } finally {
    ws.destroy();
  }
  return { latency: samples.summary(), ok, bad, ...(firstBad !== undefined ? { firstBad } : {}) };
}

export const bridge: BenchCase = {
  id: 'bridge',
  title: 'Bridge — latency the onebot bridge adds to a call and to an event, at 2 000 msg/s, against the upstream directly',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    // The bridge gets the server core to itself; the upstream shares the load generator's core.
    const upstream = await startCqhttpd({ ...ctx, pinning: { ...ctx.pinning, ...(ctx.pinning.load !== undefined ? { server: ctx.pinning.load } : {}) } }, { label: 'cqhttpd upstream', ws: true });
    let front: Awaited<ReturnType<typeof startCqhttpd>> | undefined;
    const receivers: RawWs[] = [];
    try {
      if (!(await waitForPort(upstream.wsPort, 3000))) return notAvailable('the upstream offers no forward WebSocket');
      front = await startCqhttpd(ctx, {
        label: 'cqhttpd bridge', ws: true,
        set: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${upstream.wsPort}/`, upstream_access_token: TOKEN },
      });
      if (!(await waitForPort(front.wsPort, 5000))) return notAvailable('this build has no onebot bridge (nothing listens on the bridge\'s ws_port)');
      const bridged = front;

      // --- calls: alternate runs, upstream directly and through the bridge ---------------------
      const duration = ctx.scale.runMs;
      ctx.log(`  calls: warm-up (${ctx.scale.warmupMs} ms each)`);
      await pacedCalls(upstream.wsPort, ctx.scale.warmupMs);
      await pacedCalls(bridged.wsPort, ctx.scale.warmupMs);
      const direct: Paced[] = [];
      const through: Paced[] = [];
      for (let i = 0; i < ctx.scale.runs; i++) {
        ctx.log(`  calls run ${i + 1}/${ctx.scale.runs}: ${RATE}/s for ${duration} ms, direct then bridged`);
        direct.push(await pacedCalls(upstream.wsPort, duration));
        await sleep(200);
        through.push(await pacedCalls(bridged.wsPort, duration));
        await sleep(200);
      }
      const dead = [...direct, ...through].find((r) => r.ok === 0);
      if (dead !== undefined) return { status: 'error', reason: `send_group_msg failed: ${dead.firstBad ?? 'no answer'}`, rows: [], notes };
      const failedCalls = (runs: Paced[]) => runs.reduce((n, r) => n + r.bad, 0);
      const callsFailed = failedCalls(direct) + failedCalls(through);
      if (callsFailed > 0) {
        const first = [...direct, ...through].find((r) => r.firstBad !== undefined)?.firstBad ?? '';
        notes.push(`${failedCalls(direct)} direct and ${failedCalls(through)} bridged calls failed (their latency counts; the call targets are not met); first: ${first}`);
      }

      // --- events: one post, two receivers --------------------------------------------------
      const sent = new DeliveryLog(); // send times by sequence number
      const latency = { direct: new Samples(), bridged: new Samples() };
      const receive = (which: 'direct' | 'bridged') => (buf: Buffer, start: number, end: number) => {
        const seq = readMarker(buf, start, end);
        if (seq >= 0) latency[which].add(performance.now() - sent.sentAt(seq));
      };
      receivers.push(await openWs(upstream.wsPort, '/event', { Authorization: AUTH }, receive('direct')));
      receivers.push(await openWs(bridged.wsPort, '/event', { Authorization: AUTH }, receive('bridged')));
      await sleep(200);
      const control = await probeControl(upstream.sandboxPort, sent.allocate());
      if ('error' in control) return notAvailable(control.error);
      const post = (ms: number) => runHttpLoad({
        port: upstream.sandboxPort, connections: 8, rate: RATE, durationMs: ms,
        request: () => buildRequest('POST', CONTROL_PATH, upstream.sandboxPort, { 'Content-Type': 'application/json' }, control.shape(sent.allocate())),
        check: (status) => status >= 200 && status < 300,
      });
      ctx.log(`  events: warm-up (${ctx.scale.warmupMs} ms)`);
      await post(ctx.scale.warmupMs);
      await sleep(300);
      const events: { direct: LatencySummary; bridged: LatencySummary; posted: number }[] = [];
      for (let i = 0; i < ctx.scale.runs; i++) {
        latency.direct = new Samples();
        latency.bridged = new Samples();
        ctx.log(`  events run ${i + 1}/${ctx.scale.runs}: ${RATE} msg/s for ${duration} ms`);
        const r = await post(duration);
        const until = performance.now() + 3000;
        while ((latency.direct.count < r.okTotal || latency.bridged.count < r.okTotal) && performance.now() < until) await sleep(10);
        events.push({ direct: latency.direct.summary(), bridged: latency.bridged.summary(), posted: r.okTotal });
        await sleep(200);
      }
      const lost = events.map((e, i) => `run ${i + 1}: ${e.posted} posted, ${e.direct.count} direct, ${e.bridged.count} bridged`).join('; ');
      notes.push(`events received: ${lost}`);
      notes.push('the bridge has the server core, the upstream shares the load core; the upstream serves the bridge\'s calls and events besides the direct ones (a busy machine inflates p99 most)');

      const rows = [];
      for (const [what, runs] of [
        ['call', direct.map((d, i) => ({ direct: d.latency, bridged: (through[i] as Paced).latency }))],
        ['event', events],
      ] as const) {
        for (const q of ['p50', 'p99'] as const) {
          const added = stat(runs.map((r) => r.bridged[q] - r.direct[q]));
          const limit = q === 'p50' ? 1 : 5;
          rows.push({ metric: `${what} ${q} @${RATE}/s (bridged / direct)`, unit: 'ms', value: stat(runs.map((r) => r.bridged[q])), baseline: stat(runs.map((r) => r.direct[q])) });
          rows.push({ metric: `${what} added ${q} @${RATE}/s`, unit: 'ms', value: added, target: `≤ ${limit} ms`, met: added.median <= limit && (what === 'event' || callsFailed === 0) });
        }
      }
      return { status: 'ok', rows, notes, raw: { calls: { direct, through }, events } };
    } finally {
      for (const ws of receivers) ws.destroy();
      await front?.stop();
      await upstream.stop();
    }
  },
};
