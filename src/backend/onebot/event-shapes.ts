/**
 * Upstream events in cqhttpd's exact field sets (docs/protocol.md appendix B, docs/extensions.md §4):
 * every event kind cqhttpd itself emits keeps exactly its keys — what an upstream adds (NapCat's
 * `raw_info`, `message_format`, `real_seq`, `target_id` on private messages, LLBot's extras…) is
 * dropped, what it leaves out gets the value cqhttpd would have sent. Kinds cqhttpd does not emit
 * (upstream-only notices: `input_status`, `profile_like`, `bot_offline`…) pass through as they
 * come, ids as integers. The key order on the wire is the pipeline's (sorted, decision P5).
 *
 * Dialects plug in *before* this step with {@link EventRewrite}s: an upstream's own name for an
 * event becomes the de-facto v11 one there, and the shaping below then applies to it.
 */
import { serialiseCQ, type Segment } from '../../message/index.js';
import { int, str } from './normalise.js';

type Wire = Record<string, unknown>;

/**
 * A dialect's rewrite of an upstream event as it came (ids may still be strings; before message ids
 * are mapped and the event is shaped): return the event to use — the same object, or a renamed
 * copy — or `undefined` to drop it. Rewrites run in order, each on the previous one's result.
 */
export type EventRewrite = (event: Wire) => Wire | undefined;

/** Lagrange.OneBot's `notify`/`bot_offline` is NapCat's (and cqhttpd's) `bot_offline` notice. */
const lagrangeBotOffline: EventRewrite = (e) => {
  if (e['post_type'] !== 'notice' || e['notice_type'] !== 'notify' || e['sub_type'] !== 'bot_offline') return e;
  const { sub_type: _sub, ...rest } = e;
  return { ...rest, notice_type: 'bot_offline' };
};

/** The rewrites every OneBot v11 upstream gets (dialects add theirs in front). */
export const GENERIC_REWRITES: readonly EventRewrite[] = [lagrangeBotOffline];

export function rewriteEvent(event: Wire, rewrites: readonly EventRewrite[]): Wire | undefined {
  let current: Wire | undefined = event;
  for (const rewrite of rewrites) {
    if (current === undefined) return undefined;
    current = rewrite(current);
  }
  return current;
}

/** Each key of a kind with what it gets when the upstream left it out (`undefined`: left out too). */
type Spec = Record<string, (e: Wire) => unknown>;

const keep = (): undefined => undefined;
const zero = () => 0;
const empty = () => '';
const userId = (e: Wire) => int(e['user_id']);
const COMMON: Spec = { post_type: keep, self_id: keep, time: keep };

const PRIVATE_SENDER = ['age', 'nickname', 'sex', 'user_id'];
const GROUP_SENDER = ['age', 'area', 'card', 'level', 'nickname', 'role', 'sex', 'title', 'user_id'];
const SENDER_DEFAULTS: Wire = { age: 0, area: '', card: '', level: '', nickname: '', role: 'member', sex: 'unknown', title: '', user_id: 0 };

function sender(keys: readonly string[]) {
  return (e: Wire): Wire => {
    const given = typeof e['sender'] === 'object' && e['sender'] !== null ? e['sender'] as Wire : {};
    const out: Wire = {};
    for (const key of keys) out[key] = key === 'user_id' || key === 'age' ? int(given[key] ?? (key === 'user_id' ? e['user_id'] : 0)) : given[key] ?? SENDER_DEFAULTS[key];
    return out;
  };
}

const rawMessage = (e: Wire) => (Array.isArray(e['message']) ? serialiseCQ(e['message'] as Segment[]) : '');
/** `message_id` is kept as it comes: the upstream's before ids are mapped (a dialect's shaping), cqhttpd's after (events.ts always sets it). */
const MESSAGE: Spec = { ...COMMON, font: zero, message: keep, message_id: keep, message_type: keep, raw_message: rawMessage, user_id: zero };

function anonymous(e: Wire): Wire | null {
  const a = e['anonymous'];
  if (typeof a !== 'object' || a === null) return null;
  const given = a as Wire;
  return { flag: str(given['flag']), id: int(given['id']), name: str(given['name']) };
}

