/** The control API's JSON shapes: the sandbox's camelCase views in wire names (snake_case). */
import type { ConnectionSnapshot } from '../../core/connections.js';
import { dataText } from '../../core/envelope.js';
import { isLosslessNumber } from '../../message/index.js';
import { stringifySorted } from '../../protocol/json.js';
import type { CallRecord, KeptCall } from './journal.js';
import type { GroupFileView, RequestView, StoredMessage, WorldSnapshot } from './surface.js';

/** `GET /api/world`: `{self_id, users, groups: [{…, members}], friends: [user_id…]}`; the bot is not among `users`. */
export function worldToWire(w: WorldSnapshot): Record<string, unknown> {
  return {
    self_id: w.selfId,
    users: w.users.map((u) => ({ user_id: u.userId, nickname: u.nickname, sex: u.sex, age: u.age, area: u.area, level: u.level })),
    groups: w.groups.map((g) => ({
      group_id: g.groupId,
      group_name: g.groupName,
      max_member_count: g.maxMemberCount,
      whole_ban: g.wholeBan,
      anonymous_enabled: g.anonymousEnabled,
      members: g.members.map((m) => ({
        user_id: m.userId, role: m.role, card: m.card, title: m.title,
        join_time: m.joinTime, last_sent_time: m.lastSentTime, muted_until: m.mutedUntil,
      })),
      blocked: g.blocked,
    })),
    friends: w.friends.map((f) => f.userId),
  };
}

/**
 * The JSON text of a stream item (a message, an event): `JSON.stringify`, keys as built, when the
 * tree holds nothing it would write otherwise than `stringifySorted` does but the key order (a
 * bigint, a lossless number, a `toJSON`); else `stringifySorted`. A reader parses the frame, so the
 * order is nobody's concern there, and sorting the keys of every message and event a busy bot
 * sees cost a console as much as serialising them twice.
 */
export function streamJson(value: unknown): string {
  return plain(value, 0) ? JSON.stringify(value) : stringifySorted(value);
}

