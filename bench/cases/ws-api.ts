/**
 * WS API: `get_login_info` frames with an `echo`, 100 in flight in all (spread over the
 * connections), over 1 and over 10 connections to the forward WebSocket's `/api`, against a bare
 * `ws` server answering the same reply with the echo copied in.
 */
import { alternate, comparisonRows } from '../lib/compare.js';
import type { Subject } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome, Row } from '../lib/context.js';
import { notAvailable } from '../lib/context.js';
import { freePort, waitForPort } from '../lib/net.js';
import { AUTH, startBaseline, startCqhttpd } from '../lib/server.js';
import { openWs, runWsApiLoad } from '../load/ws.js';

const IN_FLIGHT = 100;

/** One frame to the server and its answer, or an error message. */
export async function wsProbe(port: number, path: string, payload: string): Promise<{ answer?: string; error?: string }> {
  let answer: string | undefined;
  let got: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (got = resolve));
  let ws;
  try {
    ws = await openWs(port, path, { Authorization: AUTH }, (buf, start, end) => {
      const text = buf.toString('utf8', start, end);
      // Skip pushed events (a lifecycle `connect` on universal sockets); keep the first answer.
      if (answer === undefined && !text.includes('"post_type"')) {
        answer = text;
        got();
      }
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  ws.send(Buffer.from(payload));
  await Promise.race([arrived, new Promise((r) => setTimeout(r, 3000))]);
  ws.destroy();
  return answer === undefined ? { error: 'no answer within 3 s' } : { answer };
}

const frame = (echo: number): Buffer => Buffer.from(`{"action":"get_login_info","params":{},"echo":${echo}}`);

function wsSubject(name: string, proc: Subject['proc'], port: number, path: string, connections: number): Subject {
  return {
    name,
    proc,
    async run(durationMs) {
      const r = await runWsApiLoad({ port, path, headers: { Authorization: AUTH }, connections, inFlight: IN_FLIGHT, durationMs, frame });
      return { rate: r.rps, p50: r.latency.p50, p99: r.latency.p99, loadCpu: r.loadCpu, bad: r.bad, ...(r.firstBad === undefined ? {} : { firstBad: r.firstBad }) };
    },
  };
}

export const wsApi: BenchCase = {
  id: 'ws-api',
  title: 'WS API — get_login_info frames with echo, 100 in flight, 1 and 10 connections',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const cq = await startCqhttpd(ctx, { label: 'cqhttpd ws-api', ws: true });
    const notes: string[] = [];
    try {
      if (!(await waitForPort(cq.wsPort, 3000))) {
        return notAvailable(`this build offers no forward WebSocket: with use_ws=true, nothing listens on ws_port ${cq.wsPort}`);
      }
      const probe = await wsProbe(cq.wsPort, '/api', '{"action":"get_login_info","params":{},"echo":0}');
      if (probe.answer === undefined || !probe.answer.includes('"retcode":0')) {
        return { status: 'error', reason: `WS /api get_login_info: ${probe.error ?? probe.answer ?? ''}`, rows: [], notes };
      }
      if (!probe.answer.includes('"echo":0')) return { status: 'error', reason: `the answer carries no echo: ${probe.answer}`, rows: [], notes };
      const reply = probe.answer.replace('"echo":0', '"echo":{echo}');
      const basePort = await freePort();
      const base = await startBaseline(ctx, 'baseline ws', ctx.prepared.baselines.ws, { port: basePort, reply }, basePort);
      try {
        const rows: Row[] = [];
        const raw: Record<string, unknown> = {};
        for (const connections of [1, 10]) {
          ctx.log(` ${connections} connection(s):`);
          const runs = await alternate(ctx, wsSubject('cqhttpd', cq.proc, cq.wsPort, '/api', connections), wsSubject('baseline', base, basePort, '/', connections));
          rows.push(...comparisonRows(`${connections} conn${connections > 1 ? 's' : ''}`, 'frames/s', runs, 0.8, notes));
          raw[`connections_${connections}`] = runs;
        }
        notes.push(`answer: ${probe.answer}`);
        return { status: 'ok', rows, notes, raw };
      } finally {
        await base.stop();
      }
    } finally {
      await cq.stop();
    }
  },
};
