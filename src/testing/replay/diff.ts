/**
 * Comparing the bot's calls of a replay with the recorded ones, turn by turn (docs/recording.md
 * "Replay"). Before comparing, each side is normalised: echoes dropped, message ids, request flags
 * and file ids replaced by their order of first appearance in that side's run (`#1`, `#2`…), a CQ
 * string parsed into segments, media reduced to their type, and — for a redacted cassette — the
 * replay's calls passed through the same name, token and media rules. A number equals its text
 * (`20003` and `"20003"`: HTTP bots send text).
 */
import { parseCQ } from '../../message/index.js';
import { Redactor } from '../../record/index.js';

/** A call as both sides give it. */
export interface ReplayCall {
  action: string;
  params: Record<string, unknown>;
  data?: unknown;
}

/** One turn's differences, each one line. */
export interface TurnDiff {
  turn: number;
  label: string;
  lines: string[];
}

const CANON_KEYS = new Set(['message_id', 'flag', 'file_id']);
const MEDIA = new Set(['image', 'record', 'video', 'file', 'flash', 'json', 'xml', 'cardimage', 'markdown']);

/** Message ids, flags and file ids → `#n` in order of first appearance, per side. */
export class Canon {
  readonly #seen = new Map<string, string>();

  of(value: unknown): unknown {
    if (typeof value !== 'number' && typeof value !== 'string') return value;
    const key = String(value);
    let id = this.#seen.get(key);
    if (id === undefined) {
      id = `#${this.#seen.size + 1}`;
      this.#seen.set(key, id);
    }
    return id;
  }

  /** Register the ids an answer hands out (`data.message_id`…) so later calls name them alike. */
  answer(data: unknown): void {
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      for (const key of CANON_KEYS) if (key in data) this.of((data as Record<string, unknown>)[key]);
    }
  }
}

/** The comparable form of one call: `{action, params}`. */
export function normaliseCall(call: ReplayCall, canon: Canon, redactor: Redactor | undefined): { action: string; params: unknown } {
  const params = redactor ? (redactor.value(call.params) as Record<string, unknown>) : call.params;
  const out = { action: call.action, params: walk(params, '', canon) };
  canon.answer(call.data);
  return out;
}

function walk(value: unknown, key: string, canon: Canon): unknown {
  if (key === 'echo') return undefined;
  if (CANON_KEYS.has(key)) return canon.of(value);
  if (key === 'message' && typeof value === 'string') return segments(parseCQ(value), canon);
  if (Array.isArray(value)) {
    if (key === 'message') return segments(value, canon);
    return value.map((v) => walk(v, '', canon));
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'echo') continue;
    out[k] = walk(v, k, canon);
  }
  return out;
}

function segments(list: unknown[], canon: Canon): unknown[] {
  return list.map((s) => {
    if (typeof s !== 'object' || s === null) return s;
    const seg = s as { type?: unknown; data?: Record<string, unknown> };
    const type = String(seg.type);
    if (MEDIA.has(type)) return { type, data: {} };
    const data = { ...(seg.data ?? {}) };
    if (type === 'reply' && data['id'] !== undefined) data['id'] = canon.of(data['id']);
    return { type, data: walk(data, '', canon) };
  });
}

/** Deep equality where a number equals its decimal text and a missing key equals `undefined`. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The paths where two values differ, e.g. `params.message[0].data.text: "pong" → "pang"`. */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  if (same(a, b)) return [];
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return [`${at || 'value'}: ${show(a)} → ${show(b)}`];
      return a.flatMap((x, i) => differences(x, b[i], `${at}[${i}]`));
    }
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return [`${at || 'value'}: ${show(a)} → ${show(b)}`];
}

const show = (v: unknown): string => {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};

/**
 * One turn: the recorded calls against the replayed ones (both normalised). Equal calls pair off
 * first; then a recorded and a replayed call of the same action are one call whose parameters
 * changed; what is left is missing (recorded only) or extra (replayed only).
 */
export function diffTurn(recorded: { action: string; params: unknown }[], replayed: { action: string; params: unknown }[]): string[] {
  const rest = [...replayed];
  const unmatched: { action: string; params: unknown }[] = [];
  for (const r of recorded) {
    const i = rest.findIndex((p) => p.action === r.action && same(r.params, p.params));
    if (i >= 0) rest.splice(i, 1);
    else unmatched.push(r);
  }
  const lines: string[] = [];
  for (const r of unmatched) {
    const i = rest.findIndex((p) => p.action === r.action);
    if (i >= 0) {
      const [p] = rest.splice(i, 1);
      lines.push(`changed ${r.action}: ${differences(r.params, p?.params, 'params').join('; ')}`);
    } else {
      lines.push(`missing ${r.action} ${show(r.params)}`);
    }
  }
  for (const p of rest) lines.push(`extra ${p.action} ${show(p.params)}`);
  return lines;
}
