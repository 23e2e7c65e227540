/**
 * Reading a V8 `.cpuprofile` (written by `node --cpu-prof`): where the server's busy time went,
 * by function (self and inclusive) and by area (cqhttpd module, npm package, node internals, GC).
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileEntry {
  name: string;
  /** Milliseconds. */
  ms: number;
  /** Share of the busy (non-idle) time, 0…100. */
  pct: number;
}

export interface ProfileSummary {
  /** Busy time sampled (ms), idle excluded. */
  busyMs: number;
  /** Idle share of the whole profile (0…100). */
  idlePct: number;
  /** Functions by self time. */
  self: ProfileEntry[];
  /** cqhttpd's own functions by inclusive time (callees included). */
  inclusive: ProfileEntry[];
  /** Self time by area. */
  areas: ProfileEntry[];
}

/** Where cqhttpd's own `…/dist/` part of a URL starts (the measured build or dist/), or -1. */
function ownIndex(url: string): number {
  const dist = url.lastIndexOf('/dist/');
  if (dist === -1) return -1;
  const nm = url.lastIndexOf('/node_modules/');
  // A package's own dist/ folder is not ours; the bench snapshot (node_modules/.cache/cqhttpd-bench/dist)
  // and patched copies beside it (node_modules/.cache/<name>/dist, for --server) are.
  return nm === -1 || url.startsWith('/.cache/', nm + '/node_modules'.length) ? dist : -1;
}

function shortUrl(url: string): string {
  const dist = ownIndex(url);
  if (dist !== -1) return url.slice(dist + '/dist/'.length);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) return url.slice(nm + '/node_modules/'.length);
  return url.replace(/^file:\/\//, '');
}

/** Where a frame belongs: `cqhttpd <dir>`, the npm package, `node <module>`, or a VM pseudo-frame. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const dist = ownIndex(url);
  if (dist !== -1) {
    const rest = url.slice(dist + '/dist/'.length).split('/');
    return `cqhttpd ${rest.length > 1 ? rest.slice(0, Math.min(2, rest.length - 1)).join('/') : rest[0]}`;
  }
  if (url.includes('/cqhttpd-bench/baselines/')) return 'baseline script';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) {
    const mod = url.slice(5).replace(/^internal\//, '').split('/')[0].replace(/\.js$/, '');
    return `node ${mod}`;
  }
  return url;
}

function keyOf(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return frame.url === '' ? name : `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, busy: number, n: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: Math.round((us / busy) * 1000) / 10 }));
}

/** Summarise a `.cpuprofile` file. */
export function summariseProfile(file: string, n = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let idle = 0;
  let total = 0;
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const key = keyOf(frame);
    self.set(key, (self.get(key) ?? 0) + us);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busy = Math.max(1, total - idle);

  // Inclusive time of cqhttpd's functions, each counted once per stack (recursion not doubled).
  const inclusive = new Map<string, number>();
  const totals = new Map<number, number>();
  const totalOf = (node: ProfileNode): number => {
    let t = selfUs.get(node.id) ?? 0;
    for (const child of node.children ?? []) t += totalOf(byId.get(child) as ProfileNode);
    totals.set(node.id, t);
    return t;
  };
  const root = profile.nodes[0];
  totalOf(root);
  const active = new Set<string>();
  const walk = (node: ProfileNode): void => {
    const key = keyOf(node.callFrame);
    const own = ownIndex(node.callFrame.url) !== -1 && !active.has(key);
    if (own) {
      inclusive.set(key, (inclusive.get(key) ?? 0) + (totals.get(node.id) ?? 0));
      active.add(key);
    }
    for (const child of node.children ?? []) walk(byId.get(child) as ProfileNode);
    if (own) active.delete(key);
  };
  walk(root);

  return {
    busyMs: Math.round(busy / 1000),
    idlePct: Math.round((idle / Math.max(1, total)) * 1000) / 10,
    self: top(self, busy, n),
    inclusive: top(inclusive, busy, n),
    areas: top(areas, busy, n),
  };
}

/** The summary as indented text lines. */
export function formatProfile(label: string, s: ProfileSummary): string {
  const lines = [`CPU profile of ${label}: ${s.busyMs} ms busy (${s.idlePct}% of the profile idle)`];
  lines.push('  by area (self time):');
  for (const e of s.areas.slice(0, 10)) lines.push(`    ${e.pct.toFixed(1).padStart(5)}%  ${e.name}`);
  lines.push('  top functions (self time):');
  for (const e of s.self.slice(0, 12)) lines.push(`    ${e.pct.toFixed(1).padStart(5)}%  ${e.name}`);
  lines.push('  cqhttpd functions (inclusive time):');
  for (const e of s.inclusive.slice(0, 12)) lines.push(`    ${e.pct.toFixed(1).padStart(5)}%  ${e.name}`);
  return lines.join('\n');
}
