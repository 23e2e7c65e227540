/**
 * What a fault's target matches: an action call (name, a parameter subset, a text the message
 * contains, the channel), an event (a subset of its fields, a list meaning "one of"), a connection
 * (transport, role). Pure functions over plain values.
 */

/** Whether `actual` equals `expected`: a number also equals its decimal text (HTTP bots send ids as text). */
function same(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if ((typeof expected === 'number' || typeof expected === 'string') && (typeof actual === 'number' || typeof actual === 'string')) return String(expected) === String(actual);
  if (typeof expected === 'boolean' && typeof actual === 'string') return String(expected) === actual;
  return false;
}

/** `expected` as a subset of `actual`: every key present with an equal value; a list is "one of"; nested objects are subsets too. */
export function subsetMatches(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>): boolean {
  for (const key in expected) {
    const want = expected[key];
    const got = actual[key];
    if (Array.isArray(want)) {
      if (!want.some((w) => valueMatches(w, got))) return false;
    } else if (!valueMatches(want, got)) return false;
  }
  return true;
}

function valueMatches(want: unknown, got: unknown): boolean {
  if (typeof want === 'object' && want !== null && !Array.isArray(want)) {
    return typeof got === 'object' && got !== null && subsetMatches(want as Record<string, unknown>, got as Record<string, unknown>);
  }
  return same(want, got);
}

/** The text `contains` looks in: the message as sent (CQ code text, or its text segments), else the parameters' JSON. */
export function callText(params: Readonly<Record<string, unknown>>): string {
  const message = params['message'];
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) {
    let text = '';
    for (const segment of message) {
      const data = (segment as { type?: unknown; data?: { text?: unknown } } | null)?.data;
      if ((segment as { type?: unknown } | null)?.type === 'text' && typeof data?.text === 'string') text += data.text;
    }
    return text;
  }
  return JSON.stringify(params);
}

/** The fields that say what kind an event is (for trace lines). */
export function eventKind(event: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { post_type: event['post_type'] };
  for (const key of ['message_type', 'notice_type', 'request_type', 'meta_event_type', 'sub_type']) if (event[key] !== undefined) out[key] = event[key];
  return out;
}