function plain(v: unknown, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return typeof v !== 'bigint';
  if (depth > 32 || typeof (v as { toJSON?: unknown }).toJSON === 'function' || isLosslessNumber(v)) return false;
  if (Array.isArray(v)) {
    for (const item of v) if (!plain(item, depth + 1)) return false;
    return true;
  }
  for (const key in v) if (!plain((v as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/**
 * A logged message: `{message_id, time, user_id, group_id? | discuss_id?, message, raw_message, recalled}`, plus
 * `anonymous` {id, name, flag} when its author (`user_id`, the real one) spoke anonymously.
 */
export function messageToWire(m: StoredMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { message_id: m.messageId, time: m.time, user_id: m.userId };
  if (m.groupId !== undefined) out['group_id'] = m.groupId;
  if (m.discussId !== undefined) out['discuss_id'] = m.discussId;
  out['message'] = m.message;
  out['raw_message'] = m.rawMessage;
  out['recalled'] = m.recalled;
  if (m.anonymous !== undefined) out['anonymous'] = { id: m.anonymous.id, name: m.anonymous.name, flag: m.anonymous.flag };
  return out;
}

/** A message on the stream: {@link messageToWire}, plus `target_id` (the recipient) for a private one. */
export function streamedMessageToWire(m: StoredMessage, selfId: number): Record<string, unknown> {
  const out = messageToWire(m);
  if (m.peerUserId !== undefined) out['target_id'] = m.userId === selfId ? m.peerUserId : selfId;
  return out;
}

/** A request: `{flag, request_type, sub_type?, group_id?, user_id, comment, state, time, handled_by}`. */
export function requestToWire(r: RequestView): Record<string, unknown> {
  const out: Record<string, unknown> = { flag: r.flag, request_type: r.requestType };
  if (r.subType !== undefined) out['sub_type'] = r.subType;
  if (r.groupId !== undefined) out['group_id'] = r.groupId;
  out['user_id'] = r.userId;
  out['comment'] = r.comment;
  out['state'] = r.state;
  out['time'] = r.time;
  out['handled_by'] = r.handledBy;
  return out;
}

/** A group file: `{file_id, group_id, busid, name, size, uploader, upload_time}`. */
export function fileToWire(f: GroupFileView): Record<string, unknown> {
  return { file_id: f.fileId, group_id: f.groupId, busid: f.busid, name: f.name, size: f.size, uploader: f.uploader, upload_time: f.uploadTime };
}

/**
 * A call: `{id, self_id, action, params, retcode, duration, channel, time, data}` (`self_id` the bot
 * that made it — absent when the journal was not told, 0 —, `duration` ms to the µs, `time` Unix
 * ms, `data` the answer's), plus `msg` and `wording` when it failed with a catalogue error and
 * `unknown: true` for an action that does not exist.
 */
export function callToWire(c: CallRecord, id: number, selfId: number): Record<string, unknown> {
  // Keys in code-point order, so that stringifySorted takes its fast path (one JSON.stringify).
  const out: Record<string, unknown> = { action: c.action, channel: c.channel, data: c.data ?? null, duration: micros(c.duration), id };
  if (c.error !== undefined) out['msg'] = c.error.code;
  out['params'] = c.params;
  out['retcode'] = c.retcode;
  if (selfId !== 0) out['self_id'] = selfId;
  out['time'] = c.time;
  if ((c as KeptCall).truncated === true) out['truncated'] = true;
  if (c.unknown === true) out['unknown'] = true;
  if (c.error !== undefined) out['wording'] = c.error.message;
  return out;
}

/**
 * A duration in ms kept to the microsecond: what a person reads, and a short decimal — the
 * shortest form of a full-precision double (17 digits) is among the costlier parts of a call frame.
 */
function micros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Quoted action and channel names, made once each: a bot calls a few actions over and over. */
const QUOTED = new Map<string, string>();
/** Names kept at most (unknown actions are the bot's to invent: past this they are quoted each time). */
const QUOTED_MAX = 1024;

function quoted(name: string): string {
  let text = QUOTED.get(name);
  if (text === undefined) {
    text = JSON.stringify(name);
    if (QUOTED.size < QUOTED_MAX) QUOTED.set(name, text);
  }
  return text;
}

/** A call's parameters as text: `{}` for none (most reads), else sorted. */
function paramsText(params: Record<string, unknown>): string {
  for (const _ in params) return stringifySorted(params);
  return '{}';
}

/**
 * `num(micros(ms))` without formatting a double: the microseconds are an integer, written with the
 * point put in by hand (the shortest form of a value with at most three decimals is those decimals).
 */
function durationText(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us < 1e15)) return num(micros(ms));
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  if (frac === 0) return String(whole);
  const digits = frac < 10 ? `00${frac}` : frac < 100 ? `0${frac}` : String(frac);
  return `${whole}.${digits.charCodeAt(2) === 48 ? (digits.charCodeAt(1) === 48 ? digits.slice(0, 1) : digits.slice(0, 2)) : digits}`;
}

/** The last call time written and its text: calls of one millisecond share it (a 13-digit number is not a small integer to format). */
let lastTime = Number.NaN;
let lastTimeText = 'null';

function timeText(time: number): string {
  if (time !== lastTime) {
    lastTime = time;
    lastTimeText = num(time);
  }
  return lastTimeText;
}

/** A number's JSON text (`null` when not finite, as `JSON.stringify` writes it). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * `stringifySorted(callToWire(c, id))`, built as text: what every API call costs while a console
 * follows the stream, so the fixed keys are written in order by hand and the answer's text comes
 * from the envelope's cache when the answer is a frozen (cached) one.
 */
export function callToWireText(c: CallRecord, id: number, selfId: number): string {
  let out = '{"action":' + quoted(c.action) + ',"channel":' + quoted(c.channel) + ',"data":' + dataText(c.data ?? null);
  out += ',"duration":' + durationText(c.duration) + ',"id":' + num(id);
  if (c.error !== undefined) out += ',"msg":' + JSON.stringify(c.error.code);
  out += ',"params":' + paramsText(c.params) + ',"retcode":' + num(c.retcode) + (selfId !== 0 ? ',"self_id":' + num(selfId) : '') + ',"time":' + timeText(c.time);
  if ((c as KeptCall).truncated === true) out += ',"truncated":true';
  if (c.unknown === true) out += ',"unknown":true';
  if (c.error !== undefined) out += ',"wording":' + JSON.stringify(c.error.message);
  return out + '}';
}

/**
 * A bot connection: `{id, transport, role, path, remote, state, auth, opened_at, connected_since,
 * reconnects, last_heartbeat, last_error, last_status, last_latency_ms, events, closed_at, close_code}`,
 * plus `self_id`, the bot account it serves, when the transport said.
 */
export function connectionToWire(c: ConnectionSnapshot): Record<string, unknown> {
  return {
    id: c.id, transport: c.transport, role: c.role, path: c.path, remote: c.remote, state: c.state, auth: c.auth,
    opened_at: c.openedAt, connected_since: c.connectedSince, reconnects: c.reconnects, last_heartbeat: c.lastHeartbeat,
    last_error: c.lastError, last_status: c.lastStatus, last_latency_ms: c.lastLatencyMs, events: c.events,
    closed_at: c.closedAt, close_code: c.closeCode,
    ...(c.selfId !== null ? { self_id: c.selfId } : {}),
  };
}
