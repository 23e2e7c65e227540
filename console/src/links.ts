/** Links between the chat and the timeline: the message an entry is about, and the entries about a message. */
import type { Entry } from './store';

function asId(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** The message a call sent (its answer's message_id) or acted on (its params'), or an event announced. */
export function messageIdOf(e: Entry): number | undefined {
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

/** A one-line summary of an entry. */
export function summary(e: Entry): string {
  if (e.kind === 'call') {
    const c = e.call;
    return `${c.action} → ${c.retcode}${c.msg !== undefined ? ` ${c.msg}` : ''} · ${c.duration.toFixed(1)} ms · ${c.channel}`;
  }
  const ev = e.event;
  const sub = [ev['message_type'], ev['notice_type'], ev['request_type'], ev['meta_event_type'], ev['sub_type']].filter((x) => typeof x === 'string' && x !== '').join('/');
  const text = typeof ev['raw_message'] === 'string' ? `: ${ev['raw_message']}` : '';
  return `${ev.post_type}${sub === '' ? '' : ` ${sub}`}${text}`;
}

/** The user and group an entry concerns (for filters). */
export function whoOf(e: Entry): { user?: number | undefined; group?: number | undefined } {
  const src = e.kind === 'call' ? e.call.params : e.event;
  return { user: asId(src['user_id']), group: asId(src['group_id']) };
}
