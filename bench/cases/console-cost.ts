/**
 * Console cost: the HTTP read load (`GET /get_login_info`, 64 keep-alive connections, token on)
 * against two cqhttpd processes of the same build, alternated: one with a web-console reader
 * following `GET /api/stream` on its control listener (every call becomes a `call` frame on that
 * stream), one without. The ratio is what an open console costs in HTTP read throughput (target:
 * within 5 %, ratio ≥ 0.95). The "baseline" column is the process with no console open.
 */
import { request as httpGet } from 'node:http';
import { alternate, comparisonRows } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { httpRequest } from '../lib/net.js';
import { AUTH, startCqhttpd } from '../lib/server.js';
import { buildRequest } from '../load/http.js';
import { httpSubject } from './http-read.js';

/** Follow the stream as the console does (`?all=1`: deliveries and world edits too), counting bytes; returns the way to stop and the count. */
export function followStream(port: number): { stop(): void; bytes(): number } {
  let bytes = 0;
  const req = httpGet({ host: '127.0.0.1', port, path: '/api/stream?all=1', headers: { accept: 'text/event-stream' } }, (res) => {
    res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
  });
  req.on('error', () => undefined);
  req.end();
  return { stop: () => req.destroy(), bytes: () => bytes };
}

export const consoleCost: BenchCase = {
  id: 'console-cost',
  title: 'Console cost — HTTP read with a console following /api/stream vs none (same build, alternated)',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const open = await startCqhttpd(ctx, { label: 'cqhttpd console open' });
    const notes: string[] = [];
    try {
      const closed = await startCqhttpd(ctx, { label: 'cqhttpd console closed' });
      const reader = followStream(open.sandboxPort);
      try {
        const probe = await httpRequest(open.port, 'GET', '/get_login_info', { headers: { Authorization: AUTH } });
        const body = probe.body;
        if (probe.status !== 200 || !body.toString().includes('"retcode":0')) {
          return { status: 'error', reason: `get_login_info answered ${probe.status} ${body.toString()}`, rows: [], notes };
        }
        const cache = new Map<number, Buffer>();
        const request = (port: number): Buffer => {
          let r = cache.get(port);
          if (r === undefined) cache.set(port, (r = buildRequest('GET', '/get_login_info', port, { Authorization: AUTH })));
          return r;
        };
        const runs = await alternate(ctx, httpSubject('console open', open.proc, open.port, request, body), httpSubject('console closed', closed.proc, closed.port, request, body));
        notes.push(`the console reader received ${(reader.bytes() / 1e6).toFixed(1)} MB of stream frames (one call frame per request)`);
        notes.push('the "baseline" column is the same build with no console open');
        return { status: 'ok', rows: comparisonRows('GET /get_login_info, console open vs closed', 'req/s', runs, 0.95, notes), notes, raw: runs };
      } finally {
        reader.stop();
        await closed.stop();
      }
    } finally {
      await open.stop();
    }
  },
};
