/**
 * Where each event went: the stream's `delivery` frames (GET /api/stream?all=1) say, per event,
 * which bot connection it was delivered on (forward WS, reverse WS, HTTP POST) and how that ended.
 * Kept per event key (the id of the frame that carried the event, or `m<n>` for a meta event).
 */
import { signal } from '@preact/signals';
import { t } from './i18n';
import type { BotEvent } from './types';

export type Outcome = 'sent' | 'filtered' | 'dropped' | 'failed';

export interface ConnectionInfo { id: number; transport: 'ws' | 'ws_reverse' | 'http_post'; role: string; path: string }

/** One delivery of an event: the connection (or, without one, the channel's name) and its outcome. */
export interface Delivery { connection: number | null; channel?: string; outcome: Outcome }

interface DeliveryFrame {
  connections: Record<string, Omit<ConnectionInfo, 'id'>>;
  /** Per event (a run of its deliveries): `[connection, outcome]`, or `[null, outcome, channel]` without a connection. */
  deliveries: { event: string; to: [number | null, Outcome, string?][] }[];
  events: Record<string, BotEvent>;
  omitted: number;
}

/** Events whose deliveries are kept, at most (the oldest are forgotten). */
const KEPT = 20_000;

const byEvent = new Map<string, Delivery[]>();
/** Every connection named by a delivery frame, by id. */
export const connectionsSeen = signal<ReadonlyMap<number, ConnectionInfo>>(new Map());
/** Bumped whenever deliveries were added: what reads them re-renders. */
export const deliveryVersion = signal(0);
/** Deliveries the server left out of its frames (a storm past its per-frame bound). */
export const omittedDeliveries = signal(0);

/** The deliveries of the event `key` (read inside a component: it re-renders as more come). */
export function deliveriesOf(key: string | undefined): readonly Delivery[] {
  void deliveryVersion.value;
  return key === undefined ? [] : byEvent.get(key) ?? [];
}

/** "forward WS #3 (universal /)", "reverse WS Universal ws://…", "HTTP POST http://…". */
export function connectionLabel(id: number | null, channel?: string): string {
  const c = id === null ? undefined : connectionsSeen.value.get(id);
  if (c === undefined) return channel ?? `#${id ?? '?'}`;
  if (c.transport === 'ws') return t('connWs', { id: c.id, role: c.role, path: c.path });
  if (c.transport === 'ws_reverse') return t('connReverse', { role: c.role, path: c.path });
  return t('connPost', { url: c.path });
}

/** "sent", "failed"… in the current language. */
export function outcomeLabel(outcome: Outcome): string {
  return t(outcome === 'sent' ? 'outcomeSent' : outcome === 'filtered' ? 'outcomeFiltered' : outcome === 'dropped' ? 'outcomeDropped' : 'outcomeFailed');
}

/** Take one `delivery` frame; answers the meta events it describes that are new (for the timeline). */
export function applyDeliveries(json: string): { key: string; event: BotEvent }[] {
  const frame = JSON.parse(json) as DeliveryFrame;
  const known = connectionsSeen.value;
  const fresh = Object.entries(frame.connections).filter(([id]) => !known.has(Number(id)));
  if (fresh.length > 0) {
    const next = new Map(known);
    for (const [id, c] of fresh) next.set(Number(id), { ...c, id: Number(id) });
    connectionsSeen.value = next;
  }
  const added: { key: string; event: BotEvent }[] = [];
  for (const d of frame.deliveries) {
    let list = byEvent.get(d.event);
    if (list === undefined) {
      byEvent.set(d.event, (list = []));
      const described = frame.events[d.event];
      if (described !== undefined) added.push({ key: d.event, event: described });
      if (byEvent.size > KEPT) byEvent.delete(byEvent.keys().next().value as string);
    }
    for (const [connection, outcome, channel] of d.to) list.push(channel === undefined ? { connection, outcome } : { connection, channel, outcome });
  }
  if (frame.omitted > 0) omittedDeliveries.value += frame.omitted;
  deliveryVersion.value++;
  return added;
}

/** Forget every delivery (after the stream could not resume). */
export function resetDeliveries(): void {
  byEvent.clear();
  deliveryVersion.value++;
}
