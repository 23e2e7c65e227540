/**
 * What the console knows: the world, the conversations it has loaded, and the timeline of events and
 * calls — kept in signals, fed by snapshots (GET) and the live stream. Stream items are applied in
 * batches, at most ~20 times a second, so a busy bot does not make the page re-render per message.
 */
import { batch, computed, signal } from '@preact/signals';
import { api } from './api';
import { applyDeliveries, resetDeliveries } from './deliveries';
import { callArrived, eventArrived, expectHit, refreshFaults, resetFaultLinks, type Injection } from './faults';
import type { BotEvent, Call, Message, Request, World } from './types';

export type ChatKey = `g:${number}` | `p:${number}`;

/**
 * One timeline entry: a call, an event or an injected fault, numbered in arrival order. An event's
 * `key` names it in the delivery frames (the id of the frame that carried it, or `m<n>` for a meta
 * event); a fault's `time` is when the console heard of it (its frame carries none).
 */
export type Entry =
  | { seq: number; kind: 'call'; call: Call }
  | { seq: number; kind: 'event'; event: BotEvent; key?: string | undefined }
  | { seq: number; kind: 'fault'; fault: Injection; time: number };

/** When an entry happened, Unix ms. */
export function entryTime(e: Entry): number {
  return e.kind === 'call' ? e.call.time : e.kind === 'event' ? e.event.time * 1000 : e.time;
}

/** Entries kept in the timeline (the oldest are dropped past this). */
export const TIMELINE_LIMIT = 20_000;

export const world = signal<World | null>(null);
export const requests = signal<Request[]>([]);
export const chats = signal<ReadonlyMap<ChatKey, readonly Message[]>>(new Map());
export const timeline = signal<readonly Entry[]>([]);
export const live = signal(false);
/** Now, in seconds, ticking: mute countdowns follow it. */
export const now = signal(Math.floor(Date.now() / 1000));
setInterval(() => { now.value = Math.floor(Date.now() / 1000); }, 1000);

export const selfId = computed(() => world.value?.self_id ?? 0);

let entrySeq = 0;
const seenCalls = new Set<number>();

/** The chat a message belongs to. */
export function chatOf(m: Message, self: number): ChatKey | null {
  if (m.group_id !== undefined) return `g:${m.group_id}`;
  if (m.discuss_id !== undefined) return null;
  if (m.target_id !== undefined) return `p:${m.user_id === self ? m.target_id : m.user_id}`;
  return null;
}

/** Merge messages into their chats: a known message_id is replaced, a new one appended in order. */
export function addMessages(list: readonly Message[], key?: ChatKey): void {
  if (list.length === 0) return;
  const next = new Map(chats.value);
  for (const m of list) {
    const k = key ?? chatOf(m, selfId.value);
    if (k === null) continue;
    const current = next.get(k) ?? [];
    const at = current.findIndex((x) => x.message_id === m.message_id);
    if (at >= 0) next.set(k, current.map((x, i) => (i === at ? m : x)));
    else next.set(k, current.length > 0 && (current[current.length - 1]?.message_id ?? 0) > m.message_id ? [...current, m].sort((a, b) => a.message_id - b.message_id) : [...current, m]);
  }
  chats.value = next;
}

/** Mark a message recalled wherever it is shown. */
function markRecalled(messageId: number): void {
  const next = new Map(chats.value);
  for (const [k, list] of next) {
    const at = list.findIndex((m) => m.message_id === messageId);
    if (at >= 0) next.set(k, list.map((m, i) => (i === at ? { ...m, recalled: true } : m)));
  }
  chats.value = next;
}

function addEntries(entries: Entry[]): void {
  if (entries.length === 0) return;
  const all = timeline.value.concat(entries);
  timeline.value = all.length > TIMELINE_LIMIT ? all.slice(all.length - TIMELINE_LIMIT) : all;
}

/**
 * Calls from the journal (GET /api/calls), the bot's calls from before the page opened: only those
 * not already seen on the stream, in the order they finished, ahead of everything the stream brought
 * — the stream was listening before the journal was read, so a call it did not carry came earlier.
 */
export function addCalls(calls: readonly Call[]): void {
  const fresh = calls.filter((c) => !seenCalls.has(c.id)).sort((a, b) => a.id - b.id);
  if (fresh.length === 0) return;
  for (const c of fresh) seenCalls.add(c.id);
  const all = fresh.map((call): Entry => ({ seq: ++entrySeq, kind: 'call', call })).concat(timeline.value);
  timeline.value = all.length > TIMELINE_LIMIT ? all.slice(all.length - TIMELINE_LIMIT) : all;
}

