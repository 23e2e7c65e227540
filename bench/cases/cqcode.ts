/**
 * CQ codes: parse and serialise throughput of cqhttpd's CQ-code module (the built code) on a
 * generated corpus of 100k realistic messages (30 % with codes), against `JSON.parse` /
 * `JSON.stringify` of the same messages as segment arrays and against Koishi's `CQCode.parse`
 * (koishi-plugin-adapter-onebot's CommonJS build). All throughputs are in MB of the corpus's
 * CQ-string form per second, so a ratio is the ratio of times for the same messages. Every message
 * must parse back to its segments and serialise to its string: the mismatch count must be 0.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase, BenchContext, CaseOutcome, Row } from '../lib/context.js';
import { generateCorpus } from '../lib/corpus.js';
import type { CorpusSegment } from '../lib/corpus.js';
import { pairRatios } from '../lib/compare.js';
import { stat } from '../lib/stats.js';

type MessageModule = typeof import('../../src/message/index.js');

interface KoishiElement { type: string; attrs: Record<string, unknown> }
interface KoishiOneBot { CQCode: { parse(source: string): KoishiElement[] } }

/** Times (ms) of `runs` rounds of every pass, interleaved (each round runs each pass once), after two warm-up rounds. */
function timeInterleaved<K extends string>(passes: Record<K, () => number>, runs: number): { times: Record<K, number[]>; sink: number } {
  const keys = Object.keys(passes) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  let sink = 0;
  for (let round = -2; round < runs; round++) {
    for (const k of keys) {
      const t0 = performance.now();
      sink += passes[k]();
      if (round >= 0) times[k].push(performance.now() - t0);
    }
  }
  return { times, sink };
}

function sameSegments(a: readonly { type: string; data: Record<string, string> }[], b: readonly CorpusSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].type !== b[i].type) return false;
    const ka = Object.keys(a[i].data);
    const kb = Object.keys(b[i].data);
    if (ka.length !== kb.length) return false;
    for (const k of kb) if (a[i].data[k] !== b[i].data[k]) return false;
  }
  return true;
}

const camel = (s: string): string => s.replace(/[_-](\w)/g, (_m, c: string) => c.toUpperCase());

function sameAsKoishi(elements: readonly KoishiElement[], segments: readonly CorpusSegment[]): boolean {
  if (elements.length !== segments.length) return false;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    const s = segments[i];
    if (e.type !== s.type) return false;
    if (s.type === 'text') {
      if (e.attrs.content !== s.data.text) return false;
      continue;
    }
    for (const [k, v] of Object.entries(s.data)) if (e.attrs[camel(k)] !== v) return false;
  }
  return true;
}

export const cqcodes: BenchCase = {
  id: 'cqcode',
  title: 'CQ codes — parse/serialise MB/s on 100k messages vs JSON.parse and Koishi',
  async run(ctx: BenchContext): Promise<CaseOutcome> {
    const notes: string[] = [];
    const builtMessage = path.join(path.dirname(ctx.prepared.cli), 'message', 'index.js');
    const { parseCQ, serialiseCQ } = (await import(pathToFileURL(builtMessage).href)) as MessageModule;
    const koishi = createRequire(import.meta.url)('koishi-plugin-adapter-onebot') as KoishiOneBot;

    const corpus = generateCorpus(ctx.scale.corpus);
    const strings = corpus.map((m) => m.cq);
    const segments = corpus.map((m) => m.segments);
    const jsons = segments.map((s) => JSON.stringify(s));
    const cqBytes = strings.reduce((n, s) => n + Buffer.byteLength(s), 0);
    const jsonBytes = jsons.reduce((n, s) => n + Buffer.byteLength(s), 0);
    const withCodes = corpus.filter((m) => m.segments.some((s) => s.type !== 'text')).length;
    notes.push(`corpus: ${corpus.length} messages, ${withCodes} with CQ codes; ${(cqBytes / 1e6).toFixed(2)} MB as CQ strings, ${(jsonBytes / 1e6).toFixed(2)} MB as JSON arrays`);

    // Correctness first: every message both ways.
    let mismatches = 0;
    let koishiMismatches = 0;
    let example: string | undefined;
    for (const m of corpus) {
      const parsed = parseCQ(m.cq);
      const ok = sameSegments(parsed, m.segments) && serialiseCQ(m.segments) === m.cq;
      if (!ok) {
        mismatches++;
        example ??= m.cq;
      }
      if (!sameAsKoishi(koishi.CQCode.parse(m.cq), m.segments)) koishiMismatches++;
    }
    if (example !== undefined) notes.push(`first mismatch: ${example}`);
    notes.push(`Koishi's CQCode.parse disagrees with the canonical segments on ${koishiMismatches} messages (its own grammar; informational)`);

    const runs = ctx.quick ? 5 : 15;
    const { times } = timeInterleaved({
      parse: () => {
        let n = 0;
        for (const s of strings) n += parseCQ(s).length;
        return n;
      },
      jsonParse: () => {
        let n = 0;
        for (const s of jsons) n += (JSON.parse(s) as unknown[]).length;
        return n;
      },
      koishi: () => {
        let n = 0;
        for (const s of strings) n += koishi.CQCode.parse(s).length;
        return n;
      },
      serialise: () => {
        let n = 0;
        for (const s of segments) n += serialiseCQ(s).length;
        return n;
      },
      jsonStringify: () => {
        let n = 0;
        for (const s of segments) n += JSON.stringify(s).length;
        return n;
      },
    }, runs);
    const mbps = (list: number[]) => stat(list.map((t) => cqBytes / 1e6 / (t / 1000)));
    const parse = mbps(times.parse);
    const jsonParse = mbps(times.jsonParse);
    const koishiParse = mbps(times.koishi);
    const serialise = mbps(times.serialise);
    const jsonStringify = mbps(times.jsonStringify);
    // Faster = less time: the ratio of a pair is the baseline's time over ours.
    const r1 = pairRatios(times.jsonParse, times.parse);
    const r2 = pairRatios(times.koishi, times.parse);
    const r3 = pairRatios(times.jsonStringify, times.serialise);
    notes.push(`JSON.parse on its own input: ${(jsonParse.median * (jsonBytes / cqBytes)).toFixed(1)} MB/s of JSON text; parse ${(corpus.length / (stat(times.parse).median / 1000) / 1e6).toFixed(2)} M msg/s`);
    const rows: Row[] = [
      { metric: 'parse vs JSON.parse', unit: 'MB/s', value: parse, baseline: jsonParse, ratio: r1.median, ratioRange: r1, target: '≥ 1.0×', met: r1.median >= 1 },
      { metric: 'parse vs Koishi CQCode.parse', unit: 'MB/s', value: parse, baseline: koishiParse, ratio: r2.median, ratioRange: r2, target: '≥ 2.5×', met: r2.median >= 2.5 },
      { metric: 'serialise vs JSON.stringify', unit: 'MB/s', value: serialise, baseline: jsonStringify, ratio: r3.median, ratioRange: r3, target: '≥ 1.0×', met: r3.median >= 1 },
      { metric: 'mismatches (parse + serialise)', unit: 'msgs', value: { median: mismatches, min: mismatches, max: mismatches, n: 1 }, target: '0', met: mismatches === 0 },
    ];
    return { status: 'ok', rows, notes, raw: { cqBytes, jsonBytes, times, mismatches, koishiMismatches } };
  },
};
