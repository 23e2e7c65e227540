/**
 * Metrics cost: the HTTP read load (`GET /get_login_info`, 64 keep-alive connections, token on)
 * against two cqhttpd processes of the same build, `metrics = true` (the default) and
 * `metrics = false`, alternated. The ratio is what collecting metrics costs in HTTP read
 * throughput (target: under 3 %, ratio ≥ 0.97). The "baseline" column is cqhttpd without metrics.
 */
import { alternate, comparisonRows } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { httpRequest } from '../lib/net.js';
import { AUTH, startCqhttpd } from '../lib/server.js';
import { buildRequest } from '../load/http.js';
import { httpSubject } from './http-read.js';

export const metricsCost: BenchCase = {
  id: 'metrics-cost',
  title: 'Metrics cost — HTTP read with metrics = true vs metrics = false (same build, alternated)',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const on = await startCqhttpd(ctx, { label: 'cqhttpd metrics on', set: { metrics: 'true' } });
    const notes: string[] = [];
    try {
      const off = await startCqhttpd(ctx, { label: 'cqhttpd metrics off', set: { metrics: 'false' } });
      try {
        const probe = await httpRequest(on.port, 'GET', '/get_login_info', { headers: { Authorization: AUTH } });
        const body = probe.body;
        if (probe.status !== 200 || !body.toString().includes('"retcode":0')) {
          return { status: 'error', reason: `get_login_info answered ${probe.status} ${body.toString()}`, rows: [], notes };
        }
        const scrape = await httpRequest(on.sandboxPort, 'GET', '/metrics');
        const offScrape = await httpRequest(off.sandboxPort, 'GET', '/metrics');
        if (scrape.status !== 200 || offScrape.status !== 404) {
          return { status: 'error', reason: `/metrics answered ${scrape.status} (metrics on) and ${offScrape.status} (off): the switch did not take`, rows: [], notes };
        }
        const cache = new Map<number, Buffer>();
        const request = (port: number): Buffer => {
          let r = cache.get(port);
          if (r === undefined) cache.set(port, (r = buildRequest('GET', '/get_login_info', port, { Authorization: AUTH })));
          return r;
        };
        const runs = await alternate(ctx, httpSubject('metrics on', on.proc, on.port, request, body), httpSubject('metrics off', off.proc, off.port, request, body));
        const after = (await httpRequest(on.sandboxPort, 'GET', '/metrics')).body.toString();
        const counted = /cqhttpd_api_calls_total\{action="get_login_info",retcode="0"\} (\d+)/.exec(after)?.[1];
        notes.push(`metrics on counted ${counted ?? '?'} get_login_info calls over the warm-up and the measured runs`);
        notes.push('the "baseline" column is the same build with metrics = false');
        return { status: 'ok', rows: comparisonRows('GET /get_login_info, metrics on vs off', 'req/s', runs, 0.97, notes), notes, raw: runs };
      } finally {
        await off.stop();
      }
    } finally {
      await on.stop();
    }
  },
};