let worldTimer: ReturnType<typeof setTimeout> | undefined;
/** Reload the world soon (coalesced): after a notice, a request, a successful act. */
export function refreshWorld(delay = 100): void {
  clearTimeout(worldTimer);
  worldTimer = setTimeout(() => { void loadWorld(); }, delay);
}

export async function loadWorld(): Promise<void> {
  const [w, r] = await Promise.all([api<World>('GET', '/api/world'), api<{ requests: Request[] }>('GET', '/api/requests')]);
  batch(() => {
    world.value = w;
    requests.value = r.requests;
  });
}

/** Load one conversation (and keep what the stream brought meanwhile). */
export async function loadChat(key: ChatKey): Promise<void> {
  const [kind, id] = key.split(':') as ['g' | 'p', string];
  const { messages } = await api<{ messages: Message[] }>('GET', `/api/messages?${kind === 'g' ? 'group_id' : 'user_id'}=${id}`);
  addMessages(messages, key);
}

/** Reads that change nothing: a successful call of any other action may have changed the world. */
const READ = /^(get_|can_|send_|_get|\.get|\.handle_quick_operation)/;

type Item =
  | { name: 'message'; value: Message } | { name: 'event'; value: BotEvent; key: string } | { name: 'call'; value: Call }
  | { name: 'fault'; value: Injection; time: number } | { name: 'delivery'; json: string } | { name: 'world'; path: string };
let pending: Item[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Queue one stream item; they are applied together shortly. */
export function receive(name: string, json: string, id: string): void {
  if (name === 'delivery') pending.push({ name, json });
  else if (name === 'world') pending.push({ name, path: String((JSON.parse(json) as { path?: unknown }).path ?? '') });
  else if (name === 'event') pending.push({ name, value: JSON.parse(json) as BotEvent, key: id });
  else if (name === 'fault') pending.push({ name, value: JSON.parse(json) as Injection, time: Date.now() });
  else if (name === 'message' || name === 'call') pending.push({ name, value: JSON.parse(json) } as Item);
  else return;
  flushTimer ??= setTimeout(flush, 50);
}

function flush(): void {
  flushTimer = undefined;
  const items = pending;
  pending = [];
  const messages: Message[] = [];
  const entries: Entry[] = [];
  let worldChanged = false;
  let faultsChanged = false;
  const recalled: number[] = [];
  for (const item of items) {
    if (item.name === 'message') messages.push(item.value);
    else if (item.name === 'world') {
      if (item.path.startsWith('/api/faults')) faultsChanged = true;
      else worldChanged = true;
    } else if (item.name === 'delivery') {
      for (const { key, event } of applyDeliveries(item.json)) {
        const entry = { seq: ++entrySeq, kind: 'event', event, key } as const;
        entries.push(entry);
        eventArrived(entry);
      }
    } else if (item.name === 'fault') {
      const entry = { seq: ++entrySeq, kind: 'fault', fault: item.value, time: item.time } as const;
      entries.push(entry);
      expectHit(entry);
      faultsChanged = true;
    } else if (item.name === 'call') {
      if (seenCalls.has(item.value.id)) continue;
      seenCalls.add(item.value.id);
      const entry = { seq: ++entrySeq, kind: 'call', call: item.value } as const;
      entries.push(entry);
      callArrived(entry);
      if (item.value.retcode === 0 && !READ.test(item.value.action)) worldChanged = true;
    } else {
      const e = item.value;
      const entry = { seq: ++entrySeq, kind: 'event', event: e, key: item.key } as const;
      entries.push(entry);
      eventArrived(entry);
      if (e.post_type === 'notice' || e.post_type === 'request') worldChanged = true;
      if (e.notice_type === 'group_recall' || e.notice_type === 'friend_recall') recalled.push(Number(e['message_id']));
    }
  }
  batch(() => {
    addMessages(messages);
    for (const id of recalled) markRecalled(id);
    addEntries(entries);
  });
  if (worldChanged) refreshWorld();
  if (faultsChanged) refreshFaults();
}

/** Forget everything loaded (after the stream says it cannot resume). */
export function resetAll(): void {
  batch(() => {
    chats.value = new Map();
    timeline.value = [];
  });
  seenCalls.clear();
  resetDeliveries();
  resetFaultLinks();
}
