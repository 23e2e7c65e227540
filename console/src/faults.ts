/**
 * Injected faults as the console sees them: the faults set now (GET /api/faults, reloaded when one
 * is added, cleared or hit), and the stream's `fault` frames — each injection linked to the call or
 * event it hit. A call fault is injected before its call is journalled and an event fault before
 * the event's frame, so an injection is matched to the next call of its action and channel (held
 * at least the fault's delay, if it has one), or the next event of its kind, that no other
 * injection took.
 */
import { signal } from '@preact/signals';
import { api } from './api';
import type { Entry } from './store';
import type { BotEvent } from './types';

/** One injection, as a `fault` frame carries it (docs/sandbox-api.md, GET /api/stream). */
export interface Injection {
  id: string;
  effect: string;
  target: 'action' | 'event' | 'connection';
  profile?: string;
  action?: string;
  channel?: string;
  retcode?: number;
  ms?: number;
  event?: Record<string, unknown>;
  connection?: { id?: number | null; transport?: string | null; role?: string | null };
  code?: number;
  reset?: boolean;
  notice?: Record<string, unknown>;
}

/** A fault set now, as GET /api/faults lists it: the object given, its id, hits and times left. */
export type ActiveFault = Record<string, unknown> & { id: string; hits: number; remaining: number | null; profile?: string; effect?: string };

export const activeFaults = signal<readonly ActiveFault[]>([]);

export async function loadFaults(): Promise<void> {
  const listed = await api<{ faults: ActiveFault[] }>('GET', '/api/faults').catch(() => undefined);
  if (listed !== undefined) activeFaults.value = listed.faults;
}

let faultsTimer: ReturnType<typeof setTimeout> | undefined;
/** Reload the faults soon (coalesced): after an injection (hits, times left) or an edit. */
export function refreshFaults(delay = 200): void {
  clearTimeout(faultsTimer);
  faultsTimer = setTimeout(() => { void loadFaults(); }, delay);
}

/** The fault set named by a top-level id (`f2` for the parts `f2.1`, `f2.2` of a profile), in order. */
export function faultGroups(list: readonly ActiveFault[]): { id: string; parts: ActiveFault[] }[] {
  const groups = new Map<string, ActiveFault[]>();
  for (const f of list) {
    const id = f.id.split('.')[0] ?? f.id;
    const parts = groups.get(id);
    if (parts === undefined) groups.set(id, [f]);
    else parts.push(f);
  }
  return [...groups].map(([id, parts]) => ({ id, parts }));
}

/** What a fault aims at, in a few words: `send_msg, send_group_msg…`, `event message/notice`, `ws universal`. */
export function faultTarget(f: Record<string, unknown>): string {
  const action = f['action'];
  if (action !== undefined) return Array.isArray(action) ? (action.length > 2 ? `${action.slice(0, 2).join(', ')}…` : action.join(', ')) : String(action);
  const event = f['event'];
  if (event !== null && typeof event === 'object') {
    const values = Object.values(event as Record<string, unknown>).map((v) => (Array.isArray(v) ? v.join('|') : String(v)));
    return `event ${values.length === 0 ? '*' : values.join('/')}`;
  }
  const c = (f['connection'] ?? {}) as { transport?: unknown; role?: unknown };
  return [c.transport ?? 'connection', c.role].filter((x) => x !== undefined && x !== null).join(' ') || 'connection';
}

// --- links between injections and what they hit -------------------------------------------------

type FaultEntry = Extract<Entry, { kind: 'fault' }>;

/** Injections not yet matched to a call or event, oldest first (bounded: the oldest give up). */
const waiting: FaultEntry[] = [];
const WAITING = 500;
/** Links kept, at most (as many as the timeline keeps entries). */
const KEPT = 20_000;
/** fault entry → the entry it hit; entry → the fault entries that hit it (by `seq`). */
const hitOf = new Map<number, Entry>();
const faultsOf = new Map<number, FaultEntry[]>();
/** Bumped when a link is made: what reads links re-renders. */
export const linkVersion = signal(0);

/** A fault entry just added: it waits for the call or event it hit (connection faults hit neither). */
export function expectHit(entry: FaultEntry): void {
  if (entry.fault.target === 'connection') return;
  waiting.push(entry);
  if (waiting.length > WAITING) waiting.shift();
}

function sameKind(want: Record<string, unknown> | undefined, event: BotEvent): boolean {
  if (want === undefined) return true;
  for (const key in want) if (event[key] !== want[key]) return false;
  return true;
}

function link(at: number, hit: Entry): void {
  const [fault] = waiting.splice(at, 1) as [FaultEntry];
  hitOf.set(fault.seq, hit);
  if (hitOf.size > KEPT) {
    const [oldFault, oldHit] = hitOf.entries().next().value as [number, Entry];
    hitOf.delete(oldFault);
    faultsOf.delete(oldHit.seq);
  }
  const list = faultsOf.get(hit.seq);
  if (list === undefined) faultsOf.set(hit.seq, [fault]);
  else list.push(fault);
  linkVersion.value++;
}

/**
 * Whether a call could be the one a fault held `ms` first: a slow failure lasted that long (its
 * duration counts the wait); a delayed call came that much after the injection (its duration does
 * not). A quicker call of the same action was not it.
 */
function heldLongEnough(f: FaultEntry, duration: number, now: number): boolean {
  const { ms, effect } = f.fault;
  if (ms === undefined || effect === 'timeout') return true;
  return effect === 'delay' ? now - f.time >= ms - 100 : duration >= ms - 1;
}

/** A call entry just added: the oldest waiting injection on its action and channel hit it. */
export function callArrived(entry: Extract<Entry, { kind: 'call' }>): void {
  if (waiting.length === 0) return;
  const { action, channel } = entry.call;
  const now = Date.now();
  const at = waiting.findIndex((f) => f.fault.target === 'action' && f.fault.action === action && f.fault.channel === channel && heldLongEnough(f, entry.call.duration, now));
  if (at >= 0) link(at, entry);
}

/** An event entry just added: the oldest waiting injection of its kind hit it. */
export function eventArrived(entry: Extract<Entry, { kind: 'event' }>): void {
  if (waiting.length === 0) return;
  const at = waiting.findIndex(({ fault }) => fault.target === 'event' && sameKind(fault.event, entry.event));
  if (at >= 0) link(at, entry);
}

/** The entry a fault entry hit (read inside a component: it re-renders when the link is made). */
export function hitBy(faultSeq: number): Entry | undefined {
  void linkVersion.value;
  return hitOf.get(faultSeq);
}

/** The fault entries that hit an entry. */
export function faultsOn(seq: number): readonly FaultEntry[] {
  void linkVersion.value;
  return faultsOf.get(seq) ?? [];
}

/** Forget every link (after the stream could not resume). */
export function resetFaultLinks(): void {
  waiting.length = 0;
  hitOf.clear();
  faultsOf.clear();
  linkVersion.value++;
}
