/**
 * What a cassette says, arranged for a replay (docs/recording.md "Replay"): the turns — each starts
 * with a user-side event (a message or notice a person caused, not the bot) and holds the calls the
 * bot made until the next one; turn 0 holds the calls before the first — and, for the upstream
 * side, each turn's upstream event frames. Events the bot caused itself (its own messages, notices
 * whose operator is the bot) start no turn: a replay produces them again from the bot's calls.
 */
import type { Cassette } from '../../record/index.js';
import type { ReplayCall } from './diff.js';

type Obj = Record<string, unknown>;

export interface Turn {
  index: number;
  /** e.g. `group message from 1000002 in 900000001: "ping"`. */
  label: string;
  /** The event cqhttpd emitted to the bots (turn 0: none). */
  event?: Obj;
  /** The upstream frames of events received during this turn, the first being the turn's own. */
  frames: Obj[];
  /** The bot's recorded calls. */
  calls: ReplayCall[];
}

export interface Plan {
  selfId: number;
  redacted: boolean;
  turns: Turn[];
  /** The recorded upstream calls (`out` frames) with their results (`in` frames), in order. */
  upstreamCalls: { action: string; params: Obj; result: Obj | undefined }[];
}

/** Channels of the bots' own calls (the recorder keeps only these; the check is for hand-made files). */
const BOT_CHANNELS = new Set(['http', 'ws', 'ws_reverse', 'quick_operation']);

export function planOf(cassette: Cassette): Plan {
  const selfId = Number(cassette.header.self_id);
  const turns: Turn[] = [{ index: 0, label: 'before the first event', frames: [], calls: [] }];
  const upstreamCalls: Plan['upstreamCalls'] = [];
  const byEcho = new Map<string, Plan['upstreamCalls'][number]>();
  let lastFrame: Obj | undefined;
  for (const line of cassette.lines) {
    const turn = turns[turns.length - 1] as Turn;
    const data = line['data'] as Obj | undefined;
    if (data === undefined || typeof data !== 'object') continue;
    if (line.type === 'upstream') {
      if (line['dir'] === 'out') {
        const entry = { action: String(data['action']), params: (data['params'] ?? {}) as Obj, result: undefined };
        upstreamCalls.push(entry);
        byEcho.set(String(data['echo']), entry);
      } else if (typeof data['post_type'] === 'string') {
        lastFrame = data;
        turn.frames.push(data);
      } else if (data['echo'] !== undefined) {
        const entry = byEcho.get(String(data['echo']));
        if (entry !== undefined) entry.result = data;
      }
    } else if (line.type === 'event') {
      if (isUserSide(data, selfId)) {
        // The frame that brought this event is the last one received; it starts the new turn.
        const frames: Obj[] = [];
        if (lastFrame !== undefined && turn.frames[turn.frames.length - 1] === lastFrame) frames.push(turn.frames.pop() as Obj);
        turns.push({ index: turns.length, label: describeEvent(data), event: data, frames, calls: [] });
      }
      lastFrame = undefined;
    } else if (line.type === 'call' && BOT_CHANNELS.has(String(data['channel']))) {
      turn.calls.push({ action: String(data['action']), params: (data['params'] ?? {}) as Obj, data: data['data'] });
    }
  }
  return { selfId, redacted: cassette.header.redacted === true, turns, upstreamCalls };
}

/** A person's doing, not the bot's: its own messages and the notices it operated are consequences of its calls. */
export function isUserSide(event: Obj, selfId: number): boolean {
  const post = event['post_type'];
  if (post === 'message') return Number(event['user_id']) !== selfId;
  if (post === 'request') return true;
  if (post !== 'notice') return false;
  const operator = event['operator_id'];
  if (operator !== undefined && Number(operator) === selfId) return false;
  if (event['notice_type'] === 'notify' && event['sub_type'] === 'poke') return Number(event['user_id']) !== selfId;
  return Number(event['user_id'] ?? 0) !== selfId || operator !== undefined;
}

export function describeEvent(event: Obj): string {
  if (event['post_type'] === 'message') {
    const text = typeof event['raw_message'] === 'string' ? event['raw_message'] : JSON.stringify(event['message']);
    const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    return event['message_type'] === 'group'
      ? `group message from ${String(event['user_id'])} in ${String(event['group_id'])}: ${JSON.stringify(short)}`
      : `private message from ${String(event['user_id'])}: ${JSON.stringify(short)}`;
  }
  const kind = [event['notice_type'] ?? event['request_type'], event['sub_type']].filter((x) => x !== undefined && x !== '').join('/');
  const where = event['group_id'] !== undefined ? ` in ${String(event['group_id'])}` : '';
  return `${String(event['post_type'])} ${kind} of ${String(event['user_id'] ?? '?')}${where}`;
}
