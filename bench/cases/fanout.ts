/**
 * Event fan-out: messages posted as a user through the sandbox control API (`POST /api/messages`),
 * delivered as events to 10 forward-WebSocket clients (`/event`) and 1 HTTP POST receiver
 * (`post_url`). Throughput: 16 posters, each posting its next message once the previous one has
 * reached all 11 receivers (messages/s fully delivered). Latency: posts paced at 2 000 msg/s,
 * every delivery timed from its post.
 * Baseline: a bare server that parses the post, builds a same-sized event and broadcasts it
 * with `ws` and POSTs it over a keep-alive agent.
 */
import { alternate, costRow, pairRatios } from '../lib/compare.js';
import type { RunFigures, Subject } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome, Row } from '../lib/context.js';
import { notAvailable } from '../lib/context.js';
import { freePort, sleep, waitForPort } from '../lib/net.js';
import type { RunningProcess } from '../lib/proc.js';
import { AUTH, startBaseline, startCqhttpd } from '../lib/server.js';
import { stat } from '../lib/stats.js';
import { CONTROL_PATH, DeliveryLog, probeControl, readMarker, startPostReceiver } from '../load/events.js';
import type { ControlShape } from '../load/events.js';
import { buildRequest, runHttpLoad } from '../load/http.js';
import { openWs } from '../load/ws.js';
import type { RawWs } from '../load/ws.js';

export const WS_CLIENTS = 10;
export const PACED_RATE = 2000;
const CONTROL_CONNECTIONS = 16;

export interface Target {
  name: string;
  proc: RunningProcess;
  controlPort: number;
  log: DeliveryLog;
  receivers: number;
  /** Per-channel latencies of the paced runs, for the notes. */
  channels: string[];
}

/**
 * A subject posting to `t`. Closed loop (rate undefined): each of the connections posts a message,
 * waits until it has reached every receiver, then posts the next — the rate the whole chain can
 * sustain, without overrunning it. Paced: `rate` messages per second whatever happens.
 */
export function subject(t: Target, shape: ControlShape, rate: number | undefined): Subject {
  return {
    name: t.name,
    proc: t.proc,
    async run(durationMs) {
      const start = performance.now();
      t.log.receivers = t.receivers;
      t.log.startRun(start + durationMs);
      const ids: number[] = [];
      const r = await runHttpLoad({
        port: t.controlPort,
        connections: rate === undefined ? CONTROL_CONNECTIONS : 16,
        durationMs,
        ...(rate === undefined ? { gate: (seq: number) => t.log.whenDelivered(ids[seq]) } : { rate }),
        request: (seq) => {
          const id = t.log.allocate();
          ids[seq] = id;
          return buildRequest('POST', CONTROL_PATH, t.controlPort, { 'Content-Type': 'application/json' }, shape(id));
        },
        check: (status) => status >= 200 && status < 300,
      });
      // Let the events of the last posts arrive (they are not counted in the window).
      const expected = t.log.posted * t.receivers;
      const until = performance.now() + 1000;
      while (t.log.deliveries < expected && performance.now() < until) await sleep(10);
      const lat = t.log.latencies.summary();
      const ws = t.log.byChannel.ws.summary();
      const post = t.log.byChannel.post.summary();
      if (rate !== undefined) {
        t.channels.push(`WS p50 ${ws.p50.toFixed(2)} / p99 ${ws.p99.toFixed(2)} ms, HTTP POST p50 ${post.p50.toFixed(2)} / p99 ${post.p99.toFixed(2)} ms`);
      }
      const missing = expected - t.log.deliveries;
      return {
        rate: (t.log.complete * 1000) / r.durationMs,
        p50: lat.p50,
        p99: lat.p99,
        loadCpu: r.loadCpu,
        bad: r.bad + r.errors + missing,
        ...(missing > 0 ? { firstBad: `${missing} of ${expected} deliveries missing` } : r.firstBad === undefined ? {} : { firstBad: r.firstBad }),
      };
    },
  };
}

export async function connectClients(n: number, port: number, path: string, log: DeliveryLog): Promise<RawWs[]> {
  const out: RawWs[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await openWs(port, path, { Authorization: AUTH }, (buf, start, end) => {
      const seq = readMarker(buf, start, end);
      if (seq >= 0) log.delivered(seq);
    }));
  }
  return out;
}

