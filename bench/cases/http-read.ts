/**
 * HTTP read: `GET /get_login_info` with `Authorization: Bearer <access_token>` over 64 keep-alive
 * connections (closed loop), against a bare `node:http` server answering the very same bytes.
 */
import { alternate, comparisonRows } from '../lib/compare.js';
import type { Subject } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { freePort, httpRequest } from '../lib/net.js';
import { AUTH, startBaseline, startCqhttpd } from '../lib/server.js';
import { buildRequest, runHttpLoad } from '../load/http.js';

export const CONNECTIONS = 64;

/** A closed-loop HTTP subject sending `request` and expecting `expected` (or any 200 when null). */
export function httpSubject(name: string, proc: Subject['proc'], port: number, request: (port: number, seq: number) => Buffer, expected: Buffer | null, connections = CONNECTIONS): Subject {
  const check = expected === null
    ? (status: number) => status === 200
    : (status: number, body: Buffer) => status === 200 && body.equals(expected);
  return {
    name,
    proc,
    async run(durationMs) {
      const r = await runHttpLoad({ port, connections, durationMs, request: (seq) => request(port, seq), check });
      return { rate: r.rps, p50: r.latency.p50, p99: r.latency.p99, loadCpu: r.loadCpu, bad: r.bad + r.errors, ...(r.firstBad === undefined ? {} : { firstBad: r.firstBad }) };
    },
  };
}

export const httpRead: BenchCase = {
  id: 'http-read',
  title: 'HTTP read — GET /get_login_info, 64 keep-alive connections, access_token on',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const cq = await startCqhttpd(ctx, { label: 'cqhttpd http-read' });
    const notes: string[] = [];
    try {
      const probe = await httpRequest(cq.port, 'GET', '/get_login_info', { headers: { Authorization: AUTH } });
      const body = probe.body;
      if (probe.status !== 200 || !body.toString().includes('"retcode":0')) {
        return { status: 'error', reason: `get_login_info answered ${probe.status} ${body.toString()}`, rows: [], notes };
      }
      const basePort = await freePort();
      const base = await startBaseline(ctx, 'baseline http', ctx.prepared.baselines.http, {
        port: basePort, routes: { '/get_login_info': body.toString() }, contentType: String(probe.headers['content-type']),
      }, basePort);
      try {
        const cache = new Map<number, Buffer>();
        const request = (port: number): Buffer => {
          let r = cache.get(port);
          if (r === undefined) cache.set(port, (r = buildRequest('GET', '/get_login_info', port, { Authorization: AUTH })));
          return r;
        };
        const runs = await alternate(ctx, httpSubject('cqhttpd', cq.proc, cq.port, request, body), httpSubject('baseline', base, basePort, request, body));
        notes.push(`answer (${body.length} bytes, identical from both): ${body.toString()}`);
        return { status: 'ok', rows: comparisonRows('GET /get_login_info', 'req/s', runs, 0.85, notes), notes, raw: runs };
      } finally {
        await base.stop();
      }
    } finally {
      await cq.stop();
    }
  },
};
