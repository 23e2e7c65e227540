/**
 * Redaction of what a cassette records (docs/recording.md "Redaction"): QQ numbers become stable
 * pseudonyms — the same number, the same pseudonym, everywhere in the recording — names (nicknames,
 * cards, remarks, group names, titles) become placeholders made from the pseudonym, tokens and
 * signatures are dropped, and media become placeholders that keep their type and size. Message text
 * is kept: it is what a replay re-injects. Works on plain JSON values and returns copies.
 */
import { parseCQ, serialiseCQ, type Segment } from '../message/index.js';

/** Keys whose value is a user's QQ number (OneBot's, and Milky's `initiator_id`, `receiver_id`…). */
const USER_KEYS = new Set([
  'user_id', 'self_id', 'target_id', 'operator_id', 'sender_id', 'uin', 'qq', 'owner_id', 'inviter_id', 'invitor_id', 'member_id',
  'initiator_id', 'receiver_id', 'target_user_id', 'uploader_id', 'creator_id',
]);
/** Milky's internal user ids (`initiator_uid`): pseudonyms of their own kind (`id-1000003`). */
const UID_KEYS = new Set(['initiator_uid', 'target_user_uid']);
/** Keys whose value is a group's (or discuss group's) number. */
const GROUP_KEYS = new Set(['group_id', 'discuss_id']);
/** Names people chose: replaced by `<key>-<pseudonym>` (an empty one stays empty). */
const NAME_KEYS = new Set([
  'nickname', 'card', 'remark', 'group_name', 'group_memo', 'special_title', 'title', 'card_new', 'card_old',
  'new_group_name', 'new_nickname', 'sender_name', 'operator_name', 'qid', 'description', 'question', 'announcement', 'bio', 'new_bio',
]);
/** Names that belong to the group (the rest to the user). */
const GROUP_NAME_KEYS = new Set(['group_name', 'group_memo', 'new_group_name', 'description', 'question', 'announcement']);
/** Secrets: dropped with their key. */
const SECRET_KEYS = new Set([
  'access_token', 'token', 'secret', 'signature', 'sig', 'cookies', 'csrf_token', 'bkn', 'skey', 'p_skey', 'pskey', 'authorization', 'password', 'ticket', 'rkey',
  'temp_url', 'download_url', 'avatar_url',
]);
/** Segments whose content is replaced by a placeholder keeping the type and the size. */
const MEDIA_TYPES = new Set(['image', 'record', 'video', 'file', 'flash', 'json', 'xml', 'cardimage', 'markdown', 'light_app', 'market_face']);
/** Keys holding a message: a CQ string is parsed, redacted and written back. */
const MESSAGE_KEYS = new Set(['message', 'raw_message', 'content']);

const FIRST_USER = 1_000_000;
const FIRST_GROUP = 900_000_000;

export interface RedactOptions {
  /** Map QQ numbers to pseudonyms (default true). `false` when the input is already pseudonymous. */
  ids?: boolean;
}

type Json = unknown;
type Obj = Record<string, unknown>;

export class Redactor {
  readonly #users = new Map<string, number>();
  readonly #groups = new Map<string, number>();
  readonly #ids: boolean;

  constructor(options: RedactOptions = {}) {
    this.#ids = options.ids ?? true;
  }

  /** A redacted copy of any JSON value (a frame, an event, a call's parameters or answer). */
  value(value: Json): Json {
    return this.#walk(value, '', undefined);
  }

  /** The pseudonym of a user's QQ number (a number keeps being a number, a text a text). */
  user(value: Json): Json {
    return this.#map(this.#users, FIRST_USER, value);
  }

  group(value: Json): Json {
    return this.#map(this.#groups, FIRST_GROUP, value);
  }