export const fanout: BenchCase = {
  id: 'fanout',
  title: 'Event fan-out — control API → 10 forward-WS clients + 1 HTTP POST receiver',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const cqLog = new DeliveryLog();
    const baseLog = new DeliveryLog();
    // One receiver per server: its deliveries go to that server's log.
    const cqReceiver = await startPostReceiver((body) => {
      const seq = readMarker(body, 0, body.length);
      if (seq >= 0) cqLog.delivered(seq, 'post');
    });
    const baseReceiver = await startPostReceiver((body) => {
      const seq = readMarker(body, 0, body.length);
      if (seq >= 0) baseLog.delivered(seq, 'post');
    });
    const clients: RawWs[] = [];
    const cq = await startCqhttpd(ctx, { label: 'cqhttpd fanout', ws: true, postUrl: `http://127.0.0.1:${cqReceiver.port}/` });
    try {
      if (!(await waitForPort(cq.wsPort, 3000))) return notAvailable(`this build offers no forward WebSocket: with use_ws=true, nothing listens on ws_port ${cq.wsPort}`);
      if (!(await waitForPort(cq.sandboxPort, 3000))) return notAvailable(`this build offers no sandbox control API: nothing listens on sandbox_port ${cq.sandboxPort}`);
      try {
        clients.push(...(await connectClients(WS_CLIENTS, cq.wsPort, '/event', cqLog)));
      } catch (err) {
        return notAvailable(`forward WebSocket /event: ${(err as Error).message}`);
      }
      await sleep(200); // the lifecycle `connect` events go by
      cqLog.startRun(Number.POSITIVE_INFINITY);
      const control = await probeControl(cq.sandboxPort, cqLog.allocate());
      if ('error' in control) return notAvailable(control.error);
      const until = performance.now() + 3000;
      while (cqLog.deliveries < WS_CLIENTS + 1 && performance.now() < until) await sleep(10);
      const wsGot = cqLog.deliveries - cqReceiver.count();
      if (wsGot <= 0) return notAvailable('a message posted through the control API reached no forward-WebSocket client (events not wired to the WS transport?)');
      let receivers = WS_CLIENTS + 1;
      if (cqReceiver.count() === 0) {
        receivers = WS_CLIENTS;
        notes.push('the HTTP POST receiver got no event (post_url not wired?): measured with the 10 WebSocket clients only');
      }
      notes.push(`control API body: ${control.name}`);

      const [basePort, baseWsPort] = [await freePort(), await freePort()];
      const base = await startBaseline(ctx, 'baseline broadcast', ctx.prepared.baselines.broadcast, {
        port: basePort, wsPort: baseWsPort, postPort: receivers > WS_CLIENTS ? baseReceiver.port : 0, selfId: 10001000,
      }, basePort);
      try {
        clients.push(...(await connectClients(WS_CLIENTS, baseWsPort, '/event', baseLog)));
        const a: Target = { name: 'cqhttpd', proc: cq.proc, controlPort: cq.sandboxPort, log: cqLog, receivers, channels: [] };
        const b: Target = { name: 'baseline', proc: base, controlPort: basePort, log: baseLog, receivers, channels: [] };
        ctx.log(' throughput (closed loop):');
        const max = await alternate(ctx, subject(a, control.shape, undefined), subject(b, control.shape, undefined));
        ctx.log(` latency at ${PACED_RATE} msg/s:`);
        const paced = await alternate(ctx, subject(a, control.shape, PACED_RATE), subject(b, control.shape, PACED_RATE));
        const rows = fanoutRows(max, paced, notes);
        // The warm-up of the paced phase comes first in each list.
        notes.push(`at ${PACED_RATE} msg/s by channel, cqhttpd: ${a.channels.slice(1).join('; ')}`);
        notes.push(`at ${PACED_RATE} msg/s by channel, baseline: ${b.channels.slice(1).join('; ')}`);
        return { status: 'ok', rows, notes, raw: { max, paced, receivers } };
      } finally {
        await base.stop();
      }
    } finally {
      for (const c of clients) c.destroy();
      await cq.stop();
      await cqReceiver.close();
      await baseReceiver.close();
    }
  },
};

function fanoutRows(max: { a: RunFigures[]; b: RunFigures[] }, paced: { a: RunFigures[]; b: RunFigures[] }, notes: string[]): Row[] {
  const rate = stat(max.a.map((r) => r.rate));
  const baseRate = stat(max.b.map((r) => r.rate));
  const pairs = pairRatios(max.a.map((r) => r.rate), max.b.map((r) => r.rate));
  const ratio = pairs.median;
  const p99 = stat(paced.a.map((r) => r.p99));
  const pct = (list: RunFigures[], key: 'serverCpu' | 'loadCpu'): string => `${(stat(list.map((r) => r[key])).median * 100).toFixed(0)}%`;
  notes.push(`closed loop: server core ${pct(max.a, 'serverCpu')} / ${pct(max.b, 'serverCpu')}, load core ${pct(max.a, 'loadCpu')} / ${pct(max.b, 'loadCpu')} (cqhttpd / baseline)`);
  notes.push(`at ${PACED_RATE} msg/s: server core ${pct(paced.a, 'serverCpu')} / ${pct(paced.b, 'serverCpu')}, load core ${pct(paced.a, 'loadCpu')} / ${pct(paced.b, 'loadCpu')}`);
  if (stat(max.b.map((r) => r.loadCpu)).median >= 0.9) notes.push('closed loop: the load generator (10 WS clients + POST receiver + poster) was near 100% of its core during the baseline runs, so the baseline figure is a lower bound');
  for (const [name, runs] of [['cqhttpd', max.a], ['cqhttpd (paced)', paced.a], ['baseline', max.b]] as const) {
    const bad = runs.reduce((n, r) => n + r.bad, 0);
    if (bad > 0) notes.push(`${name}: ${bad} failed posts or missing deliveries (first: ${runs.find((r) => r.firstBad !== undefined)?.firstBad ?? '?'})`);
  }
  return [
    { metric: 'messages/s delivered to all (closed loop)', unit: 'msg/s', value: rate, baseline: baseRate, ratio, ratioRange: pairs, target: '≥ 0.7×', met: ratio >= 0.7 },
    costRow('server CPU/message (closed loop)', max),
    { metric: 'post→event p50 (closed loop)', unit: 'ms', value: stat(max.a.map((r) => r.p50)), baseline: stat(max.b.map((r) => r.p50)) },
    { metric: `post→event p50 @${PACED_RATE}/s`, unit: 'ms', value: stat(paced.a.map((r) => r.p50)), baseline: stat(paced.b.map((r) => r.p50)) },
    { metric: `post→event p99 @${PACED_RATE}/s`, unit: 'ms', value: p99, baseline: stat(paced.b.map((r) => r.p99)), target: '< 20 ms', met: p99.median < 20 },
  ];
}
