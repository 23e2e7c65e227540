/**
 * Console cost under fan-out: the `fanout` case's paced load (2 000 msg/s posted through the control
 * API, each delivered to 10 forward-WS clients and 1 HTTP POST receiver) against one build started
 * twice, alternated: one with a web-console reader following `GET /api/stream?all=1` (each message
 * becomes a `message`, an `event` and a `delivery` frame), one without. Compared: server CPU per
 * message (target ≥ 0.95×: an open console costs < 5 % of the fan-out) and the post→event p99.
 * The "baseline" column is the process with no console open.
 */
import { alternate, costRow } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { notAvailable } from '../lib/context.js';
import { sleep, waitForPort } from '../lib/net.js';
import { startCqhttpd, type CqhttpdProcess } from '../lib/server.js';
import { stat } from '../lib/stats.js';
import { DeliveryLog, probeControl, readMarker, startPostReceiver, type ControlShape, type PostReceiver } from '../load/events.js';
import type { RawWs } from '../load/ws.js';
import { followStream } from './console-cost.js';
import { connectClients, PACED_RATE, subject, WS_CLIENTS, type Target } from './fanout.js';

interface Side { target: Target; process: CqhttpdProcess; receiver: PostReceiver; clients: RawWs[]; shape: ControlShape }

/** One cqhttpd with its POST receiver and WS clients (added to `sides`, to be stopped), checked to deliver; or why not. */
async function startSide(ctx: BenchContext, name: string, sides: Side[]): Promise<Side | string> {
  const log = new DeliveryLog();
  const receiver = await startPostReceiver((body) => {
    const seq = readMarker(body, 0, body.length);
    if (seq >= 0) log.delivered(seq, 'post');
  });
  const process = await startCqhttpd(ctx, { label: `cqhttpd ${name}`, ws: true, postUrl: `http://127.0.0.1:${receiver.port}/` });
  const side: Side = { target: { name, proc: process.proc, controlPort: process.sandboxPort, log, receivers: WS_CLIENTS + 1, channels: [] }, process, receiver, clients: [], shape: () => '' };
  sides.push(side);
  if (!(await waitForPort(process.wsPort, 3000)) || !(await waitForPort(process.sandboxPort, 3000))) return 'this build offers no forward WebSocket or control API';
  side.clients = await connectClients(WS_CLIENTS, process.wsPort, '/event', log);
  await sleep(200);
  log.startRun(Number.POSITIVE_INFINITY);
  const control = await probeControl(process.sandboxPort, log.allocate());
  if ('error' in control) return control.error;
  side.shape = control.shape;
  const until = performance.now() + 3000;
  while (log.deliveries < WS_CLIENTS + 1 && performance.now() < until) await sleep(10);
  if (log.deliveries < WS_CLIENTS + 1) return `a probe message reached ${log.deliveries} of ${WS_CLIENTS + 1} receivers`;
  return side;
}

async function stopSide(side: Side): Promise<void> {
  for (const c of side.clients) c.destroy();
  await side.process.stop();
  await side.receiver.close();
}

export const consoleFanout: BenchCase = {
  id: 'console-fanout',
  title: `Console cost under fan-out — ${PACED_RATE} msg/s to 10 WS + 1 POST with a console following /api/stream?all=1 vs none`,
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const sides: Side[] = [];
    try {
      for (const name of ['console open', 'console closed']) {
        const side = await startSide(ctx, name, sides);
        if (typeof side === 'string') return notAvailable(side);
      }
      const [open, closed] = sides as [Side, Side];
      const reader = followStream(open.process.sandboxPort);
      try {
        const runs = await alternate(ctx, subject(open.target, open.shape, PACED_RATE), subject(closed.target, closed.shape, PACED_RATE));
        notes.push(`the console reader received ${(reader.bytes() / 1e6).toFixed(1)} MB of stream frames`);
        notes.push('the "baseline" column is the same build with no console open; paced runs, so the figure to read is CPU per message');
        const cost = costRow(`server CPU/message @${PACED_RATE}/s, console open vs closed`, runs);
        const p99 = stat(runs.a.map((r) => r.p99));
        return {
          status: 'ok',
          notes,
          raw: runs,
          rows: [
            { ...cost, target: '≥ 0.95×', met: (cost.ratio ?? 0) >= 0.95 },
            { metric: `post→event p99 @${PACED_RATE}/s, console open vs closed`, unit: 'ms', value: p99, baseline: stat(runs.b.map((r) => r.p99)) },
          ],
        };
      } finally {
        reader.stop();
      }
    } finally {
      for (const side of sides) await stopSide(side);
    }
  },
};