  #map(table: Map<string, number>, first: number, value: Json): Json {
    if (!this.#ids) return value;
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value <= 0) return value;
      return this.#pseudonym(table, first, String(value));
    }
    if (typeof value === 'string') {
      if (value === '' || value === 'all' || value === '0') return value;
      const p = this.#pseudonym(table, first, value);
      return /^\d+$/.test(value) ? String(p) : `id-${p}`;
    }
    return value;
  }

  #pseudonym(table: Map<string, number>, first: number, key: string): number {
    let p = table.get(key);
    if (p === undefined) {
      p = first + table.size + 1;
      table.set(key, p);
    }
    return p;
  }

  #walk(value: Json, key: string, parent: Obj | undefined): Json {
    if (Array.isArray(value)) {
      if (isSegments(value)) return value.map((s) => this.#segment(s as Segment));
      return value.map((v) => this.#walk(v, key, parent));
    }
    if (typeof value === 'string') {
      if (MESSAGE_KEYS.has(key) && value.includes('[CQ:')) return serialiseCQ(parseCQ(value).map((s) => this.#segment(s)));
      return value;
    }
    if (typeof value !== 'object' || value === null) return value;
    return this.#object(value as Obj, key);
  }

  #object(obj: Obj, ownKey: string): Obj {
    const out: Obj = {};
    for (const [key, v] of Object.entries(obj)) {
      if (SECRET_KEYS.has(key.toLowerCase())) continue;
      if (USER_KEYS.has(key)) out[key] = Array.isArray(v) ? v.map((x) => this.user(x)) : this.user(v);
      else if (GROUP_KEYS.has(key)) out[key] = this.group(v);
      // Milky names a conversation by its scene and peer: a group's number or a user's.
      else if (key === 'peer_id') out[key] = obj['message_scene'] === 'group' ? this.group(v) : this.user(v);
      else if (UID_KEYS.has(key)) out[key] = this.user(typeof v === 'string' && v !== '' ? `uid:${v}` : v);
      else if (NAME_KEYS.has(key) || (key === 'name' && (ownKey === 'anonymous' || ownKey === 'mention'))) out[key] = this.#name(key, v, obj);
      else if (typeof v === 'string' && (key === 'wording' || (key === 'message' && 'retcode' in obj))) out[key] = this.#ids ? maskNumbers(v) : v;
      else out[key] = this.#walk(v, key, obj);
    }
    return out;
  }

  /** `nickname-1000003`: the name's key and the pseudonym of the user (or group) it belongs to. */
  #name(key: string, value: Json, owner: Obj): Json {
    if (typeof value !== 'string' || value === '') return value;
    const id = GROUP_NAME_KEYS.has(key) ? this.group(owner['group_id']) : this.user(owner['user_id'] ?? owner['uin'] ?? owner['sender_id'] ?? owner['id']);
    return typeof id === 'number' || (typeof id === 'string' && id !== '') ? `${key}-${id}` : key;
  }

  #segment(segment: Segment): Segment {
    const data = (typeof segment.data === 'object' && segment.data !== null ? segment.data : {}) as Obj;
    if (MEDIA_TYPES.has(segment.type)) return { type: segment.type, data: mediaPlaceholder(data) as Record<string, string> };
    if (segment.type === 'contact') {
      const id = data['type'] === 'group' ? this.group(data['id']) : this.user(data['id']);
      return { type: 'contact', data: { ...data, id } as Record<string, string> };
    }
    if (segment.type === 'node') {
      const out = this.#object(data, 'node');
      if (typeof data['name'] === 'string' && data['name'] !== '') out['name'] = `name-${String(this.user(data['user_id'] ?? data['uin']))}`;
      return { type: 'node', data: out as Record<string, string> };
    }
    return { type: segment.type, data: this.#object(data, segment.type) as Record<string, string> };
  }
}

/** A failure's sentence with every number of 5 digits or more (a QQ number, perhaps) masked. */
const maskNumbers = (text: string): string => text.replace(/\d{5,}/g, (d) => '#'.repeat(d.length));

/** `{file: "redacted", size}` (bytes, when known), with the image's `type`/`sub_type` kept. */
function mediaPlaceholder(data: Obj): Obj {
  const out: Obj = { file: 'redacted' };
  const size = sizeOf(data);
  if (size !== undefined) out['size'] = size;
  for (const key of ['type', 'sub_type']) if (typeof data[key] === 'string' || typeof data[key] === 'number') out[key] = data[key];
  return out;
}

function sizeOf(data: Obj): number | undefined {
  for (const key of ['file_size', 'size']) {
    const v = data[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  for (const key of ['file', 'data', 'uri']) {
    const v = data[key];
    if (typeof v === 'string' && v.startsWith('base64://')) return Buffer.byteLength(v.slice(9), 'base64');
  }
  if (typeof data['data'] === 'string') return Buffer.byteLength(data['data']);
  if (typeof data['content'] === 'string') return Buffer.byteLength(data['content']);
  return undefined;
}

/** A message as an array of segments: objects with a text `type` and an object `data`. */
function isSegments(value: unknown[]): boolean {
  if (value.length === 0) return false;
  return value.every((v) => typeof v === 'object' && v !== null && typeof (v as Obj)['type'] === 'string' && typeof (v as Obj)['data'] === 'object');
}
