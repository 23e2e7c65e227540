/**
 * HTTP write: `POST /send_group_msg` (JSON body, message as a CQ-code string) to a group the bot
 * owns in the sandbox, 64 keep-alive connections, closed loop. Every answer comes after the message
 * is committed to SQLite; afterwards the stored rows are counted and must equal the successful
 * answers. Baseline: the bare `node:http` server, reading the body and answering the same bytes.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { alternate, comparisonRows } from '../lib/compare.js';
import type { Subject } from '../lib/compare.js';
import type { BenchCase, BenchContext, CaseOutcome } from '../lib/context.js';
import { generateCorpus } from '../lib/corpus.js';
import { freePort, httpRequest } from '../lib/net.js';
import { AUTH, startBaseline, startCqhttpd } from '../lib/server.js';
import { buildRequest, runHttpLoad } from '../load/http.js';
import { CONNECTIONS } from './http-read.js';

export const GROUP_ID = 100001;

/** 64 realistic messages (text, faces and @-mentions) as send_group_msg JSON bodies. */
export function sendBodies(count = 64): string[] {
  // @全体成员 is left out: the sandbox enforces QQ's daily quota (20 per group), so it would fail.
  const plain = generateCorpus(count * 20, 0.3, 7).filter((m) => m.segments.every((s) => s.type === 'text' || s.type === 'face' || (s.type === 'at' && s.data.qq !== 'all')));
  const withCodes = plain.filter((m) => m.segments.length > 1);
  const texts = plain.filter((m) => m.segments.length === 1);
  const picked = [...withCodes.slice(0, Math.ceil(count * 0.3)), ...texts].slice(0, count);
  return picked.map((m) => JSON.stringify({ group_id: GROUP_ID, message: m.cq }));
}

/** How many messages the bot has stored (read from the database beside the running server). */
export function countStored(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'sandbox.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS n FROM messages WHERE sender_id = (SELECT self_id FROM account)').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

const RETCODE_0 = Buffer.from('"retcode":0');

export const httpWrite: BenchCase = {
  id: 'http-write',
  title: 'HTTP write — POST /send_group_msg (JSON, CQ codes), stored in SQLite before the answer',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const cq = await startCqhttpd(ctx, { label: 'cqhttpd http-write' });
    const notes: string[] = [];
    try {
      const bodies = sendBodies();
      const headers = { Authorization: AUTH, 'Content-Type': 'application/json' };
      for (const body of bodies.slice(0, 8)) {
        const probe = await httpRequest(cq.port, 'POST', '/send_group_msg', { headers, body });
        if (probe.status !== 200 || !probe.body.includes(RETCODE_0)) {
          return { status: 'error', reason: `send_group_msg answered ${probe.status} ${probe.body.toString()} to ${body}`, rows: [], notes };
        }
      }
      const sample = (await httpRequest(cq.port, 'POST', '/send_group_msg', { headers, body: bodies[0] })).body.toString();
      const template = sample.replace(/"message_id":\d+/, '"message_id":{id}');
      const basePort = await freePort();
      const base = await startBaseline(ctx, 'baseline http', ctx.prepared.baselines.http, {
        port: basePort, routes: { '/send_group_msg': template }, contentType: 'application/json; charset=UTF-8',
      }, basePort);
      try {
        const cache = new Map<number, Buffer[]>();
        const request = (port: number, seq: number): Buffer => {
          let list = cache.get(port);
          if (list === undefined) cache.set(port, (list = bodies.map((b) => buildRequest('POST', '/send_group_msg', port, headers, b))));
          return list[seq % list.length];
        };
        // Count every successful answer cqhttpd gives (warm-up included) to check durability after.
        let answered = 9;
        const counted = httpSubjectWithCount(cq.proc, cq.port, request, (n) => (answered += n));
        const runs = await alternate(ctx, counted, {
          name: 'baseline',
          proc: base,
          async run(durationMs) {
            const r = await runHttpLoad({ port: basePort, connections: CONNECTIONS, durationMs, request: (seq) => request(basePort, seq), check: (s, b) => s === 200 && b.includes(RETCODE_0) });
            return { rate: r.rps, p50: r.latency.p50, p99: r.latency.p99, loadCpu: r.loadCpu, bad: r.bad + r.errors };
          },
        });
        const stored = countStored(cq.dataDir);
        notes.push(`durability: ${answered} successful answers, ${stored} messages stored in sandbox.db${stored === answered ? ' (all of them)' : ' — MISMATCH'}`);
        notes.push(`bodies: ${bodies.length} different messages, e.g. ${bodies[1]}`);
        const rows = comparisonRows('POST /send_group_msg', 'req/s', runs, 0.5, notes);
        if (stored !== answered) rows.push({ metric: 'stored = answered', unit: 'messages', value: null, target: 'equal', met: false });
        return { status: 'ok', rows, notes, raw: { ...runs, answered, stored } };
      } finally {
        await base.stop();
      }
    } finally {
      await cq.stop();
    }
  },
};

function httpSubjectWithCount(proc: Subject['proc'], port: number, request: (port: number, seq: number) => Buffer, onOk: (n: number) => void): Subject {
  return {
    name: 'cqhttpd',
    proc,
    async run(durationMs) {
      const r = await runHttpLoad({ port, connections: CONNECTIONS, durationMs, request: (seq) => request(port, seq), check: (s, b) => s === 200 && b.includes(RETCODE_0) });
      onOk(r.okTotal);
      return { rate: r.rps, p50: r.latency.p50, p99: r.latency.p99, loadCpu: r.loadCpu, bad: r.bad + r.errors, ...(r.firstBad === undefined ? {} : { firstBad: r.firstBad }) };
    },
  };
}
