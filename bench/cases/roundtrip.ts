/**
 * Round trip: a user's group message posted through the sandbox control API → the event reaches a
 * minimal bot on the forward WebSocket (`/`, universal) → the bot answers with `send_group_msg`
 * on the same socket → the answer (sent after the reply is stored) reaches the bot. Timed from the
 * post to that answer, paced at 500 msg/s. No baseline: the target is absolute.
 */
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { notAvailable } from '../lib/context.js';
import { sleep, waitForPort } from '../lib/net.js';
import { AUTH, startCqhttpd } from '../lib/server.js';
import { Samples } from '../lib/stats.js';
import { CONTROL_PATH, DeliveryLog, EVENT_GROUP_ID, probeControl, readMarker } from '../load/events.js';
import { buildRequest, runHttpLoad } from '../load/http.js';
import { openWs, readEcho } from '../load/ws.js';
import type { RawWs } from '../load/ws.js';
import { countStored } from './http-write.js';

const RATE = 500;
const RETCODE_0 = Buffer.from('"retcode":0');

export const roundTrip: BenchCase = {
  id: 'roundtrip',
  title: 'Round trip — user message → bot over WS → send_group_msg → stored, at 500 msg/s',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const cq = await startCqhttpd(ctx, { label: 'cqhttpd roundtrip', ws: true });
    const log = new DeliveryLog();
    let replies = new Samples();
    let ok = 0;
    let bad = 0;
    let firstBad: string | undefined;
    let bot: RawWs | undefined;
    try {
      if (!(await waitForPort(cq.wsPort, 3000))) return notAvailable(`this build offers no forward WebSocket: with use_ws=true, nothing listens on ws_port ${cq.wsPort}`);
      if (!(await waitForPort(cq.sandboxPort, 3000))) return notAvailable(`this build offers no sandbox control API: nothing listens on sandbox_port ${cq.sandboxPort}`);
      try {
        const holder: { send?: (b: Buffer) => void } = {};
        bot = await openWs(cq.wsPort, '/', { Authorization: AUTH }, (buf, start, end) => {
          const seq = readMarker(buf, start, end);
          if (seq >= 0) {
            // The bot: reply to every marked message in the group.
            holder.send?.(Buffer.from(`{"action":"send_group_msg","params":{"group_id":${EVENT_GROUP_ID},"message":"ack ${seq} [CQ:face,id=178]"},"echo":${seq}}`));
            return;
          }
          const echo = readEcho(buf, start, end);
          if (echo < 0) return;
          replies.add(performance.now() - log.sentAt(echo));
          const at = buf.indexOf(RETCODE_0, start);
          if (at !== -1 && at < end) ok++;
          else {
            bad++;
            firstBad ??= buf.toString('utf8', start, Math.min(end, start + 300));
          }
        });
        holder.send = (b) => bot?.send(b);
      } catch (err) {
        return notAvailable(`forward WebSocket /: ${(err as Error).message}`);
      }
      await sleep(200);
      log.startRun(Number.POSITIVE_INFINITY);
      const control = await probeControl(cq.sandboxPort, log.allocate());
      if ('error' in control) return notAvailable(control.error);
      const until = performance.now() + 3000;
      while (ok + bad === 0 && performance.now() < until) await sleep(10);
      if (ok + bad === 0) return notAvailable('the bot got no event, or its send_group_msg no answer, within 3 s (events not wired to the WS transport?)');
      if (bad > 0) return { status: 'error', reason: `the bot's send_group_msg failed: ${firstBad ?? ''}`, rows: [], notes };

      const post = (durationMs: number) => runHttpLoad({
        port: cq.sandboxPort, connections: 8, rate: RATE, durationMs,
        request: () => buildRequest('POST', CONTROL_PATH, cq.sandboxPort, { 'Content-Type': 'application/json' }, control.shape(log.allocate())),
        check: (status) => status >= 200 && status < 300,
      });
      ctx.log(`  warm-up (${ctx.scale.warmupMs} ms)`);
      await post(ctx.scale.warmupMs);
      await sleep(300);
      replies = new Samples();
      const okBefore = ok;
      const duration = ctx.scale.runMs * ctx.scale.runs;
      ctx.log(`  ${RATE} msg/s for ${duration} ms`);
      const cpu0 = cq.proc.cpu();
      const r = await post(duration);
      const serverCpu = (cq.proc.cpu() - cpu0) / (r.durationMs / 1000);
      const drainUntil = performance.now() + 3000;
      while (ok - okBefore < r.okTotal && performance.now() < drainUntil) await sleep(10);
      const lat = replies.summary();
      const answered = ok - okBefore;
      const stored = countStored(cq.dataDir);
      notes.push(`${r.okTotal} messages posted, ${answered} replies answered in the window; ${stored} bot messages stored in all, ${ok} replies answered in all${stored === ok ? ' (all stored)' : ' — MISMATCH'}`);
      notes.push(`server core ${(serverCpu * 100).toFixed(0)}%, load core ${(r.loadCpu * 100).toFixed(0)}%; p90 ${lat.p90.toFixed(2)} ms, max ${lat.max.toFixed(2)} ms`);
      if (bad > 0) notes.push(`${bad} failed replies (first: ${firstBad ?? '?'})`);
      const one = (v: number) => ({ median: v, min: v, max: v, n: 1 });
      return {
        status: 'ok',
        rows: [
          { metric: `post→reply stored p50 @${RATE}/s`, unit: 'ms', value: one(lat.p50) },
          { metric: `post→reply stored p99 @${RATE}/s`, unit: 'ms', value: one(lat.p99), target: '< 10 ms', met: lat.p99 < 10 && answered === r.okTotal },
        ],
        notes,
        raw: { latency: lat, posted: r.okTotal, answered, stored, serverCpu, loadCpu: r.loadCpu },
      };
    } finally {
      bot?.destroy();
      await cq.stop();
    }
  },
};
