/** Links between the chat and the timeline: the message an entry is about, and the entries about a message; one-line summaries. */
import { connectionLabel } from './deliveries';
import type { Injection } from './faults';
import type { Entry } from './store';

function asId(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** The message a call sent (its answer's message_id) or acted on (its params'), or an event announced. */
export function messageIdOf(e: Entry): number | undefined {
  if (e.kind === 'fault') return undefined;
  if (e.kind === 'event') return asId(e.event['message_id']);
  const data = e.call.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const sent = asId((data as Record<string, unknown>)['message_id']);
    if (sent !== undefined) return sent;
  }
  return asId(e.call.params['message_id']);
}

export function entriesFor(messageId: number, all: readonly Entry[]): Entry[] {
  return all.filter((e) => messageIdOf(e) === messageId);
}

/** `message/group/normal`: the kind fields of an event, or of a fault's event subset. */
function kindOf(ev: Record<string, unknown>): string {
  return [ev['message_type'], ev['notice_type'], ev['request_type'], ev['meta_event_type'], ev['sub_type']].filter((x) => typeof x === 'string' && x !== '').join('/');
}

/** "f1 fail send_group_msg · http → 100 · gocq-risk-control", "f2 duplicate event message/group", "f3 drop forward WS #1 (universal /) · 1000". */
export function faultSummary(f: Injection): string {
  const parts: string[] = [];
  if (f.target === 'action') {
    parts.push(`${f.action ?? '?'} · ${f.channel ?? '?'}${f.retcode !== undefined ? ` → ${f.retcode}` : ''}`);
  } else if (f.target === 'event') {
    const ev = f.event ?? {};
    const sub = kindOf(ev);
    parts.push(`${String(ev['post_type'] ?? 'event')}${sub === '' ? '' : ` ${sub}`}`);
  } else {
    const c = f.connection ?? {};
    parts.push(typeof c.id === 'number' ? connectionLabel(c.id) : [c.transport, c.role].filter((x) => typeof x === 'string').join(' '));
    if (f.code !== undefined) parts.push(String(f.code));
    else if (f.reset === true) parts.push('reset');
  }
  if (f.ms !== undefined) parts.push(`${f.ms} ms`);
  if (f.profile !== undefined) parts.push(f.profile);
  return `${f.id} ${f.effect} ${parts.join(' · ')}`;
}

/** A one-line summary of an entry. */
export function summary(e: Entry): string {
  if (e.kind === 'fault') return faultSummary(e.fault);
  if (e.kind === 'call') {
    const c = e.call;
    return `${c.action} → ${c.retcode}${c.msg !== undefined ? ` ${c.msg}` : ''} · ${c.duration.toFixed(1)} ms · ${c.channel}`;
  }
  const ev = e.event;
  const sub = kindOf(ev);
  const text = typeof ev['raw_message'] === 'string' ? `: ${ev['raw_message']}` : '';
  return `${ev.post_type}${sub === '' ? '' : ` ${sub}`}${text}`;
}

/** The user and group an entry concerns (for filters). */
export function whoOf(e: Entry): { user?: number | undefined; group?: number | undefined } {
  if (e.kind === 'fault') return {};
  const src = e.kind === 'call' ? e.call.params : e.event;
  return { user: asId(src['user_id']), group: asId(src['group_id']) };
}