const notice = (keys: Spec): Spec => ({ ...COMMON, notice_type: keep, ...keys });

const SHAPES: Record<string, Spec> = {
  'message/private': { ...MESSAGE, sender: sender(PRIVATE_SENDER), sub_type: () => 'friend' },
  'message/group': { ...MESSAGE, anonymous, group_id: zero, sender: sender(GROUP_SENDER), sub_type: () => 'normal' },
  'message/discuss': { ...MESSAGE, discuss_id: zero, sender: sender(PRIVATE_SENDER) },
  'notice/group_upload': notice({ file: (e) => { const f = (e['file'] ?? {}) as Wire; return { busid: int(f['busid']), id: str(f['id']), name: str(f['name']), size: int(f['size']) }; }, group_id: zero, user_id: zero }),
  'notice/group_admin': notice({ group_id: zero, sub_type: keep, user_id: zero }),
  'notice/group_decrease': notice({ group_id: zero, operator_id: zero, sub_type: keep, user_id: zero }),
  'notice/group_increase': notice({ group_id: zero, operator_id: zero, sub_type: keep, user_id: zero }),
  'notice/group_ban': notice({ duration: zero, group_id: zero, operator_id: zero, sub_type: keep, user_id: zero }),
  'notice/friend_add': notice({ user_id: zero }),
  'notice/group_recall': notice({ group_id: zero, message_id: zero, operator_id: userId, user_id: zero }),
  'notice/friend_recall': notice({ message_id: zero, user_id: zero }),
  'notice/group_card': notice({ card_new: empty, card_old: empty, group_id: zero, user_id: zero }),
  'notice/essence': notice({ group_id: zero, message_id: zero, operator_id: zero, sender_id: userId, sub_type: keep, user_id: (e) => int(e['sender_id']) }),
  'notice/group_msg_emoji_like': notice({
    group_id: zero, is_add: () => true, message_id: zero, user_id: zero,
    likes: (e) => (Array.isArray(e['likes']) ? e['likes'] : []).map((l: Wire) => ({ count: int(l['count']), emoji_id: str(l['emoji_id']) })),
  }),
  'notice/notify/poke': notice({ group_id: keep, sender_id: userId, sub_type: keep, target_id: zero, user_id: zero }),
  'notice/notify/lucky_king': notice({ group_id: zero, sender_id: userId, sub_type: keep, target_id: zero, user_id: zero }),
  'notice/notify/honor': notice({ group_id: zero, honor_type: empty, sub_type: keep, user_id: zero }),
  'notice/notify/title': notice({ group_id: zero, sub_type: keep, title: empty, user_id: zero }),
  'request/friend': { ...COMMON, comment: empty, flag: empty, request_type: keep, user_id: zero },
  'request/group': { ...COMMON, comment: empty, flag: empty, group_id: zero, request_type: keep, sub_type: keep, user_id: zero },
};

function kindOf(e: Wire): string {
  const post = String(e['post_type']);
  if (post === 'message' || post === 'message_sent') return `message/${String(e['message_type'])}`;
  if (post === 'request') return `request/${String(e['request_type'])}`;
  const type = String(e['notice_type']);
  return type === 'notify' ? `notice/notify/${String(e['sub_type'])}` : `notice/${type}`;
}

/**
 * The event with exactly cqhttpd's keys for its kind; an upstream-only kind as it is. A message
 * (or the upstream's `message_sent` echo) is shaped as the message event of its chat type; the
 * dialects that read messages their own way shape them here too, before ids are mapped
 * (dialects/shape.ts), so the copy kept for `get_msg` has the same keys.
 */
export function shapeEvent(event: Wire): Wire {
  const spec = SHAPES[kindOf(event)];
  if (spec === undefined) return event;
  const out: Wire = {};
  for (const [key, fallback] of Object.entries(spec)) {
    if (key === 'sender' || key === 'anonymous' || key === 'likes' || key === 'file') {
      out[key] = fallback(event);
      continue;
    }
    const value = Object.hasOwn(event, key) && event[key] !== undefined && event[key] !== null ? event[key] : fallback(event);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
